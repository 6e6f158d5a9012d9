/**
 * The HTTP contract: the OpenAPI document is complete and lints clean, real
 * answers conform to the schemas it publishes, /docs works offline; and the
 * service's defences: request and header timeouts, CORS by origin, API keys
 * (hashed, constant-time), a rate limit.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parseApiKeyFile } from '../engine/serve/api-keys.js';
import { buildServer } from '../engine/serve/app.js';
import { SHARED_SCHEMAS } from '../engine/serve/schemas.js';
import { criteria2023, provinceInputs } from './helpers/criteria.js';

const require = createRequire(import.meta.url);
const Ajv = (require('ajv') as { default: typeof import('ajv').default }).default;

const unit = (id: string, overrides: Record<string, Record<string, unknown>> = {}) => ({ id, name: `Đơn vị ${id}`, level: 'province', inputs: provinceInputs(overrides) });
const json = { 'content-type': 'application/json' };

let app: FastifyInstance;
beforeAll(async () => {
  app = buildServer({ sets: [criteria2023()] });
  await app.ready();
}, 60_000);
afterAll(() => app.close());

describe('the OpenAPI document', () => {
  it('types every request and response; operationIds, tags, servers', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/', description: 'This server' }]);
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.map((o) => o.op.operationId).sort()).toEqual(['getCriteriaLevel', 'getHealth', 'getOpenApi', 'getSubmissionSchema', 'listCriteria', 'scoreSubmissions', 'validateCriteria']);
    for (const { path, op } of operations) {
      expect(op.tags, path).toHaveLength(1);
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        const content = response.content as Record<string, { schema: unknown }> | undefined;
        expect(content, `${path} ${status}`).toBeDefined();
        for (const media of Object.values(content!)) expect(media.schema, `${path} ${status}`).toBeDefined();
      }
    }
    const schemas = doc.components.schemas;
    expect(schemas.ScoreRun.properties.units.items).toEqual({ $ref: '#/components/schemas/UnitScore' });
    expect(schemas.ScoreRun.properties.rejected.items.properties.problems.items).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(schemas.UnitScore.properties.criteria.items).toEqual({ $ref: '#/components/schemas/CriterionScore' });
    expect(schemas.CriterionScore.properties.trace).toEqual({ $ref: '#/components/schemas/TraceNode' });
    // The submission components are the engine's own per-level schemas.
    expect(schemas['Submission-2023-province'].properties.inputs.required).toHaveLength(16);
    expect(schemas.Submission.oneOf).toHaveLength(3);
    const score = doc.paths['/score'].post;
    expect(score.requestBody.content['application/json'].schema.oneOf[0]).toEqual({ $ref: '#/components/schemas/Submission' });
    expect(score.responses['422'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ScoreRun' });
    expect(doc.paths['/validate'].post.requestBody.content['text/yaml']).toBeDefined();
  });

  it('lints clean with Redocly\'s recommended rules', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
    // Warnings too: the recommended set is met in full.
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('with API keys configured, the POST operations declare their security schemes', async () => {
    const keyed = buildServer({ sets: [criteria2023()], apiKeyHashes: [createHash('sha256').update('k').digest()] });
    const doc = (await keyed.inject({ url: '/openapi.json' })).json();
    expect(doc.paths['/score'].post.security).toEqual([{ bearerKey: [] }, { headerKey: [] }]);
    expect(doc.paths['/health'].get.security).toBeUndefined();
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearerKey', 'headerKey']);
    await keyed.close();
  });

  it('real answers conform to the published schemas (with and without traces, partial success, failures)', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    for (const schema of SHARED_SCHEMAS) ajv.addSchema(schema);
    const check = (id: string, value: unknown) => {
      const ok = ajv.validate(`${id}#`, value);
      expect(ok ? [] : ajv.errors, id).toEqual([]);
    };
    const scored = await app.inject({ method: 'POST', url: '/score?trace=true', headers: json, payload: JSON.stringify([unit('a'), unit('b', { 'dvc-toan-trinh': { ty_le: 120 } }), { id: 'x' }]) });
    expect(scored.statusCode).toBe(200);
    check('ScoreRun', scored.json());
    expect(scored.json().units[0].criteria[0].trace.op).toEqual(expect.any(String));
    check('ScoreRun', (await app.inject({ method: 'POST', url: '/score', headers: json, payload: JSON.stringify(unit('a')) })).json());
    check('Failure', (await app.inject({ method: 'POST', url: '/score', headers: json, payload: '{"a":' })).json());
    check('Health', (await app.inject({ url: '/health' })).json());
    check('CriteriaList', (await app.inject({ url: '/criteria' })).json());
    check('ValidateResult', (await app.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'text/yaml' }, payload: 'a: [' })).json());
  });

  it('/docs is Swagger UI, served from the package (no CDN)', async () => {
    const page = await app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\/(unpkg|cdn|cdnjs)/);
    const asset = await app.inject({ url: '/docs/static/swagger-ui-bundle.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body.length).toBeGreaterThan(100_000);
    const initializer = await app.inject({ url: '/docs/static/swagger-initializer.js' });
    expect(initializer.body).toContain('json');
  });
});

describe('timeouts', () => {
  it('a body that never finishes arriving is cut off (408), a request without headers is closed', async () => {
    const slow = buildServer({ sets: [criteria2023()], timeouts: { requestMs: 600, headersMs: 400 } });
    const url = new URL(await slow.listen({ port: 0, host: '127.0.0.1' }));
    const held = (payload: string) =>
      new Promise<{ ms: number; text: string }>((resolve) => {
        const start = Date.now();
        let text = '';
        const socket = connect(Number(url.port), '127.0.0.1', () => socket.write(payload));
        socket.on('data', (d) => (text += d.toString()));
        socket.on('close', () => resolve({ ms: Date.now() - start, text }));
        socket.on('error', () => undefined);
        setTimeout(() => socket.destroy(), 8000);
      });
    const [body, headers] = await Promise.all([
      held('POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{"id":'),
      held('POST /score HTTP/1.1\r\nHost: x\r\n'),
    ]);
    expect(body.ms).toBeLessThan(5000);
    expect(body.text).toMatch(/^HTTP\/1\.1 408/);
    expect(headers.ms).toBeLessThan(5000);
    await slow.close();
  });
});

describe('CORS', () => {
  it('off by default; by origin when configured (preflight answered, other origins not allowed)', async () => {
    const preflight = { method: 'OPTIONS' as const, url: '/score', headers: { origin: 'https://portal.soctrang.gov.vn', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } };
    const off = await app.inject(preflight);
    expect(off.statusCode).toBe(405);
    expect(off.headers['access-control-allow-origin']).toBeUndefined();
    const withCors = buildServer({ sets: [criteria2023()], corsOrigins: ['https://portal.soctrang.gov.vn'] });
    const on = await withCors.inject(preflight);
    expect(on.statusCode).toBe(204);
    expect(on.headers['access-control-allow-origin']).toBe('https://portal.soctrang.gov.vn');
    expect(String(on.headers['access-control-allow-methods'])).toContain('POST');
    const other = await withCors.inject({ ...preflight, headers: { ...preflight.headers, origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await withCors.inject({ url: '/health', headers: { origin: 'https://portal.soctrang.gov.vn' } });
    expect(simple.headers['access-control-allow-origin']).toBe('https://portal.soctrang.gov.vn');
    await withCors.close();
  });
});

describe('API keys', () => {
  const key = 'tc_9f2b7c1e5a8d4b3f';
  const file = `# tieuchi API keys: SHA-256 of each key\n${createHash('sha256').update(key).digest('hex')}  cong-thong-tin\nnot-a-hash\n`;

  it('the key file holds hashes; malformed lines are reported by number', () => {
    const parsed = parseApiKeyFile(file);
    expect(parsed.hashes).toHaveLength(1);
    expect(parsed.badLines).toEqual([3]);
  });

  it('POST endpoints need a key (Bearer or X-API-Key); GET endpoints do not', async () => {
    const keyed = buildServer({ sets: [criteria2023()], apiKeyHashes: parseApiKeyFile(file).hashes });
    const payload = JSON.stringify(unit('a'));
    const none = await keyed.inject({ method: 'POST', url: '/score', headers: json, payload });
    expect(none.statusCode).toBe(401);
    expect(none.json().problems[0].code).toBe('http.unauthorized');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const wrong = await keyed.inject({ method: 'POST', url: '/score', headers: { ...json, authorization: 'Bearer tc_wrong' }, payload });
    expect(wrong.statusCode).toBe(401);
    expect((await keyed.inject({ method: 'POST', url: '/score', headers: { ...json, authorization: `Bearer ${key}` }, payload })).statusCode).toBe(200);
    expect((await keyed.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'text/yaml', 'x-api-key': key }, payload: 'a: 1' })).statusCode).toBe(200);
    expect((await keyed.inject({ method: 'POST', url: '/validate', headers: { 'content-type': 'text/yaml' }, payload: 'a: 1' })).statusCode).toBe(401);
    expect((await keyed.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await keyed.inject({ url: '/criteria/2023/province' })).statusCode).toBe(200);
    await keyed.close();
  });
});

describe('rate limit', () => {
  it('past the limit: 429 with a problem and Retry-After', async () => {
    const limited = buildServer({ sets: [criteria2023()], rateLimit: { max: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await limited.inject({ url: '/health' });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.json().problems[0].code).toBe('http.rate-limited');
    expect(last!.headers['retry-after']).toBeDefined();
    await limited.close();
  });
});
