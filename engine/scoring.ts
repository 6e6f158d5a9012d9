/**
 * Score many submissions against a criteria set: route each to its level,
 * score it, rank within each level, and record the provenance needed to
 * re-check the result later against the exact rules that produced it.
 */
import type { CriteriaSet } from './criteria-set.js';
import type { Submission } from './model.js';
import { engineVersion } from './paths.js';
import { problem, type Problem } from './problems.js';
import { rankUnits, scoreUnit, type ScoreOptions, type UnitScore } from './evaluate/score.js';
import { levelValuesOfRun, type RoundValues } from './evaluate/statistics.js'; // structures (issue 11)
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

export function scoreSubmissions(set: CriteriaSet, submissions: readonly Submission[], options: ScoreOptions & { now?: Date; roundValues?: RoundValues } = {}): ScoreRun {
  const levels = new Map(set.levels.map((l) => [l.id, l]));
  // structures (issue 11): pass one, the statistics and round values of each level that reads them.
  const levelValues = levelValuesOfRun(set, submissions, options.roundValues);
  const units: UnitScore[] = [];
  const rejected: ScoreRun['rejected'] = [];
  const seen = new Map<string, Submission>();

  for (const submission of submissions) {
    const level = levels.get(submission.level);
    if (!level) {
      rejected.push({
        id: submission.id,
        name: submission.name,
        level: submission.level,
        problems: [
          problem(
            'submission.unknown-level',
            { vi: `Đơn vị "${submission.id}" ghi cấp "${submission.level}", nhưng bộ tiêu chí năm ${set.year} không có cấp này.`, en: `Unit "${submission.id}" names level "${submission.level}", which the ${set.year} criteria do not have.` },
            {
              unit: submission.id,
              level: submission.level,
              hint: { vi: `Các cấp năm ${set.year}: ${set.levels.map((l) => `${l.id} (${l.name})`).join(', ')}.`, en: `Levels in ${set.year}: ${set.levels.map((l) => l.id).join(', ')}.` },
            },
          ),
        ],
      });
      continue;
    }
    const key = `${submission.level}\u0000${submission.id}`;
    const first = seen.get(key);
    if (first) {
      rejected.push({
        id: submission.id,
        name: submission.name,
        level: submission.level,
        problems: [
          problem('submission.duplicate-unit', { vi: `Đơn vị "${submission.id}" có hai bộ số liệu ở cấp ${level.name}; bộ sau bị bỏ qua.`, en: `Unit "${submission.id}" is submitted twice in level ${level.id}; the later one is ignored.` }, {
            unit: submission.id,
            level: level.id,
            hint: { vi: 'Giữ một bộ số liệu cho mỗi đơn vị.', en: 'Keep one submission per unit.' },
          }),
        ],
      });
      continue;
    }
    seen.set(key, submission);
    const values = levelValues.get(level.id);
    units.push(locateProblems(scoreUnit(level, submission, values ? { ...options, levelValues: values } : options), submission));
  }
  rankUnits(units);

  const problems: Problem[] = rejected.flatMap((r) => r.problems);
  for (const unit of units) {
    if (unit.problems.length) problems.push(...unit.problems);
    for (const c of unit.criteria) if (c.problems.length) problems.push(...c.problems);
  }
  const firstLevel = set.levels[0]!;
  return {
    year: set.year,
    levels: set.levels.map((l) => ({
      id: l.id,
      name: l.name,
      order: l.order,
      totalPoints: l.totalPoints.toNumber(),
      criteria: l.criteria.map((c) => ({ id: c.id, number: c.number, name: c.name, maxPoints: c.maxPoints.toNumber() })),
      ...(l.structure?.shaped ? { structure: levelSummaryStructure(l) } : {}),
    })),
    units,
    rejected,
    problems,
    provenance: {
      engine: 'tieuchi',
      engineVersion: engineVersion(),
      year: set.year,
      decision: { number: firstLevel.doc.decision.number, date: firstLevel.doc.decision.date, issuer: firstLevel.doc.decision.issuer },
      files: set.levels.map((l) => ({ level: l.id, file: l.file, sha256: l.sha256 })),
      rounding: {
        decimals: firstLevel.doc.scoring.rounding.decimals,
        mode: firstLevel.doc.scoring.rounding.mode,
        total: firstLevel.doc.scoring.total,
        clampToMax: firstLevel.doc.scoring.clamp_to_max,
      },
      scoredAt: (options.now ?? new Date()).toISOString(),
    },
  };
}
