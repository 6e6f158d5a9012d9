/**
 * What changed between two years' criteria, as data: levels matched by
 * level id, criteria by their stable id (never by position or printed
 * number), parameters by name. The result is plain JSON (`--format json`
 * prints it as is); renderers turn it into text or a Markdown annex.
 *
 * The criteria's `examples` are not compared: they are tests of the
 * formula, not rules, and move with every change of points anyway.
 *
 * A formula is compared both as written (JSON-Logic) and as it reads once
 * parameters and max_points are put in: a threshold moved in `parameters`
 * changes what a criterion computes although its formula text is the same,
 * so such a criterion is listed with its old and new formula side by side.
 */
import type { CriteriaSet } from '../criteria-set.js';
import type { CompiledLevel } from '../compile/level.js';
import type { CriteriaLevelDoc, CriterionDef, FormulaJson, InputDef, InputType, JsonValue, ParameterDef, ParameterType } from '../model.js';
import type { Localized } from '../problems.js';
import { formulaMathLocalized } from '../report/formula-math.js';
import { compareCriterionStructure, compareLevelStructure } from './structure.js'; // structures (issue 11)

/** A value before and after. */
export interface Change<T> {
  old: T;
  new: T;
}

/** One field that differs; `undefined` on a side means the field is absent there. */
export interface FieldChange {
  field: string;
  old?: JsonValue;
  new?: JsonValue;
}

export interface SetRef {
  dir: string;
  year: number;
  decision: { number: string; date: string };
}

export interface LevelRef {
  id: string;
  name: string;
  order: number;
  totalPoints: number;
  criteria: number;
}

export interface ParameterRef {
  id: string;
  type: ParameterType;
  value: number | string;
  label: string;
  /** Criteria (by id) whose formula reads it. */
  usedBy: string[];
}

export interface ParameterChange {
  id: string;
  /** Label in the new version. */
  label: string;
  type: Change<ParameterType>;
  /** Present when the value changed. */
  value?: Change<number | string>;
  /** Every field that differs (value, type, label, note, min, max). */
  fields: FieldChange[];
  /** Criteria reading it in the old and in the new version. */
  usedBy: Change<string[]>;
}

export interface CriterionRef {
  id: string;
  number: string;
  name: string;
  maxPoints: number;
  inputs: { id: string; type: InputType; label: string }[];
  formula: Localized;
}

export type CriterionFieldChange =
  | { kind: 'number'; old: string; new: string }
  | { kind: 'name'; old: string; new: string }
  | { kind: 'max_points'; old: number; new: number }
  | { kind: 'rule'; old: string; new: string }
  | { kind: 'evidence'; old: string; new: string }
  | { kind: 'notes'; old: string[]; new: string[] }
  | { kind: 'input-added'; input: string; type: InputType; label: string }
  | { kind: 'input-removed'; input: string; type: InputType; label: string }
  | { kind: 'input-retyped'; input: string; label: string; old: InputType; new: InputType }
  | { kind: 'input-changed'; input: string; label: string; field: string; old?: JsonValue; new?: JsonValue }
  /** The JSON-Logic itself differs. */
  | { kind: 'formula' }
  /** A parameter the formula reads (in both versions) has a new value or type. */
  | { kind: 'parameter'; parameter: string; label: string; type: ParameterType; old: number | string; new: number | string }
  /** structures (issue 11): moved to another group, new kind, unit types or parts (engine/diff/structure.ts). */
  | { kind: 'structure'; field: 'group' | 'kind' | 'applies_to' | 'applies_when' | 'parts'; old?: JsonValue; new?: JsonValue };

export type CriterionChangeKind = CriterionFieldChange['kind'];

export interface CriterionChange {
  id: string;
  /** Number and name in the new version (the old ones are in `changes` when they differ). */
  number: string;
  name: string;
  changes: CriterionFieldChange[];
  /** The formula as math, old beside new, when what the criterion computes may differ. */
  formula?: Change<Localized>;
}

export interface LevelDiff {
  id: string;
  /** Name in the new version. */
  name: string;
  /** level.name, section, order, applies_to. */
  metadata: FieldChange[];
  /** clamp_to_max, rounding.decimals, rounding.mode, total. */
  scoring: FieldChange[];
  totalPoints?: Change<number>;
  parameters: { added: ParameterRef[]; removed: ParameterRef[]; changed: ParameterChange[] };
  criteria: { added: CriterionRef[]; removed: CriterionRef[]; changed: CriterionChange[]; unchanged: number };
  /** structures (issue 11): groups (added, removed, new maximum...), unit types, totals, statistics, round values. */
  structure?: FieldChange[];
}

