/**
 * The words of a diff: each change as a row "what — old — new" in the
 * reader's language, with values in Vietnamese number and date format. The
 * text and Markdown renderers lay the same rows out differently.
 */
import { structureFieldName } from './structure.js'; // structures (issue 11)
import type { InputType, JsonValue, ParameterType } from '../model.js';
import type { Lang } from '../problems.js';
import { formatDate, formatNumber, isIsoDate } from '../report/format.js';
import type { CriterionChange, CriterionFieldChange, CriterionRef, FieldChange, LevelDiff, ParameterChange, ParameterRef, SetDiff, SetRef } from './compare.js';

/** One change: what it is about, the old value and the new one ("" when a side has none). */
export interface ChangeRow {
  what: string;
  old: string;
  new: string;
  /** The values are formulas (rendered as code in Markdown). */
  formula?: boolean;
}

export interface CriterionBlock {
  id: string;
  number: string;
  name: string;
  status: 'added' | 'removed' | 'changed';
  rows: ChangeRow[];
}

export interface ParameterBlock {
  id: string;
  label: string;
  status: 'added' | 'removed' | 'changed';
  rows: ChangeRow[];
  /** Criteria reading it, by printed number. */
  usedBy: string;
}

export const T = {
  vi: {
    title: 'So sánh bộ tiêu chí',
    old: 'cũ',
    new: 'mới',
    year: 'năm',
    decision: 'Quyết định số',
    dated: 'ngày',
    unsigned: 'chưa có số và ngày quyết định',
    noNumber: 'chưa có số',
    noDate: 'chưa có ngày',
    summary: 'Tóm tắt',
    levelsAdded: 'Cấp mới',
    levelsRemoved: 'Cấp bị bỏ',
    level: 'Cấp',
    criteria: 'tiêu chí',
    points: 'điểm',
    totalPoints: 'tổng điểm',
    metadata: 'Thông tin cấp',
    scoring: 'Cách tính điểm',
    parameters: 'Tham số',
    criteriaChanges: 'Tiêu chí',
    added: 'thêm',
    removed: 'bỏ',
    changed: 'sửa',
    newCriterion: 'tiêu chí mới',
    removedCriterion: 'bỏ tiêu chí',
    unchanged: (n: number) => `Không đổi: ${n} tiêu chí.`,
    noChange: 'không có thay đổi',
    usedBy: 'dùng ở tiêu chí',
    unused: 'không tiêu chí nào dùng',
    decisionChanges: 'Thông tin quyết định',
    what: 'Nội dung',
    none: '—',
    empty: '(trống)',
    absent: '(không có)',
    yes: 'có',
    no: 'không',
    kinds: {
      number: 'số thứ tự',
      name: 'tên tiêu chí',
      max_points: 'điểm chuẩn',
      rule: 'cách tính (văn bản)',
      evidence: 'căn cứ tính điểm',
      notes: 'ghi chú (cách hiểu)',
      'input-added': 'thêm số liệu',
      'input-removed': 'bỏ số liệu',
      'input-retyped': 'loại số liệu',
      'input-changed': 'số liệu',
      formula: 'công thức',
      parameter: 'tham số',
      structure: 'cấu trúc',
    } satisfies Record<CriterionFieldChange['kind'], string>,
  },
  en: {
    title: 'Comparison of criteria sets',
    old: 'old',
    new: 'new',
    year: 'year',
    decision: 'Decision',
    dated: 'of',
    unsigned: 'decision number and date not yet filled in',
    noNumber: 'no number yet',
    noDate: 'no date yet',
    summary: 'Summary',
    levelsAdded: 'New levels',
    levelsRemoved: 'Levels removed',
    level: 'Level',
    criteria: 'criteria',
    points: 'points',
    totalPoints: 'total points',
    metadata: 'Level information',
    scoring: 'Scoring policy',
    parameters: 'Parameters',
    criteriaChanges: 'Criteria',
    added: 'added',
    removed: 'removed',
    changed: 'changed',
    newCriterion: 'new criterion',
    removedCriterion: 'criterion removed',
    unchanged: (n: number) => `Unchanged: ${n} criteria.`,
    noChange: 'no change',
    usedBy: 'used by criteria',
    unused: 'used by no criterion',
    decisionChanges: 'Decision',
    what: 'Change',
    none: '—',
    empty: '(empty)',
    absent: '(absent)',
    yes: 'yes',
    no: 'no',
    kinds: {
      number: 'number',
      name: 'name',
      max_points: 'max points',
      rule: 'rule (text)',
      evidence: 'evidence basis',
      notes: 'notes (readings)',
      'input-added': 'input added',
      'input-removed': 'input removed',
      'input-retyped': 'input type',
      'input-changed': 'input',
      formula: 'formula',
      parameter: 'parameter',
      structure: 'structure',
    } satisfies Record<CriterionFieldChange['kind'], string>,
  },
};

