/**
 * A fast path for scoring without traces: evaluate a criterion in binary
 * floating point while carrying a rigorous bound on how far the float can be
 * from the exact decimal evaluation, and keep the result only when that bound
 * proves every decision is the one decimal evaluation would make. Otherwise
 * (a comparison too close to call, a score within the bound of a rounding
 * boundary such as 9,85, a division by zero, a value that is not plainly
 * valid) the caller falls back to the exact decimal path, which stays the
 * reference: the fast path only ever returns what the decimal path would.
 *
 * Why it is sound. Each float value F comes with E such that |F − D| ≤ E,
 * where D is what the decimal path computes for the same node:
 * - a reported number n: D is the decimal String(n), the shortest decimal that
 *   reads back as n, so |n − D| ≤ half an ulp ≤ |n|·2⁻⁵³; integers are exact;
 * - each + − × / adds the float rounding (≤ |r|·2⁻⁵³) and decimal.js's own
 *   rounding at 40 significant digits (≤ |r|·10⁻³⁹), both covered by |r|·U
 *   with U = 2⁻⁵², plus the propagated bounds of the operands;
 * - min and max move by at most the larger operand bound;
 * - a comparison is decided only when the operands differ by more than twice
 *   their combined bound (exact operands are compared exactly);
 * - rounding is decided only when the scaled value is farther from the nearest
 *   rounding boundary than twice its bound, plus a relative margin of 10⁻¹².
 * E = 0 means "exact": the value is an integer below 2⁵³ equal to D, zero
 * sign included (the operations below copy decimal.js's signed-zero rules).
 *
 * Only strict JSON submissions take this path; CSV and spreadsheet text, and
 * runs with traces, always use the decimal path.
 */
import type { CompiledCriterion, CompiledLevel } from '../compile/level.js';
import { monthsLate } from '../compile/dates.js';
import type { FormulaNode } from '../compile/formula.js';
import { Decimal, roundDecimal } from '../decimal.js';
import type { InputType, JsonValue, ScoringPolicy } from '../model.js';

/** Relative bound of one operation: float rounding plus decimal.js's 40-digit rounding. */
const U = 2 ** -52;
const SAFE = 2 ** 53;
/** Absolute slack added to every inexact bound, so subnormal results (where relative bounds fail) stay covered. */
const TINY = 1e-300;

/**
 * Thrown (never escapes this module) when the float evaluation cannot prove
 * its answer: the caller then scores the criterion on exact decimals.
 */
const UNCERTAIN: unique symbol = Symbol('uncertain');

/** The error bound of the number a numeric closure just returned (closures are synchronous). */
let ERR = 0;

type Slots = unknown[];
type Run = (values: Slots, errors: Float64Array) => unknown;
type NumRun = (values: Slots, errors: Float64Array) => number;

/** Bound for a decimal constant turned into a double: 0 for safe integers, else half an ulp (rounded up). */
function constantError(value: number): number {
  return Number.isInteger(value) && Math.abs(value) < SAFE ? 0 : Math.abs(value) * U + TINY;
}

function isExactResult(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) < SAFE;
}

// Arithmetic on (value, bound) pairs. Each returns the value and sets ERR.

function add(a: number, ea: number, b: number, eb: number): number {
  // decimal.js: x + 0 is x and 0 + y is y, signed zeros included (IEEE gives −0 + 0 = +0).
  const r = b === 0 ? a : a === 0 ? b : a + b;
  ERR = ea === 0 && eb === 0 && isExactResult(r) ? 0 : ea + eb + Math.abs(r) * U + TINY;
  return r;
}

function subtract(a: number, ea: number, b: number, eb: number): number {
  let r = a - b;
  if (r === 0 && a === 0 && b === 0) r = 0; // decimal.js: ±0 − ±0 is +0
  ERR = ea === 0 && eb === 0 && isExactResult(r) ? 0 : ea + eb + Math.abs(r) * U + TINY;
  return r;
}

function multiply(a: number, ea: number, b: number, eb: number): number {
  const r = a * b;
  ERR = ea === 0 && eb === 0 && isExactResult(r) ? 0 : Math.abs(a) * eb + Math.abs(b) * ea + ea * eb + Math.abs(r) * U + TINY;
  return r;
}