export interface DiffCounts {
  levelsAdded: number;
  levelsRemoved: number;
  levelsChanged: number;
  criteriaAdded: number;
  criteriaRemoved: number;
  criteriaChanged: number;
  criteriaUnchanged: number;
  parametersChanged: number;
}

export interface SetDiff {
  from: SetRef;
  to: SetRef;
  /** Decision fields (number, date, issuer, title...) that differ, from each set's first level file. */
  decision: FieldChange[];
  levelsAdded: LevelRef[];
  levelsRemoved: LevelRef[];
  /** Levels present in both, in the new version's order. */
  levels: LevelDiff[];
  counts: DiffCounts;
}

export interface DiffOptions {
  /** Compare only this level id (the other levels are left out, not reported as removed). */
  level?: string;
}

/** JSON with object keys sorted, so that reordered keys do not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** Text fields compared as people read them: line endings and trailing spaces do not count. */
const sameText = (a: string, b: string): boolean => a.replace(/\s+$/gm, '').replace(/\r\n/g, '\n') === b.replace(/\s+$/gm, '').replace(/\r\n/g, '\n');

function fieldChanges(fields: readonly string[], before: Record<string, unknown>, after: Record<string, unknown>, prefix = ''): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const a = before[field];
    const b = after[field];
    if (same(a, b)) continue;
    changes.push({ field: prefix + field, ...(a === undefined ? {} : { old: a as JsonValue }), ...(b === undefined ? {} : { new: b as JsonValue }) });
  }
  return changes;
}

/** Every name a formula reads with `var`. */
export function varsOf(formula: FormulaJson, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(formula)) for (const item of formula) varsOf(item, into);
  else if (formula !== null && typeof formula === 'object') {
    for (const [op, args] of Object.entries(formula)) {
      if (op === 'var') {
        const name = Array.isArray(args) ? args[0] : args;
        if (typeof name === 'string') into.add(name);
      } else varsOf(args, into);
    }
  }
  return into;
}

function levelRef(level: CompiledLevel): LevelRef {
  return { id: level.id, name: level.name, order: level.order, totalPoints: level.doc.total_points, criteria: level.doc.criteria.length };
}

function setRef(set: CriteriaSet): SetRef {
  const decision = set.levels[0]?.doc.decision;
  return { dir: set.dir, year: set.year, decision: { number: decision?.number ?? '', date: decision?.date ?? '' } };
}

/**
 * A formula as a reviewer reads it in an annex: inputs and choice options by
 * their labels (never ids such as ty_le or «thiet_thuc»), parameters and
 * max_points by their values: "tỉ lệ … / 98 × 4".
 */
function formulaOf(doc: CriteriaLevelDoc, criterion: CriterionDef): Localized {
  return formulaMathLocalized(criterion.formula, { inputs: criterion.inputs, parameters: doc.parameters ?? {}, maxPoints: criterion.max_points }, { inputNames: 'label', maxLabelLength: 200 });
}

function criterionRef(doc: CriteriaLevelDoc, criterion: CriterionDef): CriterionRef {
  return {
    id: criterion.id,
    number: criterion.number,
    name: criterion.name,
    maxPoints: criterion.max_points,
    inputs: Object.entries(criterion.inputs).map(([id, def]) => ({ id, type: def.type, label: def.label })),
    formula: formulaOf(doc, criterion),
  };
}

function usersOf(doc: CriteriaLevelDoc, parameter: string): string[] {
  return doc.criteria.filter((c) => varsOf(c.formula).has(parameter)).map((c) => c.id);
}

function parameterRef(doc: CriteriaLevelDoc, id: string, def: ParameterDef): ParameterRef {
  return { id, type: def.type, value: def.value, label: def.label, usedBy: usersOf(doc, id) };
}

const PARAMETER_FIELDS = ['value', 'type', 'label', 'note', 'min', 'max'] as const;
const INPUT_FIELDS = ['label', 'description', 'options', 'none_allowed', 'none_label', 'if_total_zero', 'max'] as const;

