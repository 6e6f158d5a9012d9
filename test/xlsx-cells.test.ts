/**
 * Cells that must not be guessed at, and workbook text that must not run:
 * a yes/no cell takes Có/Không only; a count shows and refuses 1.5; an
 * impossible day number is a located problem; plain-table headers such as
 * "constructor.assign" never reach an object's prototype; names that look
 * like formulas are stored as text in every workbook tieuchi writes.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Submission } from '../engine/model.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { readYesNo } from '../engine/xlsx/cells.js';
import { inputColumns, ROWS, SHEETS, YES_NO_RULE } from '../engine/xlsx/layout.js';
import { DEFAULT_WORKBOOK_LIMITS, readWorkbookParts } from '../engine/xlsx/limits.js';
import { readSubmissionsXlsx } from '../engine/xlsx/read-workbook.js';
import { resultsWorkbookBytes } from '../engine/xlsx/results-workbook.js';
import { templateBytes } from '../engine/xlsx/template.js';
import { builtinsChanged, builtinsSnapshot } from './fixtures/xlsx/builtins.js';
import { criteria2023, provinceInputs } from './helpers/criteria.js';
import { dataSheet, loadWorkbook, workbookBytes } from './fixtures/xlsx/fill.js';

const set = criteria2023();
const province = set.levels.find((l) => l.id === 'province')!;
const YES_NO = 'kiem-tra-tren-moi-truong-so.co_kiem_tra_qua_moi_truong_mang';
const COUNT = 'bao-cao-dinh-ky.so_lan_tre_ky_thang';
const DATE = 'ke-hoach-cds.ngay_ban_hanh_ke_hoach';

/** A province template with one unit, every input filled validly, then `edit` on the data sheet. */
const templates = new Map<string, Promise<Buffer>>();
async function provinceWorkbook(edit: (cell: (key: string) => ExcelJS.Cell) => void, name = 'Sở A'): Promise<Buffer> {
  if (!templates.has(name)) templates.set(name, templateBytes(set, province, { units: [{ id: 'so-a', name }] }));
  const workbook = await loadWorkbook(await templates.get(name)!);
  const { sheet, columnOf } = dataSheet(workbook);
  const inputs = provinceInputs() as Record<string, Record<string, unknown>>;
  for (const column of inputColumns(province)) {
    const value = inputs[column.criterion.id]![column.inputId];
    const cell = sheet.getCell(ROWS.firstData, columnOf.get(column.key)!);
    if (column.part) cell.value = (value as Record<string, number>)[column.part]!;
    else if (column.def.type === 'boolean') cell.value = value ? 'Có' : 'Không';
    else if (column.def.type === 'choice') cell.value = column.def.options!.find((o) => o.id === value)!.label;
    else if (column.def.type === 'date') cell.value = new Date(`${value as string}T00:00:00Z`);
    else cell.value = value as number;
  }
  edit((key) => sheet.getCell(ROWS.firstData, columnOf.get(key)!));
  return workbookBytes(workbook);
}

async function readOne(bytes: Buffer) {
  const read = await readSubmissionsXlsx('x.xlsx', bytes, set);
  const run = scoreSubmissions(set, read.submissions);
  return { read, run, unit: run.units.find((u) => u.id === 'so-a') };
}