const FIELD_NAMES: Record<string, { vi: string; en: string }> = {
  'level.name': { vi: 'tên cấp', en: 'level name' },
  'level.section': { vi: 'mục trong phụ lục', en: 'section' },
  'level.order': { vi: 'thứ tự', en: 'order' },
  'level.applies_to': { vi: 'áp dụng cho', en: 'applies to' },
  'scoring.clamp_to_max': { vi: 'giữ điểm trong [0, điểm chuẩn]', en: 'keep points within [0, max]' },
  'scoring.total': { vi: 'cách cộng tổng điểm', en: 'how the total is added up' },
  'scoring.rounding.decimals': { vi: 'số chữ số thập phân khi làm tròn', en: 'decimals when rounding' },
  'scoring.rounding.mode': { vi: 'cách làm tròn', en: 'rounding mode' },
  'decision.number': { vi: 'số quyết định', en: 'decision number' },
  'decision.date': { vi: 'ngày ký', en: 'date signed' },
  'decision.issuer': { vi: 'cơ quan ban hành', en: 'issuer' },
  'decision.signer': { vi: 'người ký', en: 'signer' },
  'decision.title': { vi: 'trích yếu', en: 'title' },
  'decision.jurisdiction': { vi: 'địa bàn', en: 'jurisdiction' },
  'decision.managing_agency': { vi: 'cơ quan chủ trì', en: 'managing agency' },
  'decision.source': { vi: 'nguồn văn bản', en: 'source' },
  value: { vi: 'giá trị', en: 'value' },
  type: { vi: 'loại', en: 'type' },
  label: { vi: 'tên', en: 'label' },
  note: { vi: 'ghi chú', en: 'note' },
  min: { vi: 'nhỏ nhất', en: 'minimum' },
  max: { vi: 'lớn nhất', en: 'maximum' },
  description: { vi: 'mô tả', en: 'description' },
  options: { vi: 'các mức lựa chọn', en: 'options' },
  none_allowed: { vi: 'được khai "chưa có"', en: 'may be none' },
  none_label: { vi: 'cách ghi "chưa có"', en: 'label for none' },
  if_total_zero: { vi: 'tỉ lệ khi tổng bằng 0', en: 'rate when the total is 0' },
};

const VALUE_NAMES: Record<string, { vi: string; en: string }> = {
  half_up: { vi: 'từ 5 trở lên làm tròn lên (9,85 → 9,9)', en: 'half up (9.85 → 9.9)' },
  half_even: { vi: 'làm tròn về số chẵn', en: 'half to even' },
  down: { vi: 'làm tròn xuống', en: 'down' },
  up: { vi: 'làm tròn lên', en: 'up' },
  sum_of_rounded: { vi: 'tổng các điểm đã làm tròn', en: 'sum of the rounded points' },
};

