/**
 * The what-if: change a level's parameter (a threshold, a deadline) or a
 * criterion's maximum and see what it does to every unit's total and rank,
 * without writing YAML. The change is applied to a copy of the level's
 * criteria document, the copy is written back to YAML and loaded through
 * the normal pipeline (schema, meaning, compile), and the impact is
 * impactOfChange's, so the ranks are those `tieuchi diff --impact` gives
 * for the same change. Nothing is evaluated from the request but numbers
 * and dates for names the level already has.
 */
import { stringify } from 'yaml';
import type { CompiledLevel } from '../../compile/level.js';
import { loadCriteriaFile, type CriteriaSet } from '../../criteria-set.js';
import { varsOf } from '../../diff/compare.js';
import { impactOfChange, type ImpactReport, type LevelImpact, type UnitImpact } from '../../diff/impact.js';
import { scoreSubmissions, type ScoreRun } from '../../scoring.js';
import type { CriteriaLevelDoc, Submission } from '../../model.js';
import { hasErrors, type Lang, type Problem } from '../../problems.js';

export interface WhatIfChange {
  /** Parameter id → new value (a number, or an ISO date for date parameters). */
  parameters: Record<string, number | string>;
  /** Criterion id → new maximum. */
  maxPoints: Record<string, number>;
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

/** A number as people type it: 45, 45.5 or 45,5. */
function readNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (!/^-?\d{1,9}(\.\d{1,6})?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Read the form (query or body): only fields naming the level's own parameters and criteria, values that differ from the rules in force. */
export function readWhatIf(level: CompiledLevel, form: Record<string, unknown>, lang: Lang): WhatIfRequest {
  const change: WhatIfChange = { parameters: {}, maxPoints: {} };
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
  return { change, errors };
}

export function isNoChange(change: WhatIfChange): boolean {
  return Object.keys(change.parameters).length === 0 && Object.keys(change.maxPoints).length === 0;
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
export function runWhatIf(set: CriteriaSet, level: CompiledLevel, change: WhatIfChange, submissions: readonly Submission[], before?: { run: ScoreRun; submissions: ReadonlyMap<string, Submission> }): WhatIfResult {
  const doc = changedDoc(level, change);
  // Strings quoted: a date or a code like 08 must stay text, as the criteria files write them.
  const text = stringify(doc, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
  const loaded = loadCriteriaFile({ file: `${level.file} (what-if)`, text }, { checkExamples: false, checkDomains: false });
  const totalPoints = { old: level.totalPoints.toNumber(), new: doc.total_points };
  if (!loaded.level || hasErrors(loaded.problems)) return { totalPoints, problems: loaded.problems };
  const changed: CriteriaSet = { dir: `${set.dir} (what-if)`, year: set.year, levels: set.levels.map((l) => (l.id === level.id ? loaded.level! : l)) };
  // With the rules in force already scored (the web view keeps them), only what the change can move is scored again.
  const impact = before ? fastWhatIf(set, level, loaded.level, change, before) : impactOfChange(set, changed, submissions, { level: level.id });
  return { set: changed, impact, totalPoints, problems: loaded.problems };
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

/**
 * The what-if's impact, computed fast: the rules in force are scored once
 * (`before`, kept by the caller), and under the change only the criteria it
 * can move are scored again; each unit's other points are those it already
 * has. Totals are sums of rounded points (the files' rule), in integers of
 * the rounding's scale, so they are the engine's totals exactly; ranks
 * follow the engine's rule (ties share a rank). Gives the rows
 * impactOfChange gives (the tests compare them); loaded files and
 * problems come from runWhatIf's pipeline.
 */
export function fastWhatIf(set: CriteriaSet, level: CompiledLevel, changed: CompiledLevel, change: WhatIfChange, before: { run: ScoreRun; submissions: ReadonlyMap<string, Submission> }): ImpactReport {
  const affected = affectedCriteria(level, change);
  const partial: CompiledLevel = { ...changed, criteria: changed.criteria.filter((c) => affected.has(c.id)) };
  const partialSet: CriteriaSet = { dir: set.dir, year: set.year, levels: [partial] };
  const oldUnits = before.run.units.filter((u) => u.level === level.id);
  const submissions = oldUnits.map((u) => before.submissions.get(u.id)!).map((s) => ({ ...s, inputs: isPlainObject(s.inputs) ? pick(s.inputs, affected) : {} }));
  const after = scoreSubmissions(partialSet, submissions, { trace: false });
  const scale = 10 ** level.doc.scoring.rounding.decimals;
  const scaled = (v: number) => Math.round(v * scale);
  const index = new Map(level.criteria.map((c, i) => [c.id, i]));
  const rows = oldUnits.map((old, k) => {
    const now = after.units[k]!;
    let complete = old.problems.length === 0;
    let total = 0;
    const points = old.criteria.map((c) => (c.status === 'scored' ? c.points! : undefined));
    for (const c of now.criteria) points[index.get(c.id)!] = c.status === 'scored' ? c.points : undefined;
    for (const p of points) {
      if (p === undefined) complete = false;
      else total += scaled(p);
    }
    return { old, complete, total };
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
      ...(oldSide.total !== undefined && newSide.total !== undefined ? { delta: (r.total - scaled(oldSide.total)) / scale } : {}),
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
