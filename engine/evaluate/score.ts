/**
 * Score units: read each reported value, evaluate each criterion's formula,
 * clamp to [0, max], round the exact rational, add up. A unit whose data has
 * an error gets every other criterion scored and no total (never a silent 0);
 * other units are unaffected.
 */
import type { CompiledCriterion, CompiledLevel } from '../compile/level.js';
import { isReadError, readInput } from '../compile/input-types.js';
import { EvalFailure, type Value } from '../compile/values.js';
import { isRational, Rational } from '../exact/rational.js';
import type { JsonValue, ReadMode, ScoringPolicy, Submission } from '../model.js';
import { problem, type Problem } from '../problems.js';
import { tracedRunner, type TracedRunner, type TraceNode } from './trace.js';
import { fastLevel, scoreFast, type FastLevel, type FastScore } from './fast.js';
import { exactRunner } from './walker.js';

export type { Submission };
// structures (issue 11): applicability, level values, structured totals
import { fillLevelValues, type LevelValues, type LevelValueUse } from './level-values.js';
import { checksUnits, checkUnitType, notApplicableScore, structuredTotals } from './structure-hooks.js';
import type { TotalsBreakdown } from './totals.js';

/** Points, exact, after clamping and rounding. */
export type Points = Rational;

export interface ScoreOptions {
  /** Give each scored criterion its trace, raw and exact value (rebuilt exactly when first read: free until used). Default true. */
  trace?: boolean;
  /**
   * Without traces, try the bounded-float fast path first (see
   * evaluate/fast.ts); it gives exactly the exact result or defers to the
   * exact path. Default true; false forces exact rationals everywhere (the
   * differential tests).
   */
  fast?: boolean;
  /** structures (issue 11): the level, so a missing level value can point at its declaration. */
  level?: CompiledLevel;
  /** structures (issue 11): the run's statistics and round values (engine/evaluate/statistics.ts); absent when a unit is scored alone. */
  levelValues?: LevelValues;
}

export interface CriterionScore {
  id: string;
  number: string;
  name: string;
  maxPoints: number;
  /** not_applicable (structures, issue 11): the criterion does not apply to the unit's type; never 0, never missing data. */
  status: 'scored' | 'error' | 'not_applicable';
  /** Final points: clamped and rounded. */
  points?: number;
  /** The formula's value before clamping and rounding, as decimal text (exact when it ends within 20 decimals); part of the explanation, so only with traces. */
  raw?: string;
  /** The same value as an exact fraction ("72/19", "13/20", "4"); only with traces. */
  exact?: string;
  /** The value after clamping to [0, max], before rounding; only when clamping changed it. */
  clamped?: string;
  /** The reported values, normalised. */
  inputs: Record<string, JsonValue>;
  trace?: TraceNode;
  problems: Problem[];
  /** structures (issue 11): the statistics and round values the formula read, and which unit set each best value. */
  levelValues?: LevelValueUse[];
}

/** Structured levels (issue 11) add base, bonus, penalty, applicable, groups and index (engine/evaluate/totals.ts). */
export interface UnitScore extends Partial<TotalsBreakdown> {
  id: string;
  name: string;
  level: string;
  levelName: string;
  year: number;
  /** complete: every criterion scored, total given. incomplete: some criterion has an error. rejected: could not be scored at all. */
  status: 'complete' | 'incomplete' | 'rejected';
  /** Sum of the rounded criterion points; only for complete units. */
  total?: number;
  totalPoints: number;
  /** Rank within the level among complete units (1 = best; ties share a rank). */
  rank?: number;
  /** structures (issue 11): the unit's type, when its level declares unit types. */
  type?: string;
  /** structures (issue 11): the unit's attributes as read (true/false or an option id), when its level declares unit attributes. */
  attributes?: Record<string, boolean | string>;
  criteria: CriterionScore[];
  problems: Problem[];
  /** The criteria file this unit was scored against and its SHA-256, so the score can be re-checked against the exact rules. */
  criteriaFile: string;
  criteriaSha256: string;
}

