/**
 * The generated workbooks opened in a real spreadsheet program: LibreOffice
 * (headless) converts them, and we check that nothing is lost or garbled:
 * Vietnamese text, numbers, validations, hidden sheets and rows, and that a
 * workbook saved by LibreOffice scores exactly as the JSON/CSV examples.
 *
 * The results workbook and a template are also printed to PDF, and the PDF
 * read back (pdfinfo, pdftotext): A4 pages, the header rows and the agency
 * on every page, "Trang 2/N" in the footers, text at 8 points or more, and
 * every data problem's message printed whole.
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
const poppler = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).status === 0 && spawnSync('pdfinfo', ['-v'], { encoding: 'utf8' }).status === 0;
if (available && !poppler) console.warn('xlsx-libreoffice.test.ts: PDF checks SKIPPED — pdftotext/pdfinfo (poppler-utils) are not installed.');

/** Each page's size in points, from pdfinfo. */
function pageSizes(pdf: string): { width: number; height: number }[] {
  const info = spawnSync('pdfinfo', ['-f', '1', '-l', '9999', pdf], { encoding: 'utf8' }).stdout;
  return [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
}

/** The text of one page (1-based). */
function pageText(pdf: string, page: number): string {
  return spawnSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
}

interface Word {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

const unescapeHtml = (text: string) => text.replace(/&quot;/g, '"').replace(/&apos;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The words of one page with their boxes, in points (pdftotext -bbox writes them as HTML). */
function words(pdf: string, page: number): Word[] {
  const xml = spawnSync('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', pdf, '-'], { encoding: 'utf8' }).stdout;
  return [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), text: unescapeHtml(m[5]!) }));
}

/** Heights of the words of one page, in points (about 1.03 × the font size). */
function wordHeights(pdf: string, page: number): number[] {
  return words(pdf, page).map((w) => w.y1 - w.y0);
}

/** Pairs of words printed over each other (boxes overlapping by more than a third of the smaller one). */
function overlaps(list: Word[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const [a, b] = [list[i]!, list[j]!];
      const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (w <= 0 || h <= 0) continue;
      const smaller = Math.min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0));
      if (w * h > smaller / 3) found.push(`"${a.text}" over "${b.text}"`);
    }
  }
  return found;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const isA4 = ({ width, height }: { width: number; height: number }) => (Math.abs(width - 595.3) < 2 && Math.abs(height - 841.9) < 2) || (Math.abs(width - 841.9) < 2 && Math.abs(height - 595.3) < 2);

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

  it.skipIf(!poppler)('the results workbook prints on A4: repeated headers, agency, page numbers, readable text, whole messages', async () => {
    const run = scoreSubmissions(set, submissions, { trace: true });
    const file = join(work, 'print', 'ket-qua.xlsx');
    mkdirSync(join(work, 'print'), { recursive: true });
    writeFileSync(file, await resultsWorkbookBytes(set, run, 'vi'));
    convert([file], 'pdf', join(work, 'print'));
    const pdf = join(work, 'print', 'ket-qua.pdf');
    const sizes = pageSizes(pdf);
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes.filter((s) => !isA4(s)), 'pages not A4').toEqual([]);
    const pages = sizes.map((_, i) => pageText(pdf, i + 1));
    pages.forEach((text, i) => {
      expect(text, `page ${i + 1}: footer`).toContain(`Trang ${i + 1}/${sizes.length}`);
      expect(text, `page ${i + 1}: header`).toContain('Sở Thông tin và Truyền thông');
      expect(median(wordHeights(pdf, i + 1)), `page ${i + 1}: text size`).toBeGreaterThanOrEqual(8);
    });
    // The explanations take several pages: from the second on, their header row is printed again.
    const explanationPages = pages.map((text, i) => ({ text, page: i + 1 })).filter((p) => p.text.includes('Giải thích — Kết quả'));
    expect(explanationPages.length).toBeGreaterThan(1);
    for (const { text, page } of explanationPages.slice(1)) expect(text, `page ${page}`).toMatch(/Cấp\s+Hạng\s+Mã đơn vị\s+Tên đơn vị/);
    // The problems sheet: no line printed over another, and each message printed to its last words.
    const all = pages.join('\n').replace(/\s+/g, ' ');
    const problemPages = pages.map((text, i) => ({ text, page: i + 1 })).filter((p) => p.text.includes('Lỗi số liệu — Kết quả'));
    expect(problemPages.length).toBeGreaterThan(0);
    for (const { page } of problemPages) expect(overlaps(words(pdf, page)), `page ${page}`).toEqual([]);
    // (Words are compared split at dashes too: a line may break after "0–".)
    const tokens = (text: string) => text.split(/[\s–-]+/).filter(Boolean);
    const printed = new Set(problemPages.flatMap(({ page }) => words(pdf, page).flatMap((w) => tokens(w.text))));
    for (const p of run.problems) for (const word of tokens(p.message.vi).slice(-3)) expect(printed, p.message.vi).toContain(word);
    // The provenance sheet, in Vietnamese.
    expect(all).toContain('Làm tròn 1 chữ số thập phân, từ 5 trở lên');
    expect(all).toMatch(/\d\d\/\d\d\/\d{4} \d\d:\d\d \(giờ Việt Nam\)/);
  }, 180_000);

  it.skipIf(!poppler)('a template prints on A4 with its header rows and unit columns on every page', () => {
    const pdfDir = join(work, 'print-template');
    convert([join(generated, 'template-commune.xlsx')], 'pdf', pdfDir);
    const pdf = join(pdfDir, 'template-commune.pdf');
    const sizes = pageSizes(pdf);
    expect(sizes.filter((s) => !isA4(s))).toEqual([]);
    const pages = sizes.map((_, i) => pageText(pdf, i + 1));
    const dataPages = pages.map((text, i) => ({ text, page: i + 1 })).filter((p) => p.text.includes('Mẫu số liệu năm 2023'));
    expect(dataPages.length).toBeGreaterThan(1);
    for (const { text, page } of dataPages) {
      expect(text, `page ${page}`).toContain('Mã đơn vị');
      expect(text, `page ${page}`).toContain('xa-dai-tam');
      expect(text, `page ${page}`).toContain(`Trang ${page}/${sizes.length}`);
      expect(median(wordHeights(pdf, page)), `page ${page}: text size`).toBeGreaterThanOrEqual(8);
    }
  }, 180_000);

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
