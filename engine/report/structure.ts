/**
 * How a structured level (issue 11) reads for people: the level summary's
 * groups and kinds, the ranking's extra columns (base, bonus, penalty,
 * subtotals), and the explanation's lines for groups, totals, parts, level
 * values and criteria that do not apply.
 */
import type { CompiledLevel } from '../compile/level.js';
import type { CriterionKind, PartDef } from '../model.js';
import type { Lang } from '../problems.js';
import type { CriterionScore, UnitScore } from '../evaluate/score.js';
import type { TraceNode } from '../evaluate/trace.js';
import { formatNumber, formatPoints } from './format.js';

export interface LevelSummaryStructure {
  unitTypes: { id: string; label: string }[];
  /** Declared unit attributes (applies_when reads them). */
  attributes: { id: string; label: string; type: 'boolean' | 'choice'; options?: { id: string; label: string }[] }[];
  groups: { id: string; number: string; name: string; parent?: string; depth: number; maxPoints?: number }[];
  criteria: { id: string; kind: CriterionKind; group?: string; appliesTo?: string[]; appliesWhen?: Record<string, boolean | string | string[]> }[];
  /** Whether base, bonus and penalty columns mean something here. */
  hasBonus: boolean;
  hasPenalty: boolean;
  /** Some criterion applies to some unit types only (totals may be rescaled). */
  hasApplicability: boolean;
  /** With applicability: how a unit's total treats what does not apply (totals.not_applicable: rescale to total_points, or none). */
  notApplicable?: 'rescale' | 'none';
  /** Decimals of points (the level's rounding), and of indices when shown. */
  decimals: number;
  indexDecimals?: number;
}

export function levelSummaryStructure(level: CompiledLevel): LevelSummaryStructure {
  const s = level.structure!;
  return {
    unitTypes: [...s.unitTypes.values()].map((t) => ({ id: t.id, label: t.label })),
    attributes: [...s.attributes.values()].map((a) => ({ id: a.id, label: a.label, type: a.type, ...(a.options ? { options: a.options.map((o) => ({ id: o.id, label: o.label })) } : {}) })),
    groups: s.groups.map((g) => ({ id: g.id, number: g.number, name: g.name, ...(g.parent !== undefined ? { parent: g.parent } : {}), depth: g.depth, ...(g.declaredMax !== undefined ? { maxPoints: g.declaredMax } : {}) })),
    criteria: level.criteria.map((c) => ({ id: c.id, kind: c.def.kind ?? 'ordinary', ...(c.def.group !== undefined ? { group: c.def.group } : {}), ...(c.def.applies_to ? { appliesTo: c.def.applies_to } : {}), ...(c.def.applies_when ? { appliesWhen: c.def.applies_when } : {}) })),
    hasBonus: level.criteria.some((c) => c.def.kind === 'bonus'),
    hasPenalty: level.criteria.some((c) => c.def.kind === 'penalty'),
    hasApplicability: [...s.places.values()].some((p) => p.appliesTo || p.appliesWhen),
    ...([...s.places.values()].some((p) => p.appliesTo || p.appliesWhen) ? { notApplicable: s.totals.not_applicable } : {}),
    decimals: level.doc.scoring.rounding.decimals,
    ...(s.totals.index_decimals !== undefined ? { indexDecimals: s.totals.index_decimals } : {}),
  };
}

