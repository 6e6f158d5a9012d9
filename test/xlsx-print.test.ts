/**
 * How the workbooks print, checked in the files themselves (the PDF that
 * LibreOffice makes of them is checked in integration/xlsx-libreoffice):
 * A4, header rows repeated, page numbers and the agency's header on every
 * sheet, a scale that keeps text at 8 points or more, never fit to one page;
 * the provenance sheet in Vietnamese; points with the file's own decimals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CriteriaSet } from '../engine/criteria-set.js';
import { readSubmissionsCsv, readSubmissionsJson } from '../engine/load/submissions.js';
import type { Submission } from '../engine/model.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { pointsFormat, ROWS, SHEETS } from '../engine/xlsx/layout.js';
import { BODY_POINTS, columnPoints, MIN_PRINTED_POINTS, setUpPrinting } from '../engine/xlsx/print.js';
import { RANKING_LAYOUT, resultsWorkbookBytes, roundingRule, vietnamTime } from '../engine/xlsx/results-workbook.js';
import { templateBytes } from '../engine/xlsx/template.js';
import { criteria2023, repoRoot } from './helpers/criteria.js';
import { loadWorkbook } from './fixtures/xlsx/fill.js';

const examples = join(repoRoot, 'examples', '2023');
function exampleSubmissions(): Submission[] {
  return [
    ...readSubmissionsJson('province.json', readFileSync(join(examples, 'province.json'), 'utf8')).submissions,
    ...readSubmissionsJson('district.json', readFileSync(join(examples, 'district.json'), 'utf8')).submissions,
    ...readSubmissionsCsv('commune.csv', readFileSync(join(examples, 'commune.csv'), 'utf8')).submissions,
  ];
}
const AGENCY = 'Sở Thông tin và Truyền thông';
const A4_PAPER = 9;
const LANDSCAPE_PRINTABLE = 842 - 0.8 * 72;

/** Every visible sheet prints on A4 with its header, footer and a readable scale. */
function expectPrintable(sheet: ExcelJS.Worksheet, titleRows: string | undefined, agency = AGENCY): void {
  const setup = sheet.pageSetup;
  expect(setup.paperSize, sheet.name).toBe(A4_PAPER);
  expect(['portrait', 'landscape']).toContain(setup.orientation);
  if (setup.fitToPage) {
    expect(setup.fitToHeight, `${sheet.name}: never fit to one page high`).toBe(0);
    expect(setup.fitToWidth).toBe(1);
    let width = 0;
    for (let c = 1; c <= sheet.columnCount; c++) width += columnPoints(sheet.getColumn(c).width ?? 9);
    expect(setup.orientation).toBe('landscape');
    expect(BODY_POINTS * Math.min(1, LANDSCAPE_PRINTABLE / width), `${sheet.name}: printed text size`).toBeGreaterThanOrEqual(MIN_PRINTED_POINTS);
  } else expect(setup.scale ?? 100).toBe(100);
  if (titleRows) expect(setup.printTitlesRow, sheet.name).toBe(titleRows);
  expect(sheet.headerFooter.oddFooter, sheet.name).toContain('Trang &P/&N');
  expect(sheet.headerFooter.oddHeader, sheet.name).toContain(agency);
}

