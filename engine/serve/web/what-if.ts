/**
 * The what-if: change a level's parameter (a threshold, a deadline) or a
 * criterion's maximum and see what it does to every unit's total and rank,
 * without writing YAML. The change is applied to a copy of the level's
 * criteria document, the copy is written back to YAML and loaded through
 * the normal pipeline (YAML parser, schema, meaning, compile), and the impact is
 * impactOfChange's, so the ranks are those `tieuchi diff --impact` gives
 * for the same change. Nothing is evaluated from the request but numbers
 * and dates for names the level already has.
 */
import type { CompiledLevel } from '../../compile/level.js';
import { loadCriteriaFile, type CriteriaSet } from '../../criteria-set.js';
import { varsOf } from '../../diff/compare.js';
import { impactOfChange, type ImpactReport, type LevelImpact, type UnitImpact } from '../../diff/impact.js';
import { scoreSubmissions, type ScoreRun } from '../../scoring.js';
import type { UnitScore } from '../../evaluate/score.js';
import type { CriteriaLevelDoc, Submission } from '../../model.js';
import { hasErrors, type Lang, type Problem } from '../../problems.js';
import type { RoundValues } from '../../evaluate/statistics.js';
import { Rational } from '../../exact/rational.js';

export interface WhatIfChange {
  /** Parameter id → new value (a number, or an ISO date for date parameters). */
  parameters: Record<string, number | string>;
  /** Criterion id → new maximum. */
  maxPoints: Record<string, number>;
  /** Round value name → the value to score with instead of the round's (issue 11); only names the level declares in round_values. */
  roundValues: Record<string, number>;
}

export interface WhatIfRequest {
  change: WhatIfChange;
  /** Form values that could not be read, in the user's language. */
  errors: { field: string; message: string }[];
}

const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** The form's field names: p.<parameter id> and max.<criterion id>. */
export const parameterField = (id: string) => `p.${id}`;
export const maxField = (id: string) => `max.${id}`;
export const roundValueField = (name: string) => `r.${name}`;

/** A number as people type it: 45, 45.5 or 45,5. */
function readNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (!/^-?\d{1,9}(\.\d{1,6})?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/**
 * Read the form (query or body): only fields naming the level's own parameters, criteria and
 * round values, values that differ from the rules (and round values) in force.
 */
export function readWhatIf(level: CompiledLevel, form: Record<string, unknown>, lang: Lang, roundValues?: RoundValues): WhatIfRequest {
  const change: WhatIfChange = { parameters: {}, maxPoints: {}, roundValues: {} };
  const errors: WhatIfRequest['errors'] = [];
  const say = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  for (const [id, parameter] of level.parameters) {
    const raw = form[parameterField(id)];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const def = parameter.def;
    if (def.type === 'date') {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim()) ?? /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(raw.trim());
      const iso = m ? (m[1]!.length === 4 ? `${m[1]}-${m[2]}-${m[3]}` : `${m[3]}-${m[2]}-${m[1]}`) : undefined;
      if (!iso || Number.isNaN(Date.parse(iso))) {
        errors.push({ field: parameterField(id), message: say(`${def.label}: cần một ngày dạng dd/mm/yyyy.`, `${def.label}: needs a date as dd/mm/yyyy.`) });
        continue;
      }
      if (iso !== def.value) change.parameters[id] = iso;
      continue;
    }
    const value = readNumber(raw);
    const min = def.min ?? (def.type === 'percent' ? 0 : undefined);
    const max = def.max ?? (def.type === 'percent' ? 100 : undefined);
    if (value === undefined || (min !== undefined && value < min) || (max !== undefined && value > max) || (def.type === 'count' && !Number.isInteger(value))) {
      const range = min !== undefined && max !== undefined ? say(` từ ${min} đến ${max}`, ` from ${min} to ${max}`) : '';
      errors.push({ field: parameterField(id), message: say(`${def.label}: cần một số${range}, nhận được "${raw}".`, `${def.label}: needs a number${range}, got "${raw}".`) });
      continue;
    }
    if (value !== def.value) change.parameters[id] = value;
  }
  for (const criterion of level.criteria) {
    const raw = form[maxField(criterion.id)];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const value = readNumber(raw);
    if (value === undefined || value < 0 || value > 1000) {
      errors.push({ field: maxField(criterion.id), message: say(`Điểm chuẩn tiêu chí ${criterion.number}: cần một số từ 0 đến 1000, nhận được "${raw}".`, `Maximum of criterion ${criterion.number}: needs a number from 0 to 1000, got "${raw}".`) });
      continue;
    }
    if (value !== criterion.maxPointsNumber) change.maxPoints[criterion.id] = value;
  }
  for (const [name, def] of Object.entries(level.doc.round_values ?? {})) {
    const raw = form[roundValueField(name)];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const value = readNumber(raw);
    // The bounds readRoundValues checks in the round's file.
    const min = def.min ?? (def.type === 'number' ? undefined : 0);
    const max = def.max ?? (def.type === 'percent' ? 100 : undefined);
    if (value === undefined || (min !== undefined && value < min) || (max !== undefined && value > max) || (def.type === 'count' && !Number.isInteger(value))) {
      const range = min !== undefined || max !== undefined ? say(` trong khoảng ${min ?? '−∞'} – ${max ?? '+∞'}`, ` within ${min ?? '−∞'} – ${max ?? '+∞'}`) : '';
      const kind = def.type === 'count' ? say('số nguyên', 'a whole number') : say('một số', 'a number');
      errors.push({ field: roundValueField(name), message: say(`${def.label}: cần ${kind}${range}, nhận được "${raw}".`, `${def.label}: needs ${kind}${range}, got "${raw}".`) });
      continue;
    }
    const current = roundValues?.get(name);
    if (current === undefined || !current.equals(Rational.fromNumber(value))) change.roundValues[name] = value;
  }
  return { change, errors };
}

