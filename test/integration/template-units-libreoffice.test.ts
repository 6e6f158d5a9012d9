/**
 * `tieuchi template --units units.csv` of a structured level (issue 11), filled in, saved by
 * LibreOffice Calc and sent back: the pre-filled ids, names, type names and attributes and the
 * "không áp dụng" notes survive, and the workbook scores as the JSON data. Skips loudly
 * without soffice.
 */
import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCriteriaSet } from '../../engine/criteria-set.js';
import { readSubmissionsJson } from '../../engine/load/submissions.js';
import { scoreSubmissions } from '../../engine/scoring.js';
import { templateRows } from '../../engine/xlsx/layout.js';
import { cli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/criteria.js';

const available = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
if (!available) console.warn('template-units-libreoffice.test.ts: SKIPPED — LibreOffice (soffice) is not installed; install libreoffice-calc-nogui to run these checks.');

const work = mkdtempSync(join(tmpdir(), 'tieuchi-lo-units-'));
const profile = pathToFileURL(join(work, 'profile')).href;
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!available)('a template pre-filled from a units CSV, through LibreOffice', () => {
  it('keeps the pre-filled units and notes, and scores as the JSON data', async () => {
    const criteria = 'examples/structures/so-nganh/2025';
    const made = join(work, 'in', 'mau.xlsx');
    mkdirSync(join(work, 'in'), { recursive: true });
    const r = await cli(['template', '--criteria', criteria, '--level', 'department', '--units', 'examples/structures/so-nganh/units.csv', '--out', made]);
    expect(r.code, r.stderr).toBe(0);
    const set = loadCriteriaSet(join(repoRoot, criteria)).set!;
    const level = set.levels[0]!;
    const rows = templateRows(level);
    const data = readSubmissionsJson('u.json', readFileSync(join(repoRoot, 'examples/structures/so-nganh/units.json'), 'utf8')).submissions;
    const direct = scoreSubmissions(set, data, { trace: false });
    const na = new Map(direct.units.map((u) => [u.id, new Set(u.criteria.filter((c) => c.status === 'not_applicable').map((c) => c.id))]));

    // Filled in as the units would: what applies, greyed cells left empty.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(made);
    const sheet = workbook.getWorksheet('Số liệu')!;
    const keys = new Map<string, number>();
    sheet.getRow(rows.keys).eachCell((cell, c) => keys.set(String(cell.value), c));
    data.forEach((s, i) => {
      for (const [criterion, block] of Object.entries(s.inputs as Record<string, Record<string, unknown>>)) {
        if (na.get(s.id)!.has(criterion)) continue;
        for (const [input, value] of Object.entries(block)) sheet.getCell(rows.firstData + i, keys.get(`${criterion}.${input}`)!).value = typeof value === 'boolean' ? (value ? 'Có' : 'Không') : (value as number);
      }
    });
    writeFileSync(made, Buffer.from(await workbook.xlsx.writeBuffer()));
    const out = join(work, 'out');
    const run = spawnSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=${profile}`, '--convert-to', 'xlsx', '--outdir', out, made], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);

    const saved = new ExcelJS.Workbook();
    await saved.xlsx.readFile(join(out, 'mau.xlsx'));
    const back = saved.getWorksheet('Số liệu')!;
    const vanPhong = rows.firstData + data.findIndex((s) => s.id === 'van-phong-ubnd');
    expect([1, 2, 3, 4].map((c) => back.getCell(vanPhong, c).value)).toEqual(['van-phong-ubnd', 'Văn phòng UBND thành phố', 'Sở, ngành, cơ quan', 'Không']);
    const note = back.getCell(vanPhong, keys.get('dvc-toan-trinh.ty_le')!).note;
    expect(typeof note === 'string' ? note : JSON.stringify(note)).toContain('không áp dụng: tiêu chí 4.2 chỉ áp dụng khi Có dịch vụ công trực tuyến: Có');

    const scored = await cli(['score', '--criteria', criteria, '--input', join(out, 'mau.xlsx'), '--format', 'json']);
    expect(scored.code, scored.stderr).toBe(0);
    const units = (JSON.parse(scored.stdout) as { units: { id: string; total: number; rank: number; type: string }[] }).units;
    expect(units.map((u) => [u.id, u.total, u.rank, u.type])).toEqual(direct.units.map((u) => [u.id, u.total, u.rank, u.type]));
  }, 180_000);
});
