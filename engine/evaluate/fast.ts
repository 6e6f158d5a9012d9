/**
 * The fast path for scoring without traces: the walker's bounded-float
 * domain (language/bounded.ts) evaluates a criterion and keeps the result
 * only when the bound proves every decision — each comparison, the clamping
 * and the rounding — is the one the exact rational evaluation makes.
 * Otherwise (a value too close to call, 9,85 on a rounding boundary, a
 * division by zero, a value that is not plainly valid) the criterion is
 * scored exactly. The fast path only ever returns what the exact path would
 * (test/conformance.test.ts, test/fast-path.test.ts).
 *
 * Only strict JSON submissions take this path; CSV and spreadsheet text, and
 * runs with traces, always use the exact path.
 */
import type { CompiledCriterion, CompiledLevel } from '../compile/level.js';
import { isRational, type RoundingMode } from '../exact/rational.js';
import { bound, compareNumbers, constantError, U, UNCERTAIN } from '../language/bounded.js';
import type { FloatReader } from '../language/input-type.js';
import type { FloatRun } from '../language/operator.js';
import { inputTypeOf } from '../language/registry.js';
import type { JsonValue, ScoringPolicy } from '../model.js';
import { floatRunner } from './walker.js';

interface FastInput {
  id: string;
  read: FloatReader;
  /** Slot in the evaluation array, or −1 when the formula does not read it. */
  slot: number;
}

export interface FastCriterion {
  inputs: FastInput[];
  run: FloatRun;
  /** Evaluation slots, reused: parameters and max_points filled once, inputs per unit. */
  values: unknown[];
  errors: Float64Array;
  max: number;
  maxError: number;
  /** Points when the score is clamped to the maximum, and the maximum's exact text. */
  maxPoints: number;
  maxText: string;
}

export interface FastLevel {
  /** false when the policy rounds to more decimals than a double carries: always exact. */
  enabled: boolean;
  criteria: FastCriterion[];
  criterionIds: Set<string>;
  /** Scratch for scoreUnit: each criterion's reported block of the unit being scored. */
  reported: unknown[];
  totalPoints: number;
  /** 10^decimals of the rounding policy. */
  scale: number;
  mode: RoundingMode;
  clamp: boolean;
}

const levels = new WeakMap<CompiledLevel, FastLevel>();

/** The float plan of a compiled level, built once per level and cached. */
export function fastLevel(level: CompiledLevel): FastLevel {
  let plan = levels.get(level);
  if (!plan) {
    const policy = level.doc.scoring;
    plan = {
      enabled: policy.rounding.decimals >= 0 && policy.rounding.decimals <= 12,
      criteria: level.criteria.map((c) => fastCriterion(c, policy)),
      criterionIds: new Set(level.criteria.map((c) => c.id)),
      reported: new Array<unknown>(level.criteria.length).fill(undefined),
      totalPoints: level.totalPoints.toNumber(),
      scale: 10 ** policy.rounding.decimals,
      mode: policy.rounding.mode,
      clamp: policy.clamp_to_max,
    };
    levels.set(level, plan);
  }
  return plan;
}

function fastCriterion(criterion: CompiledCriterion, policy: ScoringPolicy): FastCriterion {
  const values: unknown[] = criterion.envTemplate.map((v) => (isRational(v) ? v.toNumber() : v));
  const errors = new Float64Array(values.length);
  criterion.envTemplate.forEach((v, i) => {
    if (isRational(v)) errors[i] = v.isInteger() && Number.isSafeInteger(values[i]) ? 0 : constantError(values[i] as number);
  });
  const max = criterion.maxPoints.toNumber();
  return {
    inputs: criterion.inputs.map((input) => ({ id: input.id, read: inputTypeOf(input.def.type).floatReader(input.def), slot: input.slot ?? -1 })),
    run: floatRunner(criterion.formula),
    values,
    errors,
    max,
    maxError: criterion.maxPoints.isInteger() ? 0 : constantError(max),
    maxPoints: criterion.maxPoints.round(policy.rounding.decimals, policy.rounding.mode).toNumber(),
    maxText: criterion.maxPoints.toString(),
  };
}

export interface FastScore {
  points: number;
  /** Set when clamping changed the value: its text. */
  clampedText: string | undefined;
  /** The reported values in declared order (the submission's own object when already so). */
  inputs: Record<string, JsonValue>;
}

const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** scoreFast's answer, reused: read it before the next call (saves an allocation per criterion). */
const FAST_OUT: FastScore = { points: 0, clampedText: undefined, inputs: {} };

/**
 * Score one criterion on bounded floats, or undefined when the exact path
 * must decide. The answer is a shared object, valid until the next call.
 */