/** The round values to score the changed rules with: the round's, with the form's changes over them. */
export function changedRoundValues(roundValues: RoundValues | undefined, change: WhatIfChange): RoundValues | undefined {
  if (Object.keys(change.roundValues).length === 0) return roundValues;
  const out = new Map<string, Rational>(roundValues ?? []);
  for (const [name, value] of Object.entries(change.roundValues)) out.set(name, Rational.fromNumber(value));
  return out;
}

export function isNoChange(change: WhatIfChange): boolean {
  return Object.keys(change.parameters).length === 0 && Object.keys(change.maxPoints).length === 0 && Object.keys(change.roundValues).length === 0;
}

/** The level's criteria document with the change applied; the total follows the maxima so the points still add up. */
export function changedDoc(level: CompiledLevel, change: WhatIfChange): CriteriaLevelDoc {
  const doc = structuredClone(level.doc);
  for (const [id, value] of Object.entries(change.parameters)) {
    if (doc.parameters && has(doc.parameters, id)) doc.parameters[id]!.value = value;
  }
  let total = 0;
  for (const criterion of doc.criteria) {
    if (has(change.maxPoints, criterion.id)) criterion.max_points = change.maxPoints[criterion.id]!;
    total += Math.round(criterion.max_points * 1e6);
  }
  if (Object.keys(change.maxPoints).length) doc.total_points = total / 1e6;
  return doc;
}

export interface WhatIfResult {
  /** The set with the changed level (the others as they are), when the change loads cleanly. */
  set?: CriteriaSet;
  impact?: ImpactReport;
  totalPoints: { old: number; new: number };
  problems: Problem[];
}

/**
 * Apply the change to one level and score the units under both versions
 * (impactOfChange), or, given the units already scored under the rules in
 * force, only what the change moves (fastWhatIf: the same rows).
 * The changed file goes through the whole pipeline except its examples
 * (they were written for the rules in force, and would fail by design).
 */