function divide(a: number, ea: number, b: number, eb: number): number {
  // Zero, or possibly zero, divisors are the decimal path's to report.
  const size = Math.abs(b);
  if (!(size > 2 * eb)) throw UNCERTAIN;
  const r = a / b;
  if (ea === 0 && eb === 0 && isExactResult(r) && r * b === a) {
    ERR = 0;
  } else {
    ERR = (Math.abs(a) * eb + size * ea) / (size * (size - eb)) + Math.abs(r) * U + TINY;
  }
  return r;
}

/** −1, 0 or 1 when the decimal comparison is certain; throws UNCERTAIN when too close to call. */
function compareNumbers(a: number, ea: number, b: number, eb: number): number {
  if (ea === 0 && eb === 0) return a < b ? -1 : a > b ? 1 : 0;
  const difference = a - b;
  // Written so that NaN (from an overflow) is never "certain".
  if (!(Math.abs(difference) > 2 * (ea + eb) + 4 * U * (Math.abs(a) + Math.abs(b)))) throw UNCERTAIN;
  return difference < 0 ? -1 : 1;
}

function compareAny(a: unknown, ea: number, b: unknown, eb: number): number {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, ea, b, eb);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw UNCERTAIN; // a null date reaching a comparison: the decimal path reports it
}

function sameAny(a: unknown, ea: number, b: unknown, eb: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, ea, b, eb) === 0;
  return a === b;
}

const ORDER_TESTS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

