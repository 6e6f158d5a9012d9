/**
 * Bad data in one submission is reported by unit, criterion and input, and
 * never stops the other units from being scored; nothing becomes a silent 0.
 */
import { describe, expect, it } from 'vitest';
import { readSubmissionsCsv, readSubmissionsJson } from '../engine/load/submissions.js';
import type { Submission } from '../engine/model.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { criteria2023, provinceInputs } from './helpers/criteria.js';

const unit = (id: string, inputs: Record<string, unknown>, level = 'province'): Submission => ({ id, name: `Đơn vị ${id}`, level, inputs, mode: 'json' });

describe('a bad submission is reported and the others still score', () => {
  it.each<[string, Record<string, unknown>, string, { criterion?: string; input?: string }]>([
    ['rate above 100%', provinceInputs({ 'dvc-toan-trinh': { ty_le: 120 } }), 'submission.out-of-range', { criterion: 'dvc-toan-trinh', input: 'ty_le' }],
    ['rate as text in JSON', provinceInputs({ 'dvc-toan-trinh': { ty_le: '90%' } }), 'submission.bad-value', { criterion: 'dvc-toan-trinh', input: 'ty_le' }],
    ['missing input', { ...provinceInputs(), 'ho-so-dung-han': {} }, 'submission.missing-input', { criterion: 'ho-so-dung-han', input: 'ty_le_dung_han' }],
    ['missing criterion block', provinceInputs({ 'chu-ky-so': undefined }), 'submission.missing-input', { criterion: 'chu-ky-so', input: 'ty_le' }],
    ['unknown criterion', { ...provinceInputs(), 'tieu-chi-la': { x: 1 } }, 'submission.unknown-criterion', { criterion: 'tieu-chi-la' }],
    ['unknown input', provinceInputs({ 'nhan-su-cntt': { muc_bo_tri: 'dai_hoc', ghi_chu: 'x' } }), 'submission.unknown-input', { criterion: 'nhan-su-cntt', input: 'ghi_chu' }],
    ['unknown choice', provinceInputs({ 'nhan-su-cntt': { muc_bo_tri: 'tien_si' } }), 'submission.bad-value', { criterion: 'nhan-su-cntt', input: 'muc_bo_tri' }],
    ['bad date', provinceInputs({ 'ke-hoach-cds': { ngay_ban_hanh_ke_hoach: '2023-02-30' } }), 'submission.bad-value', { criterion: 'ke-hoach-cds', input: 'ngay_ban_hanh_ke_hoach' }],
    ['achieved above total', provinceInputs({ 'cap-do-attt': { he_thong_duoc_phe_duyet: { achieved: 3, total: 2 } } }), 'submission.out-of-range', { criterion: 'cap-do-attt' }],
    ['negative count', provinceInputs({ 'bao-cao-dinh-ky': { so_lan_tre_ky_quy: -1 } }), 'submission.out-of-range', { criterion: 'bao-cao-dinh-ky', input: 'so_lan_tre_ky_quy' }],
    ['prototype key as input', provinceInputs({ 'dvc-toan-trinh': JSON.parse('{"ty_le": 90, "__proto__": {"polluted": 1}}') }), 'submission.unknown-input', { criterion: 'dvc-toan-trinh', input: '__proto__' }],
  ])('%s', (_name, inputs, code, where) => {
    const run = scoreSubmissions(criteria2023(), [unit('bad', inputs), unit('good', provinceInputs())]);
    const bad = run.units.find((u) => u.id === 'bad')!;
    const good = run.units.find((u) => u.id === 'good')!;
    expect(bad.status).toBe('incomplete');
    expect(bad.total).toBeUndefined();
    expect(bad.rank).toBeUndefined();
    const found = run.problems.find((p) => p.code === code);
    expect(found, JSON.stringify(run.problems.map((p) => p.code))).toBeDefined();
    expect(found).toMatchObject({ unit: 'bad', ...where });
    expect(found!.message.vi).toMatch(/\S/);
    expect(good.status).toBe('complete');
    expect(good.rank).toBe(1);
    // The other criteria of the bad unit are still scored.
    expect(bad.criteria.filter((c) => c.status === 'scored').length).toBeGreaterThan(10);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an unknown level rejects that unit only', () => {
    const run = scoreSubmissions(criteria2023(), [unit('x', {}, 'ward'), unit('good', provinceInputs())]);
    expect(run.rejected).toHaveLength(1);
    expect(run.rejected[0]!.problems[0]).toMatchObject({ code: 'submission.unknown-level', unit: 'x', level: 'ward' });
    expect(run.units.map((u) => u.id)).toEqual(['good']);
  });

  it('a duplicate unit keeps the first submission', () => {
    const run = scoreSubmissions(criteria2023(), [unit('a', provinceInputs()), unit('a', provinceInputs({ 'dvc-toan-trinh': { ty_le: 10 } }))]);
    expect(run.units).toHaveLength(1);
    expect(run.rejected[0]!.problems[0]!.code).toBe('submission.duplicate-unit');
  });

  it('ties share a rank (1, 1, 3)', () => {
    const run = scoreSubmissions(criteria2023(), [unit('a', provinceInputs()), unit('b', provinceInputs()), unit('c', provinceInputs({ 'dvc-toan-trinh': { ty_le: 10 } }))]);
    expect(run.units.map((u) => [u.id, u.rank])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 3],
    ]);
  });
});

