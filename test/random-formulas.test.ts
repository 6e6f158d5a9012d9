/**
 * 20,000 random formula trees over every operator (100,000 more in
 * test/integration/random-formulas-large.test.ts): the exact evaluation
 * equals the BigInt reference, the float bound holds exactly, and every
 * rounding mode, at one and two decimals, agrees with the reference on the
 * exact and on the float path (which may only defer, never differ).
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGE } from '../engine/language/registry.js';
import { runRandomTrees } from './helpers/random-trees.js';

describe('random formula trees', () => {
  it('20,000 trees, every operator, every rounding mode: as the reference', () => {
    const { stats, mismatches } = runRandomTrees(20_000, 2026);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(stats.trees).toBe(20_000);
    for (const op of LANGUAGE.operatorNames) expect(stats.operators.get(op) ?? 0, op).toBeGreaterThan(100);
    // Near-ties occur (values exactly halfway at the rounding place), and the float path decides most roundings itself.
    expect(stats.ties).toBeGreaterThan(1000);
    expect(stats.floatDecided).toBeGreaterThan(stats.floatDeferred);
    // Every tree also ran through its generated float function, bit for bit as the closures.
    expect(stats.generated).toBe(20_000);
  }, 60_000);
});
