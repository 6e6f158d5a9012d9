/**
 * What changed in a level's structure between two versions (issue 11):
 * groups added, removed, renumbered, renamed, moved or with a new maximum or
 * weight; unit types, totals policy, statistics and round values; and, per
 * criterion, a move between groups, a new kind, new unit types or new parts.
 * Everything is matched by id, never by printed number.
 */
import type { CriteriaLevelDoc, CriterionDef, GroupDef, JsonValue } from '../model.js';
import type { Lang } from '../problems.js';
import type { CriterionFieldChange, FieldChange } from './compare.js';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function groupText(doc: CriteriaLevelDoc, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const g = doc.groups?.find((x) => x.id === id);
  return g ? `${g.number}. ${g.name} [${g.id}]` : id;
}

const GROUP_FIELDS = ['number', 'name', 'parent', 'max_points', 'weight', 'applies_to', 'applies_when'] as const;

/** Level-wide structure changes, as field changes (rendered with the level's general changes). */
export function compareLevelStructure(a: CriteriaLevelDoc, b: CriteriaLevelDoc): FieldChange[] {
  const changes: FieldChange[] = [];
  const oldGroups = new Map((a.groups ?? []).map((g) => [g.id, g]));
  const newGroups = new Map((b.groups ?? []).map((g) => [g.id, g]));
  const text = (g: GroupDef) => `${g.number}. ${g.name}${g.max_points !== undefined ? ` (${g.max_points})` : ''}`;
  for (const [id, g] of newGroups) {
    const old = oldGroups.get(id);
    if (!old) {
      changes.push({ field: `groups.${id}`, new: text(g) });
      continue;
    }
    for (const field of GROUP_FIELDS) {
      if (!same(old[field], g[field])) changes.push({ field: `groups.${id}.${field}`, ...(old[field] === undefined ? {} : { old: old[field] as JsonValue }), ...(g[field] === undefined ? {} : { new: g[field] as JsonValue }) });
    }
  }
  for (const [id, g] of oldGroups) if (!newGroups.has(id)) changes.push({ field: `groups.${id}`, old: text(g) });
  for (const key of ['not_applicable', 'bonus_max', 'penalty_max', 'floor', 'index_decimals'] as const) {
    const before = a.totals?.[key];
    const after = b.totals?.[key];
    if (!same(before, after)) changes.push({ field: `totals.${key}`, ...(before === undefined ? {} : { old: before }), ...(after === undefined ? {} : { new: after }) });
  }
  for (const key of ['unit_types', 'unit_attributes', 'statistics', 'round_values'] as const) {
    if (!same(a[key], b[key])) changes.push({ field: key, ...(a[key] === undefined ? {} : { old: a[key] as unknown as JsonValue }), ...(b[key] === undefined ? {} : { new: b[key] as unknown as JsonValue }) });
  }
  return changes;
}

/** A criterion's structure changes: its group (shown by number and name), kind, unit types, parts. */
export function compareCriterionStructure(beforeDoc: CriteriaLevelDoc, afterDoc: CriteriaLevelDoc, a: CriterionDef, b: CriterionDef): CriterionFieldChange[] {
  const changes: CriterionFieldChange[] = [];
  if (a.group !== b.group) {
    const old = groupText(beforeDoc, a.group);
    const now = groupText(afterDoc, b.group);
    changes.push({ kind: 'structure', field: 'group', ...(old === undefined ? {} : { old }), ...(now === undefined ? {} : { new: now }) });
  }
  if ((a.kind ?? 'ordinary') !== (b.kind ?? 'ordinary')) changes.push({ kind: 'structure', field: 'kind', old: a.kind ?? 'ordinary', new: b.kind ?? 'ordinary' });
  if (!same(a.applies_to, b.applies_to)) changes.push({ kind: 'structure', field: 'applies_to', ...(a.applies_to ? { old: a.applies_to } : {}), ...(b.applies_to ? { new: b.applies_to } : {}) });
  if (!same(a.applies_when, b.applies_when)) changes.push({ kind: 'structure', field: 'applies_when', ...(a.applies_when ? { old: a.applies_when } : {}), ...(b.applies_when ? { new: b.applies_when } : {}) });
  if (!same(a.parts?.map((p) => [p.id, p.label, p.max_points]), b.parts?.map((p) => [p.id, p.label, p.max_points]))) {
    const parts = (d: CriterionDef) => d.parts?.map((p) => `${p.label} (${p.max_points})`).join('; ');
    const old = parts(a);
    const now = parts(b);
    changes.push({ kind: 'structure', field: 'parts', ...(old === undefined ? {} : { old }), ...(now === undefined ? {} : { new: now }) });
  }
  return changes;
}

const NAMES: Record<string, { vi: string; en: string }> = {
  group: { vi: 'thuộc nhóm', en: 'group' },
  kind: { vi: 'loại tiêu chí', en: 'kind' },
  applies_to: { vi: 'áp dụng cho loại đơn vị', en: 'applies to unit types' },
  applies_when: { vi: 'áp dụng khi đơn vị có thuộc tính', en: 'applies when the unit has attributes' },
  unit_attributes: { vi: 'các thuộc tính của đơn vị', en: 'unit attributes' },
  parts: { vi: 'các phần', en: 'parts' },
  number: { vi: 'số thứ tự', en: 'number' },
  name: { vi: 'tên', en: 'name' },
  parent: { vi: 'nhóm cha', en: 'parent group' },
  max_points: { vi: 'điểm tối đa', en: 'max points' },
  weight: { vi: 'trọng số', en: 'weight' },
  unit_types: { vi: 'các loại đơn vị', en: 'unit types' },
  'totals.not_applicable': { vi: 'khi có tiêu chí không áp dụng', en: 'when criteria do not apply' },
  'totals.bonus_max': { vi: 'điểm thưởng tối đa', en: 'bonus cap' },
  'totals.penalty_max': { vi: 'điểm trừ tối đa', en: 'penalty cap' },
  'totals.floor': { vi: 'tổng điểm thấp nhất', en: 'total floor' },
  'totals.index_decimals': { vi: 'số chữ số của chỉ số 0–1', en: 'index decimals' },
  totals: { vi: 'cách cộng tổng (thưởng, trừ, quy đổi)', en: 'totals (bonus, penalty, rescaling)' },
  statistics: { vi: 'thống kê của cấp', en: 'level statistics' },
  round_values: { vi: 'giá trị của đợt chấm', en: 'round values' },
};

/** How a structure field reads: "nhóm chinh-quyen-so: điểm tối đa"; undefined for other fields. */
export function structureFieldName(field: string, lang: Lang): string | undefined {
  const m = /^groups\.([a-z0-9-]+)(?:\.([a-z_]+))?$/.exec(field);
  if (m) return `${lang === 'vi' ? 'nhóm' : 'group'} ${m[1]}${m[2] ? `: ${NAMES[m[2]]?.[lang] ?? m[2]}` : ''}`;
  return NAMES[field]?.[lang];
}