export function scoreFast(fast: FastCriterion, reported: unknown, level: FastLevel): FastScore | undefined {
  if (reported === null || typeof reported !== 'object' || Array.isArray(reported)) return undefined;
  const given = reported as Record<string, unknown>;
  const { values, errors, inputs } = fast;
  // The usual submission lists its inputs in declared order: read them as the keys come (V8's
  // for-in fast path), and check that the keys are exactly the declared ones (an unknown input is
  // the exact path's to report). Any other order takes the look-up below.
  let keys = 0;
  let ordered = true;
  for (const key in given) {
    if (!has(given, key)) continue;
    const input = inputs[keys++];
    if (input === undefined) return undefined;
    if (!ordered || input.id !== key) {
      ordered = false;
      continue;
    }
    const raw = given[key];
    if (raw === undefined || !input.read(raw, values, errors, input.slot)) return undefined;
  }
  if (keys !== inputs.length) return undefined;
  if (!ordered) {
    for (const input of inputs) {
      const raw = given[input.id];
      if (raw === undefined || !has(given, input.id)) return undefined;
      if (!input.read(raw, values, errors, input.slot)) return undefined;
    }
  }

  const decided = decideFast(fast, level);
  if (!decided) return undefined;
  const out = FAST_OUT;
  out.points = decided.points;
  out.clampedText = decided.clampedText;
  // Every value passed its reader, so each is already what the exact reading normalises it to.
  out.inputs = ordered ? (given as Record<string, JsonValue>) : inDeclaredOrder(given, inputs);
  return out;
}

/** decideFast's answer, reused: read it before the next call. */
const DECIDED: { points: number; clampedText: string | undefined } = { points: 0, clampedText: undefined };

/**
 * Evaluate a criterion whose input slots (`fast.values`, `fast.errors`) are
 * filled, then clamp and round as the exact path would; undefined when the
 * exact path must decide. bulk (issue 9): shared by scoreFast and the direct
 * byte reader of the parallel `tieuchi score` (engine/load/json-direct.ts),
 * which fills the slots without building the parsed entry. The answer is a
 * shared object, valid until the next call.
 */
export function decideFast(fast: FastCriterion, level: FastLevel): { points: number; clampedText: string | undefined } | undefined {
  let raw: number;
  let rawBound: number;
  try {
    const value = fast.run(fast.values, fast.errors);
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    raw = value;
    rawBound = bound.err;
  } catch (err) {
    if (err === UNCERTAIN) return undefined;
    throw err;
  }

  let points: number | undefined;
  let clampedText: string | undefined;
  if (level.clamp) {
    // Negative → 0; above the maximum → the maximum (exact zero is neither).
    const sign = rawBound === 0 ? Math.sign(raw) : certainSign(raw, rawBound);
    if (sign === undefined) return undefined;
    if (sign < 0) {
      points = 0;
      clampedText = '0';
    } else {
      let above: boolean;
      try {
        above = compareNumbers(raw, rawBound, fast.max, fast.maxError) > 0;
      } catch {
        return undefined;
      }
      if (above) {
        points = fast.maxPoints;
        clampedText = fast.maxText;
      }
    }
  }
  points ??= roundFloat(raw, rawBound, level.scale, level.mode);
  if (points === undefined) return undefined;
  DECIDED.points = points;
  DECIDED.clampedText = clampedText;
  return DECIDED;
}

function inDeclaredOrder(given: Record<string, unknown>, inputs: readonly FastInput[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const input of inputs) out[input.id] = given[input.id] as JsonValue;
  return out;
}

/** −1 or 1 when certain, undefined when the bound straddles zero. */
function certainSign(value: number, error: number): number | undefined {
  if (!(Math.abs(value) > 2 * error)) return undefined;
  return value < 0 ? -1 : 1;
}

/**
 * Round to the policy's decimals as the exact rational would round; undefined
 * when the value is too close to a rounding boundary to be sure.
 */
export function roundFloat(raw: number, error: number, scale: number, mode: RoundingMode): number | undefined {
  const size = Math.abs(raw) * scale;
  if (!(size < 2 ** 50)) return undefined;
  const whole = Math.floor(size);
  const fraction = size - whole;
  let units: number;
  if (error === 0 && fraction === 0) {
    units = whole;
  } else {
    const slack = 2 * error * scale + 4 * U * size + 1e-12 * Math.max(1, size);
    const halfway = mode === 'half_up' || mode === 'half_even';
    const distance = halfway ? Math.abs(fraction - 0.5) : Math.min(fraction, 1 - fraction);
    if (!(distance > slack)) return undefined;
    if (halfway) units = fraction > 0.5 ? whole + 1 : whole;
    else units = mode === 'up' && fraction > 0 ? whole + 1 : whole;
  }
  if (units === 0) return 0; // no negative zero: the exact value rounds to 0
  const magnitude = units / scale;
  return raw < 0 ? -magnitude : magnitude;
}