const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function scoreCriterion(
  criterion: CompiledCriterion,
  reported: unknown,
  policy: ScoringPolicy,
  context: { level: string; unit: string; mode: ReadMode },
  options: ScoreOptions = {},
): CriterionScore {
  const base = { id: criterion.id, number: criterion.number, name: criterion.name, maxPoints: criterion.maxPointsNumber };
  const where = { level: context.level, unit: context.unit, criterion: criterion.id };
  const problems: Problem[] = [];
  const inputs: Record<string, JsonValue> = {};
  const env: Value[] = criterion.envTemplate.slice();
  // structures (issue 11): statistics and round values into their slots, or a problem each.
  const levelUse = criterion.levelSlots ? fillLevelValues(criterion, env, options.levelValues, context.unit, where, options.level) : undefined;
  if (levelUse) problems.push(...levelUse.problems);

  if (reported !== undefined && !isPlainObject(reported)) {
    problems.push(
      problem(
        'submission.shape',
        {
          vi: `Số liệu của tiêu chí ${criterion.number} ("${criterion.id}") phải là một khối {tên_số_liệu: giá_trị}.`,
          en: `Data for criterion ${criterion.number} ("${criterion.id}") must be an object {input: value}.`,
        },
        where,
      ),
    );
    return { ...base, status: 'error', inputs, problems };
  }
  const given = (reported ?? {}) as Record<string, unknown>;

  for (const input of criterion.inputs) {
    if (!has(given, input.id) || given[input.id] === undefined) {
      problems.push(
        problem(
          'submission.missing-input',
          {
            vi: `Thiếu số liệu "${input.def.label}" (${criterion.id}.${input.id}) của tiêu chí ${criterion.number}.`,
            en: `Missing input "${input.def.label}" (${criterion.id}.${input.id}) of criterion ${criterion.number}.`,
          },
          {
            ...where,
            input: input.id,
            hint:
              input.def.type === 'date' && input.def.none_allowed
                ? { vi: `Nếu ${(input.def.none_label ?? 'chưa có').toLowerCase()}, ghi null (JSON) hoặc "${input.def.none_label ?? 'chưa có'}" (bảng tính).`, en: 'If there is none, write null (JSON) or the none label (spreadsheet).' }
                : { vi: 'Bổ sung số liệu; không để trống, vì ô trống không được tính là 0.', en: 'Report the value; an empty value is never taken as 0.' },
          },
        ),
      );
      continue;
    }
    const read = readInput(input.def, given[input.id], context.mode);
    if (isReadError(read)) {
      problems.push(problem(read.code, read.message, { ...where, input: input.id, ...(read.hint ? { hint: read.hint } : {}) }));
      continue;
    }
    inputs[input.id] = read.reported;
    if (input.slot !== undefined) env[input.slot] = read.value;
  }
  for (const key of Object.keys(given)) {
    if (!criterion.inputs.some((i) => i.id === key)) {
      problems.push(
        problem(
          'submission.unknown-input',
          { vi: `Tiêu chí ${criterion.number} ("${criterion.id}") không có số liệu "${key}".`, en: `Criterion ${criterion.number} ("${criterion.id}") has no input "${key}".` },
          { ...where, input: key, hint: { vi: `Các số liệu của tiêu chí: ${criterion.inputs.map((i) => i.id).join(', ')}.`, en: `Its inputs: ${criterion.inputs.map((i) => i.id).join(', ')}.` } },
        ),
      );
    }
  }
  if (problems.length) return { ...base, status: 'error', inputs, problems };

  let raw: Value;
  let trace: TraceNode | undefined;
  try {
    if (options.trace !== false) ({ value: raw, trace } = tracedRunnerOf(criterion)(env));
    else raw = exactRunner(criterion.formula)(env);
  } catch (err) {
    if (!(err instanceof EvalFailure)) throw err;
    problems.push(
      problem(
        err.code,
        {
          vi: `Không tính được điểm tiêu chí ${criterion.number} ("${criterion.id}"): ${err.detail.vi}.`,
          en: `Cannot score criterion ${criterion.number} ("${criterion.id}"): ${err.detail.en}.`,
        },
        { ...where, hint: { vi: 'Kiểm tra số liệu đã khai; nếu số liệu đúng, báo đơn vị chủ trì sửa công thức.', en: 'Check the reported data; if it is right, the formula needs fixing.' } },
      ),
    );
    return { ...base, status: 'error', inputs, problems };
  }
  if (!isRational(raw)) {
    // compileFormula guarantees a number type; this is a bug, not a user error.
    throw new Error(`tieuchi bug: formula of ${criterion.id} produced ${String(raw)}`);
  }
  const { points, clamped } = finalPoints(raw, criterion.maxPoints, policy);
  const { id, number, name, maxPoints } = base;
  const shown = points.toNumber();
  // The value before clamping and rounding belongs to the explanation: with traces only.
  // Plain literals rather than conditional spreads: the same key order, far fewer allocations.
  if (levelUse) {
    // structures (issue 11): a criterion that read level statistics or round values says which.
    const withValues: CriterionScore = { id, number, name, maxPoints, status: 'scored', points: shown, ...(trace ? { raw: raw.toDecimalText(20), exact: raw.toFraction() } : {}), ...(clamped === raw ? {} : { clamped: clamped.toString() }), inputs, ...(trace ? { trace } : {}), problems, levelValues: levelUse.used };
    return withValues;
  }
  if (trace) {
    const rawText = raw.toDecimalText(20);
    const exact = raw.toFraction();
    return clamped === raw
      ? { id, number, name, maxPoints, status: 'scored', points: shown, raw: rawText, exact, inputs, trace, problems }
      : { id, number, name, maxPoints, status: 'scored', points: shown, raw: rawText, exact, clamped: clamped.toString(), inputs, trace, problems };
  }
  return clamped === raw
    ? { id, number, name, maxPoints, status: 'scored', points: shown, inputs, problems }
    : { id, number, name, maxPoints, status: 'scored', points: shown, clamped: clamped.toString(), inputs, problems };
}

