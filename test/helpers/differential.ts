/**
 * Score the same units with the float fast path and with exact decimals only, and return
 * each unit's JSON both ways (points compared with Object.is: even the sign of a zero).
 */
import type { CriteriaSet } from '../../engine/criteria-set.js';
import type { Submission } from '../../engine/model.js';
import { scoreSubmissions } from '../../engine/scoring.js';

export function bothWays(set: CriteriaSet, submissions: Submission[]): { fast: string[]; exact: string[] } {
  const now = new Date('2024-01-01T00:00:00Z');
  const fast = scoreSubmissions(set, submissions, { trace: false, now });
  const exact = scoreSubmissions(set, submissions, { trace: false, fast: false, now });
  for (let u = 0; u < fast.units.length; u++) {
    fast.units[u]!.criteria.forEach((c, i) => {
      // Object.is: even the sign of a zero must agree.
      if (!Object.is(c.points, exact.units[u]!.criteria[i]!.points)) throw new Error(`points differ: ${fast.units[u]!.id} ${c.id}: ${c.points} vs ${exact.units[u]!.criteria[i]!.points}`);
    });
  }
  return { fast: fast.units.map((u) => JSON.stringify(u)), exact: exact.units.map((u) => JSON.stringify(u)) };
}
