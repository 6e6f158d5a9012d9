/**
 * A structured template (issue 11: group rows, a unit-type and an attribute
 * column, greyed cells) filled in and saved by LibreOffice Calc still reads
 * back with its types and attributes and scores exactly as the JSON data; its
 * merges, dropdowns and conditional formatting survive the round trip.
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
import { readSubmissionsXlsx } from '../../engine/xlsx/read-workbook.js';
import { buildTemplate } from '../../engine/xlsx/template.js';
import { repoRoot } from '../helpers/criteria.js';

const available = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
if (!available) console.warn('structures-template-libreoffice.test.ts: SKIPPED — LibreOffice (soffice) is not installed; install libreoffice-calc-nogui to run these checks.');

const work = mkdtempSync(join(tmpdir(), 'tieuchi-lo-shapes-'));
const profile = pathToFileURL(join(work, 'profile')).href;
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!available)('a structured template through LibreOffice', () => {
  it('is filled, saved by LibreOffice, read back and scored as the JSON data', async () => {
    const dir = join(repoRoot, 'examples', 'structures', 'so-nganh');
    const { set } = loadCriteriaSet(join(dir, '2025'));
    const level = set!.levels[0]!;
    const rows = templateRows(level);
    const fromJson = readSubmissionsJson('u.json', readFileSync(join(dir, 'units.json'), 'utf8')).submissions;
    const workbook = buildTemplate(set!, level, { units: fromJson.map((s) => ({ id: s.id, name: s.name, type: s.type!, attributes: s.attributes! })) });
    const sheet = workbook.getWorksheet('Số liệu')!;
    const keys = new Map<string, number>();
    sheet.getRow(rows.keys).eachCell((cell, c) => keys.set(String(cell.value), c));
    fromJson.forEach((s, i) => {
      for (const [criterion, block] of Object.entries(s.inputs as Record<string, Record<string, unknown>>)) {
        for (const [input, value] of Object.entries(block)) sheet.getCell(rows.firstData + i, keys.get(`${criterion}.${input}`)!).value = typeof value === 'boolean' ? (value ? 'Có' : 'Không') : (value as number);
      }
    });
    const source = join(work, 'in');
    const out = join(work, 'out');
    mkdirSync(source, { recursive: true });
    writeFileSync(join(source, 'mau.xlsx'), Buffer.from(await workbook.xlsx.writeBuffer()));
    const run = spawnSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=${profile}`, '--convert-to', 'xlsx', '--outdir', out, join(source, 'mau.xlsx')], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const bytes = readFileSync(join(out, 'mau.xlsx'));
    const read = await readSubmissionsXlsx('mau.xlsx', bytes, set!);
    expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(read.submissions.find((s) => s.id === 'thanh-tra')).toMatchObject({ type: 'thuong', attributes: { co_dich_vu_cong: 'Không' } });
    const fromSheet = scoreSubmissions(set!, read.submissions, { trace: false });
    const direct = scoreSubmissions(set!, fromJson, { trace: false });
    expect(fromSheet.units.map((u) => [u.id, u.total, u.rank])).toEqual(direct.units.map((u) => [u.id, u.total, u.rank]));

    const after = new ExcelJS.Workbook();
    await after.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const saved = after.getWorksheet('Số liệu')!;
    const dvc = keys.get('dvc-toan-trinh.ty_le')!;
    expect(String(saved.getCell(1, dvc).value)).toBe('4. Hoạt động chính quyền số (tối đa 40 điểm)');
    expect(saved.getCell(1, dvc - 1).master.address).toBe(saved.getCell(1, dvc).master.address);
    expect(saved.getCell(rows.firstData, 3).dataValidation).toMatchObject({ type: 'list' });
    const rules = (saved as unknown as { conditionalFormattings: { rules: { formulae?: string[] }[] }[] }).conditionalFormattings;
    expect(rules.flatMap((r) => r.rules.flatMap((x) => x.formulae ?? []))).toContain(`AND($D${rows.firstData}<>"",NOT(OR($D${rows.firstData}="Có")))`);
  }, 180_000);
});