const W = {
  vi: {
    type: 'Loại',
    index: 'Chỉ số',
    base: 'Cơ bản',
    bonus: 'Thưởng',
    penalty: 'Trừ',
    na: 'KAD',
    naLegend: 'KAD: không áp dụng cho loại đơn vị',
    naLegendAttributes: 'KAD: không áp dụng cho đơn vị (theo loại hoặc thuộc tính của đơn vị)',
    attributes: 'Thuộc tính',
    earned: 'Điểm đạt',
    applicable: 'Áp dụng',
    applicableLegend: (total: string) => `Điểm đạt: tổng điểm các tiêu chí áp dụng cho đơn vị, trước khi quy đổi; Áp dụng: tổng điểm chuẩn của các tiêu chí đó; Cơ bản = Điểm đạt × ${total} / Áp dụng (làm tròn một lần)`,
    applicableLegendNone: 'Điểm đạt: tổng điểm các tiêu chí áp dụng cho đơn vị; Áp dụng: tổng điểm chuẩn của các tiêu chí đó (không quy đổi)',
    only: 'chỉ',
    onlyWhen: 'chỉ khi',
    yes: 'Có',
    no: 'Không',
    info: 'KTĐ',
    infoLegend: 'KTĐ: không tính điểm',
    kinds: { ordinary: '', bonus: 'điểm thưởng', penalty: 'điểm trừ', info: 'chỉ để theo dõi, không tính điểm' },
  },
  en: {
    type: 'Type',
    index: 'Index',
    base: 'Base',
    bonus: 'Bonus',
    penalty: 'Penalty',
    na: 'n/a',
    naLegend: 'n/a: does not apply to the unit type',
    naLegendAttributes: 'n/a: does not apply to the unit (by its type or attributes)',
    attributes: 'Attributes',
    earned: 'Earned',
    applicable: 'Applicable',
    applicableLegend: (total: string) => `Earned: points of the criteria that apply to the unit, before rescaling; Applicable: their maximum; Base = Earned × ${total} / Applicable (rounded once)`,
    applicableLegendNone: 'Earned: points of the criteria that apply to the unit; Applicable: their maximum (not rescaled)',
    only: 'only',
    onlyWhen: 'only when',
    yes: 'yes',
    no: 'no',
    info: 'info',
    infoLegend: 'info: information only, not scored',
    kinds: { ordinary: '', bonus: 'bonus', penalty: 'penalty', info: 'information only, not scored' },
  },
} as const;

/** A criterion's points in a ranking cell: KAD when it does not apply. */
export function criterionCell(score: CriterionScore | undefined, lang: Lang, decimals: number): string | undefined {
  if (score?.status === 'not_applicable') return W[lang].na;
  return score?.points === undefined ? undefined : formatPoints(score.points, lang, decimals);
}

/** Groups shown as ranking columns: pillars and main indices (depth 0 and 1). */
function tableGroups(s: LevelSummaryStructure) {
  return s.groups.filter((g) => g.depth <= 1);
}

/** Extra ranking columns of a structured level, after the total: type, attributes (by id, the legend names them), what applies, base, bonus, penalty, subtotals. */
export function structureHeader(s: LevelSummaryStructure, lang: Lang): string[] {
  const w = W[lang];
  return [
    ...(s.unitTypes.length ? [w.type] : []),
    ...s.attributes.map((a) => a.id),
    ...(s.indexDecimals !== undefined ? [w.index] : []),
    ...(s.hasApplicability ? [w.earned, w.applicable] : []),
    ...(showBase(s) ? [w.base] : []),
    ...(s.hasBonus ? [w.bonus] : []),
    ...(s.hasPenalty ? [w.penalty] : []),
    ...tableGroups(s).map((g) => g.number),
  ];
}

/** A unit's type by its declared name ("Sở, ngành, cơ quan"); the id when the level does not declare it. */
export function unitTypeLabel(s: Pick<LevelSummaryStructure, 'unitTypes'>, type: string | undefined): string | undefined {
  return type === undefined ? undefined : (s.unitTypes.find((t) => t.id === type)?.label ?? type);
}

/** An attribute's value as a reader sees it: Có / Không, or the option's label. */
export function attributeValueText(s: Pick<LevelSummaryStructure, 'attributes'>, id: string, value: boolean | string | undefined, lang: Lang): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? W[lang].yes : W[lang].no;
  return s.attributes.find((a) => a.id === id)?.options?.find((o) => o.id === value)?.label ?? value;
}

/** What of the level's points applies to a unit: the points earned on them (before rescaling) and their maximum. */
export function applicableOf(unit: Pick<UnitScore, 'applicable' | 'base'>): { earned?: number; maxPoints?: number } {
  const a = unit.applicable;
  if (!a) return {};
  // Rescaled: the points before rescaling; otherwise the base is what was earned.
  return { ...(a.before !== undefined ? { earned: a.before } : unit.base !== undefined ? { earned: unit.base } : {}), maxPoints: a.maxPoints };
}

/** The base column, when it can differ from the total. */
function showBase(s: LevelSummaryStructure): boolean {
  return s.hasBonus || s.hasPenalty || s.hasApplicability;
}

