/**
 * What a change of rules does to the units: the same submissions scored
 * under the old and the new criteria, side by side: each unit's old and new
 * total and rank within its level, the mean change per criterion, and the
 * units the new version cannot score yet (a new input they never reported),
 * listed with what is missing, never scored 0.
 *
 * Data about criteria (or inputs) that exist in only one version is set
 * aside when scoring under the other version, and the report says so: a
 * unit must not fail the new rules because it reported a criterion the new
 * rules dropped. Keys that neither version knows are left in, so a typo
 * still shows as a data problem.
 */
import type { CompiledLevel } from '../compile/level.js';
import type { CriteriaSet } from '../criteria-set.js';
import { Rational } from '../exact/rational.js';
import type { UnitScore } from '../evaluate/score.js';
import type { Submission } from '../model.js';
import { problem, type Problem } from '../problems.js';
import { scoreSubmissions, type ScoreRun } from '../scoring.js';
import type { RoundValues } from '../evaluate/statistics.js'; // structures (issue 11)
import type { Change } from './compare.js';

export type Side = 'old' | 'new';

/** A unit under one version: scored (with total and rank when complete), or its level does not exist there. */
export interface UnitSide {
  status: 'complete' | 'incomplete' | 'no-level';
  total?: number;
  rank?: number;
}

export interface MissingInput {
  criterion: string;
  number: string;
  input: string;
  label: string;
}

export interface UnitImpact {
  id: string;
  name: string;
  level: string;
  old: UnitSide;
  new: UnitSide;
  /** New total − old total, when the unit is complete under both. */
  delta?: number;
  /** Old rank − new rank (positive: moved up), when ranked under both. */
  rankChange?: number;
  /** Inputs new in the new version (a new criterion or a new input) that the unit did not report. */
  missing: MissingInput[];
  /** Other data problems under each version. */
  problems: { old: Problem[]; new: Problem[] };
}

export interface CriterionImpact {
  id: string;
  /** Number and name in the new version, or the old one for a removed criterion. */
  number: string;
  name: string;
  status: 'both' | 'added' | 'removed';
  maxPoints: Partial<Change<number>>;
  /** Units counted: scored on this criterion under both versions (under the one version for added/removed). */
  units: number;
  meanOld?: number;
  meanNew?: number;
  /** Mean of (new − old) points over those units; for a removed criterion −meanOld, for an added one +meanNew. */
  meanChange?: number;
}

export interface LevelImpact {
  id: string;
  name: string;
  status: 'both' | 'removed' | 'added';
  units: UnitImpact[];
  criteria: CriterionImpact[];
  counts: { units: number; comparable: number; totalChanged: number; rankChanged: number; notFittingNew: number };
  /** Decimals each side shows its points with (its file's rounding.decimals), when that side has the level. */
  decimals?: { old?: number; new?: number };
}

/** Data set aside before scoring under one version: a criterion or input only the other version has. */
export interface SetAside {
  side: Side;
  level: string;
  criterion: string;
  /** Absent when the whole criterion block was set aside. */
  input?: string;
  units: number;
}

export interface ImpactReport {
  from: { dir: string; year: number };
  to: { dir: string; year: number };
  levels: LevelImpact[];
  setAside: SetAside[];
  /** Submissions neither version could route (unknown level, duplicate unit). */
  rejected: ScoreRun['rejected'];
  counts: { units: number; comparable: number; totalChanged: number; rankChanged: number; notFittingNew: number; levelRemoved: number };
}

export interface ImpactOptions {
  /** Only this level id. */
  level?: string;
  /** structures (issue 11): round values of each side, when its criteria read any. */
  roundValues?: { old?: RoundValues; new?: RoundValues };
}

const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What to set aside from a level's submissions before scoring them under `mine`: what only `theirs` knows. */
interface Filter {
  criteria: Set<string>;
  inputs: Map<string, Set<string>>;
}

function filterFor(mine: CompiledLevel, theirs: CompiledLevel): Filter {
  const own = new Map(mine.criteria.map((c) => [c.id, c]));
  const filter: Filter = { criteria: new Set(), inputs: new Map() };
  for (const criterion of theirs.criteria) {
    const counterpart = own.get(criterion.id);
    if (!counterpart) {
      filter.criteria.add(criterion.id);
      continue;
    }
    const ownInputs = new Set(counterpart.inputs.map((i) => i.id));
    const extra = criterion.inputs.filter((i) => !ownInputs.has(i.id)).map((i) => i.id);
    if (extra.length) filter.inputs.set(criterion.id, new Set(extra));
  }
  return filter;
}

