/**
 * bulk (issue 9): POST /score's answers are written by JSON.stringify after
 * their keys are put in the response schema's order (engine/serve/answer-text.ts),
 * not by the schema's serializer (fast-json-stringify): the bytes must be the
 * same. Each request below is answered twice by the real server: once as it
 * is, once with the shortcut turned down (so fast-json-stringify writes the
 * very same answer object), and the two bodies compared byte for byte. The
 * requests cover every level of the 2023 set and three structured sets
 * (types, attributes, groups, bonus and penalty, round values), complete and
 * incomplete units, every kind of refusal, English, and traces (which the
 * shortcut leaves to fast-json-stringify).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadCriteriaSet, type CriteriaSet } from '../engine/criteria-set.js';
import { AnswerText } from '../engine/serve/answer-text.js';
import { buildServer } from '../engine/serve/app.js';
import { SHARED_SCHEMAS, ScoreRunSchema } from '../engine/serve/schemas.js';
import { syntheticSubmissions } from '../scripts/synthetic.js';
import { criteria2023, repoRoot } from './helpers/criteria.js';

const structured = (path: string): CriteriaSet => {
  const { set, problems } = loadCriteriaSet(join(repoRoot, 'examples', 'structures', path));
  if (!set) throw new Error(problems.map((p) => p.message.vi).join('\n'));
  return set;
};
const set2023 = criteria2023();
const sets = [set2023, structured('xa-phuong/2025'), structured('so-nganh/2026'), structured('dti/2026')];
const examples = (path: string) => (JSON.parse(readFileSync(join(repoRoot, 'examples', 'structures', path), 'utf8')) as { submissions: Record<string, unknown>[] }).submissions;

let app: FastifyInstance;
beforeAll(async () => {
  app = buildServer({ sets });
  await app.ready();
}, 60_000);
afterAll(() => app.close());
afterEach(() => vi.restoreAllMocks());

const units = syntheticSubmissions(set2023, 30, 11).map(({ mode: _m, ...u }) => u);
const broken = units.slice(0, 6).map((u, i) => {
  const copy = structuredClone(u) as { id: string; inputs: Record<string, Record<string, unknown>> };
  const [first, second] = Object.keys(copy.inputs);
  if (i % 3 === 0) copy.inputs[first!] = Object.fromEntries(Object.keys(copy.inputs[first!]!).map((k) => [k, 'không phải số']));
  if (i % 3 === 1) delete copy.inputs[second!];
  if (i % 3 === 2) copy.inputs['khong-co'] = { x: 1 };
  copy.id = `loi-${i}`;
  return copy;
});

const requests: [string, unknown][] = [
  ['/score?year=2023', units[0]],
  ['/score?year=2023', units.slice(0, 12)],
  ['/score?year=2023&lang=en', units.slice(3, 9)],
  ['/score?year=2023', [...units.slice(0, 4), ...broken]],
  ['/score', { year: 2023, submissions: [units[1], { ...units[2], level: 'ward' }, { id: 'x' }, 42, units[1], { ...units[4], id: units[3]!.id }] }],
  ['/score?year=2023', [{ id: 'x' }, { ...units[0], name: '' }]],
  ['/score?year=2025', { submissions: examples('xa-phuong/units.json'), round_values: { year: 2025, values: { muc_tieu_tai_khoan: 550 } } }],
  ['/score?year=2025', { submissions: examples('xa-phuong/units.json') }],
  ['/score?year=2026', { submissions: examples('so-nganh/units.json') }],
  ['/score?year=2026', { submissions: examples('dti/units.json') }],
  ['/score?year=2023&trace=true', units.slice(0, 3)],
];

async function answer(url: string, payload: unknown): Promise<{ status: number; body: string; type: string }> {
  const r = await app.inject({ method: 'POST', url, payload: payload as object });
  return { status: r.statusCode, body: r.body, type: String(r.headers['content-type']) };
}

describe('POST /score answers: JSON.stringify in the schema order, the same bytes as fast-json-stringify', () => {
  it.each(requests.map(([url, payload], i) => [i, url, payload] as const))('request %i: %s', async (_i, url, payload) => {
    const taken: boolean[] = [];
    const original = AnswerText.prototype.text;
    const spy = vi.spyOn(AnswerText.prototype, 'text').mockImplementation(function (this: AnswerText, value, schema) {
      const text = original.call(this, value, schema);
      taken.push(text !== undefined);
      return text;
    });
    const fast = await answer(url, payload);
    spy.mockImplementation(() => undefined);
    const reference = await answer(url, payload);
    expect(fast.status).toBe(reference.status);
    expect(fast.type).toBe(reference.type);
    // Only the scoring time differs between the two answers.
    const unstamped = (text: string) => text.replace(/"scoredAt":"[^"]+"/g, '"scoredAt":"…"');
    const [a, b] = [unstamped(fast.body), unstamped(reference.body)];
    let at = 0;
    while (at < a.length && a[at] === b[at]) at++;
    // The first difference, with what surrounds it (a 40 kB body compared whole says little).
    expect(a.slice(Math.max(0, at - 200), at + 100)).toBe(b.slice(Math.max(0, at - 200), at + 100));
    expect(a).toBe(b);
    expect(JSON.parse(fast.body)).toHaveProperty('units');
    // The shortcut wrote every answer without traces; with traces it stood aside.
    expect(taken).toEqual([!url.includes('trace=true')]);
  });

  it('stands aside for a value the schema serializer would coerce or refuse', () => {
    const text = new AnswerText(SHARED_SCHEMAS);
    const run = { ok: true, year: 2023, levels: [], units: [], rejected: [], problems: [], provenance: { engine: 'tieuchi', engineVersion: '0', year: 2023, status: 'signed', decision: {}, files: [], rounding: {}, scoredAt: 'x' } };
    expect(text.text(run, ScoreRunSchema)).toBe(JSON.stringify(run));
    expect(text.text({ ...run, year: '2023' }, ScoreRunSchema)).toBeUndefined();
    expect(text.text({ ...run, year: 2023.5 }, ScoreRunSchema)).toBeUndefined();
    const { provenance: _p, ...withoutProvenance } = run;
    expect(text.text(withoutProvenance, ScoreRunSchema)).toBeUndefined();
    expect(text.text({ ...run, problems: [{ code: 'x', severity: 'error', message: { en: 'b', vi: 'a', extra: 1 }, zz: 1, '7': 2 }] }, ScoreRunSchema)).toBeUndefined();
    // Keys come in the schema's order, extras after them, what the schema forbids is left out.
    expect(text.text({ ...run, problems: [{ zz: 1, message: { en: 'b', vi: 'a', extra: 1 }, severity: 'error', code: 'x' }] }, ScoreRunSchema)).toBe(
      JSON.stringify({ ...run, problems: [{ code: 'x', severity: 'error', message: { vi: 'a', en: 'b' }, zz: 1 }] }),
    );
  });
});