describe('reading submission files', () => {
  it('JSON: one object, a list, or {submissions}', () => {
    const one = { id: 'a', name: 'A', level: 'province', inputs: {} };
    expect(readSubmissionsJson('x.json', JSON.stringify(one)).submissions).toHaveLength(1);
    expect(readSubmissionsJson('x.json', JSON.stringify([one, { ...one, id: 'b' }])).submissions).toHaveLength(2);
    expect(readSubmissionsJson('x.json', JSON.stringify({ submissions: [one] })).submissions).toHaveLength(1);
  });
  it('JSON syntax errors are a problem, not a crash', () => {
    const read = readSubmissionsJson('x.json', '{"id": "a",');
    expect(read.submissions).toEqual([]);
    expect(read.problems[0]!.code).toBe('submission.unreadable');
  });
  it.each([
    [{ name: 'A', level: 'province', inputs: {} }, /id/],
    [{ id: 'a', level: 'province', inputs: {} }, /name/],
    [{ id: 'a', name: 'A', inputs: {} }, /level/],
    [{ id: 'a', name: 'A', level: 'province', inputs: [] }, /inputs/],
    [{ id: 'a', name: 'A', level: 'province', inputs: {}, unit: 'x' }, /unit/],
    ['text', /khối/],
  ])('envelope %j', (raw, message) => {
    const read = readSubmissionsJson('x.json', JSON.stringify([raw, { id: 'ok', name: 'Ok', level: 'province', inputs: {} }]));
    expect(read.submissions.map((s) => s.id)).toEqual(['ok']);
    expect(read.problems[0]!.message.vi).toMatch(message);
  });
  it('CSV: header columns criterion.input, ratio as two columns, ";" delimiter, BOM', () => {
    const csv = '\uFEFFid;name;level;dvc-toan-trinh.ty_le;cap-do-attt.he_thong_duoc_phe_duyet.achieved;cap-do-attt.he_thong_duoc_phe_duyet.total\nso-a;Sở A;province;95,5%;1;2\n';
    const read = readSubmissionsCsv('x.csv', csv);
    expect(read.problems).toEqual([]);
    expect(read.submissions[0]).toMatchObject({ id: 'so-a', mode: 'text', inputs: { 'dvc-toan-trinh': { ty_le: '95,5%' }, 'cap-do-attt': { he_thong_duoc_phe_duyet: { achieved: '1', total: '2' } } } });
  });
  it('CSV with a bad header column is refused with its position', () => {
    const read = readSubmissionsCsv('x.csv', 'id,name,level,Tỉ lệ\n');
    expect(read.problems[0]).toMatchObject({ code: 'submission.unreadable', location: { line: 1, column: 4 } });
  });
  it.each([
    ['a list of submissions', (unit: string) => `[\n${unit}\n]`, 5],
    ['one submission alone (read member by member)', (unit: string) => unit, 4],
  ])('a bad value is located at its own line and column: %s', (_, wrap, line) => {
    const unit = `{\n  "id": "so-a", "name": "Sở A", "level": "province",\n  "inputs": {\n    "dvc-toan-trinh": { "ty_le": 120 }\n  }\n}`;
    const read = readSubmissionsJson('x.json', wrap(unit));
    expect(read.problems).toEqual([]);
    const run = scoreSubmissions(criteria2023(), read.submissions);
    const bad = run.problems.find((p) => p.code === 'submission.out-of-range')!;
    expect(bad.location).toMatchObject({ file: 'x.json', line, column: 34 });
  });
  it('an oversized file is refused', () => {
    const read = readSubmissionsJson('x.json', '[]', { maxBytes: 1, maxSubmissions: 10 });
    expect(read.problems[0]!.code).toBe('submission.too-large');
  });
});