/** The submission without what `filter` sets aside (the same object when nothing is); counts what was set aside. */
function adapt(submission: Submission, filter: Filter, tally: (criterion: string, input?: string) => void): Submission {
  const inputs = submission.inputs;
  if (!isPlainObject(inputs)) return submission;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(inputs)) {
    if (filter.criteria.has(key)) {
      copy ??= { ...inputs };
      delete copy[key];
      tally(key);
      continue;
    }
    const extra = filter.inputs.get(key);
    const block = inputs[key];
    if (!extra || !isPlainObject(block)) continue;
    let blockCopy: Record<string, unknown> | undefined;
    for (const input of Object.keys(block)) {
      if (!extra.has(input)) continue;
      blockCopy ??= { ...block };
      delete blockCopy[input];
      tally(key, input);
    }
    if (blockCopy) {
      copy ??= { ...inputs };
      copy[key] = blockCopy;
    }
  }
  return copy ? { ...submission, inputs: copy } : submission;
}

const unitKey = (level: string, id: string): string => `${level}\u0000${id}`;

function sideOf(unit: UnitScore | undefined): UnitSide {
  if (!unit) return { status: 'no-level' };
  return { status: unit.status === 'complete' ? 'complete' : 'incomplete', ...(unit.total === undefined ? {} : { total: unit.total }), ...(unit.rank === undefined ? {} : { rank: unit.rank }) };
}

function allProblems(unit: UnitScore | undefined): Problem[] {
  if (!unit) return [];
  const problems = [...unit.problems];
  for (const c of unit.criteria) if (c.problems.length) problems.push(...c.problems);
  return problems;
}

/** Running sums for one criterion's mean change. */
interface Tally {
  units: number;
  old: Rational;
  new: Rational;
}

/** The mean of exact sums, rounded half-up to 4 decimals on the exact quotient. */
const mean = (sum: Rational, n: number): number => sum.div(Rational.fromNumber(n)).round(4, 'half_up').toNumber();

