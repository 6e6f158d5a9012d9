/**
 * Fuzzing the criteria reader (issue 14), first half of the 10,000 seeds and the CLI runs;
 * test/fuzz-criteria-2.test.ts runs the second half in parallel. The mutations and the checks
 * are in test/helpers/fuzz-criteria.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { BUILTINS, builtinsSnapshot, CASES, CLI_CASES, fuzzCriteriaSeeds, mutate, STACK } from './helpers/fuzz-criteria.js';

const work = mkdtempSync(join(tmpdir(), 'tieuchi-fuzz-criteria-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('fuzzing criteria files', () => {
  const before = builtinsSnapshot();

  it(`seeds 1 to ${CASES / 2} of ${CASES} mutated files through loadCriteriaTexts: problems, never an exception`, () => {
    fuzzCriteriaSeeds(1, CASES / 2, before);
  }, 300_000);

  it(`${CLI_CASES} of them through \`tieuchi validate\` (twice, the second from the parse cache): exit 0 or 1, no stack trace`, async () => {
    const cacheDir = join(work, 'cache');
    const saved = process.env.TIEUCHI_CACHE_DIR;
    process.env.TIEUCHI_CACHE_DIR = cacheDir;
    try {
      for (let i = 0; i < CLI_CASES; i++) {
        const seed = 7919 * (i + 1);
        const { text, how } = mutate(seed);
        const file = join(work, `c${i}.yaml`);
        writeFileSync(file, text);
        for (const format of i % 2 ? ['json'] : ['text', 'text']) {
          const result = await cli(['validate', file, '--format', format]);
          const output = result.stdout + result.stderr;
          const context = `seed ${seed} (${how.join(' + ')}), ${format}`;
          expect([0, 1], context).toContain(result.code);
          if (STACK.test(output)) throw new Error(`${context}: stack trace in output: ${output.slice(0, 400)}`);
          if (format === 'json') expect(() => JSON.parse(result.stdout), context).not.toThrow();
        }
      }
    } finally {
      if (saved === undefined) delete process.env.TIEUCHI_CACHE_DIR;
      else process.env.TIEUCHI_CACHE_DIR = saved;
    }
    expect(builtinsSnapshot()).toEqual(before);
    expect({ Object, ObjectPrototype: Object.prototype, ArrayPrototype: Array.prototype, FunctionPrototype: Function.prototype, entries: Object.entries, assign: Object.assign }).toEqual(BUILTINS);
  }, 120_000);
});
