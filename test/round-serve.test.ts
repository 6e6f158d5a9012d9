/**
 * The round through the service, with per-key access (fastify.inject only, no port):
 * a unit's key cannot write another unit's data nor read another unit's appraisal,
 * an agency's key sends only its own inputs, the department's key does everything,
 * and every accepted submission is kept and journaled with who, when and a hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../engine/serve/app.js';
import { roundRoutes } from '../engine/round/serve.js';
import { criteria2023 } from './helpers/criteria.js';
import { round, scratchRound2023 } from './helpers/round.js';

const keys: Record<string, string> = {};
let dir: string;
let app: FastifyInstance;

beforeAll(async () => {
  dir = scratchRound2023();
  const lines = ['so-tttt', 'cong-an-tinh', 'phuong-1', 'xa-dai-tam'].map((holder) => {
    keys[holder] = `tc_${randomBytes(32).toString('base64url')}`;
    return `  - { holder: ${holder}, sha256: ${createHash('sha256').update(keys[holder]!).digest('hex')} }`;
  });
  const path = join(dir, 'round.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('keys: []', `keys:\n${lines.join('\n')}`));
  app = buildServer({ sets: [criteria2023()], plugins: [roundRoutes({ round: round(dir), now: () => new Date('2023-12-15T03:00:00Z') })] });
  await app.ready();
});
afterAll(async () => app.close());

const as = (holder: string) => ({ authorization: `Bearer ${keys[holder]}` });
const files = (sender: string) => (existsSync(join(dir, 'received', sender)) ? readdirSync(join(dir, 'received', sender)) : []);
const submission = (id: string, level: string, inputs: Record<string, Record<string, unknown>>) => ({ id, name: id, level, inputs });

describe('round service access', () => {
  it('refuses a request without a key or with a wrong one', async () => {
    const none = await app.inject({ method: 'GET', url: '/round/status' });
    expect(none.statusCode).toBe(401);
    expect(none.json().problems[0]).toMatchObject({ code: 'round.access' });
    const wrong = await app.inject({ method: 'GET', url: '/round/status', headers: { 'x-api-key': 'tc_khong-dung' } });
    expect(wrong.statusCode).toBe(401);
  });

  it("a unit's key cannot write another unit's data: refused, nothing stored", async () => {
    const before = [files('phuong-1').length, files('xa-dai-tam').length];
    const res = await app.inject({ method: 'POST', url: '/round/submissions', headers: as('phuong-1'), payload: submission('xa-dai-tam', 'commune', { 'van-ban-dien-tu': { ty_le: 100 } }) });
    expect(res.statusCode).toBe(403);
    expect(res.json().problems[0].message.vi).toMatch(/chỉ gửi được số liệu của chính đơn vị này, không gửi được cho "xa-dai-tam"/);
    // Nor hidden in a list with its own.
    const list = await app.inject({ method: 'POST', url: '/round/submissions', headers: as('phuong-1'), payload: [submission('phuong-1', 'commune', {}), submission('xa-dai-tam', 'commune', {})] });
    expect(list.statusCode).toBe(403);
    expect([files('phuong-1').length, files('xa-dai-tam').length]).toEqual(before);
  });

  it("a unit's key cannot read another unit's appraisal, and reads its own", async () => {
    const other = await app.inject({ method: 'GET', url: '/round/units/xa-dai-tam', headers: as('phuong-1') });
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toMatch(/không gửi ảnh, clip/);
    const results = await app.inject({ method: 'GET', url: '/round/results', headers: as('phuong-1') });
    expect(results.json().units.map((u: { id: string }) => u.id)).toEqual(['phuong-1']);
    expect(results.body).not.toMatch(/xa-dai-tam/);
    const own = await app.inject({ method: 'GET', url: '/round/units/phuong-1', headers: as('phuong-1') });
    expect(own.statusCode).toBe(200);
    expect(own.json().unit.criteria.find((c: { id: string }) => c.id === 'ho-so-cong-viec-tren-mang').appraisal.reason).toMatch(/Kiểm tra tại đơn vị ngày 18\/12\/2023/);
    const status = await app.inject({ method: 'GET', url: '/round/status', headers: as('phuong-1') });
    expect(status.json().units.map((u: { id: string }) => u.id)).toEqual(['phuong-1']);
  });

  it("accepts a unit's own data, keeps and journals it with who, when and its hash", async () => {
    const res = await app.inject({ method: 'POST', url: '/round/submissions', headers: as('phuong-1'), payload: submission('phuong-1', 'commune', { 'van-ban-dien-tu': { ty_le: 99 } }) });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ ok: true, receivedAt: '2023-12-15T03:00:00.000Z', problems: [] });
    expect(body.file).toMatch(/^received\/phuong-1\/20231215T030000000Z-[0-9a-f]{8}\.json$/);
    expect(createHash('sha256').update(readFileSync(join(dir, body.file))).digest('hex')).toBe(body.sha256);
    const last = readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).pop();
    expect(last).toMatchObject({ action: 'receive', who: 'phuong-1 (API)', sender: 'phuong-1', file: body.file, sha256: body.sha256, at: '2023-12-15T03:00:00.000Z' });
    const own = await app.inject({ method: 'GET', url: '/round/units/phuong-1', headers: as('phuong-1') });
    expect(own.json().unit.criteria.find((c: { id: string }) => c.id === 'van-ban-dien-tu').inputs[0]).toMatchObject({ value: 99, source: expect.stringMatching(new RegExp(`^${body.file}:`)) });
  });

  it('an agency sends only its own inputs, for any unit', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/round/submissions', headers: as('cong-an-tinh'), payload: submission('xa-dai-tam', 'commune', { 'van-ban-dien-tu': { ty_le: 100 } }) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().problems[0].message.vi).toMatch(/chỉ gửi được các số liệu cơ quan này cung cấp; "van-ban-dien-tu.ty_le"/);
    const right = await app.inject({ method: 'POST', url: '/round/submissions', headers: as('cong-an-tinh'), payload: { submissions: [submission('xa-lich-hoi-thuong', 'commune', { 'vneid-can-bo': { ty_le: 96 }, 'vneid-nguoi-dan': { ty_le: 58 } })] } });
    expect(right.statusCode).toBe(201);
    const seen = await app.inject({ method: 'GET', url: '/round/units/xa-lich-hoi-thuong', headers: as('cong-an-tinh') });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().unit).not.toHaveProperty('criteria');
    expect(seen.json().unit.inputs.map((i: { input: string; value: number }) => [i.input, i.value])).toEqual([
      ['ty_le', 96],
      ['ty_le', 58],
    ]);
  });

  it("a unit sends its own declaration only; the department reads everything", async () => {
    const other = await app.inject({ method: 'POST', url: '/round/evidence', headers: as('xa-dai-tam'), payload: { unit: 'phuong-1', self_assessment: { 'ngay-cds': 8 } } });
    expect(other.statusCode).toBe(403);
    const own = await app.inject({ method: 'POST', url: '/round/evidence', headers: as('xa-dai-tam'), payload: { unit: 'xa-dai-tam', evidence: { 'ngay-cds': [{ kind: 'van-ban', number: '9/KH-UBND', date: '2023-09-20', file: 'kh.pdf' }, { kind: 'hinh-anh', link: 'https://example.invalid/anh', summary: 'Ảnh' }] } } });
    expect(own.statusCode).toBe(201);
    const all = await app.inject({ method: 'GET', url: '/round/results', headers: as('so-tttt') });
    expect(all.statusCode).toBe(200);
    const dai = all.json().units.find((u: { id: string }) => u.id === 'xa-dai-tam');
    expect(dai.criteria.find((c: { id: string }) => c.id === 'ngay-cds').evidence.missing).toEqual([]);
    expect(all.json().units.length).toBe(13);
  });

  it('a malformed body is a located problem, never a stack trace', async () => {
    const res = await app.inject({ method: 'POST', url: '/round/submissions', headers: { ...as('phuong-1'), 'content-type': 'application/json' }, payload: '{"id": "phuong-1",' });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems[0].code).toBe('submission.unreadable');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });
});
