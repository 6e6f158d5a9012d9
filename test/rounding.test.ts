/**
 * Correct to the decimal: criterion scores are rounded half-up to one
 * decimal on the exact rational value. Floats, and 40-digit decimals after a
 * division, would get several of these wrong.
 */
import { describe, expect, it } from 'vitest';
import { finalPoints } from '../engine/evaluate/score.js';
import { Rational } from '../engine/exact/rational.js';
import type { ScoringPolicy } from '../engine/model.js';
import { compileWith } from './helpers/formula.js';

const policy: ScoringPolicy = { clamp_to_max: true, rounding: { decimals: 1, mode: 'half_up' }, total: 'sum_of_rounded' };
const rate = { rate: { type: 'percent' as const, label: 'Tỉ lệ' } };
const points = (raw: Rational, max: number) => finalPoints(raw, Rational.fromNumber(max), policy).points.toString();

describe('rate × max (rate/100 × max)', () => {
  const compiled = compileWith({ '*': [{ '/': [{ var: 'rate' }, 100] }, 10] }, rate);
  it.each([
    [98.5, '9.9'], // the standard's trap: floats give 9.8
    [98.45, '9.8'],
    [98.55, '9.9'], // float 98.55 is 98.5499999999999971578...
    [0.05, '0'], // 0.005 → 0.0
    [0.5, '0.1'], // 0.05 → 0.1 half-up
    [100, '10'],
    [33.35, '3.3'], // 3.335 → 3.3
    [33.25, '3.3'], // 3.325 → 3.3 (half-up), not 3.2 (half-even)
  ])('%d%% of 10 points → %s', (value, expected) => {
    expect(points(compiled.run!({ rate: value }) as Rational, 10)).toBe(expected);
  });
  it('floats really would get 98.5% wrong', () => {
    // 9.85 as a double is 9.8499999999999996447…, so float rounding gives 9.8.
    expect(((98.5 / 100) * 10).toFixed(1)).toBe('9.8');
  });
});

describe("the decision's worked example (province criterion 3)", () => {
  it('90% → 90/95×4 = 3,8', () => {
    const compiled = compileWith(
      { if: [{ '>=': [{ var: 'rate' }, 95] }, 4, { '*': [{ '/': [{ var: 'rate' }, 95] }, 4] }] },
      rate,
    );
    expect(points(compiled.run!({ rate: 90 }) as Rational, 4)).toBe('3.8');
  });
});

describe('clamp to [0, max] before rounding', () => {
  it.each([
    ['-2', 8, '0'],
    ['9', 6, '6'], // commune criterion 12: 45% of households → 45/30×6 = 9 → 6
    ['5.96', 6, '6'],
    ['7.95', 8, '8'],
  ])('%s of max %i → %s', (raw, max, expected) => {
    expect(points(Rational.from(raw), max)).toBe(expected);
  });
});

describe('rounding modes', () => {
  it.each([
    ['9.85', 'half_up', '9.9'],
    ['9.85', 'half_even', '9.8'],
    ['9.86', 'down', '9.8'],
    ['9.81', 'up', '9.9'],
    ['-0.05', 'half_up', '-0.1'],
  ] as const)('%s %s → %s', (value, mode, expected) => {
    expect(Rational.from(value).round(1, mode).toString()).toBe(expected);
  });
});