describe('a yes/no cell takes only what the template documents', () => {
  it.each(['Có', 'có', 'CÓ', 'co', 'CO', ' Có '])('"%s" is yes', async (typed) => {
    const { read, unit } = await readOne(await provinceWorkbook((cell) => (cell(YES_NO).value = typed)));
    expect(read.problems).toEqual([]);
    expect(read.submissions[0]!.inputs['kiem-tra-tren-moi-truong-so']).toEqual({ co_kiem_tra_qua_moi_truong_mang: true });
    expect(unit!.status).toBe('complete');
  });
  it.each(['Không', 'không', 'KHÔNG', 'khong', 'Khong'])('"%s" is no', async (typed) => {
    const { read } = await readOne(await provinceWorkbook((cell) => (cell(YES_NO).value = typed)));
    expect(read.problems).toEqual([]);
    expect(read.submissions[0]!.inputs['kiem-tra-tren-moi-truong-so']).toEqual({ co_kiem_tra_qua_moi_truong_mang: false });
  });
  it.each([['x'], ['1'], ['dat'], ['đạt'], ['yes'], ['true'], ['no'], ['0'], [1], [true], [false]] as const)('%j is a located problem, and the criterion is not scored', async (typed) => {
    const { read, unit } = await readOne(await provinceWorkbook((cell) => (cell(YES_NO).value = typed)));
    const mine = read.problems.filter((p) => p.criterion === 'kiem-tra-tren-moi-truong-so');
    expect(mine.map((p) => p.code)).toEqual(['submission.bad-value']);
    expect(mine[0]!.message.vi).toMatch(/^Ô 'Số liệu'![A-Z]+5 \(đơn vị so-a, tiêu chí \d+\): .* chỉ nhận "Có" hoặc "Không"/);
    expect(mine[0]!.location).toMatchObject({ line: 5 });
    const score = unit!.criteria.find((c) => c.id === 'kiem-tra-tren-moi-truong-so')!;
    expect(score.points).toBeUndefined();
    expect(unit!.total).toBeUndefined();
  });
  it('readYesNo: the documented words only', () => {
    expect(['Có', 'co', 'Không', 'khong'].map(readYesNo)).toEqual([true, true, false, false]);
    expect(['x', '1', 'yes', 'đạt', 'có.', ''].map(readYesNo)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
  it('the template says so: in the dropdown error, the note and the guide', async () => {
    const workbook = await loadWorkbook(await templateBytes(set, province));
    const { sheet, columnOf } = dataSheet(workbook);
    const column = columnOf.get(YES_NO)!;
    const rules = (sheet as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
    const rule = rules[sheet.getCell(ROWS.firstData, column).address]!;
    expect(rule.type).toBe('list');
    expect(rule.error).toContain('Có hoặc Không');
    const note = sheet.getCell(ROWS.input, column).note as string | { texts: { text: string }[] };
    expect(typeof note === 'string' ? note : note.texts.map((t) => t.text).join('')).toContain(YES_NO_RULE);
    expect(workbook.getWorksheet(SHEETS.guide)!.getColumn(1).values.join('\n')).toMatch(/Có\/Không: chỉ ghi "Có" hoặc "Không"/);
  });
});

describe('a count cell shows what was typed', () => {
  it('count and ratio cells have no format that rounds (General), so 1.5 shows as 1.5', async () => {
    const workbook = await loadWorkbook(await templateBytes(set, province));
    const { sheet, columnOf } = dataSheet(workbook);
    for (const column of inputColumns(province).filter((c) => c.def.type === 'count' || c.def.type === 'ratio')) {
      const numFmt = sheet.getCell(ROWS.firstData, columnOf.get(column.key)!).numFmt;
      expect([undefined, 'General'], column.key).toContain(numFmt);
    }
  });
  it('1.5 in a count cell is a located problem; the criterion is not scored, the others are', async () => {
    const { read, unit } = await readOne(await provinceWorkbook((cell) => (cell(COUNT).value = 1.5)));
    const mine = read.problems.filter((p) => p.input === 'so_lan_tre_ky_thang');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message.vi).toMatch(/^Ô 'Số liệu'![A-Z]+5 .*số nguyên không âm, nhận được 1\.5/);
    expect(unit!.criteria.find((c) => c.id === 'bao-cao-dinh-ky')!.points).toBeUndefined();
    expect(unit!.criteria.filter((c) => c.points !== undefined)).toHaveLength(province.criteria.length - 1);
  });
});

describe('impossible day numbers are located problems, never 25/12/1899', () => {
  it.each([
    ['−5 in a date cell', -5, 'dd/mm/yyyy', /không có thật/],
    ['a day past 31/12/9999', 3_000_000, 'dd/mm/yyyy', /không có thật/],
    ['0 in a date cell', 0, 'dd/mm/yyyy', /không có thật/],
    ['−5 with the date format lost', -5, 'General', /không phải một ngày/],
    ['a fraction of a day with the format lost', 45028.5, 'General', /không phải một ngày/],
    ['Excel\'s phantom 29/02/1900 (day 60)', 60, 'General', /không phải một ngày/],
  ] as const)('%s', async (_title, value, numFmt, message) => {
    const { read, unit } = await readOne(
      await provinceWorkbook((cell) => {
        cell(DATE).value = value;
        cell(DATE).numFmt = numFmt;
      }),
    );
    const mine = read.problems.filter((p) => p.input === 'ngay_ban_hanh_ke_hoach');
    expect(mine.map((p) => p.code)).toEqual(['xlsx.cell-error']);
    expect(mine[0]!.message.vi).toMatch(message);
    expect(mine[0]!.message.vi).toMatch(/^Ô 'Số liệu'!C5/);
    expect(unit!.criteria.find((c) => c.id === 'ke-hoach-cds')!.points).toBeUndefined();
  });
  it('a real day number with the format lost is still its date', async () => {
    const { read } = await readOne(
      await provinceWorkbook((cell) => {
        cell(DATE).value = 44972;
        cell(DATE).numFmt = 'General';
      }),
    );
    expect(read.problems).toEqual([]);
    expect((read.submissions[0]!.inputs['ke-hoach-cds'] as Record<string, unknown>).ngay_ban_hanh_ke_hoach).toBe('2023-02-15');
  });
});

describe('plain-table headers are keys, never property paths', () => {
  it('constructor.assign, __proto__, prototype.x, toString.call: builtins untouched, nothing scored from them', async () => {
    const before = builtinsSnapshot();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Data');
    sheet.addRow(['id', 'name', 'level', 'constructor.assign', '__proto__', 'prototype.x', 'constructor.prototype', 'tostring.call', 'hasownproperty.x', 'dvc-toan-trinh.ty_le']);
    sheet.addRow(['x1', 'X', 'commune', 5, 6, 7, 8, 9, 10, 90]);
    sheet.addRow(['x2', 'Y', 'nowhere', 5, 6, 7, 8, 9, 10, 90]);
    sheet.addRow(['x3', 'Z', 'province', 5, 6, 7, 8, 9, 10, 90]);
    const read = await readSubmissionsXlsx('bang.xlsx', await workbookBytes(workbook), set);
    const run = scoreSubmissions(set, read.submissions);
    expect(builtinsChanged(before)).toEqual([]);
    expect(typeof Object.assign).toBe('function');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    // Each unit is reported, none is complete, and no criterion scores 0 from a hostile column.
    for (const unit of run.units) expect(unit.status).not.toBe('complete');
    for (const unit of run.units) for (const c of unit.criteria) if (c.problems.length) expect(c.points).toBeUndefined();
    const x1 = read.submissions.find((s) => s.id === 'x1') as Submission;
    expect(Object.getPrototypeOf(x1.inputs)).toBeNull();
    expect(Object.hasOwn(x1.inputs, 'constructor')).toBe(true);
    expect(run.units.find((u) => u.id === 'x1')!.criteria.every((c) => c.points === undefined || c.id !== 'constructor')).toBe(true);
  });
});

describe('names that look like formulas are stored as text', () => {
  const names = ['=HYPERLINK("http://example.invalid/?x","Bấm vào đây")', '+84 Sở A', '-1+2', '@SUM(A1:A9)', '=1+1'];
  /** Every worksheet's XML: no formula element, and each name is a string cell. */
  function expectNoFormulas(bytes: Buffer): void {
    const read = readWorkbookParts(bytes, DEFAULT_WORKBOOK_LIMITS);
    if (!read.ok) throw new Error(read.message.en);
    for (const [name, data] of read.parts) {
      if (/^xl\/worksheets\/[^/]+\.xml$/.test(name)) expect(data.toString('utf8'), name).not.toMatch(/<f[ >]/);
    }
  }
  it('in a template pre-filled with them', async () => {
    const bytes = await templateBytes(set, province, { units: names.map((name, i) => ({ id: `so-${i}`, name })) });
    expectNoFormulas(bytes);
    const workbook = await loadWorkbook(bytes);
    const { sheet } = dataSheet(workbook);
    names.forEach((name, i) => expect(sheet.getCell(ROWS.firstData + i, 2).value).toBe(name));
  });
  it('in the results workbook', async () => {
    const units: Submission[] = names.map((name, i) => ({ id: `so-${i}`, name, level: 'province', inputs: provinceInputs() as Submission['inputs'], mode: 'json' }));
    const run = scoreSubmissions(set, units, { trace: true });
    const bytes = await resultsWorkbookBytes(set, run, 'vi');
    expectNoFormulas(bytes);
    const workbook = await loadWorkbook(bytes);
    const ranking = workbook.getWorksheet(province.name)!;
    const shown = ranking.getColumn(3).values.filter((v) => typeof v === 'string');
    for (const name of names) expect(shown).toContain(name);
  });
});

describe('long names are bounded before anything measures them', () => {
  it('a 1 MB unit name: the results workbook is written in seconds, the cell cut to Excel\'s 32,767 characters', async () => {
    const name = `Sở ${'Ư'.repeat(1_000_000)}`;
    const run = scoreSubmissions(set, [{ id: 'so-a', name, level: 'province', inputs: provinceInputs() as Submission['inputs'], mode: 'json' }], { trace: true });
    const started = performance.now();
    const bytes = await resultsWorkbookBytes(set, run, 'vi');
    expect(performance.now() - started).toBeLessThan(10_000);
    const workbook = await loadWorkbook(bytes);
    const shown = String(workbook.getWorksheet(province.name)!.getCell(6, 3).value);
    expect(shown).toHaveLength(32_767);
    expect(shown.endsWith('…')).toBe(true);
  }, 20_000);
  it('a name over 300 characters in a workbook is a located problem, and the row is not scored', async () => {
    const { read } = await readOne(await provinceWorkbook(() => undefined, 'Sở '.repeat(200)));
    expect(read.submissions).toEqual([]);
    expect(read.problems.map((p) => p.code)).toEqual(['submission.shape']);
    expect(read.problems[0]!.message.vi).toMatch(/^Ô 'Số liệu'!B5: tên đơn vị "so-a" dài \d+ ký tự, vượt giới hạn 300/);
  });
});