function compareParameters(before: CriteriaLevelDoc, after: CriteriaLevelDoc): LevelDiff['parameters'] {
  const a = before.parameters ?? {};
  const b = after.parameters ?? {};
  const added = Object.entries(b)
    .filter(([id]) => !Object.hasOwn(a, id))
    .map(([id, def]) => parameterRef(after, id, def));
  const removed = Object.entries(a)
    .filter(([id]) => !Object.hasOwn(b, id))
    .map(([id, def]) => parameterRef(before, id, def));
  const changed: ParameterChange[] = [];
  for (const [id, newDef] of Object.entries(b)) {
    if (!Object.hasOwn(a, id)) continue;
    const oldDef = a[id]!;
    const fields = fieldChanges(PARAMETER_FIELDS, oldDef as unknown as Record<string, unknown>, newDef as unknown as Record<string, unknown>);
    if (!fields.length) continue;
    changed.push({
      id,
      label: newDef.label,
      type: { old: oldDef.type, new: newDef.type },
      ...(same(oldDef.value, newDef.value) ? {} : { value: { old: oldDef.value, new: newDef.value } }),
      fields,
      usedBy: { old: usersOf(before, id), new: usersOf(after, id) },
    });
  }
  return { added, removed, changed };
}

function compareInputs(before: Record<string, InputDef>, after: Record<string, InputDef>): CriterionFieldChange[] {
  const changes: CriterionFieldChange[] = [];
  for (const [id, def] of Object.entries(before)) {
    if (!Object.hasOwn(after, id)) changes.push({ kind: 'input-removed', input: id, type: def.type, label: def.label });
  }
  for (const [id, def] of Object.entries(after)) {
    const old = Object.hasOwn(before, id) ? before[id] : undefined;
    if (!old) {
      changes.push({ kind: 'input-added', input: id, type: def.type, label: def.label });
      continue;
    }
    if (old.type !== def.type) changes.push({ kind: 'input-retyped', input: id, label: def.label, old: old.type, new: def.type });
    for (const field of fieldChanges(INPUT_FIELDS, old as unknown as Record<string, unknown>, def as unknown as Record<string, unknown>)) {
      changes.push({ kind: 'input-changed', input: id, label: def.label, field: field.field, ...(field.old === undefined ? {} : { old: field.old }), ...(field.new === undefined ? {} : { new: field.new }) });
    }
  }
  return changes;
}

function compareCriterion(beforeDoc: CriteriaLevelDoc, afterDoc: CriteriaLevelDoc, a: CriterionDef, b: CriterionDef, changedParameters: ReadonlyMap<string, ParameterChange>): CriterionChange | undefined {
  const changes: CriterionFieldChange[] = [];
  if (a.number !== b.number) changes.push({ kind: 'number', old: a.number, new: b.number });
  if (!sameText(a.name, b.name)) changes.push({ kind: 'name', old: a.name, new: b.name });
  if (a.max_points !== b.max_points) changes.push({ kind: 'max_points', old: a.max_points, new: b.max_points });
  if (!sameText(a.rule, b.rule)) changes.push({ kind: 'rule', old: a.rule, new: b.rule });
  if (!sameText(a.evidence, b.evidence)) changes.push({ kind: 'evidence', old: a.evidence, new: b.evidence });
  if (!same(a.notes ?? [], b.notes ?? [])) changes.push({ kind: 'notes', old: a.notes ?? [], new: b.notes ?? [] });
  changes.push(...compareInputs(a.inputs, b.inputs));
  changes.push(...compareCriterionStructure(beforeDoc, afterDoc, a, b)); // structures (issue 11)
  const formulaChanged = !same(a.formula, b.formula);
  if (formulaChanged) changes.push({ kind: 'formula' });
  // Parameters read by both versions whose value (or type) moved.
  const readBefore = varsOf(a.formula);
  for (const name of varsOf(b.formula)) {
    const parameter = changedParameters.get(name);
    if (!parameter || !readBefore.has(name) || (!parameter.value && parameter.type.old === parameter.type.new)) continue;
    const oldValue = beforeDoc.parameters![name]!.value;
    const newValue = afterDoc.parameters![name]!.value;
    changes.push({ kind: 'parameter', parameter: name, label: parameter.label, type: parameter.type.new, old: oldValue, new: newValue });
  }
  if (!changes.length) return undefined;

  const oldFormula = formulaOf(beforeDoc, a);
  const newFormula = formulaOf(afterDoc, b);
  const computes = formulaChanged || oldFormula.vi !== newFormula.vi || changes.some((c) => c.kind === 'parameter' || c.kind === 'input-retyped');
  return { id: b.id, number: b.number, name: b.name, changes, ...(computes ? { formula: { old: oldFormula, new: newFormula } } : {}) };
}

const LEVEL_FIELDS = ['name', 'section', 'order', 'applies_to'] as const;
const DECISION_FIELDS = ['number', 'date', 'issuer', 'signer', 'title', 'jurisdiction', 'managing_agency', 'source'] as const;