const INPUT_TYPES: Record<InputType, { vi: string; en: string }> = {
  percent: { vi: 'tỉ lệ %', en: 'percentage' },
  ratio: { vi: 'tỉ số đạt/tổng', en: 'ratio achieved/total' },
  count: { vi: 'số đếm', en: 'count' },
  date: { vi: 'ngày', en: 'date' },
  choice: { vi: 'lựa chọn', en: 'choice' },
  boolean: { vi: 'có/không', en: 'yes/no' },
  number: { vi: 'số đo', en: 'measured number' }, // structures (issue 11)
};

const PARAMETER_TYPES: Record<ParameterType, { vi: string; en: string }> = {
  percent: { vi: 'tỉ lệ %', en: 'percentage' },
  points: { vi: 'điểm', en: 'points' },
  count: { vi: 'số đếm', en: 'count' },
  number: { vi: 'số', en: 'number' },
  date: { vi: 'ngày', en: 'date' },
};

export function fieldName(field: string, lang: Lang): string {
  return FIELD_NAMES[field]?.[lang] ?? structureFieldName(field, lang) ?? field; // structures (issue 11)
}

export function inputTypeName(type: InputType, lang: Lang): string {
  return INPUT_TYPES[type][lang];
}

/** A number for reading: 3,8 (vi) or 3.8 (en). */
export function num(value: number, lang: Lang): string {
  return formatNumber(value, lang, 4);
}

/** +1,5 / −2 / 0: a change, with its sign. */
export function signed(value: number, lang: Lang, decimals = 4): string {
  const text = formatNumber(Math.abs(value), lang, decimals);
  if (text === formatNumber(0, lang, decimals)) return text;
  return value > 0 ? `+${text}` : `−${text}`;
}

export function points(value: number, lang: Lang): string {
  return `${num(value, lang)} ${T[lang].points}`;
}

/** A parameter's value as its type reads: 95%, 2 điểm, 31/03/2023. */
export function parameterValue(type: ParameterType, value: number | string, lang: Lang): string {
  if (type === 'date') return formatDate(String(value));
  if (typeof value !== 'number') return String(value);
  if (type === 'percent') return `${num(value, lang)}%`;
  if (type === 'points') return points(value, lang);
  return num(value, lang);
}

/** Any YAML value as a reader sees it. */
export function valueText(value: JsonValue | undefined, lang: Lang): string {
  const t = T[lang];
  if (value === undefined) return t.absent;
  if (value === null) return t.empty;
  if (typeof value === 'boolean') return value ? t.yes : t.no;
  if (typeof value === 'number') return num(value, lang);
  if (typeof value === 'string') {
    if (value === '') return t.empty;
    if (isIsoDate(value)) return formatDate(value);
    return VALUE_NAMES[value]?.[lang] ?? value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => (item !== null && typeof item === 'object' && !Array.isArray(item) && typeof item.label === 'string' ? `${String(item.id)}: ${item.label}` : valueText(item, lang))).join('; ');
  }
  return JSON.stringify(value);
}

/** "criteria/2023, Quyết định số 2435/QĐ-UBND ngày 05/10/2023". */
export function setDescription(ref: SetRef, lang: Lang): string {
  const t = T[lang];
  const { number, date } = ref.decision;
  if (!number && !date) return `${ref.dir}, ${t.unsigned}`;
  return `${ref.dir}, ${t.decision} ${number || t.noNumber} ${t.dated} ${date ? formatDate(date) : t.noDate}`;
}

/** Column headings for the two sides: the years, or old/new when both are the same year. */
export function sideHeadings(diff: { from: { year: number }; to: { year: number } }, lang: Lang): [string, string] {
  if (diff.from.year === diff.to.year) return [lang === 'vi' ? 'Bản cũ' : 'Old', lang === 'vi' ? 'Bản mới' : 'New'];
  const y = lang === 'vi' ? 'Năm' : 'Year';
  return [`${y} ${diff.from.year}`, `${y} ${diff.to.year}`];
}

