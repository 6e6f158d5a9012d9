/**
 * An exact-fraction reference written for the tests, independent of
 * engine/exact/rational.ts: BigInt numerator and denominator, lowest terms,
 * and rounding written out from its definition.
 */
export interface Frac {
  n: bigint;
  d: bigint;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

export function frac(n: bigint, d = 1n): Frac {
  if (d === 0n) throw new Error('zero denominator');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

/** A JavaScript number as the fraction of its shortest decimal text. */
export function fromNumber(x: number): Frac {
  const text = String(x);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!m) throw new Error(`not a finite number: ${text}`);
  const digits = BigInt((m[2] ?? '') + (m[3] ?? ''));
  const scale = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  const n = m[1] ? -digits : digits;
  return scale >= 0 ? frac(n * 10n ** BigInt(scale)) : frac(n, 10n ** BigInt(-scale));
}

export const add = (a: Frac, b: Frac): Frac => frac(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Frac, b: Frac): Frac => frac(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Frac, b: Frac): Frac => frac(a.n * b.n, a.d * b.d);
export const div = (a: Frac, b: Frac): Frac => frac(a.n * b.d, a.d * b.n);
export const cmp = (a: Frac, b: Frac): number => {
  const x = a.n * b.d;
  const y = b.n * a.d;
  return x < y ? -1 : x > y ? 1 : 0;
};
export const isZero = (a: Frac): boolean => a.n === 0n;

export type Mode = 'half_up' | 'half_even' | 'down' | 'up';

/**
 * Round to `decimals` places: take the two multiples of 10^-decimals around
 * the value and pick one by the mode's rule (ties: half_up away from zero,
 * half_even to the even one).
 */
export function round(a: Frac, decimals: number, mode: Mode): Frac {
  const scale = 10n ** BigInt(decimals);
  const scaled = a.n * scale; // value × scale = scaled / a.d
  const negative = scaled < 0n;
  const magnitude = abs(scaled);
  const low = magnitude / a.d; // floor of |value| × scale
  const rest = magnitude - low * a.d; // |value| × scale − low, times d
  let units: bigint;
  if (rest === 0n) units = low;
  else if (mode === 'down') units = low;
  else if (mode === 'up') units = low + 1n;
  else if (2n * rest > a.d) units = low + 1n;
  else if (2n * rest < a.d) units = low;
  else units = mode === 'half_up' ? low + 1n : low % 2n === 0n ? low : low + 1n;
  return frac(negative ? -units : units, scale);
}

export const text = (a: Frac): string => (a.d === 1n ? `${a.n}` : `${a.n}/${a.d}`);
