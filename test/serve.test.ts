/**
 * The HTTP service, started on 127.0.0.1 (port 0) and called with real
 * requests: the endpoints, malformed bodies, oversized bodies, 200
 * concurrent requests, and closing while requests are in flight.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../engine/serve/app.js';
import { criteria2023, provinceInputs, repoRoot } from './helpers/criteria.js';

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = buildServer({ sets: [criteria2023()], bodyLimit: 256 * 1024 });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await app.close();
});

const unit = (id: string, overrides: Record<string, Record<string, unknown>> = {}) => ({ id, name: `Đơn vị ${id}`, level: 'province', inputs: provinceInputs(overrides) });

async function post(path: string, body: string, type = 'application/json') {
  const response = await fetch(base + path, { method: 'POST', headers: { 'content-type': type }, body });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as Record<string, any> };
}

function noStack(text: string) {
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(text).not.toContain('node_modules');
}

describe('endpoints', () => {
  it('GET /health', async () => {
    const response = await fetch(base + '/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, engine: 'tieuchi', years: [2023] });
  });

  it('GET /criteria lists years and levels with their SHA-256', async () => {
    const body = (await (await fetch(base + '/criteria')).json()) as any;
    expect(body.years[0].year).toBe(2023);
    expect(body.years[0].levels.map((l: any) => l.id)).toEqual(['province', 'district', 'commune']);
    expect(body.years[0].levels[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('GET /criteria/:year/:level and GET /schema/:year/:level; 404 for unknown ones', async () => {
    const level = (await (await fetch(base + '/criteria/2023/province')).json()) as any;
    expect(level.level.id).toBe('province');
    expect(level.criteria).toHaveLength(16);
    const schema = await fetch(base + '/schema/2023/province');
    expect(schema.headers.get('content-type')).toContain('application/schema+json');
    expect(((await schema.json()) as any).properties.level.const).toBe('province');
    for (const path of ['/criteria/2019/province', '/schema/2023/ward', '/nowhere']) {
      const response = await fetch(base + path);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as any).problems[0].code).toBe('http.not-found');
    }
  });

  it('GET /openapi.json describes every route', async () => {
    const doc = (await (await fetch(base + '/openapi.json')).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/score', '/validate', '/criteria', '/criteria/{year}/{level}', '/schema/{year}/{level}', '/health']));
  });

  it('POST /score: one unit → total and provenance; traces and explanations with ?trace=true', async () => {
    const plain = await post('/score', JSON.stringify(unit('so-a')));
    expect(plain.status).toBe(200);
    expect(plain.json.units[0].criteria[0].trace).toBeUndefined();
    expect(plain.json.units[0].criteria[0].explanation).toBeUndefined();
    const { status, json } = await post('/score?trace=true', JSON.stringify(unit('so-a')));
    expect(status).toBe(200);
    expect(json.ok).toBe(true);
    const scored = json.units[0];
    expect(scored.status).toBe('complete');
    expect(scored.criteria.find((c: any) => c.id === 'dvc-toan-trinh').points).toBe(3.8);
    expect(scored.criteria[0].trace).toBeDefined();
    expect(scored.criteria[0].explanation).toEqual(expect.any(String));
    expect(scored.criteriaSha256).toBe(json.provenance.files[0].sha256);
    expect(json.provenance).toMatchObject({ engine: 'tieuchi', year: 2023, rounding: { decimals: 1, mode: 'half_up' } });
  });

  it('POST /score: many units as a list or {submissions}, ?trace=false', async () => {
    const explained = await post('/score?explain=true&lang=en', JSON.stringify(unit('a')));
    expect(explained.json.units[0].criteria[0].explanation).toEqual(expect.any(String));
    const list = await post('/score?trace=false', JSON.stringify([unit('a'), unit('b', { 'dvc-toan-trinh': { ty_le: 100 } })]));
    expect(list.status).toBe(200);
    expect(list.json.units.map((u: any) => u.rank)).toEqual([2, 1]);
    expect(list.json.units[0].criteria[0].trace).toBeUndefined();
    const wrapped = await post('/score', JSON.stringify({ year: 2023, submissions: [unit('a')] }));
    expect(wrapped.status).toBe(200);
  });

  it('POST /validate: YAML text or {files}; problems located by line and column', async () => {
    const text = readFileSync(`${repoRoot}criteria/2023/province.yaml`, 'utf8');
    const clean = await post('/validate?name=province.yaml', text, 'text/yaml');
    expect(clean.status).toBe(200);
    expect(clean.json.ok).toBe(true);
    expect(clean.json.levels[0].id).toBe('province');
    const broken = text.replace('max_points: 4', 'max_point: 4');
    const bad = await post('/validate', JSON.stringify({ files: [{ name: 'province.yaml', text: broken }] }));
    expect(bad.status).toBe(200);
    expect(bad.json.ok).toBe(false);
    const unknownKey = bad.json.problems.find((p: any) => p.code === 'schema.unknown-key');
    expect(unknownKey.location).toMatchObject({ file: 'province.yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(unknownKey.hint.vi).toContain('max_points');
  });
});

describe('bad requests: 4xx with problems, never a stack trace', () => {
  it('malformed JSON → 400 submission.unreadable', async () => {
    for (const body of ['{"id": "a",', '{id: 1}', '[1, 2,]', 'null x', '{"__proto__": {"x": 1}}']) {
      const { status, json, text } = await post('/score', body);
      expect(status, body).toBe(400);
      expect(json.ok).toBe(false);
      expect(json.problems[0].code, body).toMatch(/^(submission\.unreadable|http\.bad-request)$/);
      expect(json.problems[0].message.vi).toBeTruthy();
      noStack(text);
    }
  });

  it("the Vietnamese message of a body that is not JSON is Vietnamese (the parser's English stays in en)", async () => {
    const { json } = await post('/score', '{"submissions":[');
    expect(json.problems[0].message.vi).toMatch(/^Nội dung gửi lên không phải JSON hợp lệ( \(lỗi ở vị trí \d+\))?\.$/);
    expect(json.problems[0].message.en).toMatch(/^The request body is not valid JSON: /);
  });

  it('empty body → 400', async () => {
    const { status, json } = await post('/score', '');
    expect(status).toBe(400);
    expect(json.problems[0].code).toBe('submission.unreadable');
    expect(json.problems[0].message.vi).not.toMatch(/[Bb]ody|JSON but/);
  });

  it('wrong content type → 415', async () => {
    const xml = await post('/score', '<unit/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.json.problems[0].code).toBe('http.unsupported-media-type');
    const text = await post('/score', JSON.stringify(unit('a')), 'text/plain');
    expect(text.status).toBe(415);
  });

  it('oversized body → 413', async () => {
    const huge = JSON.stringify(Array.from({ length: 400 }, (_, i) => unit(`u${i}`)));
    expect(huge.length).toBeGreaterThan(256 * 1024);
    const { status, json } = await post('/score', huge);
    expect(status).toBe(413);
    expect(json.problems[0].code).toBe('http.too-large');
  });

  it('a bad submission → 200 (something was scored) with the CLI\'s problems by unit, criterion and input; the others still scored', async () => {
    const { status, json, text } = await post('/score', JSON.stringify([unit('good'), unit('bad', { 'dvc-toan-trinh': { ty_le: 120 } }), { id: 'x', level: 'province' }]));
    expect(status).toBe(200);
    expect(json.ok).toBe(false);
    const outOfRange = json.problems.find((p: any) => p.code === 'submission.out-of-range');
    expect(outOfRange).toMatchObject({ unit: 'bad', criterion: 'dvc-toan-trinh', input: 'ty_le' });
    expect(outOfRange.message.vi).toContain('nằm ngoài khoảng 0–100%');
    expect(json.problems.some((p: any) => p.code === 'submission.shape')).toBe(true);
    expect(json.units.find((u: any) => u.id === 'good').status).toBe('complete');
    expect(json.units.find((u: any) => u.id === 'bad').status).toBe('incomplete');
    expect(json.rejected).toMatchObject([{ index: 2, id: 'x' }]);
    noStack(text);
  });

  it('nothing could be scored → 422 with every entry in rejected', async () => {
    const { status, json } = await post('/score', JSON.stringify([{ id: 'x' }, 5, unit('y'), unit('y')].slice(0, 2)));
    expect(status).toBe(422);
    expect(json.ok).toBe(false);
    expect(json.units).toEqual([]);
    expect(json.rejected.map((r: any) => r.index)).toEqual([0, 1]);
  });

  it.each([
    ['/score?year=abc', 'query'],
    ['/score?year=0x7e7', 'query'],
    ['/score?trace=yes', 'query'],
  ])('POST %s → 400 http.bad-request', async (path) => {
    const { status, json } = await post(path, JSON.stringify(unit('a')));
    expect(status).toBe(400);
    expect(json.problems[0].code).toBe('http.bad-request');
  });

  it.each(['/criteria/0x7e7/province', '/criteria/2023.0/province', '/schema/+2023/province', '/criteria/2e03/province'])('GET %s → 400: a year is four decimal digits', async (path) => {
    const response = await fetch(base + path);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).problems[0].code).toBe('http.bad-request');
  });

  it.each(['"abc"', '5', 'true', 'null'])('a JSON body %s → 400, not 415', async (body) => {
    const { status, json } = await post('/score', body);
    expect(status).toBe(400);
    expect(json.problems[0].message.en).toMatch(/object or array|not valid JSON/);
  });

  it.each([
    ['PUT', '/score', 'POST'],
    ['DELETE', '/validate', 'POST'],
    ['POST', '/health', 'GET, HEAD'],
    ['OPTIONS', '/score', 'POST'],
  ])('%s %s → 405 with Allow: %s (CORS off)', async (method, path, allow) => {
    const response = await fetch(base + path, { method, ...(method === 'PUT' || method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(((await response.json()) as any).problems[0].code).toBe('http.method-not-allowed');
  });

  it('a body nested 5,000 deep → 400 before anything recurses', async () => {
    const deep = JSON.stringify({ ...unit('a'), inputs: { x: JSON.parse('['.repeat(5000) + ']'.repeat(5000)) } });
    const { status, json, text } = await post('/score', deep);
    expect(status).toBe(400);
    expect(json.problems[0].code).toBe('submission.unreadable');
    noStack(text);
  });

  it('4,000 empty units: 422 in a bounded answer (problems for the first 100, the rest counted)', async () => {
    const body = `[${Array(4000).fill('{}').join(',')}]`;
    const { status, json, text } = await post('/score', body);
    expect(status).toBe(422);
    expect(json.rejected).toHaveLength(101);
    expect(json.rejected[100].problems[0].message.en).toContain('3900 more entries');
    expect(text.length).toBeLessThan(300 * 1024);
  });

  it('more units than the per-request limit → 413 without scoring any', async () => {
    const small = buildServer({ sets: [criteria2023()], maxSubmissions: 10 });
    const response = await small.inject({ method: 'POST', url: '/score', headers: { 'content-type': 'application/json' }, payload: `[${Array(11).fill('{}').join(',')}]` });
    expect(response.statusCode).toBe(413);
    expect(response.json().problems[0].code).toBe('http.too-large');
    await small.close();
  });

  it('unknown year → 404', async () => {
    const { status } = await post('/score?year=1999', JSON.stringify(unit('a')));
    expect(status).toBe(404);
  });
});

describe('load', () => {
  it('200 concurrent POST /score, all answered correctly', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => post('/score?trace=false', JSON.stringify(unit(`u${i}`, { 'dvc-toan-trinh': { ty_le: i % 101 } })))),
    );
    results.forEach((r, i) => {
      expect(r.status).toBe(200);
      const rate = i % 101;
      const expected = rate >= 95 ? 4 : Math.round(((rate / 95) * 4 + 1e-9) * 10) / 10;
      expect(r.json.units[0].id).toBe(`u${i}`);
      expect(r.json.units[0].criteria.find((c: any) => c.id === 'dvc-toan-trinh').points).toBe(expected);
    });
  });

  it('close() while requests are in flight: they complete, new ones are refused', async () => {
    const other = buildServer({ sets: [criteria2023()] });
    let received = 0;
    other.addHook('preHandler', async () => {
      received++;
    });
    const url = await other.listen({ port: 0, host: '127.0.0.1' });
    const body = JSON.stringify(Array.from({ length: 40 }, (_, i) => unit(`u${i}`)));
    const inFlight = Array.from({ length: 20 }, () => fetch(url + '/score', { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as any })));
    // Let some requests reach the handler, then close while they are being scored.
    while (received < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = other.close();
    const answered = await Promise.allSettled(inFlight);
    await closing;
    const completed = answered.filter((a) => a.status === 'fulfilled' && a.value.status === 200);
    expect(completed.length).toBeGreaterThan(0);
    for (const a of answered) {
      // Every request either completed with its scores or, if it arrived after close began, got 503.
      if (a.status === 'fulfilled') expect([200, 503]).toContain(a.value.status);
      if (a.status === 'fulfilled' && a.value.status === 200) expect(a.value.body.units).toHaveLength(40);
    }
    await expect(fetch(url + '/health')).rejects.toThrow();
  });
});