export function structureCells(s: LevelSummaryStructure, unit: UnitScore, lang: Lang): string[] {
  const p = (n: number | undefined) => (n === undefined ? '—' : formatPoints(n, lang, s.decimals, s.decimals));
  const groups = new Map((unit.groups ?? []).map((g) => [g.id, g]));
  const applicable = applicableOf(unit);
  return [
    ...(s.unitTypes.length ? [unit.type ?? '—'] : []),
    ...s.attributes.map((a) => attributeValueText(s, a.id, unit.attributes?.[a.id], lang) ?? '—'),
    ...(s.indexDecimals !== undefined ? [unit.index === undefined ? '—' : formatNumber(unit.index, lang, s.indexDecimals, s.indexDecimals)] : []),
    ...(s.hasApplicability ? [p(applicable.earned), applicable.maxPoints === undefined ? '—' : formatPoints(applicable.maxPoints, lang, 4)] : []),
    ...(showBase(s) ? [p(unit.base)] : []),
    ...(s.hasBonus ? [p(unit.bonus)] : []),
    ...(s.hasPenalty ? [p(unit.penalty)] : []),
    ...tableGroups(s).map((g) => {
      const score = groups.get(g.id);
      if (score?.status === 'not_applicable') return W[lang].na;
      if (score?.status === 'info') return W[lang].info;
      return p(score?.points);
    }),
  ];
}

/** The ranking legend lines of a structured level: groups with their maxima, unit types, kinds. */
export function structureLegend(s: LevelSummaryStructure, lang: Lang, totalPoints = 100): string[] {
  const lines = tableGroups(s).map((g) => `${'  '.repeat(g.depth)}${g.number}. ${g.name}${g.maxPoints !== undefined ? ` (${formatPoints(g.maxPoints, lang, s.decimals)})` : ''}`);
  if (s.unitTypes.length) lines.push(`${W[lang].type}: ${s.unitTypes.map((t) => `${t.id} = ${t.label}`).join('; ')}`);
  // structures (issue 11): attributes, with the values they take.
  if (s.attributes.length) lines.push(`${W[lang].attributes}: ${s.attributes.map((a) => `${a.id} = ${a.label} (${a.type === 'boolean' ? `${W[lang].yes}/${W[lang].no}` : (a.options ?? []).map((o) => o.label).join('/')})`).join('; ')}`);
  if (s.unitTypes.length || s.attributes.length) lines.push(s.attributes.length ? W[lang].naLegendAttributes : W[lang].naLegend);
  if (s.hasApplicability) lines.push(s.notApplicable === 'none' ? W[lang].applicableLegendNone : W[lang].applicableLegend(formatPoints(totalPoints, lang, 4)));
  if (s.criteria.some((c) => c.kind === 'info')) lines.push(W[lang].infoLegend);
  return lines;
}

/**
 * CSV: extra columns of structured levels: type, base, bonus, penalty, index, then (added
 * later, so after them) type_name, attributes.<id> (as the input CSV writes them),
 * applicable_max, earned, then group:<id>.
 */
export function structureCsvHeader(levels: { structure?: LevelSummaryStructure }[]): string[] {
  const structured = levels.filter((l) => l.structure);
  if (!structured.length) return [];
  const groups: string[] = [];
  const attributes: string[] = [];
  for (const l of structured) for (const g of l.structure!.groups) if (!groups.includes(g.id)) groups.push(g.id);
  for (const l of structured) for (const a of l.structure!.attributes) if (!attributes.includes(a.id)) attributes.push(a.id);
  const typed = structured.some((l) => l.structure!.unitTypes.length);
  const applicability = structured.some((l) => l.structure!.hasApplicability);
  return ['type', 'base', 'bonus', 'penalty', 'index', ...(typed ? ['type_name'] : []), ...attributes.map((a) => `attributes.${a}`), ...(applicability ? ['applicable_max', 'earned'] : []), ...groups.map((g) => `group:${g}`)];
}

