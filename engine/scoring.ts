/**
 * Score many submissions against a criteria set: route each to its level,
 * score it, rank within each level, and record the provenance needed to
 * re-check the result later against the exact rules that produced it.
 */
import { criteriaStatus, type CriteriaSet } from './criteria-set.js';
import type { CompiledLevel } from './compile/level.js';
import type { DecisionStatus } from './model.js';
import type { Submission } from './model.js';
import { engineVersion } from './paths.js';
import { quoteValue } from './load/submissions.js';
import { problem, type Problem } from './problems.js';
import { rankUnits, scoreUnit, type ScoreOptions, type UnitScore } from './evaluate/score.js';
import { levelValuesOfRun, resolveLevelValues, type LevelValues, type RoundValues } from './evaluate/statistics.js'; // structures (issue 11)
import { levelSummaryStructure, type LevelSummaryStructure } from './report/structure.js'; // structures (issue 11)

export interface LevelSummary {
  id: string;
  name: string;
  order: number;
  totalPoints: number;
  criteria: { id: string; number: string; name: string; maxPoints: number }[];
  /** structures (issue 11): groups, kinds and unit types of a structured level. */
  structure?: LevelSummaryStructure;
}

export interface Provenance {
  engine: string;
  engineVersion: string;
  year: number;
  /** draft: scored under unsigned criteria (every output says "DỰ THẢO"); signed: under the decision in force. */
  status: DecisionStatus;
  decision: { number: string; date: string; issuer: string };
  files: { level: string; file: string; sha256: string }[];
  rounding: { decimals: number; mode: string; total: string; clampToMax: boolean };
  /** ISO timestamp of the run. */
  scoredAt: string;
}

export interface ScoreRun {
  year: number;
  levels: LevelSummary[];
  /** Every submission that named a known level, ranked within its level. */
  units: UnitScore[];
  /** Submissions that could not be routed to a level (unknown level, duplicate id). */
  rejected: { id?: string; name?: string; level?: string; problems: Problem[] }[];
  /** Every problem of the run, flattened (envelope, unit and criterion problems). */
  problems: Problem[];
  provenance: Provenance;
}

/** Point each problem of a unit at its file, and for CSV at the line and the cell's column. */
function locateProblems(unit: UnitScore, submission: Submission): UnitScore {
  const origin = submission.origin;
  if (!origin?.file || !hasAnyProblem(unit)) return unit;
  const place = (p: Problem): Problem => {
    if (p.location || p.file) return p;
    if (origin.locate) {
      // The reported value, or the nearest enclosing block that exists (a missing input points at its criterion).
      const path = p.criterion ? ['inputs', p.criterion, ...(p.input ? [p.input] : [])] : [];
      return { ...p, location: origin.locate(path) };
    }
    if (!origin.line) return { ...p, file: origin.file };
    const column = (p.criterion && p.input && origin.columns?.[`${p.criterion}.${p.input}`]) || 1;
    return { ...p, location: { file: origin.file!, start: 0, end: 0, line: origin.line, column } };
  };
  return { ...unit, problems: unit.problems.map(place), criteria: unit.criteria.map((c) => (c.problems.length ? { ...c, problems: c.problems.map(place) } : c)) };
}

function hasAnyProblem(unit: UnitScore): boolean {
  if (unit.problems.length) return true;
  for (const c of unit.criteria) if (c.problems.length) return true;
  return false;
}

/** A submission that could not be routed to a level (unknown level, duplicate id). */
export type Rejection = ScoreRun['rejected'][number];

/**
 * Scoring one submission at a time, for runs that stream (tieuchi score on a
 * million units): each result is final except its rank, which needs every
 * total of the level (see rankTotals). The session keeps only the ids seen,
 * to refuse a second submission of the same unit.
 */
export interface ScoringSession {
  readonly set: CriteriaSet;
  /** The unit's score with its problems located, or why it was not scored. */
  score(submission: Submission): { unit: UnitScore } | { rejected: Rejection };
  /** Forget a unit scored earlier (its file turned out unreadable): a later submission of it is no duplicate. */
  forget(level: string, id: string): void;
  levels(): LevelSummary[];
  provenance(): Provenance;
}

/** A private copy of an id: a string cut from a large text keeps that whole text alive otherwise. */
function ownCopy(text: string): string {
  return (' ' + text).slice(1);
}

