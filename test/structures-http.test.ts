/**
 * Structures over HTTP (issue 11 items 4 and 5): POST /score takes the round
 * values in its body (the round-values file's shape), checks them as the CLI
 * checks its file and names the path of each problem; a level scored against
 * its other units, sent one unit alone, is told which statistics it needs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCriteriaSet, type CriteriaSet } from '../engine/criteria-set.js';
import { readRoundValues } from '../engine/load/round-values.js';
import { readSubmissionsJson } from '../engine/load/submissions.js';
import { scoreSubmissions } from '../engine/scoring.js';
import type { buildServer as BuildServer } from '../engine/serve/app.js';
import { repoRoot } from './helpers/criteria.js';

const dir = (path: string) => join(repoRoot, 'examples', 'structures', path);

function load(path: string): CriteriaSet {
  const { set, problems } = loadCriteriaSet(dir(path));
  if (!set) throw new Error(problems.map((p) => p.message.vi).join('\n'));
  return set;
}

interface Answer {
  ok: boolean;
  units: { id: string; status: string; total?: number; rank?: number; criteria: { id: string; status: string; points?: number; problems: { code: string; message: { vi: string } }[] }[] }[];
  problems: { code: string; severity: string; level?: string; file?: string; message: { vi: string }; hint?: { vi: string }; location?: { line: number } }[];
}

describe('POST /score with round values', () => {
  let app: ReturnType<typeof BuildServer>;
  const set = load('xa-phuong/2025');
  const communes = (JSON.parse(readFileSync(dir('xa-phuong/units.json'), 'utf8')) as { submissions: unknown[] }).submissions;
  const post = async (payload: unknown) => {
    const r = await app.inject({ method: 'POST', url: '/score?year=2025', payload: payload as object });
    return { status: r.statusCode, body: r.json() as Answer };
  };

  beforeAll(async () => {
    const { buildServer } = await import('../engine/serve/app.js');
    app = buildServer({ sets: [set] });
  });
  afterAll(async () => app.close());

  it('scores exactly as the CLI does with the same values in a file', async () => {
    const file = dir('xa-phuong/round-values-2025.yaml');
    const values = readRoundValues(file, readFileSync(file, 'utf8'), set).values!;
    const local = scoreSubmissions(set, readSubmissionsJson('u.json', JSON.stringify({ submissions: communes })).submissions, { trace: false, roundValues: values });
    const { status, body } = await post({ year: 2025, submissions: communes, round_values: { year: 2025, values: { muc_tieu_tai_khoan: 550 } } });
    expect(status).toBe(200);
    expect(body.problems).toEqual([]);
    expect(body.ok).toBe(true);
    expect(body.units.map((u) => [u.id, u.total, u.rank])).toEqual(local.units.map((u) => [u.id, u.total, u.rank]));
    expect(body.units.find((u) => u.id === 'xa-an-binh')).toMatchObject({ total: 101.75 });
  });

  it('without round_values, the criterion reading it gets the CLI problem, and everything else scores', async () => {
    const { status, body } = await post({ submissions: communes });
    expect(status).toBe(200);
    expect(body.ok).toBe(false);
    const declared = body.problems.find((p) => p.code === 'round-value.missing' && p.location)!;
    expect(declared.message.vi).toBe('Chưa có giá trị của đợt chấm «mục tiêu số tài khoản định danh điện tử trên 1.000 dân của tỉnh» (muc_tieu_tai_khoan); các tiêu chí dùng giá trị này không chấm được.');
    expect(declared.hint!.vi).toContain('"round_values": {"values": {"muc_tieu_tai_khoan": giá trị}}');
    const an = body.units.find((u) => u.id === 'xa-an-binh')!;
    expect(an.total).toBeUndefined();
    const reading = an.criteria.filter((c) => c.problems.some((p) => p.code === 'round-value.missing'));
    expect(reading.length).toBe(1);
    expect(reading[0]!.problems[0]!.message.vi).toMatch(/^Tiêu chí .* dùng giá trị của đợt chấm «mục tiêu số tài khoản định danh điện tử trên 1\.000 dân của tỉnh» \(muc_tieu_tai_khoan\), nhưng giá trị này chưa được cung cấp\.$/);
    expect(an.criteria.filter((c) => c.status === 'scored').length).toBe(an.criteria.length - 1);
  });

  it.each([
    [{ values: { muc_tieu_tai_khoan: '550' } }, 'round-value.invalid', 'round_values.values.muc_tieu_tai_khoan: Giá trị "muc_tieu_tai_khoan" phải là một số, đang là "550".'],
    [{ values: { muc_tieu_tai_khoan: -3 } }, 'round-value.invalid', 'round_values.values.muc_tieu_tai_khoan: Giá trị "muc_tieu_tai_khoan" (mục tiêu số tài khoản định danh điện tử trên 1.000 dân của tỉnh) = -3 không hợp lệ cho cấp commune: số, trong khoảng 1 – +∞.'],
    [{ year: 2024, values: { muc_tieu_tai_khoan: 550 } }, 'round-value.invalid', 'round_values.year: "round_values" ghi năm 2024, nhưng bộ tiêu chí là năm 2025.'],
    [{ values: { muc_tieu_tai_khoan: 550, ten_la: 1 } }, 'round-value.unknown', 'round_values.values.ten_la: Giá trị "ten_la" không được bộ tiêu chí năm 2025 khai báo ở round_values, nên không dùng.'],
    [{ value: { muc_tieu_tai_khoan: 550 } }, 'round-value.invalid', 'round_values.value: Khóa không hợp lệ "value"; các khóa: year, values, note.'],
    [[550], 'round-value.invalid', 'round_values: "round_values" phải là một khối có "values".'],
  ])('a bad round_values %j is a located problem: %s', async (roundValues, code, message) => {
    const { status, body } = await post({ submissions: communes, round_values: roundValues });
    expect(status).toBe(200);
    const p = body.problems.find((x) => x.code === code)!;
    expect(p, JSON.stringify(body.problems.map((x) => x.message.vi))).toBeDefined();
    expect(p).toMatchObject({ file: 'request' });
    expect(p.message.vi).toBe(message);
  });

  it('one unit alone is told which statistics its level needs', async () => {
    const { body } = await post(communes[0]);
    const needs = body.problems.find((p) => p.code === 'statistic.unavailable' && p.level === 'commune' && !('unit' in p))!;
    expect(needs.message.vi).toMatch(/^Cấp "Ủy ban nhân dân cấp xã" chấm một số tiêu chí so với các đơn vị khác của cấp; lần chấm này chỉ có 1 đơn vị có số liệu, nên thiếu các thống kê: /);
    for (const name of Object.keys(set.levels[0]!.doc.statistics ?? {})) expect(needs.message.vi).toContain(`${name} (`);
    expect(body.units[0]!.total).toBeUndefined();
  });

  it('the OpenAPI document shows round_values with an example', async () => {
    const r = await app.inject({ method: 'GET', url: '/openapi.json' });
    const doc = r.json() as { components: { schemas: Record<string, { examples?: unknown[]; properties?: Record<string, unknown> }> } };
    expect(doc.components.schemas.RoundValues!.examples).toEqual([{ year: 2025, values: { muc_tieu_tai_khoan: 550 } }]);
    expect(JSON.stringify(doc)).toContain('round_values');
  });
});

describe('POST /score with unit attributes', () => {
  it('explains a criterion left out by an attribute in words, and carries the attributes', async () => {
    const { buildServer } = await import('../engine/serve/app.js');
    const app = buildServer({ sets: [load('so-nganh/2025')] });
    try {
      const all = (JSON.parse(readFileSync(dir('so-nganh/units.json'), 'utf8')) as { submissions: unknown[] }).submissions;
      const r = await app.inject({ method: 'POST', url: '/score?trace=true', payload: { submissions: all } });
      expect(r.statusCode).toBe(200);
      const unit = (r.json() as { units: { id: string; attributes?: unknown; criteria: { id: string; explanation?: string }[] }[] }).units.find((u) => u.id === 'thanh-tra')!;
      expect(unit.attributes).toEqual({ co_dich_vu_cong: false });
      expect(unit.criteria.find((c) => c.id === 'dvc-toan-trinh')!.explanation).toBe('không áp dụng cho đơn vị này, chỉ áp dụng khi Có dịch vụ công trực tuyến: Có (không tính vào tổng, không phải 0 điểm)');
      const missing = await app.inject({ method: 'POST', url: '/score', payload: { ...(all[0] as object), attributes: {} } });
      const body = missing.json() as { units: { total?: number; problems: { code: string; message: { vi: string } }[] }[] };
      expect(body.units[0]!.total).toBeUndefined();
      expect(body.units[0]!.problems[0]).toMatchObject({ code: 'submission.unit-attribute' });
    } finally {
      await app.close();
    }
  });
});
