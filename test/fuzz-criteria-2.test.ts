/** Fuzzing the criteria reader (issue 14), second half of the 10,000 seeds: see test/fuzz-criteria.test.ts. */
import { describe, it } from 'vitest';
import { builtinsSnapshot, CASES, fuzzCriteriaSeeds } from './helpers/fuzz-criteria.js';

describe('fuzzing criteria files (second half)', () => {
  const before = builtinsSnapshot();
  it(`seeds ${CASES / 2 + 1} to ${CASES} of ${CASES} mutated files through loadCriteriaTexts: problems, never an exception`, () => {
    fuzzCriteriaSeeds(CASES / 2 + 1, CASES, before);
  }, 300_000);
});