const tracedRunners = new WeakMap<CompiledCriterion, TracedRunner>();

/** The criterion's traced evaluator, built once (choice labels from its declared inputs). */
function tracedRunnerOf(criterion: CompiledCriterion): TracedRunner {
  let run = tracedRunners.get(criterion);
  if (!run) {
    const labels = new Map(criterion.inputs.map((i) => [i.id, new Map((i.def.options ?? []).map((o) => [o.id, o.label]))]));
    run = tracedRunner(criterion.formula, (name, option) => labels.get(name)?.get(option));
    tracedRunners.set(criterion, run);
  }
  return run;
}

/** Clamp to [0, max] when the policy says so, then round the exact value. */
export function finalPoints(raw: Rational, maxPoints: Rational, policy: ScoringPolicy): { clamped: Rational; points: Points } {
  const clamped = !policy.clamp_to_max ? raw : raw.isNegative() ? Rational.ZERO : raw.gt(maxPoints) ? maxPoints : raw;
  return { clamped, points: clamped.round(policy.rounding.decimals, policy.rounding.mode) };
}

/** Score one unit under one level's criteria. */
export function scoreUnit(level: CompiledLevel, submission: Submission, options: ScoreOptions = {}): UnitScore {
  const problems: Problem[] = [];
  const context = { level: level.id, unit: submission.id, mode: submission.mode };
  const inputs = isPlainObject(submission.inputs) ? submission.inputs : {};
  const plan = fastLevel(level);
  const count = level.criteria.length;
  // Each criterion's reported block, by index. Submissions usually list criteria in declared order:
  // those are taken as the keys come (V8's for-in fast path), the rest looked up below.
  // (A scratch array of the level's plan: scoring is synchronous and every slot is rewritten below.)
  const reportedBlocks = plan.reported;
  let taken = 0;
  let inOrder = true;
  for (const key in inputs) {
    if (!has(inputs, key)) continue;
    if (inOrder && taken < count && level.criteria[taken]!.id === key) {
      reportedBlocks[taken++] = inputs[key];
      continue;
    }
    inOrder = false;
    if (!plan.criterionIds.has(key)) {
      problems.push(
        problem(
          'submission.unknown-criterion',
          {
            vi: `Cấp "${level.name}" năm ${level.year} không có tiêu chí "${key}".`,
            en: `Level "${level.id}" of ${level.year} has no criterion "${key}".`,
          },
          {
            level: level.id,
            unit: submission.id,
            criterion: key,
            hint: {
              vi: `Kiểm tra mã tiêu chí (có thể tiêu chí đã bỏ hoặc gõ sai). Các mã của cấp này: ${level.criteria.map((c) => c.id).join(', ')}.`,
              en: `Check the id (retired or misspelt?). This level's ids: ${level.criteria.map((c) => c.id).join(', ')}.`,
            },
          },
        ),
      );
    }
  }
  for (let i = taken; i < count; i++) {
    const id = level.criteria[i]!.id;
    reportedBlocks[i] = has(inputs, id) ? inputs[id] : undefined;
  }
  const traced = options.trace !== false;
  // structures (issue 11): the unit's type, applicability, exact-only levels.
  const structure = level.structure;
  if (checksUnits(structure)) problems.push(...checkUnitType(level, submission));
  const useFast = plan.enabled && options.fast !== false && submission.mode === 'json';
  // A level whose formulas read level values passes them (and the level, to locate a missing one) to every criterion.
  const withLevel = structure?.levelValues.size ? { level, ...(options.levelValues ? { levelValues: options.levelValues } : {}) } : undefined;
  const untraced = withLevel ? { ...UNTRACED, ...withLevel } : UNTRACED;
  const tracedOptions = withLevel ? { ...TRACED, ...withLevel } : TRACED;
  const criteria: CriterionScore[] = [];
  let rebuild: TraceRebuild | undefined;
  let complete = problems.length === 0;
  for (let i = 0; i < count; i++) {
    const criterion = level.criteria[i]!;
    const reported = reportedBlocks[i];
    const notApplicable = structure?.shaped ? notApplicableScore(structure, criterion, reported, submission, level) : undefined;
    if (notApplicable) {
      criteria.push(notApplicable);
      continue;
    }
    // A criterion reading level values takes the exact path (its slots are filled per run); the others stay fast.
    const fast = useFast && !criterion.levelSlots ? scoreFast(plan.criteria[i]!, reported, plan) : undefined;
    let score: CriterionScore;
    // A trace is rebuilt (exactly, with the recorder) only when someone reads it: scoring with traces costs what scoring without does.
    if (fast && traced) score = new LazilyTracedScore(criterion, fast.points, fast.clampedText, fast.inputs, NO_PROBLEMS, reported, (rebuild ??= { level, context, options: tracedOptions }));
    else {
      score = fast ? fastScore(criterion, fast) : scoreCriterion(criterion, reported, level.doc.scoring, context, untraced);
      if (traced && score.status === 'scored') {
        score = new LazilyTracedScore(criterion, score.points!, score.clamped, score.inputs, score.problems, reported, (rebuild ??= { level, context, options: tracedOptions }), score.levelValues);
      }
    }
    if (score.status !== 'scored') complete = false;
    criteria.push(score);
  }
  if (structure?.shaped) return structuredTotals(level, structure, submission, criteria, problems, complete);
  // Two literals rather than a spread: same key order as before, one hidden class each.
  return complete
    ? {
        id: submission.id,
        name: submission.name,
        level: level.id,
        levelName: level.name,
        year: level.year,
        status: 'complete',
        total: unitTotal(criteria, plan),
        totalPoints: plan.totalPoints,
        criteria,
        problems,
        criteriaFile: level.file,
        criteriaSha256: level.sha256,
      }
    : {
        id: submission.id,
        name: submission.name,
        level: level.id,
        levelName: level.name,
        year: level.year,
        status: 'incomplete',
        totalPoints: plan.totalPoints,
        criteria,
        problems,
        criteriaFile: level.file,
        criteriaSha256: level.sha256,
      };
}