export function structureCsvCells(header: string[], unit: UnitScore, s?: LevelSummaryStructure): (string | number)[] {
  if (!header.length) return [];
  const groups = new Map((unit.groups ?? []).map((g) => [g.id, g]));
  const applicable = applicableOf(unit);
  return header.map((column) => {
    if (column.startsWith('group:')) {
      const g = groups.get(column.slice(6));
      return g?.status === 'not_applicable' || g?.status === 'info' ? g.status : (g?.points ?? '');
    }
    if (column === 'type_name') return (s && unitTypeLabel(s, unit.type)) ?? unit.type ?? '';
    // Attributes as the input CSV takes them: Có / Không, an option's id (the type column is an id too).
    if (column.startsWith('attributes.')) {
      const value = unit.attributes?.[column.slice(11)];
      return value === undefined ? '' : typeof value === 'boolean' ? (value ? W.vi.yes : W.vi.no) : value;
    }
    if (column === 'applicable_max') return applicable.maxPoints ?? '';
    if (column === 'earned') return applicable.earned ?? '';
    const value = (unit as unknown as Record<string, unknown>)[column];
    return typeof value === 'number' || typeof value === 'string' ? value : '';
  });
}

/** Kind of a criterion as a tag after its name: "(điểm thưởng)". */
export function kindTag(kind: CriterionKind | undefined, lang: Lang): string {
  const text = W[lang].kinds[kind ?? 'ordinary'];
  return text ? ` (${text})` : '';
}

/** A ranking legend's tag for a criterion's kind and unit types. */
export function criterionKindTag(s: LevelSummaryStructure, criterionId: string, lang: Lang): string {
  const c = s.criteria.find((x) => x.id === criterionId);
  const types = c?.appliesTo ? ` [${W[lang].only} ${c.appliesTo.join(', ')}]` : '';
  const when = c?.appliesWhen ? ` [${W[lang].onlyWhen} ${appliesWhenText(s, c.appliesWhen, lang)}]` : '';
  return `${kindTag(c?.kind, lang)}${types}${when}`;
}

/** A unit's attributes in words: "Có dịch vụ công trực tuyến: Không". */
export function unitAttributesText(level: CompiledLevel, attributes: Record<string, boolean | string>, lang: Lang): string {
  const s = level.structure!;
  return Object.entries(attributes)
    .map(([id, v]) => {
      const a = s.attributes.get(id);
      return `${a?.label ?? id}: ${typeof v === 'boolean' ? (v ? W[lang].yes : W[lang].no) : (a?.options?.find((o) => o.id === v)?.label ?? v)}`;
    })
    .join('; ');
}

/**
 * Why a criterion does not apply to a unit, for explain: by its type (as
 * before), or by the attribute conditions the unit does not meet.
 */
export function notApplicableText(level: CompiledLevel, criterionId: string, unit: Pick<UnitScore, 'type' | 'attributes'>, lang: Lang): string {
  const place = level.structure?.places.get(criterionId);
  const byType = place?.appliesTo && !(unit.type !== undefined && place.appliesTo.every((types) => types.has(unit.type!)));
  const tail = lang === 'vi' ? '(không tính vào tổng, không phải 0 điểm)' : '(left out of the total, not 0)';
  if (byType || !place?.appliesWhen) return lang === 'vi' ? `không áp dụng cho loại đơn vị này ${tail}` : `does not apply to this unit type ${tail}`;
  const unmet = place.appliesWhen.filter((c) => !(unit.attributes && c.values.has(unit.attributes[c.attribute]!)));
  const when = Object.fromEntries(unmet.map((c) => [c.attribute, [...c.values] as (boolean | string)[]])) as Record<string, string[]>;
  const s = levelSummaryStructure(level);
  return lang === 'vi' ? `không áp dụng cho đơn vị này, chỉ áp dụng khi ${appliesWhenText(s, when, lang)} ${tail}` : `does not apply to this unit, only when ${appliesWhenText(s, when, lang)} ${tail}`;
}

/** applies_when in words: "Có dịch vụ công trực tuyến: Có; Nhóm cơ quan: Nhóm 1 hoặc Nhóm 2". */
export function appliesWhenText(s: Pick<LevelSummaryStructure, 'attributes'>, when: Record<string, boolean | string | string[]>, lang: Lang): string {
  return Object.entries(when)
    .map(([id, wanted]) => {
      const a = s.attributes.find((x) => x.id === id);
      const values = (Array.isArray(wanted) ? wanted : [wanted]).map((v) => (typeof v === 'boolean' ? (v ? W[lang].yes : W[lang].no) : (a?.options?.find((o) => o.id === v)?.label ?? v)));
      return `${a?.label ?? id}: ${values.join(lang === 'vi' ? ' hoặc ' : ' or ')}`;
    })
    .join('; ');
}

