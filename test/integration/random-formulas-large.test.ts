/** 120,000 more random formula trees (three seeds), as test/random-formulas.test.ts checks them. */
import { describe, expect, it } from 'vitest';
import { runRandomTrees } from '../helpers/random-trees.js';

describe('random formula trees at scale', () => {
  it.each([1, 7, 2023])('seed %i: 40,000 trees agree with the reference in every rounding mode', (seed) => {
    const { stats, mismatches } = runRandomTrees(40_000, seed);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(stats.trees).toBe(40_000);
    expect(stats.generated).toBe(40_000); // each also through its generated float function, bit for bit as the closures
  }, 600_000);
});
