/**
 * Level values as one criterion reads them (issue 11): the run's statistics
 * and round values put into the formula's slots, or a located problem for
 * each that is missing. Resolved per run by engine/evaluate/statistics.ts.
 */
import type { CompiledCriterion, CompiledLevel } from '../compile/level.js';
import type { Value } from '../compile/values.js';
import { Rational } from '../exact/rational.js';
import { problem, type Problem } from '../problems.js';

/** One level value as resolved for a run. */
export interface ResolvedLevelValue {
  name: string;
  source: 'statistic' | 'round';
  label: string;
  /** The value for every unit (max, min, mean, sum, count, round values). */
  value?: Rational;
  /** Per unit (rank). */
  byUnit?: ReadonlyMap<string, Rational>;
  /** Units whose value is the statistic (max, min): ties list all of them, sorted. */
  setBy?: string[];
  /** How many units the statistic is over. */
  over?: number;
  /** Why there is no value. */
  unavailable?: { vi: string; en: string };
}

export interface LevelValues {
  level: string;
  values: ReadonlyMap<string, ResolvedLevelValue>;
}

/** What a criterion read of the level values, for explanations and JSON. */
export interface LevelValueUse {
  name: string;
  source: 'statistic' | 'round';
  label: string;
  value: number;
  /** Exact text when the value is not a short decimal (a mean). */
  exact?: string;
  setBy?: string[];
  over?: number;
  /** A percentage (shown with %). */
  percent?: boolean;
}

/** Supplied round values by name (engine/load/round-values.ts). */
export type RoundValues = ReadonlyMap<string, Rational>;


/** Fill a criterion's level-value slots; problems for what is missing. */
export function fillLevelValues(criterion: CompiledCriterion, env: Value[], levelValues: LevelValues | undefined, unit: string, where: { level: string; unit: string; criterion: string }, level?: CompiledLevel): { used: LevelValueUse[]; problems: Problem[] } {
  const used: LevelValueUse[] = [];
  const problems: Problem[] = [];
  for (const { slot, name } of criterion.levelSlots ?? []) {
    const resolved = levelValues?.values.get(name);
    const value = resolved?.byUnit ? resolved.byUnit.get(unit) : resolved?.value;
    if (resolved && value !== undefined) {
      // The exact rational itself: a mean of 250/3 is 250/3 in the formula, not an approximation.
      env[slot] = value;
      // A mean like 250/3 is not a short decimal: the explanation shows it with ≈, and JSON carries its exact fraction.
      const short = value.isTerminating() && !/\.\d{5,}/.test(value.toDecimalText(20));
      const exact = value.toFraction();
      const percent = level?.structure?.levelValues.get(name)?.type.kind === 'number' && (level.structure.levelValues.get(name)!.type as { unit: string }).unit === 'percent';
      used.push({ name, source: resolved.source, label: resolved.label, value: value.toNumber(), ...(short ? {} : { exact }), ...(percent ? { percent } : {}), ...(resolved.setBy ? { setBy: resolved.setBy } : {}), ...(resolved.over !== undefined ? { over: resolved.over } : {}) });
      continue;
    }
    const isRound = (resolved?.source ?? level?.structure?.levelValues.get(name)?.source) === 'round';
    const label = resolved?.label ?? level?.structure?.levelValues.get(name)?.label ?? name;
    const location = level ? level.locate([isRound ? 'round_values' : 'statistics', name], true) : undefined;
    if (isRound) {
      problems.push(
        problem(
          'round-value.missing',
          {
            vi: `Tiêu chí ${criterion.number} dùng giá trị của đợt chấm «${label}» (${name}), nhưng giá trị này chưa được cung cấp.`,
            en: `Criterion ${criterion.number} reads the round value "${label}" (${name}), which has not been supplied.`,
          },
          {
            ...where,
            ...(location ? { location } : {}),
            hint: { vi: `Ghi "${name}: giá trị" dưới values: trong tệp giá trị của đợt và chấm với --round-values TỆP.yaml (dịch vụ HTTP: "round_values": {"values": {"${name}": giá trị}} trong yêu cầu).`, en: `Write "${name}: value" under values: in the round-values file and score with --round-values FILE.yaml (HTTP: "round_values": {"values": {"${name}": value}} in the request).` },
          },
        ),
      );
    } else {
      const why = resolved?.unavailable ?? { vi: 'đơn vị được chấm riêng lẻ, không cùng các đơn vị khác của cấp', en: 'the unit is scored alone, not with the other units of its level' };
      problems.push(
        problem(
          'statistic.unavailable',
          {
            vi: `Tiêu chí ${criterion.number} cần thống kê của cả cấp «${label}» (${name}), nhưng không có giá trị: ${why.vi}.`,
            en: `Criterion ${criterion.number} needs the level statistic "${label}" (${name}), which has no value: ${why.en}.`,
          },
          {
            ...where,
            ...(location ? { location } : {}),
            hint: { vi: 'Chấm cùng lúc tất cả đơn vị của cấp (một tệp hoặc một thư mục số liệu; dịch vụ HTTP: mọi đơn vị trong một yêu cầu), để thống kê tính trên cả cấp.', en: 'Score all units of the level together (one file or folder; HTTP: all of them in one request), so the statistic covers the level.' },
          },
        ),
      );
    }
  }
  return { used, problems };
}


