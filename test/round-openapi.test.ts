/**
 * The /round routes are an API other tools call (a portal, an agency's
 * system): with `serve --round` they are in the OpenAPI document like the
 * rest — operationIds, the round tag, the round's key schemes, typed bodies
 * and answers — it lints clean, and real answers conform to what it
 * publishes. Without a round, the document is as before.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../engine/serve/app.js';
import { roundRoutes } from '../engine/round/serve.js';
import { SHARED_SCHEMAS } from '../engine/serve/schemas.js';
import { criteria2023 } from './helpers/criteria.js';
import { round, scratchRound2023 } from './helpers/round.js';

const require = createRequire(import.meta.url);
const Ajv = (require('ajv') as { default: typeof import('ajv').default }).default;

const keys: Record<string, string> = {};
let app: FastifyInstance;
let doc: any;
beforeAll(async () => {
  const dir = scratchRound2023();
  const lines = ['so-tttt', 'phuong-1', 'cong-an-tinh'].map((holder) => {
    keys[holder] = `tc_${randomBytes(32).toString('base64url')}`;
    return `  - { holder: ${holder}, sha256: ${createHash('sha256').update(keys[holder]!).digest('hex')} }`;
  });
  const path = join(dir, 'round.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('keys: []', `keys:\n${lines.join('\n')}`));
  app = buildServer({ sets: [criteria2023()], plugins: [roundRoutes({ round: round(dir), now: () => new Date('2023-12-15T03:00:00Z') })] });
  doc = (await app.inject('/openapi.json')).json();
}, 60_000);
afterAll(() => app.close());

const ROUND_OPERATIONS: [string, string, string][] = [
  ['/round/submissions', 'post', 'roundSubmitData'],
  ['/round/evidence', 'post', 'roundSubmitDeclaration'],
  ['/round/status', 'get', 'roundStatus'],
  ['/round/results', 'get', 'roundResults'],
  ['/round/units/{id}', 'get', 'roundUnit'],
];

describe('the /round routes in the OpenAPI document', () => {
  it('each has an operationId, the round tag, the round key schemes and typed answers', () => {
    for (const [path, method, id] of ROUND_OPERATIONS) {
      const op = doc.paths[path]?.[method];
      expect(op, path).toBeDefined();
      expect(op.operationId).toBe(id);
      expect(op.tags).toEqual(['round']);
      expect(op.security).toEqual([{ roundBearer: [] }, { roundKey: [] }]);
      expect(Object.keys(op.responses)).toContain('401');
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) expect(response.content?.['application/json']?.schema, `${path} ${status}`).toBeDefined();
    }
    expect(doc.components.securitySchemes.roundBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.roundKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain('round');
    expect(doc.paths['/round/submissions'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect(doc.paths['/round/units/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  });

  it("lints clean with Redocly's recommended rules", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('real answers conform to the published schemas, and carry every field they carried before', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    for (const schema of SHARED_SCHEMAS) ajv.addSchema(schema);
    const schemaOf = (path: string, method: string, status: number) => doc.paths[path][method].responses[String(status)].content['application/json'].schema;
    const check = (path: string, method: string, status: number, value: unknown) => {
      // The document's $refs point at #/components/schemas/<id>; the shared schemas are registered by their $id.
      const schema = JSON.parse(JSON.stringify(schemaOf(path, method, status)).replace(/#\/components\/schemas\/(\w+)/g, '$1#'));
      const ok = ajv.validate(schema, value);
      expect(ok ? [] : ajv.errors, `${method} ${path} ${status}`).toEqual([]);
    };
    const as = (holder: string) => ({ authorization: `Bearer ${keys[holder]}` });
    const sent = await app.inject({ method: 'POST', url: '/round/submissions', headers: { ...as('phuong-1'), 'content-type': 'application/json' }, payload: JSON.stringify({ id: 'phuong-1', name: 'Phường 1', level: 'commune', inputs: {} }) });
    expect(sent.statusCode).toBe(201);
    check('/round/submissions', 'post', 201, sent.json());
    const results = await app.inject({ url: '/round/results', headers: as('so-tttt') });
    check('/round/results', 'get', 200, results.json());
    // Nothing dropped by the serializer: the unit objects keep their criteria, totals and ranks.
    const first = results.json().units[0];
    expect(first.criteria.length).toBeGreaterThan(0);
    expect(Object.keys(first)).toEqual(expect.arrayContaining(['id', 'name', 'level', 'criteria']));
    check('/round/status', 'get', 200, (await app.inject({ url: '/round/status', headers: as('cong-an-tinh') })).json());
    check('/round/units/{id}', 'get', 200, (await app.inject({ url: '/round/units/phuong-1', headers: as('phuong-1') })).json());
    const refused = await app.inject({ url: '/round/units/xa-dai-tam', headers: as('phuong-1') });
    expect(refused.statusCode).toBe(403);
    check('/round/units/{id}', 'get', 403, refused.json());
    const noKey = await app.inject({ url: '/round/results' });
    expect(noKey.statusCode).toBe(401);
    check('/round/results', 'get', 401, noKey.json());
  });

  it('without a round, the document has no round operations, tag or schemes', async () => {
    const plain = buildServer({ sets: [criteria2023()] });
    const d = (await plain.inject('/openapi.json')).json();
    expect(Object.keys(d.paths).filter((p) => p.startsWith('/round'))).toEqual([]);
    expect(d.tags.map((t: { name: string }) => t.name)).not.toContain('round');
    expect(d.components.securitySchemes).toBeUndefined();
    await plain.close();
  });
});

describe('a round on a structured set, through the service', () => {
  it('answers with the breakdown and "không áp dụng", conforming to the published schemas, nothing dropped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-round-openapi-'));
    cpSync(fileURLToPath(new URL('../examples/rounds/2026-so-nganh', import.meta.url)), dir, { recursive: true });
    const criteria = fileURLToPath(new URL('../examples/structures/so-nganh/2026', import.meta.url));
    const key = `tc_${randomBytes(32).toString('base64url')}`;
    const path = join(dir, 'round.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^criteria: .*$/m, `criteria: ${JSON.stringify(criteria)}`).replace('keys: []', `keys:\n  - { holder: so-khcn, sha256: ${createHash('sha256').update(key).digest('hex')} }\n  - { holder: thanh-tra, sha256: ${createHash('sha256').update(key + 'u').digest('hex')} }`));
    const r = round(dir);
    const server = buildServer({ sets: [r.set], plugins: [roundRoutes({ round: r })] });
    try {
      const d = (await server.inject('/openapi.json')).json();
      const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
      for (const schema of SHARED_SCHEMAS) ajv.addSchema(schema);
      const schemaOf = (p: string, status: number) => JSON.parse(JSON.stringify(d.paths[p].get.responses[String(status)].content['application/json'].schema).replace(/#\/components\/schemas\/(\w+)/g, '$1#'));
      const results = (await server.inject({ url: '/round/results', headers: { authorization: `Bearer ${key}` } })).json();
      expect(ajv.validate(schemaOf('/round/results', 200), results) ? [] : ajv.errors).toEqual([]);
      const tt = results.units.find((u: { id: string }) => u.id === 'thanh-tra');
      expect(tt).toMatchObject({ type: 'thuong', attributes: { co_dich_vu_cong: false }, computedTotal: 62, finalTotal: 63.5, breakdown: { final: { applicable: { rule: 'rescale', before: 38.1, maxPoints: 60 } } } });
      expect(tt.criteria.find((c: { id: string }) => c.id === 'dvc-toan-trinh')).toMatchObject({ status: 'not_applicable' });
      expect(tt.breakdown.final.groups.map((g: { id: string; status: string }) => [g.id, g.status])).toContainEqual(['kinh-te-so', 'not_applicable']);
      expect(results.levels[0]).toMatchObject({ decimals: 2, structured: true });
      const own = (await server.inject({ url: '/round/units/thanh-tra', headers: { authorization: `Bearer ${key}u` } })).json();
      expect(ajv.validate(schemaOf('/round/units/{id}', 200), own) ? [] : ajv.errors).toEqual([]);
      expect(own.unit.breakdown.final.base).toBe(63.5);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe("the web view of a structured round's data", () => {
  it('scores each unit with its registered type and attributes (a rescaled total)', async () => {
    const { roundWebData } = await import('../engine/round/serve.js');
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-round-web-'));
    cpSync(fileURLToPath(new URL('../examples/rounds/2026-so-nganh', import.meta.url)), dir, { recursive: true });
    const criteria = fileURLToPath(new URL('../examples/structures/so-nganh/2026', import.meta.url));
    const path = join(dir, 'round.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^criteria: .*$/m, `criteria: ${JSON.stringify(criteria)}`));
    const r = round(dir);
    const data = await roundWebData(r).current();
    const tt = data.submissions.find((s) => s.id === 'thanh-tra')!;
    expect(tt).toMatchObject({ type: 'thuong', attributes: { co_dich_vu_cong: false } });
    const server = buildServer({ sets: [r.set], plugins: [roundRoutes({ round: r })], web: { source: roundWebData(r) } });
    try {
      const sheet = await server.inject('/web/2026/results/department/thanh-tra');
      expect(sheet.statusCode).toBe(200);
      // Before the appraisal (the web view shows the data as received): 37,2 × 100 / 60 = 62,00.
      const text = sheet.body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
      // Without its attributes the unit would have no total at all (submission.unit-attribute).
      expect(text).toContain('Tổng điểm 62,00 / 100 điểm — Xếp hạng 10/12 trong cấp');
      expect(sheet.body).not.toMatch(/thuộc tính «Có dịch vụ công trực tuyến»|submission\.unit-attribute/);
    } finally {
      await server.close();
    }
  }, 60_000);
});