function compareLevel(before: CompiledLevel, after: CompiledLevel): LevelDiff {
  const a = before.doc;
  const b = after.doc;
  const parameters = compareParameters(a, b);
  const changedParameters = new Map(parameters.changed.map((p) => [p.id, p]));
  const oldCriteria = new Map(a.criteria.map((c) => [c.id, c]));
  const newIds = new Set(b.criteria.map((c) => c.id));
  const criteria: LevelDiff['criteria'] = {
    added: b.criteria.filter((c) => !oldCriteria.has(c.id)).map((c) => criterionRef(b, c)),
    removed: a.criteria.filter((c) => !newIds.has(c.id)).map((c) => criterionRef(a, c)),
    changed: [],
    unchanged: 0,
  };
  for (const criterion of b.criteria) {
    const old = oldCriteria.get(criterion.id);
    if (!old) continue;
    const change = compareCriterion(a, b, old, criterion, changedParameters);
    if (change) criteria.changed.push(change);
    else criteria.unchanged++;
  }
  return {
    id: after.id,
    name: after.name,
    metadata: fieldChanges(LEVEL_FIELDS, a.level as unknown as Record<string, unknown>, b.level as unknown as Record<string, unknown>, 'level.'),
    scoring: [
      ...fieldChanges(['clamp_to_max', 'total'], a.scoring as unknown as Record<string, unknown>, b.scoring as unknown as Record<string, unknown>, 'scoring.'),
      ...fieldChanges(['decimals', 'mode'], a.scoring.rounding, b.scoring.rounding, 'scoring.rounding.'),
    ],
    ...(a.total_points === b.total_points ? {} : { totalPoints: { old: a.total_points, new: b.total_points } }),
    parameters,
    criteria,
    ...withStructure(compareLevelStructure(a, b)), // structures (issue 11)
  };
}

function withStructure(changes: FieldChange[]): { structure?: FieldChange[] } {
  return changes.length ? { structure: changes } : {};
}

/** True when nothing in the level differs. */
export function levelUnchanged(level: LevelDiff): boolean {
  const { metadata, scoring, totalPoints, parameters: p, criteria: c } = level;
  return !level.structure?.length && !metadata.length && !scoring.length && !totalPoints && !p.added.length && !p.removed.length && !p.changed.length && !c.added.length && !c.removed.length && !c.changed.length;
}

/**
 * Compare two criteria sets (usually last year's and next year's draft).
 * Pure: reads only the compiled sets' documents.
 */
export function diffCriteriaSets(before: CriteriaSet, after: CriteriaSet, options: DiffOptions = {}): SetDiff {
  const pick = (set: CriteriaSet) => (options.level === undefined ? set.levels : set.levels.filter((l) => l.id === options.level));
  const oldLevels = pick(before);
  const newLevels = pick(after);
  const oldById = new Map(oldLevels.map((l) => [l.id, l]));
  const newIds = new Set(newLevels.map((l) => l.id));
  const levels = newLevels.filter((l) => oldById.has(l.id)).map((l) => compareLevel(oldById.get(l.id)!, l));
  const levelsAdded = newLevels.filter((l) => !oldById.has(l.id)).map(levelRef);
  const levelsRemoved = oldLevels.filter((l) => !newIds.has(l.id)).map(levelRef);
  const firstOld = before.levels[0]?.doc.decision;
  const firstNew = after.levels[0]?.doc.decision;
  const decision = firstOld && firstNew ? fieldChanges(DECISION_FIELDS, firstOld as unknown as Record<string, unknown>, firstNew as unknown as Record<string, unknown>, 'decision.') : [];
  const sum = (f: (l: LevelDiff) => number) => levels.reduce((total, l) => total + f(l), 0);
  return {
    from: setRef(before),
    to: setRef(after),
    decision,
    levelsAdded,
    levelsRemoved,
    levels,
    counts: {
      levelsAdded: levelsAdded.length,
      levelsRemoved: levelsRemoved.length,
      levelsChanged: levels.filter((l) => !levelUnchanged(l)).length,
      criteriaAdded: sum((l) => l.criteria.added.length),
      criteriaRemoved: sum((l) => l.criteria.removed.length),
      criteriaChanged: sum((l) => l.criteria.changed.length),
      criteriaUnchanged: sum((l) => l.criteria.unchanged),
      parametersChanged: sum((l) => l.parameters.changed.length + l.parameters.added.length + l.parameters.removed.length),
    },
  };
}