/** The explanation lines of a unit's total on a structured level. */
export function explainTotals(level: CompiledLevel, unit: UnitScore, lang: Lang): string[] {
  if (unit.total === undefined || unit.base === undefined) return [];
  const s = level.structure!;
  const d = level.doc.scoring.rounding.decimals;
  // Points with the file's own decimals (13,80 / 15), as the criteria's "Điểm" lines show them.
  const p = (n: number) => formatPoints(n, lang, d, d).replace(/^-/, '−');
  const vi = lang === 'vi';
  const lines: string[] = [];
  const a = unit.applicable!;
  if (a.rule === 'rescale') {
    const exactShown = Number(a.exact) === unit.base ? `= ${p(unit.base)}` : `${/\.\d{5,}/.test(a.exact!) ? '≈' : '='} ${formatNumber(a.exact!, lang, 4)} → ${vi ? 'làm tròn' : 'rounded'} ${p(unit.base)}`;
    lines.push(
      vi
        ? `Quy đổi (tiêu chí không áp dụng cho ${s.attributes.size ? 'đơn vị' : 'loại đơn vị'} này không tính): ${p(a.before!)} × ${formatNumber(a.totalPoints, lang)} / ${formatNumber(a.maxPoints, lang)} ${exactShown}`
        : `Rescaled (criteria that do not apply to this unit${s.attributes.size ? '' : ' type'} are left out): ${p(a.before!)} × ${formatNumber(a.totalPoints, lang)} / ${formatNumber(a.maxPoints, lang)} ${exactShown}`,
    );
  } else if (a.rule === 'none') {
    lines.push(vi ? `Tính trên ${formatNumber(a.maxPoints, lang)} điểm của các tiêu chí áp dụng (không quy đổi).` : `Out of the ${formatNumber(a.maxPoints, lang)} points that apply (not rescaled).`);
  }
  const hasKinds = level.criteria.some((c) => c.def.kind === 'bonus' || c.def.kind === 'penalty');
  if (hasKinds || unit.capped) {
    const parts = [`${vi ? 'điểm cơ bản' : 'base'} ${p(unit.base)}`, `${vi ? 'thưởng' : 'bonus'} ${p(unit.bonus!)}`, `${vi ? 'trừ' : 'penalty'} ${p(unit.penalty!)}`];
    let line = `${vi ? 'Tổng' : 'Total'}: ${parts[0]} + ${parts[1]} − ${parts[2]}`;
    if (unit.capped?.bonus !== undefined) line += vi ? ` (điểm thưởng ${p(unit.capped.bonus)} giới hạn ở ${p(s.totals.bonus_max!)})` : ` (bonus ${p(unit.capped.bonus)} capped at ${p(s.totals.bonus_max!)})`;
    if (unit.capped?.penalty !== undefined) line += vi ? ` (điểm trừ ${p(unit.capped.penalty)} giới hạn ở ${p(s.totals.penalty_max!)})` : ` (penalty ${p(unit.capped.penalty)} capped at ${p(s.totals.penalty_max!)})`;
    if (unit.capped?.floor !== undefined) line += vi ? ` = ${p(unit.capped.floor)}, thấp hơn mức sàn ${p(s.totals.floor)} nên lấy ${p(unit.total)}` : ` = ${p(unit.capped.floor)}, below the floor ${p(s.totals.floor)}, so ${p(unit.total)}`;
    else line += ` = ${p(unit.total)}`;
    lines.push(line);
  }
  if (unit.index !== undefined) lines.push(`${vi ? 'Chỉ số' : 'Index'}: ${formatNumber(unit.index, lang, s.totals.index_decimals!, s.totals.index_decimals!)} (${p(unit.total)} / ${formatNumber(unit.totalPoints, lang)})`);
  const groups = unit.groups ?? [];
  if (groups.length) {
    lines.push(vi ? 'Điểm theo nhóm:' : 'By group:');
    for (const g of groups) {
      const indent = '  '.repeat(g.depth + 1);
      if (g.status === 'info') lines.push(`${indent}${g.number}. ${g.name}: ${vi ? 'không tính điểm' : 'not scored'}`);
      else if (g.status === 'not_applicable') lines.push(`${indent}${g.number}. ${g.name}: ${vi ? 'không áp dụng' : 'does not apply'}`);
      else lines.push(`${indent}${g.number}. ${g.name}: ${p(g.points!)} / ${formatNumber(g.maxPoints, lang, 4)}${g.index !== undefined ? ` (${formatNumber(g.index, lang, s.totals.index_decimals!, s.totals.index_decimals!)})` : ''}`);
    }
  }
  return lines;
}