function levelImpact(oldLevel: CompiledLevel | undefined, newLevel: CompiledLevel | undefined, oldUnits: Map<string, UnitScore>, newUnits: Map<string, UnitScore>, order: string[]): LevelImpact {
  const level = (newLevel ?? oldLevel)!;
  const oldInputs = new Map(oldLevel?.criteria.map((c) => [c.id, new Set(c.inputs.map((i) => i.id))]) ?? []);
  const newCriteria = new Map(newLevel?.criteria.map((c) => [c.id, c]) ?? []);
  const oldIndex = new Map(oldLevel?.criteria.map((c, i) => [c.id, i]) ?? []);
  const newIndex = new Map(newLevel?.criteria.map((c, i) => [c.id, i]) ?? []);
  const ids = [...(newLevel?.criteria.map((c) => c.id) ?? []), ...(oldLevel?.criteria.filter((c) => !newIndex.has(c.id)).map((c) => c.id) ?? [])];
  const tallies = new Map<string, Tally>(ids.map((id) => [id, { units: 0, old: Rational.ZERO, new: Rational.ZERO }]));

  const units: UnitImpact[] = [];
  for (const key of order) {
    const before = oldUnits.get(key);
    const after = newUnits.get(key);
    const any = (after ?? before)!;
    const missing: MissingInput[] = [];
    const newProblems: Problem[] = [];
    for (const p of allProblems(after)) {
      // An input the old rules did not ask for: the data cannot fit yet; anything else is an ordinary data problem.
      if (p.code === 'submission.missing-input' && p.criterion && p.input && !oldInputs.get(p.criterion)?.has(p.input)) {
        const criterion = newCriteria.get(p.criterion);
        missing.push({ criterion: p.criterion, number: criterion?.number ?? '', input: p.input, label: criterion?.inputs.find((i) => i.id === p.input)?.def.label ?? p.input });
      } else newProblems.push(p);
    }
    const old = sideOf(before);
    const next = sideOf(after);
    units.push({
      id: any.id,
      name: any.name,
      level: level.id,
      old,
      new: next,
      ...(old.total !== undefined && next.total !== undefined ? { delta: Rational.fromNumber(next.total).sub(Rational.fromNumber(old.total)).toNumber() } : {}),
      ...(old.rank !== undefined && next.rank !== undefined ? { rankChange: old.rank - next.rank } : {}),
      missing,
      problems: { old: allProblems(before), new: newProblems },
    });

    for (const id of ids) {
      const i = oldIndex.get(id);
      const j = newIndex.get(id);
      const a = i === undefined ? undefined : before?.criteria[i];
      const b = j === undefined ? undefined : after?.criteria[j];
      const scoredOld = a?.status === 'scored';
      const scoredNew = b?.status === 'scored';
      const tally = tallies.get(id)!;
      if (i !== undefined && j !== undefined) {
        if (!scoredOld || !scoredNew) continue;
      } else if (i !== undefined ? !scoredOld : !scoredNew) continue;
      tally.units++;
      if (scoredOld) tally.old = tally.old.add(Rational.fromNumber(a!.points!));
      if (scoredNew) tally.new = tally.new.add(Rational.fromNumber(b!.points!));
    }
  }
  units.sort((a, b) => (a.new.rank ?? Infinity) - (b.new.rank ?? Infinity) || (a.old.rank ?? Infinity) - (b.old.rank ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const criteria: CriterionImpact[] = ids.map((id) => {
    const a = oldLevel?.criteria[oldIndex.get(id) ?? -1];
    const b = newLevel?.criteria[newIndex.get(id) ?? -1];
    const tally = tallies.get(id)!;
    const status = a && b ? 'both' : b ? 'added' : 'removed';
    const meanOld = a && tally.units ? mean(tally.old, tally.units) : undefined;
    const meanNew = b && tally.units ? mean(tally.new, tally.units) : undefined;
    const meanChange = tally.units ? mean(tally.new.sub(tally.old), tally.units) : undefined;
    return {
      id,
      number: (b ?? a)!.number,
      name: (b ?? a)!.name,
      status,
      maxPoints: { ...(a ? { old: a.maxPointsNumber } : {}), ...(b ? { new: b.maxPointsNumber } : {}) },
      units: tally.units,
      ...(meanOld === undefined ? {} : { meanOld }),
      ...(meanNew === undefined ? {} : { meanNew }),
      ...(meanChange === undefined ? {} : { meanChange }),
    };
  });

  return {
    id: level.id,
    name: level.name,
    status: oldLevel && newLevel ? 'both' : newLevel ? 'added' : 'removed',
    units,
    criteria,
    decimals: { ...(oldLevel ? { old: oldLevel.doc.scoring.rounding.decimals } : {}), ...(newLevel ? { new: newLevel.doc.scoring.rounding.decimals } : {}) },
    counts: {
      units: units.length,
      comparable: units.filter((u) => u.delta !== undefined).length,
      totalChanged: units.filter((u) => u.delta !== undefined && u.delta !== 0).length,
      rankChanged: units.filter((u) => u.rankChange !== undefined && u.rankChange !== 0).length,
      notFittingNew: units.filter((u) => u.missing.length > 0).length,
    },
  };
}

function where(submission: Submission): string {
  return submission.origin?.file ?? '?';
}

/**
 * One submission per unit (level + id), combining what several files report
 * about it criterion by criterion: last year's data plus a supplement with
 * the inputs of a draft's new criteria, for instance. A criterion reported
 * twice for one unit, or parts read in different modes (JSON and CSV), is a
 * problem; the first report is kept. Submissions are not modified.
 */
export function mergeSubmissions(submissions: readonly Submission[]): { submissions: Submission[]; problems: Problem[] } {
  const merged = new Map<string, Submission>();
  const problems: Problem[] = [];
  for (const submission of submissions) {
    const key = unitKey(submission.level, submission.id);
    const first = merged.get(key);
    if (!first) {
      merged.set(key, submission);
      continue;
    }
    const at = { unit: submission.id, level: submission.level, file: where(submission) };
    if (first.mode !== submission.mode) {
      problems.push(
        problem(
          'impact.conflicting-data',
          {
            vi: `Đơn vị "${submission.id}" có số liệu ở ${where(first)} và ${where(submission)} nhưng khác dạng (JSON và bảng tính); chỉ dùng số liệu ở ${where(first)}.`,
            en: `Unit "${submission.id}" has data in ${where(first)} and ${where(submission)} of different kinds (JSON and spreadsheet); only ${where(first)} is used.`,
          },
          { ...at, hint: { vi: 'Ghi số liệu bổ sung cùng dạng với số liệu chính.', en: 'Write the supplement in the same format as the main data.' } },
        ),
      );
      continue;
    }
    const inputs: Record<string, unknown> = isPlainObject(first.inputs) ? { ...first.inputs } : {};
    const extra = isPlainObject(submission.inputs) ? submission.inputs : {};
    const twice = Object.keys(extra).filter((criterion) => has(inputs, criterion));
    for (const criterion of Object.keys(extra)) if (!has(inputs, criterion)) inputs[criterion] = extra[criterion];
    if (twice.length) {
      problems.push(
        problem(
          'impact.conflicting-data',
          {
            vi: `Đơn vị "${submission.id}" khai tiêu chí ${twice.join(', ')} ở cả ${where(first)} và ${where(submission)}; dùng số liệu ở ${where(first)}.`,
            en: `Unit "${submission.id}" reports ${twice.join(', ')} in both ${where(first)} and ${where(submission)}; the data in ${where(first)} is used.`,
          },
          { ...at, hint: { vi: 'Mỗi tiêu chí của một đơn vị chỉ khai ở một tệp.', en: "Report each of a unit's criteria in one file only." } },
        ),
      );
    }
    merged.set(key, { ...first, inputs });
  }
  return { submissions: [...merged.values()], problems };
}

/**
 * Score the same submissions under both sets and compare, per level.
 * Submissions are not modified.
 */
export function impactOfChange(before: CriteriaSet, after: CriteriaSet, submissions: readonly Submission[], options: ImpactOptions = {}): ImpactReport {
  const only = <T extends { id: string }>(levels: T[]) => (options.level === undefined ? levels : levels.filter((l) => l.id === options.level));
  const oldLevels = new Map(only(before.levels).map((l) => [l.id, l]));
  const newLevels = new Map(only(after.levels).map((l) => [l.id, l]));
  const chosen = options.level === undefined ? submissions : submissions.filter((s) => s.level === options.level);

  // Set aside, per side, what only the other version knows.
  const filters = new Map<string, { old: Filter; new: Filter }>();
  for (const [id, oldLevel] of oldLevels) {
    const newLevel = newLevels.get(id);
    if (newLevel) filters.set(id, { old: filterFor(oldLevel, newLevel), new: filterFor(newLevel, oldLevel) });
  }
  const setAsideCounts = new Map<string, SetAside>();
  const tallyFor = (side: Side, level: string) => (criterion: string, input?: string) => {
    const key = [side, level, criterion, input ?? ''].join('\u0000');
    const entry = setAsideCounts.get(key);
    if (entry) entry.units++;
    else setAsideCounts.set(key, { side, level, criterion, ...(input === undefined ? {} : { input }), units: 1 });
  };
  const oldSubmissions: Submission[] = [];
  const newSubmissions: Submission[] = [];
  for (const submission of chosen) {
    const filter = filters.get(submission.level);
    oldSubmissions.push(filter ? adapt(submission, filter.old, tallyFor('old', submission.level)) : submission);
    newSubmissions.push(filter ? adapt(submission, filter.new, tallyFor('new', submission.level)) : submission);
  }

  const oldRun = scoreSubmissions(before, oldSubmissions, { trace: false, ...(options.roundValues?.old ? { roundValues: options.roundValues.old } : {}) });
  const newRun = scoreSubmissions(after, newSubmissions, { trace: false, ...(options.roundValues?.new ? { roundValues: options.roundValues.new } : {}) });

  const byKey = (run: ScoreRun) => new Map(run.units.map((u) => [unitKey(u.level, u.id), u]));
  const oldUnits = byKey(oldRun);
  const newUnits = byKey(newRun);
  // Units in submission order, once each, grouped by level.
  const orderByLevel = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const unit of [...oldRun.units, ...newRun.units]) {
    const key = unitKey(unit.level, unit.id);
    if (seen.has(key)) continue;
    seen.add(key);
    const list = orderByLevel.get(unit.level);
    if (list) list.push(key);
    else orderByLevel.set(unit.level, [key]);
  }

  const levelOrder = [...after.levels.filter((l) => newLevels.has(l.id)), ...before.levels.filter((l) => oldLevels.has(l.id) && !newLevels.has(l.id))];
  const levels = levelOrder.map((l) => levelImpact(oldLevels.get(l.id), newLevels.get(l.id), oldUnits, newUnits, orderByLevel.get(l.id) ?? []));

  // Each routing problem once: a level that exists on one side only is not a problem, it is the change being studied.
  const rejected = [
    ...oldRun.rejected.filter((r) => !(r.problems[0]?.code === 'submission.unknown-level' && r.level !== undefined && newLevels.has(r.level))),
    ...newRun.rejected.filter((r) => r.problems[0]?.code !== 'submission.unknown-level' && !(r.level !== undefined && oldLevels.has(r.level))),
  ];

  const sum = (f: (l: LevelImpact) => number) => levels.reduce((total, l) => total + f(l), 0);
  return {
    from: { dir: before.dir, year: before.year },
    to: { dir: after.dir, year: after.year },
    levels,
    setAside: [...setAsideCounts.values()],
    rejected,
    counts: {
      units: sum((l) => l.counts.units),
      comparable: sum((l) => l.counts.comparable),
      totalChanged: sum((l) => l.counts.totalChanged),
      rankChanged: sum((l) => l.counts.rankChanged),
      notFittingNew: sum((l) => l.counts.notFittingNew),
      levelRemoved: levels.filter((l) => l.status === 'removed').reduce((n, l) => n + l.units.length, 0),
    },
  };
}
