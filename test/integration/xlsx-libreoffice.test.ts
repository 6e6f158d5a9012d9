/**
 * The generated workbooks opened in a real spreadsheet program: LibreOffice
 * (headless) converts them, and we check that nothing is lost or garbled:
 * Vietnamese text, numbers, validations, hidden sheets and rows, and that a
 * workbook saved by LibreOffice scores exactly as the JSON/CSV examples.
 *
 * Skipped, saying so, when `soffice` is not installed (CI installs
 * libreoffice-calc-nogui when it can; see .ci/run).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSubmissionsCsv, readSubmissionsJson } from '../../engine/load/submissions.js';
import type { Submission } from '../../engine/model.js';
import { scoreSubmissions, type ScoreRun } from '../../engine/scoring.js';
import { inputColumns, ROWS, SHEETS } from '../../engine/xlsx/layout.js';
import { readSubmissionsXlsx } from '../../engine/xlsx/read-workbook.js';
import { resultsWorkbookBytes } from '../../engine/xlsx/results-workbook.js';
import { templateBytes } from '../../engine/xlsx/template.js';
import { criteria2023, repoRoot } from '../helpers/criteria.js';
import { fillTemplate, loadWorkbook, workbookBytes } from '../fixtures/xlsx/fill.js';

const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
const available = soffice.status === 0;
if (!available) console.warn('xlsx-libreoffice.test.ts: skipped — LibreOffice (soffice) is not installed; install libreoffice-calc-nogui to run these checks.');

const LEVELS = ['province', 'district', 'commune'] as const;
const work = mkdtempSync(join(tmpdir(), 'tieuchi-lo-'));
// A profile of our own, so a LibreOffice already running (or another test run) does not block the conversion.
const profile = pathToFileURL(join(work, 'profile')).href;

/** Convert files with LibreOffice into `outDir`; `to` is a --convert-to target, `infilter` an import filter. */
function convert(files: string[], to: string, outDir: string, infilter?: string): void {
  mkdirSync(outDir, { recursive: true });
  const args = ['--headless', '--norestore', `-env:UserInstallation=${profile}`, ...(infilter ? [`--infilter=${infilter}`] : []), '--convert-to', to, '--outdir', outDir, ...files];
  const run = spawnSync('soffice', args, { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`soffice failed (${run.status}): ${run.stderr}`);
}

/** Every sheet of a workbook as CSV (UTF-8, comma, values not as shown): name → rows. */
function sheetsAsCsv(file: string, outDir: string): Map<string, string[][]> {
  convert([file], 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', outDir);
  const base = file.split('/').pop()!.replace(/\.xlsx$/, '');
  const sheets = new Map<string, string[][]>();
  for (const name of readdirSync(outDir)) {
    if (!name.startsWith(`${base}-`) || !name.endsWith('.csv')) continue;
    const text = readFileSync(join(outDir, name), 'utf8');
    sheets.set(name.slice(base.length + 1, -4), parseCsv(text, { relax_column_count: true }) as string[][]);
  }
  return sheets;
}

function exampleSubmissions(): Submission[] {
  const dir = join(repoRoot, 'examples', '2023');
  return [
    ...readSubmissionsJson('province.json', readFileSync(join(dir, 'province.json'), 'utf8')).submissions,
    ...readSubmissionsJson('district.json', readFileSync(join(dir, 'district.json'), 'utf8')).submissions,
    ...readSubmissionsCsv('commune.csv', readFileSync(join(dir, 'commune.csv'), 'utf8')).submissions,
  ];
}

function summary(run: ScoreRun) {
  return run.units.map((u) => ({ id: u.id, status: u.status, total: u.total, rank: u.rank, points: u.criteria.map((c) => c.points ?? null) })).sort((a, b) => a.id.localeCompare(b.id));
}

describe.skipIf(!available)('LibreOffice opens what tieuchi writes (soffice headless)', () => {
  const set = criteria2023();
  const submissions = exampleSubmissions();
  const direct = scoreSubmissions(set, submissions);
  const generated = join(work, 'generated');
  const saved = join(work, 'saved-by-libreoffice');

  beforeAll(async () => {
    mkdirSync(generated, { recursive: true });
    for (const levelId of LEVELS) {
      const level = set.levels.find((l) => l.id === levelId)!;
      const mine = submissions.filter((s) => s.level === levelId);
      const template = await templateBytes(set, level, { units: mine.map((s) => ({ id: s.id, name: s.name })), deadline: '2024-01-15' });
      writeFileSync(join(generated, `template-${levelId}.xlsx`), template);
      const filled = await loadWorkbook(template);
      fillTemplate(filled, set, mine, (i) => (['typed', 'percent-format', 'text'] as const)[i % 3]!);
      writeFileSync(join(generated, `filled-${levelId}.xlsx`), await workbookBytes(filled));
    }
    // One call for all six: LibreOffice starts once.
    convert(LEVELS.flatMap((l) => [join(generated, `template-${l}.xlsx`), join(generated, `filled-${l}.xlsx`)]), 'xlsx', saved);
  }, 180_000);

  it.each(LEVELS)('%s: the filled template saved by LibreOffice scores exactly as the examples', async (levelId) => {
    const read = await readSubmissionsXlsx('x.xlsx', readFileSync(join(saved, `filled-${levelId}.xlsx`)), set);
    expect(read.problems.filter((p) => !p.location)).toEqual([]);
    const run = scoreSubmissions(set, read.submissions);
    expect(summary(run)).toEqual(summary({ ...direct, units: direct.units.filter((u) => u.level === levelId) }));
  });

  it.each(LEVELS)('%s: the template keeps its sheets, key row, validations, lists and Vietnamese text through LibreOffice', async (levelId) => {
    const original = await loadWorkbook(readFileSync(join(generated, `template-${levelId}.xlsx`)));
    const after = await loadWorkbook(readFileSync(join(saved, `template-${levelId}.xlsx`)));
    expect(after.worksheets.map((w) => w.name)).toEqual([SHEETS.guide, SHEETS.data, SHEETS.lists, SHEETS.meta]);
    expect(after.getWorksheet(SHEETS.lists)!.state).not.toBe('visible');
    expect(after.getWorksheet(SHEETS.meta)!.state).not.toBe('visible');
    const [a, b] = [original, after].map((w) => w.getWorksheet(SHEETS.data)!);
    expect(b!.getRow(ROWS.keys).hidden).toBe(true);
    for (const row of [ROWS.criterion, ROWS.input, ROWS.hint, ROWS.keys, ROWS.firstData]) {
      expect(b!.getRow(row).values, `row ${row}`).toEqual(a!.getRow(row).values);
    }
    const rules = (w: ExcelJS.Worksheet) => (w as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
    const level = set.levels.find((l) => l.id === levelId)!;
    inputColumns(level).forEach((_, i) => {
      const address = b!.getCell(ROWS.firstData, 3 + i).address;
      const [ra, rb] = [rules(a!)[address], rules(b!)[address]];
      expect(rb?.type, address).toBe(ra?.type);
      expect(rb?.prompt, address).toBe(ra?.prompt);
    });
    const note = (w: ExcelJS.Worksheet) => JSON.stringify(w.getCell(ROWS.criterion, 3).note);
    expect(note(b!)).toContain(level.criteria[0]!.def.evidence.trim().slice(0, 30));
    const guide = after.getWorksheet(SHEETS.guide)!.getColumn(1).values.join('\n');
    expect(guide).toContain('Hạn gửi số liệu: 15/01/2024');

    // A unit filling the LibreOffice-saved template scores as the examples too.
    const mine = submissions.filter((s) => s.level === levelId);
    fillTemplate(after, set, mine);
    const read = await readSubmissionsXlsx('x.xlsx', await workbookBytes(after), set);
    expect(summary(scoreSubmissions(set, read.submissions))).toEqual(summary({ ...direct, units: direct.units.filter((u) => u.level === levelId) }));
  });

  it('the template as CSV: criterion titles and labels read back intact', () => {
    const level = set.levels.find((l) => l.id === 'commune')!;
    const sheets = sheetsAsCsv(join(generated, 'template-commune.xlsx'), join(work, 'csv-template'));
    const data = sheets.get(SHEETS.data)!;
    expect(data, [...sheets.keys()].join(', ')).toBeDefined();
    expect(data[0]![2]).toBe(`${level.criteria[0]!.number}. ${level.criteria[0]!.name} (8 điểm)`);
    const columns = inputColumns(level);
    expect(data[ROWS.keys - 1]!.slice(2, 2 + columns.length)).toEqual(columns.map((c) => c.key));
    expect(data[ROWS.firstData - 1]![1]).toBe('UBND xã Đại Tâm (số liệu hư cấu)');
  });

  it('the results workbook as CSV: numbers are numbers, names intact', async () => {
    const run = scoreSubmissions(set, submissions, { trace: true });
    const file = join(work, 'results.xlsx');
    writeFileSync(file, await resultsWorkbookBytes(set, run, 'vi'));
    const sheets = sheetsAsCsv(file, join(work, 'csv-results'));
    for (const level of run.levels) {
      const rows = sheets.get(level.name)!;
      expect(rows, level.name).toBeDefined();
      for (const unit of run.units.filter((u) => u.level === level.id)) {
        const row = rows.find((r) => r[1] === unit.id)!;
        expect(row[2]).toBe(unit.name);
        expect(row[3]).toBe(unit.total === undefined ? '' : String(unit.total));
        level.criteria.forEach((c, i) => expect(row[4 + i]).toBe(String(unit.criteria.find((x) => x.id === c.id)!.points ?? '')));
      }
    }
    const explanations = sheets.get('Giải thích')!;
    expect(explanations.some((r) => r.some((cell) => cell.includes('làm tròn')))).toBe(true);
  });

  it('the CSV example opened in a Vietnamese-locale LibreOffice and saved as .xlsx scores as the CSV (ratio in two columns)', async () => {
    // "8/8" in one cell becomes a date in any spreadsheet, so the ratio goes in ".achieved"/".total" columns.
    const csv = readFileSync(join(repoRoot, 'examples', '2023', 'commune.csv'), 'utf8').split('\n');
    const header = csv[0]!.split(';');
    const ratio = header.indexOf('to-cnscd-hoat-dong.ty_le_to_hoat_dong');
    const split = csv
      .filter((line) => line.trim())
      .map((line, i) => {
        const cells = line.split(';');
        const parts = i === 0 ? [`${cells[ratio]}.achieved`, `${cells[ratio]}.total`] : (cells[ratio] ?? '').split('/');
        cells.splice(ratio, 1, parts[0] ?? '', parts[1] ?? '');
        return cells.join(';');
      })
      .join('\n');
    const dir = join(work, 'plain');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'commune-split.csv'), split);
    convert([join(dir, 'commune-split.csv')], 'xlsx', join(dir, 'out'), 'CSV:59,34,76,1,,1066');
    const read = await readSubmissionsXlsx('commune-split.xlsx', readFileSync(join(dir, 'out', 'commune-split.xlsx')), set);
    expect(read.problems.map((p) => p.code).filter((c) => c.startsWith('xlsx.'))).toEqual([]);
    const fromCsv = scoreSubmissions(set, readSubmissionsCsv('commune-split.csv', split).submissions);
    expect(summary(scoreSubmissions(set, read.submissions))).toEqual(summary(fromCsv));
    expect(summary(fromCsv)).toEqual(summary({ ...direct, units: direct.units.filter((u) => u.level === 'commune') }));
  });
});