export function runWhatIf(set: CriteriaSet, level: CompiledLevel, change: WhatIfChange, submissions: readonly Submission[], before?: WhatIfBaseline, roundValues?: RoundValues): WhatIfResult {
  const totalPoints = { old: level.totalPoints.toNumber(), new: level.totalPoints.toNumber() };
  const values = { ...(roundValues ? { old: roundValues } : {}), ...(changedRoundValues(roundValues, change) ? { new: changedRoundValues(roundValues, change)! } : {}) };
  let changedLevel = level;
  let problems: Problem[] = [];
  if (Object.keys(change.parameters).length || Object.keys(change.maxPoints).length) {
    const doc = changedDoc(level, change);
    // Written as JSON, which is YAML (1.2) too: every string quoted, so a date or a code like 08
    // stays text as the criteria files write it, and much faster to write and read than block YAML.
    const text = JSON.stringify(doc, null, 1);
    const loaded = loadCriteriaFile({ file: `${level.file} (what-if)`, text }, { checkExamples: false, checkDomains: false });
    totalPoints.new = doc.total_points;
    if (!loaded.level || hasErrors(loaded.problems)) return { totalPoints, problems: loaded.problems };
    changedLevel = loaded.level;
    problems = loaded.problems;
  }
  const changed: CriteriaSet = { dir: `${set.dir} (what-if)`, year: set.year, levels: set.levels.map((l) => (l.id === level.id ? changedLevel : l)) };
  // With the rules in force already scored (the web view keeps them), only what the change can move is scored again.
  const impact = before && rescoresPartially(level) && Object.keys(change.roundValues).length === 0 ? fastWhatIf(set, level, changedLevel, change, before) : impactOfChange(set, changed, submissions, { level: level.id, roundValues: values });
  return { set: changed, impact, totalPoints, problems };
}

/** Criteria whose points the change can move: those reading a changed parameter, and those with a new maximum. */
export function affectedCriteria(level: CompiledLevel, change: WhatIfChange): Set<string> {
  const changed = new Set(Object.keys(change.parameters));
  const ids = new Set(Object.keys(change.maxPoints));
  for (const criterion of level.criteria) {
    for (const name of varsOf(criterion.def.formula)) if (changed.has(name)) ids.add(criterion.id);
  }
  return ids;
}

const pick = (inputs: Record<string, unknown>, ids: Set<string>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const id of ids) if (has(inputs, id)) out[id] = inputs[id];
  return out;
};

/** A level's units under the rules in force, scored once and kept, so a what-if rescores only what it changes. */
export interface WhatIfBaseline {
  level: string;
  run: ScoreRun;
  units: {
    unit: UnitScore;
    submission: Submission;
    /** Each criterion's points in integers of the rounding's scale; undefined where not scored. */
    scaled: (number | undefined)[];
    sum: number;
    unscored: number;
  }[];
  scale: number;
}

export function whatIfBaseline(set: CriteriaSet, level: CompiledLevel, submissions: readonly Submission[], roundValues?: RoundValues): WhatIfBaseline {
  const mine = submissions.filter((s) => s.level === level.id);
  const run = scoreSubmissions({ ...set, levels: [level] }, mine, { trace: false, ...(roundValues ? { roundValues } : {}) });
  // scoreSubmissions keeps the first submission of a unit id (a later one is rejected).
  const byId = new Map<string, Submission>();
  for (const s of mine) if (!byId.has(s.id)) byId.set(s.id, s);
  const scale = 10 ** level.doc.scoring.rounding.decimals;
  const units = run.units.map((unit) => {
    const scaled = unit.criteria.map((c) => (c.status === 'scored' && c.points !== undefined ? Math.round(c.points * scale) : undefined));
    let sum = 0;
    let unscored = 0;
    for (const v of scaled) {
      if (v === undefined) unscored++;
      else sum += v;
    }
    return { unit, submission: byId.get(unit.id)!, scaled, sum, unscored };
  });
  return { level: level.id, run, units, scale };
}

/**
 * The what-if's impact, computed fast: the rules in force are scored once
 * (the baseline), and under the change only the criteria it can move are
 * scored again; each unit keeps its other points. Totals are sums of
 * rounded points (the files' rule) in integers of the rounding's scale, so
 * they are the engine's totals exactly; ranks follow the engine's rule
 * (ties share a rank). Gives the rows impactOfChange gives (the tests
 * compare them over many units and changes).
 */