/**
 * A complete unit's total: the exact sum of its rounded criterion points
 * (the policy's `total: sum_of_rounded`), as a number. Each score is a whole
 * number of 10^-decimals, so summing those whole numbers is exact and
 * (divided once) gives the same double as the rational sum; very large or
 * very fine scores take the rational sum.
 */
export function unitTotal(criteria: readonly CriterionScore[], plan: FastLevel): number {
  const scale = plan.scale;
  let units = 0;
  for (const c of criteria) {
    const scaled = Math.round(c.points! * scale);
    if (!(Math.abs(scaled) < 1e15) || scale > 1e12) return criteria.reduce((sum, x) => sum.add(Rational.fromNumber(x.points!)), Rational.ZERO).toNumber();
    units += scaled;
  }
  return units / scale;
}

/**
 * A scored criterion has no problems; bulk scoring shares one frozen empty list rather than
 * allocating a million (appending to it throws instead of silently touching every score).
 */
const NO_PROBLEMS = Object.freeze([]) as unknown as Problem[];

const UNTRACED: ScoreOptions = { trace: false };
const TRACED: ScoreOptions = { trace: true };

/** What rebuilding a unit's traces needs, shared by its criteria's lazily traced scores. */
interface TraceRebuild {
  level: CompiledLevel;
  context: { level: string; unit: string; mode: ReadMode };
  options: ScoreOptions;
}

/**
 * A scored criterion whose `raw`, `exact` and `trace` are computed on first
 * read, by scoring the criterion again exactly with the recorder: scoring
 * with traces then costs what scoring without does, and a trace is paid for
 * only when it is explained or written. Reading the fields, explainCriterion
 * and JSON.stringify (toJSON, same key order as an eager score) see a plain
 * CriterionScore; a spread copies only the eager fields, so copy with
 * `plainScore` when the trace must travel.
 */
