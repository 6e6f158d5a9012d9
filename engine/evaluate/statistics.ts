/**
 * Level values (issue 11): what a formula may read besides the unit's own
 * data and the file's parameters.
 *
 * - Statistics over the units being scored together (max, min, mean, sum,
 *   count of an input or of another criterion's points; a unit's rank).
 *   Scoring is then two-pass: first every unit's value is read, then every
 *   unit is scored against the same statistics. Units are taken in input
 *   order, but every statistic is order-free (ties list every unit that set
 *   the value, sorted by id), so the result does not depend on file order.
 * - Round values, supplied once per round (engine/load/round-values.ts).
 *
 * A value that is not there (too few units, a unit scored alone, a round
 * value not supplied) is a located problem on every criterion that needs
 * it: never a silent number.
 */
import type { CompiledLevel } from '../compile/level.js';
import type { CriteriaSet } from '../criteria-set.js';
import { isReadError, readInput } from '../compile/input-types.js';
import { appliesTo, statisticSource, type LevelValueDecl } from '../compile/structure.js';
import { isRational, Rational } from '../exact/rational.js';
import type { Submission } from '../model.js';
import { scoreCriterion } from './score.js';
import { unitAttributesOf } from './structure-hooks.js';
import type { LevelValues, ResolvedLevelValue, RoundValues } from './level-values.js';

export type { LevelValues, ResolvedLevelValue, RoundValues } from './level-values.js';

/**
 * Pass one, one submission at a time: keeps, per statistic, only each unit's
 * value of what the statistic is over (a unit id and a rational), so a
 * streamed run holds no submission while it collects. The caller passes each
 * level's own submissions, first of duplicates only.
 */
export interface LevelValueCollector {
  add(submission: Submission): void;
  /** Where the samples stand now; `rollback` drops what was added since (a file that turned out unreadable). */
  checkpoint(): number[];
  rollback(mark: readonly number[]): void;
  finish(): LevelValues;
}

export function collectLevelValues(level: CompiledLevel, roundValues: RoundValues | undefined): LevelValueCollector {
  const decls = [...(level.structure?.levelValues.values() ?? [])];
  const statistics = decls.filter((d) => d.source === 'statistic');
  const samples = new Map<string, { unit: string; value: Rational }[]>(statistics.map((d) => [d.name, []]));
  return {
    add(submission) {
      for (const decl of statistics) {
        const value = sampleOf(level, decl, submission);
        // A private copy of the id: a string cut from a large chunk of a file keeps the chunk alive otherwise.
        if (value !== undefined) samples.get(decl.name)!.push({ unit: (' ' + submission.id).slice(1), value });
      }
    },
    checkpoint: () => statistics.map((d) => samples.get(d.name)!.length),
    rollback(mark) {
      statistics.forEach((d, i) => (samples.get(d.name)!.length = mark[i]!));
    },
    finish() {
      const values = new Map<string, ResolvedLevelValue>();
      for (const decl of decls) values.set(decl.name, decl.source === 'round' ? resolveRound(decl, roundValues) : resolveStatistic(decl, samples.get(decl.name)!));
      return { level: level.id, values };
    },
  };
}

/** Pass one over submissions in memory. */
export function resolveLevelValues(level: CompiledLevel, submissions: readonly Submission[], roundValues: RoundValues | undefined): LevelValues {
  const collector = collectLevelValues(level, roundValues);
  for (const submission of submissions) collector.add(submission);
  return collector.finish();
}

function resolveRound(decl: LevelValueDecl, roundValues: RoundValues | undefined): ResolvedLevelValue {
  const value = roundValues?.get(decl.name);
  return { name: decl.name, source: 'round', label: decl.label, ...(value !== undefined ? { value } : {}) };
}

/** One unit's value of what a statistic is over: an input as read, or the points of a criterion; undefined when it has none. */
function sampleOf(level: CompiledLevel, decl: LevelValueDecl, submission: Submission): Rational | undefined {
  const { criterion: criterionId, input: inputId } = statisticSource(decl.statistic!);
  const criterion = level.criteria.find((c) => c.id === criterionId)!;
  if (!appliesTo(level.structure?.places.get(criterionId), submission.type, unitAttributesOf(level, submission))) return undefined;
  const inputs = submission.inputs !== null && typeof submission.inputs === 'object' ? (submission.inputs as Record<string, unknown>) : {};
  const reported = Object.prototype.hasOwnProperty.call(inputs, criterionId) ? inputs[criterionId] : undefined;
  if (inputId !== undefined) {
    const def = criterion.def.inputs[inputId]!;
    const block = reported !== null && typeof reported === 'object' && !Array.isArray(reported) ? (reported as Record<string, unknown>) : undefined;
    if (!block || !Object.prototype.hasOwnProperty.call(block, inputId) || block[inputId] === undefined) return undefined;
    const read = readInput(def, block[inputId], submission.mode);
    return isReadError(read) || !isRational(read.value) ? undefined : read.value;
  }
  const score = scoreCriterion(criterion, reported, level.doc.scoring, { level: level.id, unit: submission.id, mode: submission.mode }, { trace: false });
  return score.status === 'scored' ? Rational.fromNumber(score.points!) : undefined;
}

