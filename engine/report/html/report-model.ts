/**
 * What the results report shows, as plain data computed from a score run:
 * per level the ranking, every unit's points per criterion (share of the
 * maximum for the heat map), per criterion the spread across units, the
 * units with data problems, and optionally the change against another year
 * or round. Rendering (HTML, charts) is elsewhere; this is testable alone.
 */
import type { CriteriaSet } from '../../criteria-set.js';
import type { ImpactReport } from '../../diff/impact.js';
import type { Problem } from '../../problems.js';
import type { ScoreRun } from '../../scoring.js';
import { isDraftSet } from './draft.js';
import { applicableOf, levelSummaryStructure, unitTypeLabel } from '../structure.js'; // structures (issue 11)

export interface ReportCriterion {
  id: string;
  number: string;
  name: string;
  maxPoints: number;
  /** structures (issue 11): information only ("không tính điểm"): reported, never counted in the total. */
  infoOnly?: boolean;
}

export interface ReportUnit {
  id: string;
  name: string;
  rank?: number;
  total?: number;
  /** Per criterion (in the level's order): the points, or null when the criterion could not be scored. */
  points: (number | null)[];
  /** structures (issue 11): per criterion, true when it does not apply to the unit ("không áp dụng": neither 0 nor missing). */
  notApplicable?: boolean[];
  /** structures (issue 11): the unit's type by its declared name, its attributes in words (the level's order), what applies. */
  type?: string;
  attributes?: (boolean | string | undefined)[];
  applicable?: { earned?: number; maxPoints?: number };
  /** structures (issue 11): the total as a 0–1 index, when the file shows one. */
  index?: number;
}

export interface CriterionStats {
  id: string;
  number: string;
  name: string;
  maxPoints: number;
  /** Units scored on this criterion. */
  units: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  /** Population standard deviation of the points. */
  sd: number;
  /** Mean as a share of the maximum, 0..1. */
  meanShare: number;
  /** Units at full marks, and at 0. */
  full: number;
  zero: number;
  /** Among the three lowest mean shares of the level (where the province is weak). */
  weak: boolean;
}

export interface ProblemUnit extends ReportUnit {
  status: 'incomplete' | 'rejected';
  problems: Problem[];
}

export interface ComparisonRow {
  id: string;
  name: string;
  old: { total?: number; rank?: number; status: 'complete' | 'incomplete' | 'absent' };
  new: { total?: number; rank?: number; status: 'complete' | 'incomplete' | 'absent' };
  delta?: number;
  /** Old rank − new rank: positive means the unit moved up. */
  rankChange?: number;
}

export interface Comparison {
  /** rules: the same data under another criteria set (impactOfChange); data: another year's or round's results. */
  kind: 'rules' | 'data';
  /** How the other side is named ("Năm 2022", "criteria/2023"). */
  from: string;
  to: string;
  byLevel: Map<string, ComparisonRow[]>;
}

export interface LevelReport {
  id: string;
  name: string;
  totalPoints: number;
  decimals: number;
  /** structures (issue 11): what the ranking shows of each unit besides its points: its type, attributes, what applies. */
  structure?: { typed: boolean; attributes: { id: string; label: string; options?: { id: string; label: string }[] }[]; applicability: boolean; rescale: boolean; indexDecimals?: number };
  criteria: ReportCriterion[];
  /** Complete units, by rank. */
  ranked: ReportUnit[];
  problemUnits: ProblemUnit[];
  stats: CriterionStats[];
  comparison?: ComparisonRow[];
}

export interface ReportFile {
  /** As shown (relative path). */
  file: string;
  sha256: string;
  /** criteria: a criteria file of the set; input: a submission file; compare: a file of the compared side. */
  role: 'criteria' | 'input' | 'compare-criteria' | 'compare-input';
}

export interface ResultsReport {
  year: number;
  draft: boolean;
  decision: { number: string; date: string; issuer: string; title: string };
  levels: LevelReport[];
  files: ReportFile[];
  engineVersion: string;
  /** ISO timestamp of the scoring run. */
  scoredAt: string;
  rounding: ScoreRun['provenance']['rounding'];
  comparison?: { kind: Comparison['kind']; from: string; to: string };
  /** Problems not tied to a unit of a known level (unreadable files, unknown levels). */
  otherProblems: Problem[];
}

