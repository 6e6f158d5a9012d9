/**
 * Level values (issue 11): what a formula may read besides the unit's own
 * data and the file's parameters.
 *
 * - Statistics over the units being scored together (max, min, mean, sum,
 *   count of an input or of another criterion's points; a unit's rank).
 *   Scoring is then two-pass: first every unit's value is read, then every
 *   unit is scored against the same statistics. Units are taken in input
 *   order, but every statistic is order-free (ties list every unit that set
 *   the value, sorted by id), so the result does not depend on file order.
 * - Round values, supplied once per round (engine/load/round-values.ts).
 *
 * A value that is not there (too few units, a unit scored alone, a round
 * value not supplied) is a located problem on every criterion that needs
 * it: never a silent number.
 */
import Fraction from 'fraction.js';
import type { CompiledLevel } from '../compile/level.js';
import type { CriteriaSet } from '../criteria-set.js';
import { isReadError, readInput } from '../compile/input-types.js';
import { appliesTo, statisticSource, type LevelValueDecl } from '../compile/structure.js';
import { Decimal } from '../decimal.js';
import type { Submission } from '../model.js';
import { rational, type Rational } from './totals.js';
import { scoreCriterion } from './score.js';
import type { LevelValues, ResolvedLevelValue, RoundValues } from './level-values.js';

export type { LevelValues, ResolvedLevelValue, RoundValues } from './level-values.js';

/**
 * Pass one: resolve every level value of a level over the submissions routed to it
 * (the caller passes each level's own, deduplicated submissions).
 */
export function resolveLevelValues(level: CompiledLevel, submissions: readonly Submission[], roundValues: RoundValues | undefined): LevelValues {
  const values = new Map<string, ResolvedLevelValue>();
  const structure = level.structure;
  if (!structure) return { level: level.id, values };
  for (const decl of structure.levelValues.values()) {
    values.set(decl.name, decl.source === 'round' ? resolveRound(decl, roundValues) : resolveStatistic(level, decl, submissions));
  }
  return { level: level.id, values };
}

function resolveRound(decl: LevelValueDecl, roundValues: RoundValues | undefined): ResolvedLevelValue {
  const value = roundValues?.get(decl.name);
  return { name: decl.name, source: 'round', label: decl.label, ...(value !== undefined ? { value } : {}) };
}

function resolveStatistic(level: CompiledLevel, decl: LevelValueDecl, submissions: readonly Submission[]): ResolvedLevelValue {
  const statistic = decl.statistic!;
  const head = { name: decl.name, source: 'statistic' as const, label: decl.label };
  const { criterion: criterionId, input: inputId } = statisticSource(statistic);
  const criterion = level.criteria.find((c) => c.id === criterionId)!;
  const place = level.structure?.places.get(criterionId);
  const samples: { unit: string; value: Rational }[] = [];
  for (const submission of submissions) {
    if (!appliesTo(place, submission.type)) continue;
    const inputs = submission.inputs !== null && typeof submission.inputs === 'object' ? (submission.inputs as Record<string, unknown>) : {};
    const reported = Object.prototype.hasOwnProperty.call(inputs, criterionId) ? inputs[criterionId] : undefined;
    if (inputId !== undefined) {
      const def = criterion.def.inputs[inputId]!;
      const block = reported !== null && typeof reported === 'object' && !Array.isArray(reported) ? (reported as Record<string, unknown>) : undefined;
      if (!block || !Object.prototype.hasOwnProperty.call(block, inputId) || block[inputId] === undefined) continue;
      const read = readInput(def, block[inputId], submission.mode);
      if (isReadError(read) || !(read.value instanceof Decimal)) continue;
      samples.push({ unit: submission.id, value: rational(read.value.toFixed()) });
    } else {
      const score = scoreCriterion(criterion, reported, level.doc.scoring, { level: level.id, unit: submission.id, mode: submission.mode }, { trace: false });
      if (score.status === 'scored') samples.push({ unit: submission.id, value: rational(score.points!) });
    }
  }
  const needed = statistic.min_units ?? 2;
  if (samples.length < needed) {
    const n = samples.length;
    return { ...head, over: n, unavailable: { vi: `lần chấm này chỉ có ${n} đơn vị có số liệu "${statistic.of}", cần ít nhất ${needed}`, en: `this run has ${n} unit(s) with "${statistic.of}", at least ${needed} needed` } };
  }
  const over = samples.length;
  switch (statistic.stat) {
    case 'max':
    case 'min': {
      let best = samples[0]!.value;
      for (const s of samples) if (statistic.stat === 'max' ? s.value.gt(best) : s.value.lt(best)) best = s.value;
      const setBy = samples.filter((s) => s.value.equals(best)).map((s) => s.unit).sort();
      return { ...head, value: best, setBy, over };
    }
    case 'sum':
    case 'mean': {
      let sum = new Fraction(0);
      for (const s of samples) sum = sum.add(s.value);
      return { ...head, value: statistic.stat === 'sum' ? sum : sum.div(over), over };
    }
    case 'count':
      return { ...head, value: new Fraction(over), over };
    case 'rank': {
      // Competition ranking, 1 = highest value; a unit without a value has no rank (a problem for that unit).
      const byUnit = new Map<string, Rational>();
      for (const s of samples) byUnit.set(s.unit, new Fraction(1 + samples.filter((o) => o.value.gt(s.value)).length));
      return { ...head, byUnit, over, unavailable: { vi: `đơn vị không có số liệu "${statistic.of}" hợp lệ nên không có thứ hạng`, en: `the unit has no valid "${statistic.of}", so no rank` } };
    }
  }
}

/** Pass one for a whole run: each level that reads level values, over its own submissions (first of duplicates, as scoring keeps). */
export function levelValuesOfRun(set: CriteriaSet, submissions: readonly Submission[], roundValues: RoundValues | undefined): Map<string, LevelValues> {
  const out = new Map<string, LevelValues>();
  for (const level of set.levels) {
    if (!level.structure?.levelValues.size) continue;
    const seen = new Set<string>();
    const mine = submissions.filter((s) => s.level === level.id && !seen.has(s.id) && (seen.add(s.id), true));
    out.set(level.id, resolveLevelValues(level, mine, roundValues));
  }
  return out;
}