class LazilyTracedScore implements CriterionScore {
  readonly status = 'scored' as const;
  readonly clamped?: string;
  /** structures (issue 11): the level values the formula read (known untraced). */
  readonly levelValues?: LevelValueUse[];
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly maxPoints: number;
  // What the rebuild needs, held as fields (not a closure per criterion: fewer objects per unit), dropped once built.
  #criterion: CompiledCriterion | undefined;
  #reported: unknown;
  #rebuild: TraceRebuild | undefined;
  #full: CriterionScore | undefined;

  constructor(
    criterion: CompiledCriterion,
    readonly points: number,
    clamped: string | undefined,
    readonly inputs: Record<string, JsonValue>,
    readonly problems: Problem[],
    reported: unknown,
    rebuild: TraceRebuild,
    levelValues?: LevelValueUse[],
  ) {
    // The eager fields in the eager key order (a spread or Object.keys sees what an eager score has).
    this.id = criterion.id;
    this.number = criterion.number;
    this.name = criterion.name;
    this.maxPoints = criterion.maxPointsNumber;
    if (clamped !== undefined) this.clamped = clamped;
    if (levelValues !== undefined) this.levelValues = levelValues;
    this.#criterion = criterion;
    this.#reported = reported;
    this.#rebuild = rebuild;
  }

  #traced(): CriterionScore {
    if (!this.#full) {
      const rebuild = this.#rebuild!;
      const full = scoreCriterion(this.#criterion!, this.#reported, rebuild.level.doc.scoring, rebuild.context, rebuild.options);
      if (full.points !== this.points || full.clamped !== this.clamped) throw new Error(`tieuchi bug: ${this.id} scores ${this.points} untraced but ${full.points} traced`);
      this.#full = full;
      this.#criterion = undefined;
      this.#reported = undefined;
      this.#rebuild = undefined;
    }
    return this.#full;
  }

  get raw(): string | undefined {
    return this.#traced().raw;
  }

  get exact(): string | undefined {
    return this.#traced().exact;
  }

  get trace(): TraceNode | undefined {
    return this.#traced().trace;
  }

  toJSON(): CriterionScore {
    return plainScore(this);
  }
}

/** A score as a plain object with every field (a lazily traced one's trace computed), in the eager key order. */
export function plainScore(score: CriterionScore): CriterionScore {
  if (!(score instanceof LazilyTracedScore)) return score;
  const { id, number, name, maxPoints, status, points, raw, exact, clamped, inputs, trace, problems, levelValues } = score;
  if (levelValues !== undefined) return { id, number, name, maxPoints, status, points, raw, exact, ...(clamped === undefined ? {} : { clamped }), inputs, trace, problems, levelValues };
  return clamped === undefined
    ? { id, number, name, maxPoints, status, points, raw, exact, inputs, trace, problems }
    : { id, number, name, maxPoints, status, points, raw, exact, clamped, inputs, trace, problems };
}


/** A fast-path score, in exactly the exact path's shape (without traces there is no `raw`). */
function fastScore(criterion: CompiledCriterion, fast: FastScore): CriterionScore {
  const { inputs, points, clampedText } = fast;
  // Two literals rather than a conditional spread: one hidden class each, the decimal path's key order.
  return clampedText === undefined
    ? { id: criterion.id, number: criterion.number, name: criterion.name, maxPoints: criterion.maxPointsNumber, status: 'scored', points, inputs, problems: NO_PROBLEMS }
    : { id: criterion.id, number: criterion.number, name: criterion.name, maxPoints: criterion.maxPointsNumber, status: 'scored', points, clamped: clampedText, inputs, problems: NO_PROBLEMS };
}

/** Competition ranking (1, 2, 2, 4) by total, within each level; incomplete units get no rank. */
export function rankUnits(units: UnitScore[]): void {
  const byLevel = new Map<string, UnitScore[]>();
  for (const unit of units) {
    if (unit.status !== 'complete') continue;
    const group = byLevel.get(unit.level);
    if (group) group.push(unit);
    else byLevel.set(unit.level, [unit]);
  }
  for (const group of byLevel.values()) {
    group.sort((a, b) => b.total! - a.total!);
    group.forEach((unit, i) => {
      const previous = group[i - 1];
      unit.rank = previous && previous.total === unit.total ? previous.rank! : i + 1;
    });
  }
}