/**
 * Session options. structures (issue 11): `runLevelValues` are the run's level
 * statistics and round values per level (pass one: levelValuesOfRun, or a
 * LevelValueCollector fed while streaming); `roundValues` alone serve levels
 * that read round values but no statistics.
 */
export interface SessionOptions extends Omit<ScoreOptions, 'levelValues'> {
  now?: Date;
  roundValues?: RoundValues;
  runLevelValues?: ReadonlyMap<string, LevelValues>;
}

export function createScoringSession(set: CriteriaSet, options: SessionOptions = {}): ScoringSession {
  const levels = new Map(set.levels.map((l) => [l.id, l]));
  // Levels reading level values get them with every unit; a level with round values only needs no pass one.
  const { runLevelValues, roundValues, now: _now, ...scoreOptions } = options;
  const unitOptions = new Map<string, ScoreOptions>();
  for (const level of set.levels) {
    if (!level.structure?.levelValues.size) continue;
    const values = runLevelValues?.get(level.id) ?? (needsPassOne(level) ? undefined : resolveLevelValues(level, [], roundValues));
    if (values) unitOptions.set(level.id, { ...scoreOptions, levelValues: values });
  }
  // The ids seen, with the level each was scored in: a unit belongs to one level (as in a round's register),
  // so a second submission of an id is refused whatever level it names.
  const seen = new Map<string, CompiledLevel>();
  return {
    set,
    score(submission) {
      const level = levels.get(submission.level);
      if (!level) {
        return {
          rejected: {
            id: submission.id,
            name: submission.name,
            level: submission.level,
            problems: [
              problem(
                'submission.unknown-level',
                { vi: `Đơn vị "${submission.id}" ghi cấp ${quoteValue(submission.level, 40)}, nhưng bộ tiêu chí năm ${set.year} không có cấp này.`, en: `Unit "${submission.id}" names level ${quoteValue(submission.level, 40)}, which the ${set.year} criteria do not have.` },
                {
                  unit: submission.id,
                  level: submission.level,
                  ...originWhere(submission),
                  hint: { vi: `Các cấp năm ${set.year}: ${set.levels.map((l) => `${l.id} (${l.name})`).join(', ')}.`, en: `Levels in ${set.year}: ${set.levels.map((l) => l.id).join(', ')}.` },
                },
              ),
            ],
          },
        };
      }
      const first = seen.get(submission.id);
      if (first) return { rejected: duplicateUnitRejection(level, submission, first) };
      seen.set(ownCopy(submission.id), level);
      return { unit: locateProblems(scoreUnit(level, submission, unitOptions.get(level.id) ?? scoreOptions), submission) };
    },
    forget(level, id) {
      if (seen.get(id)?.id === level) seen.delete(id);
    },
    levels: () => levelSummaries(set),
    provenance: () => provenanceOf(set, options.now ?? new Date()),
  };
}

/**
 * A second submission of a unit already scored: in its level, or (`first`, another level) in another
 * level — a unit belongs to one level. bulk (issue 9): also used by the parallel `tieuchi score`, whose
 * main thread keeps the ids seen while workers score, so that a duplicate is refused with the same
 * words wherever it is found.
 */
export function duplicateUnitRejection(level: { id: string; name: string }, submission: Submission, first: { id: string; name: string } = level): Rejection {
  const sameLevel = first.id === level.id;
  return {
    id: submission.id,
    name: submission.name,
    level: submission.level,
    problems: [
      sameLevel
        ? problem('submission.duplicate-unit', { vi: `Đơn vị "${submission.id}" có hai bộ số liệu ở cấp ${level.name}; bộ sau bị bỏ qua.`, en: `Unit "${submission.id}" is submitted twice in level ${level.id}; the later one is ignored.` }, {
            unit: submission.id,
            level: level.id,
            ...originWhere(submission),
            hint: { vi: 'Giữ một bộ số liệu cho mỗi đơn vị.', en: 'Keep one submission per unit.' },
          })
        : problem(
            'submission.duplicate-unit',
            {
              vi: `Đơn vị "${submission.id}" đã có số liệu ở cấp ${first.name}; bộ số liệu ghi cấp ${level.name} bị bỏ qua (mỗi đơn vị chỉ thuộc một cấp).`,
              en: `Unit "${submission.id}" already has a submission in level ${first.id}; this one, in level ${level.id}, is ignored (a unit belongs to one level).`,
            },
            {
              unit: submission.id,
              level: level.id,
              ...originWhere(submission),
              hint: { vi: 'Mỗi đơn vị thuộc đúng một cấp: sửa mã đơn vị hoặc cấp của một trong hai bộ số liệu.', en: 'A unit belongs to one level: correct the id or the level of one of the two.' },
            },
          ),
    ],
  };
}