/** Compile a formula node into float closures. Numeric closures set ERR before returning. */
export function compileFloat(node: FormulaNode): Run {
  switch (node.op) {
    case 'literal': {
      const literal = node.literal;
      if (literal instanceof Decimal) {
        const value = literal.toNumber();
        const error = constantError(value);
        return () => {
          ERR = error;
          return value;
        };
      }
      return () => literal;
    }
    case 'var': {
      const slot = node.binding!.slot;
      return (values, errors) => {
        ERR = errors[slot]!;
        return values[slot];
      };
    }
    case 'if': {
      const runs = node.args.map(compileFloat);
      return (values, errors) => {
        let i = 0;
        for (; i + 1 < runs.length; i += 2) {
          if (runs[i]!(values, errors) === true) return runs[i + 1]!(values, errors);
        }
        return runs[i]!(values, errors);
      };
    }
    case 'and': {
      const runs = node.args.map(compileFloat);
      return (values, errors) => {
        for (const run of runs) if (run(values, errors) !== true) return false;
        return true;
      };
    }
    case 'or': {
      const runs = node.args.map(compileFloat);
      return (values, errors) => {
        for (const run of runs) if (run(values, errors) === true) return true;
        return false;
      };
    }
    case '!': {
      const [a] = node.args.map(compileFloat) as [Run];
      return (values, errors) => a(values, errors) !== true;
    }
    case 'in': {
      const [needle, list] = node.args.map(compileFloat) as [Run, Run];
      return (values, errors) => (list(values, errors) as readonly string[]).includes(needle(values, errors) as string);
    }
    case '+':
    case '*': {
      const fold = node.op === '+' ? add : multiply;
      const runs = node.args.map(numeric);
      if (runs.length === 2) {
        const [a, b] = runs as [NumRun, NumRun];
        return (values, errors) => {
          const x = a(values, errors);
          const ex = ERR;
          const y = b(values, errors);
          return fold(x, ex, y, ERR);
        };
      }
      return (values, errors) => {
        let x = runs[0]!(values, errors);
        for (let i = 1; i < runs.length; i++) {
          const ex = ERR;
          const y = runs[i]!(values, errors);
          x = fold(x, ex, y, ERR);
        }
        return x;
      };
    }
    case '-': {
      const runs = node.args.map(numeric);
      if (runs.length === 1) {
        const [a] = runs as [NumRun];
        return (values, errors) => -a(values, errors); // ERR unchanged
      }
      const [a, b] = runs as [NumRun, NumRun];
      return (values, errors) => {
        const x = a(values, errors);
        const ex = ERR;
        const y = b(values, errors);
        return subtract(x, ex, y, ERR);
      };
    }
    case '/': {
      const [a, b] = node.args.map(numeric) as [NumRun, NumRun];
      return (values, errors) => {
        const x = a(values, errors);
        const ex = ERR;
        const y = b(values, errors);
        return divide(x, ex, y, ERR);
      };
    }
    case 'min':
    case 'max': {
      // |min(F) − min(D)| ≤ the largest bound; Math.min/max treat signed zeros as decimal.js does.
      const runs = node.args.map(numeric);
      const pick = node.op === 'min' ? Math.min : Math.max;
      return (values, errors) => {
        let x = runs[0]!(values, errors);
        let bound = ERR;
        for (let i = 1; i < runs.length; i++) {
          const y = runs[i]!(values, errors);
          if (ERR > bound) bound = ERR;
          x = pick(x, y);
        }
        ERR = bound;
        return x;
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      // Every argument is evaluated before comparing, as the decimal path does (one may fail).
      const test = ORDER_TESTS[node.op]!;
      const runs = node.args.map(compileFloat);
      if (runs.length === 2) {
        const [a, b] = runs as [Run, Run];
        return (values, errors) => {
          const x = a(values, errors);
          const ex = ERR;
          const y = b(values, errors);
          return test(compareAny(x, ex, y, ERR));
        };
      }
      const [a, b, c] = runs as [Run, Run, Run];
      return (values, errors) => {
        const x = a(values, errors);
        const ex = ERR;
        const y = b(values, errors);
        const ey = ERR;
        const z = c(values, errors);
        const ez = ERR;
        return test(compareAny(x, ex, y, ey)) && test(compareAny(y, ey, z, ez));
      };
    }
    case '==':
    case '===':
    case '!=':
    case '!==': {
      const negate = node.op === '!=' || node.op === '!==';
      const [a, b] = node.args.map(compileFloat) as [Run, Run];
      return (values, errors) => {
        const x = a(values, errors);
        const ex = ERR;
        const y = b(values, errors);
        return sameAny(x, ex, y, ERR) !== negate;
      };
    }
    case 'months_late': {
      const [a, b] = node.args.map(compileFloat) as [Run, Run];
      return (values, errors) => {
        const done = a(values, errors);
        const deadline = b(values, errors);
        if (typeof done !== 'string' || typeof deadline !== 'string') throw UNCERTAIN;
        ERR = 0;
        return cachedMonthsLate(done, deadline);
      };
    }
    case 'var' as never:
    default:
      throw new Error(`tieuchi bug: no float evaluation for operator ${node.op}`);
  }
}

/** Units report a handful of distinct dates against fixed deadlines: remember the answers (bounded). */
const monthsLateCache = new Map<string, number>();

function cachedMonthsLate(done: string, deadline: string): number {
  const key = done + deadline;
  let months = monthsLateCache.get(key);
  if (months === undefined) {
    months = monthsLate(done, deadline);
    if (monthsLateCache.size >= 50_000) monthsLateCache.clear();
    monthsLateCache.set(key, months);
  }
  return months;
}

function numeric(node: FormulaNode): NumRun {
  const run = compileFloat(node);
  return (values, errors) => {
    const value = run(values, errors);
    if (typeof value !== 'number') throw UNCERTAIN; // null where a number is needed
    return value;
  };
}

// Reading reported values: only what readInput would accept in JSON mode, read the same way.

interface FastInput {
  id: string;
  kind: InputType;
  /** Slot in the evaluation array, or −1 when the formula does not read it. */
  slot: number;
  noneAllowed: boolean;
  options?: Set<string>;
  max?: number;
  /** For a ratio with total 0: the declared value and its bound, or undefined when a zero total is an error. */
  ifTotalZero?: { value: number; error: number };
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Strict YYYY-MM-DD and a real calendar day (same answer as parseIsoDate, without a RegExp or a Date). */
export function isIsoDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    year = year * 10 + d;
  }
  const m1 = text.charCodeAt(5) - 48;
  const m2 = text.charCodeAt(6) - 48;
  const d1 = text.charCodeAt(8) - 48;
  const d2 = text.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return false;
  // Date.UTC (behind parseIsoDate) reads years 0–99 as 1900–1999; mirror it so both agree.
  const y = year < 100 ? year + 1900 : year;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS[month - 1]!);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < SAFE;
}

