/**
 * Draft and signed criteria sets. With a signed 2023 and a 2025 draft (made
 * by new-year) side by side, every command and the service default to 2023;
 * the draft is used only when named, and then every output says "DỰ THẢO":
 * table, CSV, JSON provenance, results and template workbooks, HTTP.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { criteriaStatus, loadCriteriaSet } from '../engine/criteria-set.js';
import { chooseCriteria, criteriaRoot, listCriteriaYears } from '../engine/load/catalog.js';
import { decisionStatus } from '../engine/validate/semantic.js';
import { buildServer } from '../engine/serve/app.js';
import { packageRoot } from '../engine/paths.js';
import { cli } from './helpers/cli.js';
import { criteria2023Dir, provinceInputs, repoRoot } from './helpers/criteria.js';

let root: string;
const data = join(repoRoot, 'examples', '2023');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tieuchi-draft-signed-'));
  cpSync(criteria2023Dir, join(root, 'criteria', '2023'), { recursive: true });
  cpSync(join(repoRoot, 'schemas'), join(root, 'schemas'), { recursive: true });
  const made = await cli(['new-year', '2025', '--from', '2023'], root);
  expect(made.code).toBe(0);
  // new-year loads and writes three levels: seconds on a busy machine.
}, 120_000);

describe('decision status', () => {
  it.each([
    [{ number: '1/QĐ', date: '2025-01-02' }, 'signed'],
    [{ number: '', date: '' }, 'draft'],
    [{ number: '1/QĐ', date: '' }, 'draft'],
    [{ status: 'draft' as const, number: '1/QĐ', date: '2025-01-02' }, 'draft'],
    [{ status: 'signed' as const, number: '', date: '' }, 'signed'],
  ])('%j → %s', (decision, status) => expect(decisionStatus(decision)).toBe(status));

  it('"signed" with a blank number is an error; "draft" with number and date filled is a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-status-'));
    const text = readFileSync(join(criteria2023Dir, 'province.yaml'), 'utf8');
    writeFileSync(join(dir, 'a.yaml'), text.replace('  number: 2435/QĐ-UBND\n', '  number: ""\n'));
    const signed = loadCriteriaSet(join(dir, 'a.yaml')).problems.find((p) => p.code === 'decision.signed-unfilled');
    expect(signed).toMatchObject({ severity: 'error', location: { line: 13 } });
    writeFileSync(join(dir, 'b.yaml'), text.replace('  status: signed\n', '  status: draft\n'));
    const draft = loadCriteriaSet(join(dir, 'b.yaml'));
    expect(draft.problems.find((p) => p.code === 'decision.draft-filled')).toMatchObject({ severity: 'warning', location: { line: 13 } });
    expect(criteriaStatus(draft.set!)).toBe('draft');
  });
});

describe('the catalog', () => {
  it('lists years with their status and picks the newest signed one', () => {
    const years = listCriteriaYears(join(root, 'criteria'));
    expect(years.map((y) => [y.year, y.status])).toEqual([
      [2023, 'signed'],
      [2025, 'draft'],
    ]);
    const chosen = chooseCriteria(undefined, root);
    expect(chosen).toMatchObject({ ok: true, defaulted: true, year: { year: 2023 } });
    // The root named explicitly: the same; a year folder or a bare year: itself, draft or not.
    expect(chooseCriteria('criteria', root)).toMatchObject({ ok: true, path: join(root, 'criteria', '2023') });
    expect(chooseCriteria('criteria/2025', root)).toMatchObject({ ok: true, path: join(root, 'criteria', '2025') });
    expect(chooseCriteria('2025', root)).toMatchObject({ ok: true, path: join(root, 'criteria', '2025') });
  });
  // The catalog reads only the decision block when it is in plain block style; every other form
  // falls back to the whole file, and both must say the same.
  it.each([
    ['block style', 'decision:\n  status: draft\n  number: ""\nlevel:\n  id: commune\n', 'draft'],
    ['block style with a comment after the key', 'decision: # quyết định\n  status: signed\n  number: 1/QĐ-UBND\n  date: "2026-01-05"\ncriteria: []\n', 'signed'],
    ['flow style', 'decision: { status: draft, number: "" }\ncriteria: []\n', 'draft'],
    ['an alias', 'x: &d { status: draft }\ndecision: *d\n', 'draft'],
    ['a quoted key', '"decision":\n  status: draft\n', 'draft'],
    ['indented by a document start', '---\ndecision:\n  status: draft\n...\n', 'draft'],
    ['no decision at all', 'level:\n  id: commune\n', 'unknown'],
  ])('reads the decision status written in %s', (_how, text, status) => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-catalog-'));
    cpSync(join(root, 'criteria', '2023'), join(dir, '2023'), { recursive: true });
    for (const level of ['province', 'district']) writeFileSync(join(dir, '2023', `${level}.yaml`), 'level: { id: x }\n');
    writeFileSync(join(dir, '2023', 'commune.yaml'), text);
    expect(listCriteriaYears(dir).map((y) => y.status)).toEqual([status]);
  });
  it('only drafts: no default, and the problem says how to name one', async () => {
    const only = mkdtempSync(join(tmpdir(), 'tieuchi-only-draft-'));
    cpSync(join(root, 'criteria', '2025'), join(only, 'criteria', '2025'), { recursive: true });
    expect(chooseCriteria(undefined, only)).toMatchObject({ ok: false, reason: 'no-signed' });
    const r = await cli(['score', '--input', data], only);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('set.no-signed');
    expect(r.stderr).toContain('--criteria criteria/2025');
  });
  it('outside a clone, the criteria bundled in the package', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'tieuchi-elsewhere-'));
    expect(criteriaRoot(elsewhere)).toEqual({ dir: join(packageRoot(), 'criteria'), bundled: true });
    const r = await cli(['validate'], elsewhere);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/criteria\/2023: hợp lệ/);
    const s = await cli(['schema', '--level', 'province'], elsewhere);
    expect(s.code).toBe(0);
  });
});

describe('commands: the newest signed set by default, the draft when named', () => {
  it('score without --criteria uses 2023; --criteria criteria (the root) too', async () => {
    for (const args of [[], ['--criteria', 'criteria']]) {
      const r = await cli(['score', ...args, '--input', data, '--format', 'json'], root);
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.provenance).toMatchObject({ year: 2023, status: 'signed', decision: { number: '2435/QĐ-UBND' } });
      expect(r.stderr).not.toContain('DỰ THẢO');
    }
  });

  it('--criteria criteria/2025 scores under the draft, and every output says DỰ THẢO', async () => {
    const table = await cli(['score', '--criteria', 'criteria/2025', '--input', data], root);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toBe('DỰ THẢO — bộ tiêu chí năm 2025 chưa được ký ban hành; kết quả chỉ để tham khảo.');
    expect(table.stdout).toContain('DỰ THẢO — Đơn vị cấp tỉnh — năm 2025');
    expect(table.stderr).toContain('DỰ THẢO: bộ tiêu chí criteria/2025 (năm 2025) chưa ký');

    const csv = await cli(['score', '--criteria', 'criteria/2025', '--input', data, '--format', 'csv'], root);
    const rows = csv.stdout.replace(/^\uFEFF/, '').trim().split('\n');
    expect(rows[0]!.startsWith('criteria_status,level,rank')).toBe(true);
    expect(rows.slice(1).every((r) => r.startsWith('DỰ THẢO 2025,'))).toBe(true);

    const json = JSON.parse((await cli(['score', '--criteria', 'criteria/2025', '--input', data, '--format', 'json'], root)).stdout);
    expect(json.provenance).toMatchObject({ year: 2025, status: 'draft', decision: { number: '', date: '' } });

    expect((await cli(['score', '--criteria', 'criteria/2025', '--input', data, '--out', 'ket-qua.xlsx'], root)).code).toBe(0);
    const results = new ExcelJS.Workbook();
    await results.xlsx.load(readFileSync(join(root, 'ket-qua.xlsx')) as unknown as ArrayBuffer);
    const ranking = results.worksheets[0]!;
    expect(String(ranking.getCell('A1').value)).toMatch(/^DỰ THẢO — /);
    expect(String(ranking.getCell('A2').value)).toContain('dự thảo bộ tiêu chí năm 2025');
    expect(String(ranking.getCell('A2').value)).not.toContain('Quyết định số');

    expect((await cli(['template', '--criteria', 'criteria/2025', '--level', 'province', '--out', 'mau.xlsx'], root)).code).toBe(0);
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(readFileSync(join(root, 'mau.xlsx')) as unknown as ArrayBuffer);
    const guide = template.worksheets[0]!;
    expect(String(guide.getCell('A1').value)).toMatch(/^DỰ THẢO — MẪU SỐ LIỆU/);
    expect(String(guide.getCell('A2').value)).toContain('dự thảo');

    const explain = await cli(['explain', '--criteria', 'criteria/2025', '--input', data, '--unit', 'so-tai-chinh'], root);
    expect(explain.stderr).toContain('DỰ THẢO');
    expect(explain.stdout.split('\n')[0]).toBe('DỰ THẢO — bộ tiêu chí năm 2025 chưa được ký ban hành; kết quả chỉ để tham khảo.');

    const validate = await cli(['validate'], root);
    expect(validate.stdout).toContain('criteria/2025 (DỰ THẢO): hợp lệ');
  }, 60_000);
});

describe('the service', () => {
  it('POST /score without a year uses the newest signed set; drafts are listed apart and used when named', async () => {
    const sets = ['2023', '2025'].map((y) => loadCriteriaSet(join(root, 'criteria', y)).set!);
    const app = buildServer({ sets });
    try {
      const unit = { id: 'u1', name: 'Đơn vị 1', level: 'province', inputs: provinceInputs() };
      const score = await app.inject({ method: 'POST', url: '/score', payload: [unit] });
      expect(score.statusCode).toBe(200);
      expect(score.json().provenance).toMatchObject({ year: 2023, status: 'signed' });
      const draft = await app.inject({ method: 'POST', url: '/score?year=2025', payload: [unit] });
      expect(draft.json().provenance).toMatchObject({ year: 2025, status: 'draft' });
      const listing = (await app.inject({ method: 'GET', url: '/criteria' })).json();
      expect(listing.default).toBe(2023);
      expect(listing.years.map((y: { year: number; status: string }) => [y.year, y.status])).toEqual([[2023, 'signed']]);
      expect(listing.drafts.map((y: { year: number; status: string }) => [y.year, y.status])).toEqual([[2025, 'draft']]);
    } finally {
      await app.close();
    }
  });
  it('tieuchi serve --criteria criteria (the root) loads every year', async () => {
    const { serveCommand } = await import('../engine/cli/commands/serve.js');
    const { EventEmitter } = await import('node:events');
    const signals = new EventEmitter();
    let stderr = '';
    const io = { stdout: () => {}, stderr: (t: string) => (stderr += t), cwd: root };
    const done = serveCommand({ port: '0', host: '127.0.0.1', criteria: ['criteria'] }, io, 'vi', signals);
    for (let i = 0; i < 200 && !stderr.includes('đang phục vụ'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(stderr).toContain('năm: 2023, 2025 (dự thảo)');
    signals.emit('SIGTERM');
    expect(await done).toBe(0);
  });
});