function resolveStatistic(decl: LevelValueDecl, samples: readonly { unit: string; value: Rational }[]): ResolvedLevelValue {
  const statistic = decl.statistic!;
  const head = { name: decl.name, source: 'statistic' as const, label: decl.label };
  const needed = statistic.min_units ?? 2;
  if (samples.length < needed) {
    const n = samples.length;
    return { ...head, over: n, unavailable: { vi: `lần chấm này chỉ có ${n} đơn vị có số liệu "${statistic.of}", cần ít nhất ${needed}`, en: `this run has ${n} unit(s) with "${statistic.of}", at least ${needed} needed` } };
  }
  const over = samples.length;
  switch (statistic.stat) {
    case 'max':
    case 'min': {
      let best = samples[0]!.value;
      for (const s of samples) if (statistic.stat === 'max' ? s.value.gt(best) : s.value.lt(best)) best = s.value;
      const setBy = samples.filter((s) => s.value.equals(best)).map((s) => s.unit).sort();
      return { ...head, value: best, setBy, over };
    }
    case 'sum':
    case 'mean': {
      let sum = Rational.ZERO;
      for (const s of samples) sum = sum.add(s.value);
      // A mean is the exact rational sum / count (250/3 stays 250/3).
      return { ...head, value: statistic.stat === 'sum' ? sum : sum.div(Rational.fromNumber(over)), over };
    }
    case 'count':
      return { ...head, value: Rational.fromNumber(over), over };
    case 'rank': {
      // Competition ranking, 1 = highest value (ties share it); a unit without a value has no rank (a problem for that unit).
      const sorted = [...samples].sort((a, b) => b.value.compare(a.value));
      const byUnit = new Map<string, Rational>();
      sorted.forEach((s, i) => {
        const rank = i > 0 && sorted[i - 1]!.value.equals(s.value) ? byUnit.get(sorted[i - 1]!.unit)! : Rational.fromNumber(i + 1);
        byUnit.set(s.unit, rank);
      });
      return { ...head, byUnit, over, unavailable: { vi: `đơn vị không có số liệu "${statistic.of}" hợp lệ nên không có thứ hạng`, en: `the unit has no valid "${statistic.of}", so no rank` } };
    }
  }
}

/**
 * Pass one for a whole run, one submission at a time: each level that reads
 * level values, over its own submissions (the first of duplicates, as scoring
 * keeps). A streamed run feeds it in a first read of its inputs, keeping only
 * the statistics' samples.
 */
export interface RunLevelValueCollector {
  add(submission: Submission): void;
  /** Mark the start of a file; `rollback()` drops every unit added since (the file could not be read to its end). */
  checkpoint(): void;
  rollback(): void;
  finish(): Map<string, LevelValues>;
}

export function collectRunLevelValues(set: CriteriaSet, roundValues: RoundValues | undefined): RunLevelValueCollector {
  const collectors = new Map<string, { collector: LevelValueCollector; seen: Set<string>; mark: number[]; since: string[] }>();
  for (const level of set.levels) if (level.structure?.levelValues.size) collectors.set(level.id, { collector: collectLevelValues(level, roundValues), seen: new Set(), mark: [], since: [] });
  return {
    add(submission) {
      const entry = collectors.get(submission.level);
      if (!entry || entry.seen.has(submission.id)) return;
      const id = (' ' + submission.id).slice(1);
      entry.seen.add(id);
      entry.since.push(id);
      entry.collector.add(submission);
    },
    checkpoint() {
      for (const entry of collectors.values()) {
        entry.mark = entry.collector.checkpoint();
        entry.since = [];
      }
    },
    rollback() {
      for (const entry of collectors.values()) {
        entry.collector.rollback(entry.mark);
        for (const id of entry.since) entry.seen.delete(id);
        entry.since = [];
      }
    },
    finish: () => new Map([...collectors].map(([id, { collector }]) => [id, collector.finish()])),
  };
}

export function levelValuesOfRun(set: CriteriaSet, submissions: readonly Submission[], roundValues: RoundValues | undefined): Map<string, LevelValues> {
  const run = collectRunLevelValues(set, roundValues);
  for (const submission of submissions) run.add(submission);
  return run.finish();
}