/** Put one reported value into the slots; false when it is not plainly valid (the decimal path will say why). */
function readFast(input: FastInput, raw: unknown, values: Slots, errors: Float64Array): boolean {
  switch (input.kind) {
    case 'percent': {
      if (typeof raw !== 'number' || !(raw >= 0 && raw <= 100)) return false;
      if (input.slot >= 0) {
        values[input.slot] = raw + 0; // −0 reads as 0, as String(−0) does
        errors[input.slot] = Number.isInteger(raw) ? 0 : raw * U + TINY;
      }
      return true;
    }
    case 'count': {
      if (!isCount(raw) || (input.max !== undefined && raw > input.max)) return false;
      if (input.slot >= 0) {
        values[input.slot] = raw + 0;
        errors[input.slot] = 0;
      }
      return true;
    }
    case 'ratio': {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
      const keys = Object.keys(raw);
      if (keys.length !== 2 || !has(raw, 'achieved') || !has(raw, 'total')) return false;
      const { achieved, total } = raw as { achieved: unknown; total: unknown };
      if (!isCount(achieved) || !isCount(total) || achieved > total) return false;
      let value: number;
      let error: number;
      if (total === 0) {
        if (!input.ifTotalZero) return false;
        ({ value, error } = input.ifTotalZero);
      } else {
        const scaled = achieved * 100;
        if (scaled >= SAFE) return false;
        value = scaled / total;
        error = scaled % total === 0 ? 0 : value * U + TINY;
      }
      if (input.slot >= 0) {
        values[input.slot] = value;
        errors[input.slot] = error;
      }
      return true;
    }
    case 'date': {
      if (raw === null) {
        if (!input.noneAllowed) return false;
      } else if (typeof raw !== 'string' || !isIsoDate(raw)) return false;
      if (input.slot >= 0) values[input.slot] = raw;
      return true;
    }
    case 'choice': {
      if (typeof raw !== 'string' || !input.options!.has(raw)) return false;
      if (input.slot >= 0) values[input.slot] = raw;
      return true;
    }
    case 'number': // structures (issue 11): measured quantities take the exact path
      return false;
    case 'boolean': {
      if (typeof raw !== 'boolean') return false;
      if (input.slot >= 0) values[input.slot] = raw;
      return true;
    }
  }
}


export interface FastCriterion {
  criterion: CompiledCriterion;
  inputs: FastInput[];
  run: Run;
  /** The inputs' ids in declared order, for the normalised inputs of a score. */
  template: Record<string, JsonValue>;
  /** Evaluation slots, reused: parameters and max_points filled once, inputs per unit. */
  values: Slots;
  errors: Float64Array;
  max: number;
  maxError: number;
  /** Points and text when the score is clamped to the maximum. */
  maxPoints: number;
  maxText: string;
}

export interface FastLevel {
  /** false when the policy rounds to more decimals than a double carries: always use decimals. */
  enabled: boolean;
  criteria: FastCriterion[];
  criterionIds: Set<string>;
  policy: ScoringPolicy;
  /** 10^decimals of the rounding policy. */
  scale: number;
  totalPoints: number;
}

const levels = new WeakMap<CompiledLevel, FastLevel>();

/** The float plan of a compiled level, built once per level and cached. */
export function fastLevel(level: CompiledLevel): FastLevel {
  let plan = levels.get(level);
  if (!plan) {
    const policy = level.doc.scoring;
    plan = { enabled: policy.rounding.decimals >= 0 && policy.rounding.decimals <= 12, criteria: level.criteria.map((c) => fastCriterion(c, policy)), criterionIds: new Set(level.criteria.map((c) => c.id)), policy, scale: 10 ** policy.rounding.decimals, totalPoints: level.totalPoints.toNumber() };
    levels.set(level, plan);
  }
  return plan;
}

function fastCriterion(criterion: CompiledCriterion, policy: ScoringPolicy): FastCriterion {
  const values: Slots = criterion.envTemplate.map((v) => (v instanceof Decimal ? v.toNumber() : v));
  const errors = new Float64Array(values.length);
  values.forEach((v, i) => {
    if (typeof v === 'number') errors[i] = constantError(v);
  });
  const inputs: FastInput[] = criterion.inputs.map((input) => {
    const def = input.def;
    const fast: FastInput = { id: input.id, kind: def.type, slot: input.slot ?? -1, noneAllowed: def.none_allowed === true };
    if (def.options) fast.options = new Set(def.options.map((o) => o.id));
    if (def.max !== undefined) fast.max = def.max;
    if (def.if_total_zero !== undefined) {
      // readInput turns if_total_zero into a decimal through String(), as for any reported number.
      const value = new Decimal(String(def.if_total_zero)).toNumber();
      fast.ifTotalZero = { value, error: constantError(value) };
    }
    return fast;
  });
  const max = criterion.maxPoints.toNumber();
  return {
    criterion,
    inputs,
    run: compileFloat(criterion.formula),
    template: Object.fromEntries(criterion.inputs.map((i) => [i.id, null])),
    values,
    errors,
    max,
    maxError: constantError(max),
    maxPoints: roundDecimal(criterion.maxPoints, policy.rounding.decimals, policy.rounding.mode).toNumber(),
    maxText: criterion.maxPoints.toString(),
  };
}