/** Points are rounded to `decimals` places: as integers of that scale, sums are exact. */
function scaled(value: number, decimals: number): number {
  return Math.round(value * 10 ** decimals);
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

export function criterionStats(criterion: ReportCriterion, values: readonly number[], decimals: number): Omit<CriterionStats, 'weak'> {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const sum = sorted.reduce((s, v) => s + scaled(v, decimals), 0) / 10 ** decimals;
  const mean = n ? sum / n : 0;
  const variance = n ? sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / n : 0;
  return {
    ...criterion,
    units: n,
    mean,
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? 0,
    max: sorted[n - 1] ?? 0,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    sd: Math.sqrt(variance),
    meanShare: n && criterion.maxPoints > 0 ? mean / criterion.maxPoints : 0,
    full: sorted.filter((v) => v >= criterion.maxPoints).length,
    zero: sorted.filter((v) => v === 0).length,
  };
}

export interface ReportOptions {
  files?: ReportFile[];
  comparison?: Comparison;
}

export function buildResultsReport(set: CriteriaSet, run: ScoreRun, options: ReportOptions = {}): ResultsReport {
  const levels: LevelReport[] = [];
  const knownLevels = new Set(set.levels.map((l) => l.id));
  for (const level of set.levels) {
    const criteria = level.criteria.map((c) => ({ id: c.id, number: c.number, name: c.name, maxPoints: c.maxPointsNumber, ...(c.def.kind === 'info' ? { infoOnly: true } : {}) }));
    const decimals = level.doc.scoring.rounding.decimals;
    const units = run.units.filter((u) => u.level === level.id);
    const index = new Map(criteria.map((c, i) => [c.id, i]));
    const summary = level.structure?.shaped ? levelSummaryStructure(level) : undefined;
    const toReport = (u: (typeof units)[number]): ReportUnit => {
      const points: (number | null)[] = criteria.map(() => null);
      const notApplicable: boolean[] = criteria.map(() => false);
      for (const c of u.criteria) {
        const i = index.get(c.id);
        if (i !== undefined && c.status === 'scored' && c.points !== undefined) points[i] = c.points;
        if (i !== undefined && c.status === 'not_applicable') notApplicable[i] = true;
      }
      return {
        id: u.id,
        name: u.name,
        ...(u.rank === undefined ? {} : { rank: u.rank }),
        ...(u.total === undefined ? {} : { total: u.total }),
        points,
        // structures (issue 11)
        ...(notApplicable.some(Boolean) ? { notApplicable } : {}),
        ...(summary?.unitTypes.length && u.type !== undefined ? { type: unitTypeLabel(summary, u.type)! } : {}),
        ...(summary?.attributes.length ? { attributes: summary.attributes.map((a) => u.attributes?.[a.id]) } : {}),
        ...(summary?.hasApplicability && u.applicable ? { applicable: applicableOf(u) } : {}),
        ...(summary?.indexDecimals !== undefined && u.index !== undefined ? { index: u.index } : {}),
      };
    };
    const ranked = units
      .filter((u) => u.status === 'complete' && u.rank !== undefined)
      .sort((a, b) => a.rank! - b.rank! || (a.id < b.id ? -1 : 1))
      .map(toReport);
    const problemUnits: ProblemUnit[] = units
      .filter((u) => u.status !== 'complete')
      .map((u) => ({ ...toReport(u), status: u.status === 'rejected' ? 'rejected' : 'incomplete', problems: [...u.problems, ...u.criteria.flatMap((c) => c.problems)] }));
    for (const r of run.rejected) {
      if (r.level === level.id) problemUnits.push({ id: r.id ?? '?', name: r.name ?? '', points: criteria.map(() => null), status: 'rejected', problems: r.problems });
    }
    // Spread over every unit scored on the criterion, complete or not: a unit with one bad input still tells where the others stand.
    const all = units.map(toReport);
    const stats = criteria.map((c, i) =>
      criterionStats(
        c,
        all.map((u) => u.points[i]).filter((p): p is number => p !== null),
        decimals,
      ),
    );
    const weakest = new Set(
      [...stats]
        .filter((s) => s.units > 0)
        .sort((a, b) => a.meanShare - b.meanShare)
        .slice(0, 3)
        .map((s) => s.id),
    );
    const comparison = options.comparison?.byLevel.get(level.id);
    levels.push({
      id: level.id,
      name: level.name,
      totalPoints: level.totalPoints.toNumber(),
      decimals,
      ...(summary ? { structure: { typed: summary.unitTypes.length > 0, attributes: summary.attributes.map((a) => ({ id: a.id, label: a.label, ...(a.options ? { options: a.options } : {}) })), applicability: summary.hasApplicability, rescale: summary.notApplicable !== 'none', ...(summary.indexDecimals !== undefined ? { indexDecimals: summary.indexDecimals } : {}) } } : {}),
      criteria,
      ranked,
      problemUnits,
      stats: stats.map((s) => ({ ...s, weak: weakest.has(s.id) })),
      ...(comparison ? { comparison } : {}),
    });
  }
  const decision = set.levels[0]!.doc.decision;
  return {
    year: set.year,
    draft: isDraftSet(set),
    decision: { number: decision.number, date: decision.date, issuer: decision.issuer, title: decision.title },
    levels,
    files: options.files ?? run.provenance.files.map((f) => ({ file: f.file, sha256: f.sha256, role: 'criteria' as const })),
    engineVersion: run.provenance.engineVersion,
    scoredAt: run.provenance.scoredAt,
    rounding: run.provenance.rounding,
    ...(options.comparison ? { comparison: { kind: options.comparison.kind, from: options.comparison.from, to: options.comparison.to } } : {}),
    otherProblems: [...run.rejected.filter((r) => !r.level || !knownLevels.has(r.level)).flatMap((r) => r.problems), ...run.problems.filter((p) => !p.unit)],
  };
}

/** The same data under two criteria sets (a draft against the rules in force): impactOfChange's rows, per level. */
export function comparisonFromImpact(impact: ImpactReport, labels: { from: string; to: string }): Comparison {
  const byLevel = new Map<string, ComparisonRow[]>();
  for (const level of impact.levels) {
    byLevel.set(
      level.id,
      level.units.map((u) => ({
        id: u.id,
        name: u.name,
        old: { status: u.old.status === 'no-level' ? 'absent' : u.old.status, ...(u.old.total === undefined ? {} : { total: u.old.total }), ...(u.old.rank === undefined ? {} : { rank: u.old.rank }) },
        new: { status: u.new.status === 'no-level' ? 'absent' : u.new.status, ...(u.new.total === undefined ? {} : { total: u.new.total }), ...(u.new.rank === undefined ? {} : { rank: u.new.rank }) },
        ...(u.delta === undefined ? {} : { delta: u.delta }),
        ...(u.rankChange === undefined ? {} : { rankChange: u.rankChange }),
      })),
    );
  }
  return { kind: 'rules', ...labels, byLevel };
}

/** Another year's (or round's) results against this one: units matched by level and id. */
export function comparisonFromRuns(before: ScoreRun, after: ScoreRun, labels: { from: string; to: string }): Comparison {
  const key = (level: string, id: string) => `${level}\u0000${id}`;
  const old = new Map(before.units.map((u) => [key(u.level, u.id), u]));
  const byLevel = new Map<string, ComparisonRow[]>();
  const side = (u: (typeof after.units)[number] | undefined): ComparisonRow['old'] =>
    u ? { status: u.status === 'complete' ? 'complete' : 'incomplete', ...(u.total === undefined ? {} : { total: u.total }), ...(u.rank === undefined ? {} : { rank: u.rank }) } : { status: 'absent' };
  const seen = new Set<string>();
  for (const u of after.units) {
    const k = key(u.level, u.id);
    seen.add(k);
    const before = old.get(k);
    const row: ComparisonRow = { id: u.id, name: u.name, old: side(before), new: side(u) };
    if (row.old.total !== undefined && row.new.total !== undefined) row.delta = Math.round((row.new.total - row.old.total) * 1e6) / 1e6;
    if (row.old.rank !== undefined && row.new.rank !== undefined) row.rankChange = row.old.rank - row.new.rank;
    byLevel.set(u.level, [...(byLevel.get(u.level) ?? []), row]);
  }
  // Units of last year that this year's results lack: listed, so nobody silently disappears.
  for (const u of before.units) {
    if (seen.has(key(u.level, u.id))) continue;
    byLevel.set(u.level, [...(byLevel.get(u.level) ?? []), { id: u.id, name: u.name, old: side(u), new: { status: 'absent' } }]);
  }
  for (const rows of byLevel.values()) rows.sort((a, b) => (a.new.rank ?? Infinity) - (b.new.rank ?? Infinity) || (a.old.rank ?? Infinity) - (b.old.rank ?? Infinity) || (a.id < b.id ? -1 : 1));
  return { kind: 'data', ...labels, byLevel };
}