/**
 * Whether a change can be scored by rescoring only the criteria it moves: true when the
 * level's total is the plain sum of its rounded criterion points. A structured level (groups,
 * bonus and penalty, rescaling over what applies, level statistics) is scored whole.
 */
export function rescoresPartially(level: CompiledLevel): boolean {
  return !level.structure || (!level.structure.shaped && level.structure.levelValues.size === 0);
}

export function fastWhatIf(set: CriteriaSet, level: CompiledLevel, changed: CompiledLevel, change: WhatIfChange, baseline: WhatIfBaseline): ImpactReport {
  const affected = affectedCriteria(level, change);
  const partial: CompiledLevel = { ...changed, criteria: changed.criteria.filter((c) => affected.has(c.id)) };
  const positions = partial.criteria.map((c) => level.criteria.findIndex((k) => k.id === c.id));
  const submissions = baseline.units.map(({ submission: s }) => ({ ...s, inputs: isPlainObject(s.inputs) ? pick(s.inputs, affected) : {} }));
  const after = scoreSubmissions({ dir: set.dir, year: set.year, levels: [partial] }, submissions, { trace: false });
  const { scale } = baseline;
  const rows = baseline.units.map((base, k) => {
    const now = after.units[k]!.criteria;
    let total = base.sum;
    let unscored = base.unscored;
    for (let j = 0; j < positions.length; j++) {
      const before = base.scaled[positions[j]!];
      if (before === undefined) unscored--;
      else total -= before;
      const c = now[j]!;
      if (c.status === 'scored' && c.points !== undefined) total += Math.round(c.points * scale);
      else unscored++;
    }
    return { old: base.unit, complete: base.unit.problems.length === 0 && unscored === 0, total, oldScaled: base.unit.total === undefined ? undefined : Math.round(base.unit.total * scale) };
  });
  const ranked = rows.filter((r) => r.complete).sort((a, b) => b.total - a.total);
  const rank = new Map<(typeof rows)[number], number>();
  ranked.forEach((r, i) => rank.set(r, i > 0 && ranked[i - 1]!.total === r.total ? rank.get(ranked[i - 1]!)! : i + 1));
  const units: UnitImpact[] = rows.map((r) => {
    const oldSide: UnitImpact['old'] = { status: r.old.status === 'complete' ? 'complete' : 'incomplete', ...(r.old.total === undefined ? {} : { total: r.old.total }), ...(r.old.rank === undefined ? {} : { rank: r.old.rank }) };
    const newRank = rank.get(r);
    const newSide: UnitImpact['new'] = { status: r.complete ? 'complete' : 'incomplete', ...(r.complete ? { total: r.total / scale } : {}), ...(newRank === undefined ? {} : { rank: newRank }) };
    return {
      id: r.old.id,
      name: r.old.name,
      level: level.id,
      old: oldSide,
      new: newSide,
      ...(r.oldScaled !== undefined && r.complete ? { delta: (r.total - r.oldScaled) / scale } : {}),
      ...(oldSide.rank !== undefined && newSide.rank !== undefined ? { rankChange: oldSide.rank - newSide.rank } : {}),
      missing: [],
      problems: { old: [], new: [] },
    };
  });
  units.sort((a, b) => (a.new.rank ?? Infinity) - (b.new.rank ?? Infinity) || (a.old.rank ?? Infinity) - (b.old.rank ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const counts = {
    units: units.length,
    comparable: units.filter((u) => u.delta !== undefined).length,
    totalChanged: units.filter((u) => u.delta !== undefined && u.delta !== 0).length,
    rankChanged: units.filter((u) => u.rankChange !== undefined && u.rankChange !== 0).length,
    notFittingNew: 0,
  };
  const levelImpact: LevelImpact = { id: level.id, name: level.name, status: 'both', units, criteria: [], counts };
  return { from: { dir: set.dir, year: set.year }, to: { dir: `${set.dir} (what-if)`, year: set.year }, levels: [levelImpact], setAside: [], rejected: [], counts: { ...counts, levelRemoved: 0 } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
