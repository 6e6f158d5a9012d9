/**
 * Bounded floats: the fast evaluation domain. A number is a double F with a
 * bound E such that |F − X| ≤ E, where X is the exact rational the exact
 * evaluation computes for the same node. A decision (a comparison, a
 * rounding) is taken only when the bound proves it is the exact decision;
 * otherwise UNCERTAIN is thrown and the criterion is scored exactly.
 *
 * Why the bounds hold:
 * - a reported number n: X is the rational of String(n), the shortest
 *   decimal that reads back as n, so |n − X| ≤ half an ulp ≤ |n|·2⁻⁵³;
 *   safe integers are exact (E = 0);
 * - each + − × / adds its own float rounding (≤ |r|·2⁻⁵³, covered by |r|·U
 *   with U = 2⁻⁵²) to the propagated bounds of its operands, plus TINY so
 *   that subnormal results, where relative bounds fail, stay covered;
 * - min and max move by at most the larger operand bound;
 * - comparisons and roundings are decided only outside twice the bound.
 * E = 0 means exact: an integer below 2⁵³ equal to X.
 *
 * Closures are synchronous, so the bound of the number a closure just
 * returned travels in `bound.err` rather than in an allocated pair.
 */
import type { FloatCode, FloatSink } from './operator.js';

export const U = 2 ** -52;
export const SAFE = 2 ** 53;
export const TINY = 1e-300;

/** Thrown when the float evaluation cannot prove its answer; never escapes the fast path. */
export const UNCERTAIN: unique symbol = Symbol('uncertain');

/** The error bound of the number the last numeric closure returned. */
export const bound = { err: 0 };

/** Bound for a decimal constant turned into a double: 0 for safe integers, else half an ulp (rounded up). */
export function constantError(value: number): number {
  return Number.isInteger(value) && Math.abs(value) < SAFE ? 0 : Math.abs(value) * U + TINY;
}

function isExactResult(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) < SAFE;
}

export function add(a: number, ea: number, b: number, eb: number): number {
  const r = a + b;
  bound.err = ea === 0 && eb === 0 && isExactResult(r) ? 0 : ea + eb + Math.abs(r) * U + TINY;
  return r;
}

export function subtract(a: number, ea: number, b: number, eb: number): number {
  const r = a - b;
  bound.err = ea === 0 && eb === 0 && isExactResult(r) ? 0 : ea + eb + Math.abs(r) * U + TINY;
  return r;
}

export function multiply(a: number, ea: number, b: number, eb: number): number {
  const r = a * b;
  bound.err = ea === 0 && eb === 0 && isExactResult(r) ? 0 : Math.abs(a) * eb + Math.abs(b) * ea + ea * eb + Math.abs(r) * U + TINY;
  return r;
}

export function divide(a: number, ea: number, b: number, eb: number): number {
  // Zero, or possibly zero, divisors are the exact path's to report.
  const size = Math.abs(b);
  if (!(size > 2 * eb)) throw UNCERTAIN;
  const r = a / b;
  if (ea === 0 && eb === 0 && isExactResult(r) && r * b === a) {
    bound.err = 0;
  } else {
    bound.err = (Math.abs(a) * eb + size * ea) / (size * (size - eb)) + Math.abs(r) * U + TINY;
  }
  return r;
}

/** −1, 0 or 1 when the exact comparison is certain; throws UNCERTAIN when too close to call. */
export function compareNumbers(a: number, ea: number, b: number, eb: number): number {
  if (ea === 0 && eb === 0) {
    if (a < b) return -1;
    if (a > b) return 1;
    if (a === b) return 0;
    throw UNCERTAIN; // NaN
  }
  const difference = a - b;
  // Written so that NaN (from an overflow) is never "certain".
  if (!(Math.abs(difference) > 2 * (ea + eb) + 4 * U * (Math.abs(a) + Math.abs(b)))) throw UNCERTAIN;
  return difference < 0 ? -1 : 1;
}

/** Numbers, or ISO dates (strings compare as dates do); anything else (a null date) is the exact path's to report. */
export function compareAny(a: unknown, ea: number, b: unknown, eb: number): number {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, ea, b, eb);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw UNCERTAIN;
}

export function sameAny(a: unknown, ea: number, b: unknown, eb: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, ea, b, eb) === 0;
  return a === b;
}

/*
 * The same arithmetic as source text, for the walker's generated functions
 * (engine/evaluate/codegen.ts): each template writes the very expressions of
 * the function above it, in the same order, so value and bound are
 * bit-for-bit those of the closures (test/codegen.test.ts) and the proof
 * above covers them. A bound known to be 0 at generation time drops only the
 * `=== 0` tests it makes true; the arithmetic is written out unchanged.
 */