/** The level values an example of the file gives (`values:`), for checking the example like a unit. */
export function exampleLevelValues(level: CompiledLevel, values: Readonly<Record<string, number>> | undefined): LevelValues | undefined {
  const decls = level.structure?.levelValues;
  if (!decls?.size) return undefined;
  const resolved = new Map<string, ResolvedLevelValue>();
  for (const decl of decls.values()) {
    const given = values && Object.prototype.hasOwnProperty.call(values, decl.name) ? values[decl.name] : undefined;
    resolved.set(decl.name, {
      name: decl.name,
      source: decl.source,
      label: decl.label,
      ...(typeof given === 'number' && Number.isFinite(given) ? { value: Rational.fromNumber(given) } : { unavailable: { vi: `ví dụ chưa ghi giá trị của nó ở values: (ví dụ values: {${decl.name}: 98})`, en: `the example gives no value for it under values:` } }),
    });
  }
  return { level: level.id, values: resolved };
}

/**
 * What a run lacks of its levels' statistics, one line per level: which
 * statistics the level's formulas need, over how many units, and how many
 * the run had. For a caller that scores a few units at a time (HTTP, the
 * library), so that one unit scored alone is told what it needs.
 */
export function unavailableStatistics(level: CompiledLevel, values: LevelValues | undefined): Problem | undefined {
  const decls = [...(level.structure?.levelValues.values() ?? [])].filter((d) => d.source === 'statistic');
  const missing = decls.filter((d) => {
    const resolved = values?.values.get(d.name);
    return !resolved || (resolved.value === undefined && !resolved.byUnit?.size);
  });
  if (!missing.length) return undefined;
  const stat = { max: 'giá trị lớn nhất', min: 'giá trị nhỏ nhất', mean: 'trung bình', sum: 'tổng', count: 'số đơn vị có', rank: 'thứ hạng theo' } as const;
  const list = missing.map((d) => `${d.name} (${d.label}: ${stat[d.statistic!.stat]} ${d.statistic!.of}, cần ít nhất ${d.statistic!.min_units ?? 2} đơn vị)`).join('; ');
  const over = Math.max(0, ...missing.map((d) => values?.values.get(d.name)?.over ?? 0));
  return problem(
    'statistic.unavailable',
    {
      vi: `Cấp "${level.name}" chấm một số tiêu chí so với các đơn vị khác của cấp; lần chấm này chỉ có ${over} đơn vị có số liệu, nên thiếu các thống kê: ${list}.`,
      en: `Level "${level.id}" scores some criteria against the other units of the level; this run has ${over} unit(s) with data, so these statistics are missing: ${missing.map((d) => d.name).join(', ')}.`,
    },
    {
      level: level.id,
      location: level.locate(['statistics', missing[0]!.name], true),
      hint: { vi: 'Gửi tất cả đơn vị của cấp trong cùng một lần chấm (một yêu cầu HTTP, một tệp hoặc một thư mục số liệu).', en: 'Send all units of the level in one run (one HTTP request, one file or folder).' },
    },
  );
}