/** Where a submission came from, for a problem about the whole submission. */
function originWhere(submission: Submission): Pick<Problem, 'file' | 'location'> {
  const origin = submission.origin;
  if (!origin?.file) return {};
  if (origin.locate) return { location: origin.locate([]) };
  if (origin.line) return { location: { file: origin.file, start: 0, end: 0, line: origin.line, column: 1 } };
  return { file: origin.file };
}

function levelSummaries(set: CriteriaSet): LevelSummary[] {
  return set.levels.map((l) => ({
    id: l.id,
    name: l.name,
    order: l.order,
    totalPoints: l.totalPoints.toNumber(),
    criteria: l.criteria.map((c) => ({ id: c.id, number: c.number, name: c.name, maxPoints: c.maxPoints.toNumber() })),
    ...(l.structure?.shaped ? { structure: levelSummaryStructure(l) } : {}),
  }));
}

function provenanceOf(set: CriteriaSet, now: Date): Provenance {
  const firstLevel = set.levels[0]!;
  return {
    engine: 'tieuchi',
    engineVersion: engineVersion(),
    year: set.year,
    status: criteriaStatus(set),
    decision: { number: firstLevel.doc.decision.number, date: firstLevel.doc.decision.date, issuer: firstLevel.doc.decision.issuer },
    files: set.levels.map((l) => ({ level: l.id, file: l.file, sha256: l.sha256 })),
    rounding: {
      decimals: firstLevel.doc.scoring.rounding.decimals,
      mode: firstLevel.doc.scoring.rounding.mode,
      total: firstLevel.doc.scoring.total,
      clampToMax: firstLevel.doc.scoring.clamp_to_max,
    },
    scoredAt: now.toISOString(),
  };
}

/**
 * Competition ranks (1, 2, 2, 4) from compact totals: `levelOf[i]` is unit i's
 * level index and `totals[i]` its total (NaN: incomplete, no rank). The same
 * ranking as rankUnits, without holding the units. Returns 0 for no rank.
 */
export function rankTotals(levelOf: Uint8Array | Uint16Array, totals: Float64Array, count: number): Int32Array {
  const order: number[] = [];
  for (let i = 0; i < count; i++) if (!Number.isNaN(totals[i]!)) order.push(i);
  order.sort((a, b) => levelOf[a]! - levelOf[b]! || totals[b]! - totals[a]! || a - b);
  const ranks = new Int32Array(count);
  let position = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const previous = k > 0 ? order[k - 1]! : -1;
    if (previous < 0 || levelOf[previous] !== levelOf[i]) position = 0;
    position++;
    ranks[i] = previous >= 0 && levelOf[previous] === levelOf[i] && totals[previous] === totals[i] ? ranks[previous]! : position;
  }
  return ranks;
}

/** Does scoring this set need every unit's data before the first unit is scored (level statistics)? */
export function needsLevelStatistics(set: CriteriaSet): boolean {
  return set.levels.some(needsPassOne);
}

function needsPassOne(level: CriteriaSet['levels'][number]): boolean {
  for (const decl of level.structure?.levelValues.values() ?? []) if (decl.source === 'statistic') return true;
  return false;
}

export function scoreSubmissions(set: CriteriaSet, submissions: readonly Submission[], options: SessionOptions = {}): ScoreRun {
  // structures (issue 11): pass one, the statistics and round values of each level that reads them.
  const runLevelValues = options.runLevelValues ?? levelValuesOfRun(set, submissions, options.roundValues);
  const session = createScoringSession(set, { ...options, runLevelValues });
  const units: UnitScore[] = [];
  const rejected: ScoreRun['rejected'] = [];
  for (const submission of submissions) {
    const result = session.score(submission);
    if ('unit' in result) units.push(result.unit);
    else rejected.push(result.rejected);
  }
  rankUnits(units);

  const problems: Problem[] = rejected.flatMap((r) => r.problems);
  for (const unit of units) {
    if (unit.problems.length) problems.push(...unit.problems);
    for (const c of unit.criteria) if (c.problems.length) problems.push(...c.problems);
  }
  return { year: set.year, levels: session.levels(), units, rejected, problems, provenance: session.provenance() };
}