/** `e === 0`, or nothing when the bound is the literal 0. */
function zeroTests(...errors: string[]): string[] {
  return errors.filter((e) => e !== '0').map((e) => `${e} === 0`);
}

function exactTest(r: string, ...errors: string[]): string {
  return [...zeroTests(...errors), `Number.isInteger(${r})`, `Math.abs(${r}) < SAFE`].join(' && ');
}

export function addSource(out: FloatSink, a: FloatCode, b: FloatCode, sign: '+' | '-' = '+'): FloatCode {
  const r = out.local();
  const e = out.local();
  out.line(`${r} = ${a.value} ${sign} ${b.value};`);
  out.line(`${e} = ${exactTest(r, a.error, b.error)} ? 0 : ${a.error} + ${b.error} + Math.abs(${r}) * U + TINY;`);
  return { value: r, error: e };
}

export function subtractSource(out: FloatSink, a: FloatCode, b: FloatCode): FloatCode {
  return addSource(out, a, b, '-');
}

export function multiplySource(out: FloatSink, a: FloatCode, b: FloatCode): FloatCode {
  const r = out.local();
  const e = out.local();
  out.line(`${r} = ${a.value} * ${b.value};`);
  out.line(
    `${e} = ${exactTest(r, a.error, b.error)} ? 0 : Math.abs(${a.value}) * ${b.error} + Math.abs(${b.value}) * ${a.error} + ${a.error} * ${b.error} + Math.abs(${r}) * U + TINY;`,
  );
  return { value: r, error: e };
}

export function divideSource(out: FloatSink, a: FloatCode, b: FloatCode): FloatCode {
  const size = out.local();
  const r = out.local();
  const e = out.local();
  out.line(`${size} = Math.abs(${b.value});`);
  out.line(`if (!(${size} > 2 * ${b.error})) ${out.uncertain}`);
  out.line(`${r} = ${a.value} / ${b.value};`);
  out.line(
    `${e} = ${exactTest(r, a.error, b.error)} && ${r} * ${b.value} === ${a.value} ? 0 : (Math.abs(${a.value}) * ${b.error} + ${size} * ${a.error}) / (${size} * (${size} - ${b.error})) + Math.abs(${r}) * U + TINY;`,
  );
  return { value: r, error: e };
}

/** compareNumbers as source: a local holding −1, 0 or 1, or UNCERTAIN thrown. */
export function compareNumbersSource(out: FloatSink, a: FloatCode, b: FloatCode): string {
  const c = out.local();
  const exact = zeroTests(a.error, b.error);
  const whenExact = [`if (${a.value} < ${b.value}) ${c} = -1;`, `else if (${a.value} > ${b.value}) ${c} = 1;`, `else if (${a.value} === ${b.value}) ${c} = 0;`, `else ${out.uncertain}`];
  const difference = out.local();
  const whenBounded = [
    `${difference} = ${a.value} - ${b.value};`,
    `if (!(Math.abs(${difference}) > 2 * (${a.error} + ${b.error}) + 4 * U * (Math.abs(${a.value}) + Math.abs(${b.value})))) ${out.uncertain}`,
    `${c} = ${difference} < 0 ? -1 : 1;`,
  ];
  if (exact.length === 0) for (const line of whenExact) out.line(line);
  else {
    out.line(`if (${exact.join(' && ')}) {`);
    for (const line of whenExact) out.line(line);
    out.line('} else {');
    for (const line of whenBounded) out.line(line);
    out.line('}');
  }
  return c;
}

/**
 * compareAny as source: numbers compared with their bounds, ISO dates as
 * text, anything else (a null date) deferred — checked at run time as the
 * closure does, whatever the compiler proved. NUMBER and STRING are the
 * generated function's names for the texts 'number' and 'string'.
 */
export function compareAnySource(out: FloatSink, a: FloatCode, b: FloatCode): string {
  out.line(`if (typeof ${a.value} === NUMBER && typeof ${b.value} === NUMBER) {`);
  const c = compareNumbersSource(out, a, b);
  out.line(`} else if (typeof ${a.value} === STRING && typeof ${b.value} === STRING) {`);
  out.line(`${c} = ${a.value} < ${b.value} ? -1 : ${a.value} > ${b.value} ? 1 : 0;`);
  out.line(`} else ${out.uncertain}`);
  return c;
}

/** sameAny as source: a local holding true or false. */
export function sameAnySource(out: FloatSink, a: FloatCode, b: FloatCode): string {
  const same = out.local();
  out.line(`if (typeof ${a.value} === NUMBER && typeof ${b.value} === NUMBER) {`);
  const c = compareNumbersSource(out, a, b);
  out.line(`${same} = ${c} === 0;`);
  out.line(`} else ${same} = ${a.value} === ${b.value};`);
  return same;
}
