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