export interface FastScore {
  points: number;
  /** Set when clamping changed the value: its text. */
  clampedText: string | undefined;
  inputs: Record<string, JsonValue>;
}

const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Score one criterion on floats, or undefined when the decimal path must
 * decide (a value that is not plainly valid, or a result too close to call).
 * The answer is a shared object, valid until the next call.
 */
export function scoreFast(fast: FastCriterion, reported: unknown, level: FastLevel): FastScore | undefined {
  if (reported === null || typeof reported !== 'object' || Array.isArray(reported)) return undefined;
  const given = reported as Record<string, unknown>;
  const { values, errors, inputs } = fast;
  for (const input of inputs) {
    const raw = given[input.id];
    if (raw === undefined || !has(given, input.id)) return undefined;
    if (!readFast(input, raw, values, errors)) return undefined;
  }
  let keys = 0;
  for (const key in given) if (has(given, key)) keys++;
  if (keys !== inputs.length) return undefined; // an unknown input: the decimal path reports it

  let raw: number;
  let bound: number;
  try {
    const value = fast.run(values, errors);
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    raw = value;
    bound = ERR;
  } catch (err) {
    if (err === UNCERTAIN) return undefined;
    throw err;
  }

  const { policy, scale } = level;
  let points: number | undefined;
  let clampedText: string | undefined;
  if (policy.clamp_to_max) {
    // Negative (−0 included, as decimal.js's isNegative) → 0; above the maximum → the maximum.
    const negative = bound === 0 ? raw < 0 || Object.is(raw, -0) : certainSign(raw, bound);
    if (negative === undefined) return undefined;
    if (negative) {
      points = 0;
      clampedText = '0';
    } else {
      let above: boolean;
      try {
        above = compareNumbers(raw, bound, fast.max, fast.maxError) > 0;
      } catch {
        return undefined;
      }
      if (above) {
        points = fast.maxPoints;
        clampedText = fast.maxText;
      }
    }
  }
  points ??= roundFloat(raw, bound, scale, policy.rounding.mode);
  if (points === undefined) return undefined;

  // Every value passed readFast, so the reported object is already what the decimal path would
  // normalise it to (JSON numbers, ids, ISO dates, {achieved, total}): the score shares it, no copy.
  const out = FAST_OUT;
  out.points = points;
  out.clampedText = clampedText;
  out.inputs = given as Record<string, JsonValue>;
  return out;
}

/** scoreFast's answer, reused: read it before the next call (saves an allocation per criterion). */
const FAST_OUT: FastScore = { points: 0, clampedText: undefined, inputs: {} };

/** true negative, false positive, undefined when the bound straddles zero. */
function certainSign(value: number, bound: number): boolean | undefined {
  if (!(Math.abs(value) > 2 * bound)) return undefined;
  return value < 0;
}

/**
 * Round to the policy's decimals as decimal.js would round the exact value;
 * undefined when the value is too close to a rounding boundary to be sure.
 */
function roundFloat(raw: number, bound: number, scale: number, mode: ScoringPolicy['rounding']['mode']): number | undefined {
  const size = Math.abs(raw) * scale;
  if (!(size < 2 ** 50)) return undefined;
  const whole = Math.floor(size);
  const fraction = size - whole;
  let units: number;
  if (bound === 0 && fraction === 0) {
    units = whole;
  } else {
    const slack = 2 * bound * scale + 4 * U * size + 1e-12 * Math.max(1, size);
    const halfway = mode === 'half_up' || mode === 'half_even';
    const distance = halfway ? Math.abs(fraction - 0.5) : Math.min(fraction, 1 - fraction);
    if (!(distance > slack)) return undefined;
    if (halfway) units = fraction > 0.5 ? whole + 1 : whole;
    else units = mode === 'up' && fraction > 0 ? whole + 1 : whole;
  }
  const magnitude = units / scale;
  return raw < 0 || Object.is(raw, -0) ? -magnitude : magnitude;
}

