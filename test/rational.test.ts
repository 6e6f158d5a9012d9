/** engine/exact/rational.ts against the BigInt reference of the tests, small and big values alike. */
import { describe, expect, it } from 'vitest';
import { Rational, ROUNDING_MODES } from '../engine/exact/rational.js';
import { random } from '../scripts/synthetic.js';
import * as ref from './helpers/exact-reference.js';

const asText = (r: Rational) => r.toFraction();

describe('the decision and the near-ties, exactly', () => {
  const r = (x: number | string) => Rational.from(x);
  it.each<[string, () => Rational, string]>([
    ['3.25/30×6 = 0.65 → 0.7 (commune 12)', () => r(3.25).div(r(30)).mul(r(6)).round(1, 'half_up'), '0.7'],
    ['4.75/30×6 = 0.95 → 1.0 (commune 12)', () => r(4.75).div(r(30)).mul(r(6)).round(1, 'half_up'), '1'],
    ['(9.85/3)×3 → 9.9', () => r(9.85).div(r(3)).mul(r(3)).round(1, 'half_up'), '9.9'],
    ['90/95×4 = 72/19 → 3.8', () => r(90).div(r(95)).mul(r(4)).round(1, 'half_up'), '3.8'],
    ['0.1 + 0.2 = 0.3', () => r(0.1).add(r(0.2)), '0.3'],
    ['−0.65 half_up → −0.7', () => r('-0.65').round(1, 'half_up'), '-0.7'],
    ['−0.65 half_even → −0.6', () => r('-0.65').round(1, 'half_even'), '-0.6'],
    ['0.75 half_even → 0.8', () => r('0.75').round(1, 'half_even'), '0.8'],
    ['−0.61 up → −0.7', () => r('-0.61').round(1, 'up'), '-0.7'],
    ['−0.69 down → −0.6', () => r('-0.69').round(1, 'down'), '-0.6'],
    ['−0.04 half_up → 0 (no negative zero)', () => r('-0.04').round(1, 'half_up'), '0'],
  ])('%s', (_, compute, expected) => {
    expect(compute().toString()).toBe(expected);
  });

  it('renders fractions, decimals and fixed places', () => {
    expect(Rational.from(90).div(Rational.from(95)).mul(Rational.from(4)).toFraction()).toBe('72/19');
    expect(Rational.from(50).div(Rational.from(3)).toFixed(2)).toBe('16.67');
    expect(Rational.from(1).div(Rational.from(3)).toString()).toBe('1/3');
    expect(Rational.from('0.65').toString()).toBe('0.65');
    expect(Rational.from(1).div(Rational.from(3)).toDecimalText(5)).toBe('0.33333');
    expect(Rational.fromNumber(-0).toString()).toBe('0');
    expect(Rational.fromNumber(1e-7).toString()).toBe('0.0000001');
    expect(Rational.fromNumber(1e21).toString()).toBe('1000000000000000000000');
    expect(Rational.parse('12abc')).toBeUndefined();
    expect(Rational.parse('1e999999')).toBeUndefined();
  });
});

/** Values that stress both representations: short decimals, long decimals, huge and tiny numbers. */
function randomNumber(next: () => number): number {
  const kind = Math.floor(next() * 6);
  const sign = next() < 0.3 ? -1 : 1;
  switch (kind) {
    case 0:
      return sign * Math.floor(next() * 1000);
    case 1:
      return sign * Math.round(next() * 100_000) / 100;
    case 2:
      return sign * next() * 100; // up to 17 significant digits
    case 3:
      return sign * Math.floor(next() * 2 ** 53);
    case 4:
      return sign * next() * 1e-9;
    default:
      return sign * next() * 1e25;
  }
}

describe('agrees with the BigInt reference', () => {
  it('5,000 random pairs: + − × / compare, every rounding mode at 0–4 decimals', () => {
    const next = random(91);
    const mismatches: string[] = [];
    const check = (actual: unknown, expected: unknown, what: string) => {
      if (actual !== expected) mismatches.push(`${what}: ${String(actual)} ≠ ${String(expected)}`);
    };
    for (let i = 0; i < 5_000; i++) {
      const x = randomNumber(next);
      const y = randomNumber(next);
      const a = Rational.fromNumber(x);
      const b = Rational.fromNumber(y);
      const ra = ref.fromNumber(x);
      const rb = ref.fromNumber(y);
      check(asText(a), ref.text(ra), `${x}`);
      check(asText(a.add(b)), ref.text(ref.add(ra, rb)), `${x} + ${y}`);
      check(asText(a.sub(b)), ref.text(ref.sub(ra, rb)), `${x} − ${y}`);
      check(asText(a.mul(b)), ref.text(ref.mul(ra, rb)), `${x} × ${y}`);
      check(a.compare(b), ref.cmp(ra, rb), `${x} ? ${y}`);
      if (!ref.isZero(rb)) {
        const q = a.div(b);
        const rq = ref.div(ra, rb);
        check(asText(q), ref.text(rq), `${x} / ${y}`);
        const decimals = i % 5;
        for (const mode of ROUNDING_MODES) check(asText(q.round(decimals, mode)), ref.text(ref.round(rq, decimals, mode)), `${x} / ${y} ${mode} ${decimals}`);
        // Near the exact value (within a few ulps: what a JSON number can carry).
        const approx = Number(rq.n) / Number(rq.d);
        if (!(Math.abs(q.toNumber() - approx) <= Math.abs(approx) * 2 ** -50)) mismatches.push(`${x} / ${y} as a number: ${q.toNumber()}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