/** The heading lines to print before a criterion: the groups it opens (pillar, index...), once each. */
export function groupHeadings(level: CompiledLevel, criterionId: string, printed: Set<string>, lang: Lang): string[] {
  const s = level.structure;
  if (!s) return [];
  const chain = [];
  for (let g = s.places.get(criterionId)?.group !== undefined ? s.groupById.get(s.places.get(criterionId)!.group!) : undefined; g; g = g.parent !== undefined ? s.groupById.get(g.parent) : undefined) chain.unshift(g);
  const lines: string[] = [];
  for (const g of chain) {
    if (printed.has(g.id)) continue;
    printed.add(g.id);
    lines.push(`${'  '.repeat(g.depth)}${lang === 'vi' ? 'Nhóm' : 'Group'} ${g.number}. ${g.name}${g.declaredMax !== undefined ? ` (${lang === 'vi' ? 'tối đa' : 'max'} ${formatNumber(g.declaredMax, lang)})` : ''}`, '');
  }
  return lines;
}

/** "Tỉ lệ cao nhất trong cấp = 98% (đơn vị đạt: so-a, so-b; trên 12 đơn vị)". */
export function levelValueLines(score: CriterionScore, lang: Lang): string[] {
  const vi = lang === 'vi';
  return (score.levelValues ?? []).map((v) => {
    // A mean like 55/3 is exact in the formula; the reader sees the fraction and its value to 4 decimals.
    const value = v.exact !== undefined ? `= ${v.exact.replace('-', '−')} ≈ ${formatNumber(v.value, lang, 4)}${v.percent ? '%' : ''}` : `= ${formatNumber(v.value, lang, 4)}${v.percent ? '%' : ''}`;
    const what = v.source === 'round' ? (vi ? 'Giá trị của đợt' : 'Round value') : vi ? 'Thống kê của cấp' : 'Level statistic';
    const extra = [
      ...(v.setBy ? [`${vi ? (v.setBy.length > 1 ? 'các đơn vị đạt (bằng nhau)' : 'đơn vị đạt') : v.setBy.length > 1 ? 'set by (tied)' : 'set by'}: ${v.setBy.join(', ')}`] : []),
      ...(v.over !== undefined ? [`${vi ? 'trên' : 'over'} ${v.over} ${vi ? 'đơn vị' : 'units'}`] : []),
    ];
    return `${what}: ${v.label} ${value}${extra.length ? ` (${extra.join('; ')})` : ''}`;
  });
}

/** The steps of a criterion written as parts: each part's own steps and value. */
export function partSteps(trace: TraceNode, parts: readonly PartDef[], clamp: boolean, lang: Lang, stepsOf: (node: TraceNode, lang: Lang) => string[]): string[] {
  const args = trace.op === '+' ? (trace.args ?? []) : [];
  return parts.map((part, i) => {
    const node = args[i];
    if (!node) return part.label;
    // With clamping each part is min(max(0, formula), part max): explain the formula, then the limited value.
    const inner = clamp ? node.args?.[0]?.args?.[1] : node;
    const steps = inner ? stepsOf(inner, lang) : [];
    const value = formatNumber(node.exact ?? (node.value as number), lang, 4);
    const innerValue = inner ? formatNumber(inner.exact ?? (inner.value as number), lang, 4) : value;
    const limited = innerValue !== value ? ` → ${lang === 'vi' ? 'giới hạn trong' : 'limited to'} [0; ${formatNumber(part.max_points, lang)}]: ${value}` : '';
    return `${lang === 'vi' ? 'phần' : 'part'} «${part.label}» (${lang === 'vi' ? 'tối đa' : 'max'} ${formatNumber(part.max_points, lang)}): ${steps.join(' → ')}${limited}`;
  });
}