describe('the results workbook prints on A4', () => {
  const set = criteria2023();
  const run = scoreSubmissions(set, exampleSubmissions(), { trace: true, now: new Date('2023-10-05T07:30:00Z') });
  const built = new Map<string, Promise<ExcelJS.Workbook>>();
  /** The results workbook, written and read back once per language. */
  const results = (lang: 'vi' | 'en') => {
    if (!built.has(lang)) built.set(lang, resultsWorkbookBytes(set, run, lang).then(loadWorkbook));
    return built.get(lang)!;
  };

  it('every sheet: A4, repeated header rows, page numbers, agency and title, readable scale', async () => {
    const workbook = await results('vi');
    for (const level of run.levels) {
      const sheet = workbook.getWorksheet(level.name)!;
      expectPrintable(sheet, `${RANKING_LAYOUT.headerRow}:${RANKING_LAYOUT.maxRow}`);
      expect(sheet.headerFooter.oddHeader).toContain(`Kết quả chấm điểm thi đua Chuyển đổi số năm 2023 — ${level.name}`);
    }
    for (const name of ['Giải thích', 'Lỗi số liệu', 'Thông tin']) expectPrintable(workbook.getWorksheet(name)!, '1:1');
  });

  it('the problems sheet wraps every cell and sizes every row for its text', async () => {
    const workbook = await results('vi');
    const sheet = workbook.getWorksheet('Lỗi số liệu')!;
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const message = String(row.getCell(8).value);
      expect(row.getCell(8).alignment?.wrapText).toBe(true);
      // 44 characters a line, 15 points a line: the row is at least as tall as its message needs.
      expect(row.height, `row ${r}`).toBeGreaterThanOrEqual(Math.ceil(message.length / 44) * 15);
    }
  });

  it('the provenance sheet is in Vietnamese: rounding in words, total, time in Vietnam', async () => {
    const workbook = await results('vi');
    const sheet = workbook.getWorksheet('Thông tin')!;
    const rows = new Map(sheet.getSheetValues().filter(Array.isArray).map((r) => [String(r[1]), String(r[2])]));
    expect(rows.get('Làm tròn điểm')).toBe('Làm tròn 1 chữ số thập phân, từ 5 trở lên');
    expect(rows.get('Cách tính tổng')).toBe('Tổng điểm: tổng điểm các tiêu chí đã làm tròn');
    expect(rows.get('Thời điểm chấm')).toBe('05/10/2023 14:30 (giờ Việt Nam)');
    expect(rows.get('Quyết định')).toBe('Số 2435/QĐ-UBND ngày 05/10/2023 của Chủ tịch Ủy ban nhân dân tỉnh Sóc Trăng');
    expect([...rows.values()].join('\n')).not.toMatch(/decimal\(s\)|half_up|sum_of_rounded|clamp to max|T\d\d:\d\d:\d\d/);
  });

  it.each([
    [{ decimals: 1, mode: 'half_up' }, 'Làm tròn 1 chữ số thập phân, từ 5 trở lên'],
    [{ decimals: 2, mode: 'half_even' }, 'Làm tròn 2 chữ số thập phân, đúng 5 thì về số chẵn gần nhất'],
    [{ decimals: 0, mode: 'half_up' }, 'Làm tròn đến hàng đơn vị, từ 5 trở lên'],
    [{ decimals: 1, mode: 'down' }, 'Làm tròn xuống 1 chữ số thập phân (bỏ phần lẻ)'],
    [{ decimals: 1, mode: 'up' }, 'Làm tròn lên 1 chữ số thập phân (phần lẻ nào cũng làm tròn lên)'],
  ] as const)('rounding %j reads "%s"', (rounding, text) => {
    expect(roundingRule({ ...rounding, total: 'sum_of_rounded', clampToMax: true }, 'vi')).toBe(text);
  });

  it('times in Vietnam, across midnight UTC', () => {
    expect(vietnamTime('2023-10-05T07:30:00.000Z', 'vi')).toBe('05/10/2023 14:30 (giờ Việt Nam)');
    expect(vietnamTime('2023-12-31T17:05:00.000Z', 'vi')).toBe('01/01/2024 00:05 (giờ Việt Nam)');
  });

  it('in English the footer says Page', async () => {
    const workbook = await results('en');
    expect(workbook.getWorksheet('About')!.headerFooter.oddFooter).toContain('Page &P/&N');
  });
});

describe('the results workbook of a structured level prints on A4 too (its type, attribute, applicable and subtotal columns included)', () => {
  it('every sheet: A4, repeated header rows, page numbers, agency, readable scale', async () => {
    const { loadCriteriaSet } = await import('../engine/criteria-set.js');
    const dir = join(repoRoot, 'examples', 'structures', 'so-nganh');
    const set = loadCriteriaSet(join(dir, '2025')).set!;
    const run = scoreSubmissions(set, readSubmissionsJson('units.json', readFileSync(join(dir, 'units.json'), 'utf8')).submissions, { trace: true, now: new Date('2025-12-20T07:30:00Z') });
    const workbook = await loadWorkbook(await resultsWorkbookBytes(set, run, 'vi'));
    expectPrintable(workbook.getWorksheet('Sở, ban, ngành')!, `${RANKING_LAYOUT.headerRow}:${RANKING_LAYOUT.maxRow}`, 'Sở Khoa học và Công nghệ');
    for (const name of ['Giải thích', 'Lỗi số liệu', 'Thông tin']) expectPrintable(workbook.getWorksheet(name)!, '1:1', 'Sở Khoa học và Công nghệ');
  });
});