export function fieldRows(changes: readonly FieldChange[], lang: Lang): ChangeRow[] {
  return changes.map((c) => ({ what: fieldName(c.field, lang), old: valueText(c.old, lang), new: valueText(c.new, lang) }));
}

function criterionRefRows(ref: CriterionRef, lang: Lang): string[] {
  const t = T[lang];
  return [
    `${t.kinds.max_points}: ${points(ref.maxPoints, lang)}`,
    ...ref.inputs.map((i) => `${lang === 'vi' ? 'số liệu' : 'input'} ${i.id} (${inputTypeName(i.type, lang)}): ${i.label}`),
    `${t.kinds.formula}: ${ref.formula[lang]}`,
  ];
}

function changeRow(change: CriterionFieldChange, lang: Lang): ChangeRow | undefined {
  const t = T[lang];
  const what = t.kinds[change.kind];
  switch (change.kind) {
    case 'number':
    case 'name':
    case 'rule':
    case 'evidence':
      return { what, old: change.old, new: change.new };
    case 'max_points':
      return { what, old: points(change.old, lang), new: points(change.new, lang) };
    case 'notes':
      return { what, old: change.old.map((n) => `- ${n}`).join('\n') || t.none, new: change.new.map((n) => `- ${n}`).join('\n') || t.none };
    case 'input-added':
      return { what, old: '', new: `${change.input} (${inputTypeName(change.type, lang)}): ${change.label}` };
    case 'input-removed':
      return { what, old: `${change.input} (${inputTypeName(change.type, lang)}): ${change.label}`, new: '' };
    case 'input-retyped':
      return { what: `${what} ${change.input}`, old: inputTypeName(change.old, lang), new: inputTypeName(change.new, lang) };
    case 'input-changed':
      return { what: `${what} ${change.input}: ${fieldName(change.field, lang)}`, old: valueText(change.old, lang), new: valueText(change.new, lang) };
    case 'parameter':
      return { what: `${what} ${change.parameter} (${change.label})`, old: parameterValue(change.type, change.old, lang), new: parameterValue(change.type, change.new, lang) };
    case 'formula':
      // Shown with the rendered formulas below.
      return undefined;
    case 'structure': // structures (issue 11)
      return { what: structureFieldName(change.field, lang) ?? change.field, old: valueText(change.old, lang), new: valueText(change.new, lang) };
  }
}

function changedBlock(change: CriterionChange, lang: Lang): CriterionBlock {
  const rows = change.changes.map((c) => changeRow(c, lang)).filter((r): r is ChangeRow => r !== undefined);
  if (change.formula) rows.push({ what: T[lang].kinds.formula, old: change.formula.old[lang], new: change.formula.new[lang], formula: true });
  return { id: change.id, number: change.number, name: change.name, status: 'changed', rows };
}

/** Printed numbers sort as numbers where they are numbers: 2 before 10, "3a" after 3. */
export function byNumber(a: { number: string }, b: { number: string }): number {
  const na = parseFloat(a.number);
  const nb = parseFloat(b.number);
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
}

/** Every criterion that was added, removed or changed, in printed order (a removed one at its old number). */
export function criterionBlocks(level: LevelDiff, lang: Lang): CriterionBlock[] {
  const t = T[lang];
  const blocks: CriterionBlock[] = [
    ...level.criteria.changed.map((c) => changedBlock(c, lang)),
    ...level.criteria.added.map((c): CriterionBlock => ({ id: c.id, number: c.number, name: c.name, status: 'added', rows: [{ what: t.newCriterion, old: '', new: criterionRefRows(c, lang).join('\n') }] })),
    ...level.criteria.removed.map((c): CriterionBlock => ({ id: c.id, number: c.number, name: c.name, status: 'removed', rows: [{ what: t.removedCriterion, old: criterionRefRows(c, lang).join('\n'), new: '' }] })),
  ];
  const rank = { removed: 0, added: 1, changed: 2 };
  return blocks.sort((a, b) => byNumber(a, b) || rank[a.status] - rank[b.status]);
}

