/**
 * The fast path's differential test at scale: 40,000 synthetic units over four seeds,
 * every unit's JSON identical to exact decimal evaluation. (npm test runs 3,000.)
 */
import { describe, expect, it } from 'vitest';
import type { Submission } from '../../engine/model.js';
import { syntheticSubmissions } from '../../scripts/synthetic.js';
import { criteria2023 } from '../helpers/criteria.js';
import { bothWays } from '../helpers/differential.js';

describe('fast path = decimal path, 40,000 units', () => {
  it.each([1, 7, 2023, 2026])('seed %i: 10,000 units, identical JSON', (seed) => {
    const submissions = JSON.parse(JSON.stringify(syntheticSubmissions(criteria2023(), 10_000, seed))) as Submission[];
    const { fast, exact } = bothWays(criteria2023(), submissions);
    expect(fast.length).toBe(10_000);
    for (let i = 0; i < fast.length; i++) if (fast[i] !== exact[i]) expect(fast[i]).toBe(exact[i]);
  }, 300_000);
});