describe('templates print on A4', () => {
  const set = criteria2023();
  it.each(['province', 'district', 'commune'])('%s: guide and data sheets', async (levelId) => {
    const level = set.levels.find((l) => l.id === levelId)!;
    const workbook = await loadWorkbook(await templateBytes(set, level, { units: [{ id: 'a', name: 'A' }] }));
    expectPrintable(workbook.getWorksheet(SHEETS.guide)!, undefined);
    const data = workbook.getWorksheet(SHEETS.data)!;
    expectPrintable(data, `${ROWS.criterion}:${ROWS.keys}`);
    // Too wide for one page across at a readable size: printed at 100% with the unit columns repeated.
    if (!data.pageSetup.fitToPage) expect(data.pageSetup.printTitlesColumn).toBe('A:B');
  });
});

describe('a sheet too wide to fit readably is not shrunk', () => {
  it('fits to width down to 8 points, and past that prints across pages at 100%', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const layouts = [20, 80, 100, 140, 200].map((chars) => {
      const sheet = new ExcelJS.Workbook().addWorksheet('x');
      sheet.getColumn(1).width = chars;
      return setUpPrinting(sheet, { title: 'x', titleColumns: 'A:A' });
    });
    expect(layouts.map((l) => `${l.orientation} ${l.fit}`), JSON.stringify(layouts)).toEqual(['portrait none', 'portrait none', 'landscape none', 'landscape width', 'landscape pages-across']);
    for (const l of layouts) expect(l.printedPoints).toBeGreaterThanOrEqual(MIN_PRINTED_POINTS);
  });
});

describe('points show the criteria file\'s own decimals', () => {
  /** The 2023 set as if its files said `decimals: n` (only what the workbooks read of it). */
  function setWithDecimals(decimals: number): CriteriaSet {
    const set = criteria2023();
    return {
      ...set,
      levels: set.levels.map((l) => ({ ...l, doc: { ...l.doc, scoring: { ...l.doc.scoring, rounding: { ...l.doc.scoring.rounding, decimals } } } })),
    };
  }

  it('pointsFormat', () => {
    expect([0, 1, 2, 3].map(pointsFormat)).toEqual(['0', '0.0', '0.00', '0.000']);
  });

  it.each([1, 2, 0])('%i decimals: ranking, explanations and the template guide', async (decimals) => {
    const set = decimals === 1 ? criteria2023() : setWithDecimals(decimals);
    const run = scoreSubmissions(set, exampleSubmissions(), { trace: true });
    const workbook = await loadWorkbook(await resultsWorkbookBytes(set, run, 'vi'));
    const format = pointsFormat(decimals);
    for (const level of run.levels) {
      const sheet = workbook.getWorksheet(level.name)!;
      expect(sheet.getCell(RANKING_LAYOUT.firstUnitRow, 4).numFmt).toBe(format);
      expect(sheet.getCell(RANKING_LAYOUT.firstUnitRow, RANKING_LAYOUT.firstCriterionColumn).numFmt).toBe(format);
      expect(sheet.getCell(RANKING_LAYOUT.maxRow, 4).numFmt).toBe(format);
    }
    expect(workbook.getWorksheet('Giải thích')!.getCell(2, 9).numFmt).toBe(format);
    const template = await loadWorkbook(await templateBytes(set, set.levels[0]!));
    const guide = template.getWorksheet(SHEETS.guide)!;
    const maxCells: string[] = [];
    guide.eachRow((row) => row.eachCell((cell) => typeof cell.value === 'number' && cell.numFmt && maxCells.push(cell.numFmt)));
    expect(new Set(maxCells)).toEqual(new Set([format]));
  });
});