function usedByText(ids: readonly string[], numbers: ReadonlyMap<string, string>, lang: Lang): string {
  const t = T[lang];
  if (!ids.length) return t.unused;
  return `${t.usedBy} ${ids.map((id) => numbers.get(id) ?? id).join(', ')}`;
}

/** Parameter changes of a level, each once, with the criteria that read it. */
export function parameterBlocks(level: LevelDiff, lang: Lang): ParameterBlock[] {
  // Printed numbers of the level's criteria (new numbers where they exist), to name users briefly.
  const numbers = new Map<string, string>();
  for (const c of level.criteria.removed) numbers.set(c.id, c.number);
  for (const c of level.criteria.changed) numbers.set(c.id, c.number);
  for (const c of level.criteria.added) numbers.set(c.id, c.number);
  const ref = (p: ParameterRef, status: 'added' | 'removed'): ParameterBlock => ({
    id: p.id,
    label: p.label,
    status,
    rows: [{ what: fieldName('value', lang), old: status === 'removed' ? parameterValue(p.type, p.value, lang) : '', new: status === 'added' ? parameterValue(p.type, p.value, lang) : '' }],
    usedBy: usedByText(p.usedBy, numbers, lang),
  });
  const changed = (p: ParameterChange): ParameterBlock => ({
    id: p.id,
    label: p.label,
    status: 'changed',
    rows: p.fields.map((f) => ({
      what: fieldName(f.field, lang),
      old: f.field === 'value' ? parameterValue(p.type.old, f.old as number | string, lang) : f.field === 'type' ? PARAMETER_TYPES[f.old as ParameterType]?.[lang] ?? String(f.old) : valueText(f.old, lang),
      new: f.field === 'value' ? parameterValue(p.type.new, f.new as number | string, lang) : f.field === 'type' ? PARAMETER_TYPES[f.new as ParameterType]?.[lang] ?? String(f.new) : valueText(f.new, lang),
    })),
    usedBy: usedByText([...new Set([...p.usedBy.old, ...p.usedBy.new])], numbers, lang),
  });
  return [...level.parameters.changed.map(changed), ...level.parameters.added.map((p) => ref(p, 'added')), ...level.parameters.removed.map((p) => ref(p, 'removed'))];
}

/** One sentence: what changed overall. */
export function summaryText(diff: SetDiff, lang: Lang): string {
  const c = diff.counts;
  if (lang === 'vi') {
    const parts = [
      c.levelsRemoved ? `bỏ ${c.levelsRemoved} cấp (${diff.levelsRemoved.map((l) => l.id).join(', ')})` : '',
      c.levelsAdded ? `thêm ${c.levelsAdded} cấp (${diff.levelsAdded.map((l) => l.id).join(', ')})` : '',
      `${diff.levels.length} cấp có ở cả hai bản: thêm ${c.criteriaAdded} tiêu chí, bỏ ${c.criteriaRemoved}, sửa ${c.criteriaChanged}, không đổi ${c.criteriaUnchanged}`,
      `${c.parametersChanged} tham số thay đổi`,
    ];
    return parts.filter(Boolean).join('; ') + '.';
  }
  const parts = [
    c.levelsRemoved ? `${c.levelsRemoved} level(s) removed (${diff.levelsRemoved.map((l) => l.id).join(', ')})` : '',
    c.levelsAdded ? `${c.levelsAdded} level(s) added (${diff.levelsAdded.map((l) => l.id).join(', ')})` : '',
    `${diff.levels.length} level(s) in both: ${c.criteriaAdded} criteria added, ${c.criteriaRemoved} removed, ${c.criteriaChanged} changed, ${c.criteriaUnchanged} unchanged`,
    `${c.parametersChanged} parameter(s) changed`,
  ];
  return parts.filter(Boolean).join('; ') + '.';
}
