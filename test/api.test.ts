/**
 * The library API: the README's example runs as written (with 'tieuchi'
 * pointing at engine/index.ts), and provenance lets a score be re-checked
 * against the exact criteria file that produced it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as api from '../engine/index.js';
import { cli } from './helpers/cli.js';
import { criteria2023, repoRoot } from './helpers/criteria.js';

const scratch = join(repoRoot, '.tmp', `api-test-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The fenced block right after <!-- example:library --> in README.md. */
function readmeExample(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const match = /<!-- example:library -->\s*```js\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no <!-- example:library --> block');
  return match[1]!;
}

describe('the README example', () => {
  it('runs as written and prints what it says', async () => {
    const code = readmeExample().replace(/from 'tieuchi'/, `from ${JSON.stringify(pathToFileURL(join(repoRoot, 'engine/index.ts')).href)}`);
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, 'readme-example.ts');
    writeFileSync(file, code);
    const printed: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args));
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
    }
    const text = printed.map((args) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    expect(text.some((line) => /^so-xay-dung: /.test(line))).toBe(true); // the deliberate data error, by unit
    const [total, rank, sha] = printed.find((args) => args.length === 3)!;
    expect(total).toEqual(expect.any(Number));
    expect(rank).toEqual(expect.any(Number));
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(text.some((line) => line.includes('làm tròn'))).toBe(true);
    expect(printed.some((args) => args[0] === 16)).toBe(true);
    expect(printed.at(-1)![0]).toMatchObject({ engine: 'tieuchi', year: 2023 });
  });
});

describe('the exports', () => {
  it('load, validate, score one and many, explain, diff, schema, serve: all named and callable', () => {
    for (const name of ['loadCriteriaSet', 'loadCriteriaTexts', 'scoreSubmissions', 'scoreUnit', 'scoreJson', 'explainCriterion', 'diffCriteriaSets', 'impactOfChange', 'submissionSchema', 'SubmissionValidator', 'buildServer', 'bundledCriteriaDir', 'readSubmissionsJson', 'readSubmissionsCsv']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('buildServer is lazy: importing the API does not load Fastify', async () => {
    const app = await api.buildServer({ sets: [criteria2023()] });
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    await app.close();
  });

  it('scoreJson takes one object, a list, or {submissions}; envelope problems first', () => {
    const set = criteria2023();
    const data = JSON.parse(readFileSync(join(repoRoot, 'examples/2023/province.json'), 'utf8'));
    expect(api.scoreJson(set, data).units.length).toBe(data.submissions.length);
    expect(api.scoreJson(set, data.submissions[0]).units).toHaveLength(1);
    const bad = api.scoreJson(set, [{ id: 'x' }]);
    expect(bad.problems[0]!.code).toBe('submission.shape');
  });
});

describe('provenance', () => {
  it('names every criteria file by SHA-256: re-hashing the files gives the same digests', () => {
    const set = criteria2023();
    const data = JSON.parse(readFileSync(join(repoRoot, 'examples/2023/district.json'), 'utf8'));
    const run = api.scoreJson(set, data, { now: new Date('2024-01-15T08:00:00Z') });
    expect(run.provenance).toMatchObject({ engine: 'tieuchi', engineVersion: expect.any(String), year: 2023, rounding: { decimals: 1, mode: 'half_up', total: 'sum_of_rounded', clampToMax: true }, scoredAt: '2024-01-15T08:00:00.000Z' });
    expect(run.provenance.files.map((f) => f.level)).toEqual(['province', 'district', 'commune']);
    for (const f of run.provenance.files) {
      const bytes = readFileSync(join(repoRoot, 'criteria/2023', `${f.level}.yaml`));
      expect(createHash('sha256').update(bytes).digest('hex'), f.level).toBe(f.sha256);
    }
    for (const unit of run.units) {
      expect(unit.criteriaSha256).toBe(run.provenance.files.find((f) => f.level === unit.level)!.sha256);
      expect(unit.criteriaFile).toContain(`${unit.level}.yaml`);
    }
  });

  it('tieuchi score --format json carries it too', async () => {
    const { stdout } = await cli(['score', '--criteria', 'criteria/2023', '--input', 'examples/2023/province.json', '--format', 'json']);
    const run = JSON.parse(stdout);
    expect(run.provenance.files).toHaveLength(3);
    expect(run.units[0].criteriaSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
