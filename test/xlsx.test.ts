/**
 * Spreadsheets in and out: templates generated from the criteria, filled
 * workbooks read back cell by cell, results workbooks, bounded reading.
 * (The LibreOffice round trips are in integration/xlsx-libreoffice.test.ts.)
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCriteriaSet, type CriteriaSet } from '../engine/criteria-set.js';
import { readSubmissionsCsv, readSubmissionsJson } from '../engine/load/submissions.js';
import type { Submission } from '../engine/model.js';
import { scoreSubmissions, type ScoreRun } from '../engine/scoring.js';
import { isoDateOfSerial, isPercentFormat, readCell } from '../engine/xlsx/cells.js';
import { cellReference, columnLetter, inputColumns, META, ROWS, SHEETS } from '../engine/xlsx/layout.js';
import { checkWorkbookZip, DEFAULT_WORKBOOK_LIMITS } from '../engine/xlsx/limits.js';
import { readSubmissionsXlsx } from '../engine/xlsx/read-workbook.js';
import { RANKING_LAYOUT } from '../engine/xlsx/results-workbook.js';
import { templateBytes } from '../engine/xlsx/template.js';
import { readUnitsList } from '../engine/xlsx/units.js';
import { cli } from './helpers/cli.js';
import { criteria2023, repoRoot } from './helpers/criteria.js';
import { dataSheet, fillTemplate, loadWorkbook, rowOf, workbookBytes, type CellStyle } from './fixtures/xlsx/fill.js';

const examples = join(repoRoot, 'examples', '2023');

function exampleSubmissions(): Submission[] {
  return [
    ...readSubmissionsJson('province.json', readFileSync(join(examples, 'province.json'), 'utf8')).submissions,
    ...readSubmissionsJson('district.json', readFileSync(join(examples, 'district.json'), 'utf8')).submissions,
    ...readSubmissionsCsv('commune.csv', readFileSync(join(examples, 'commune.csv'), 'utf8')).submissions,
  ];
}

const STYLES: CellStyle[] = ['typed', 'percent-format', 'text'];

/** A level's template pre-filled with the example units, then filled with their data. */
async function filledWorkbook(set: CriteriaSet, levelId: string, submissions: Submission[], style = (i: number) => STYLES[i % 3]!): Promise<ExcelJS.Workbook> {
  const level = set.levels.find((l) => l.id === levelId)!;
  const mine = submissions.filter((s) => s.level === levelId);
  const workbook = await loadWorkbook(await templateBytes(set, level, { units: mine.map((s) => ({ id: s.id, name: s.name })) }));
  fillTemplate(workbook, set, mine, style);
  return workbook;
}

/** What must agree between two runs: per unit, status, total, rank and every criterion's points. */
function summary(run: ScoreRun) {
  return run.units
    .map((u) => ({ id: u.id, level: u.level, status: u.status, total: u.total, rank: u.rank, points: u.criteria.map((c) => [c.id, c.points ?? null]) }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** (unit, criterion, input) of every error, to compare which values were refused. */
function refused(run: ScoreRun): string[] {
  return run.units.flatMap((u) => u.criteria.flatMap((c) => c.problems.map((p) => `${u.id} ${c.id} ${p.input ?? ''}`))).sort();
}

describe('round trip: template → filled cells → score', () => {
  const set = criteria2023();
  const submissions = exampleSubmissions();
  const direct = scoreSubmissions(set, submissions);

  it.each(['province', 'district', 'commune'])('%s: the filled template scores exactly as the JSON/CSV example', async (levelId) => {
    const workbook = await filledWorkbook(set, levelId, submissions);
    const read = await readSubmissionsXlsx(`mau-${levelId}.xlsx`, await workbookBytes(workbook), set);
    const run = scoreSubmissions(set, read.submissions);
    const expected = { ...direct, units: direct.units.filter((u) => u.level === levelId) };
    expect(summary(run)).toEqual(summary(expected));
    expect(refused(run)).toEqual(refused(expected));
    expect(run.units.some((u) => u.status === 'complete')).toBe(true);
    // Every cell problem names its cell, its unit and its criterion.
    for (const p of read.problems) {
      expect(p.location?.file).toBe(`mau-${levelId}.xlsx`);
      expect(p.message.vi).toMatch(/^Ô 'Số liệu'![A-Z]+\d+/);
      expect(p.unit && p.criterion).toBeTruthy();
    }
  });

  it('CLI: filled workbooks → results.xlsx whose ranking sheets hold the same numbers as --format json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-xlsx-'));
    for (const levelId of ['province', 'district', 'commune']) {
      writeFileSync(join(dir, `${levelId}.xlsx`), await workbookBytes(await filledWorkbook(set, levelId, submissions)));
    }
    const out = join(dir, 'ket-qua', 'results.xlsx');
    const scored = await cli(['score', '--criteria', 'criteria/2023', '--input', dir, '--out', out]);
    expect(scored.code).toBe(0);
    expect(scored.stderr).toContain('Đã ghi');
    // Each bad cell is reported once (the reader's message, with the cell), not again by the scorer.
    expect(scored.stderr).toContain("Ô 'Số liệu'!F9 (đơn vị so-xay-dung, tiêu chí 3)");
    expect(scored.stderr.match(/so-xay-dung, tiêu chí dvc-toan-trinh/g)).toHaveLength(1);

    const json = await cli(['score', '--criteria', 'criteria/2023', '--input', 'examples/2023', '--format', 'json']);
    const expected = JSON.parse(json.stdout) as ScoreRun;

    const results = new ExcelJS.Workbook();
    await results.xlsx.readFile(out);
    for (const level of expected.levels) {
      const sheet = results.getWorksheet(level.name)!;
      expect(sheet, level.name).toBeDefined();
      expect(sheet.getRow(RANKING_LAYOUT.headerRow).values).toEqual([undefined, 'Hạng', 'Mã đơn vị', 'Tên đơn vị', 'Tổng điểm', ...level.criteria.map((c) => c.number), 'Ghi chú']);
      const units = expected.units.filter((u) => u.level === level.id);
      for (let r = RANKING_LAYOUT.firstUnitRow; r < RANKING_LAYOUT.firstUnitRow + units.length; r++) {
        const row = sheet.getRow(r);
        const unit = units.find((u) => u.id === row.getCell(2).value)!;
        expect(unit, `row ${r}`).toBeDefined();
        expect(row.getCell(1).value ?? undefined).toBe(unit.rank);
        expect(row.getCell(4).value ?? undefined).toBe(unit.total);
        expect(row.getCell(4).numFmt).toBe('0.0');
        level.criteria.forEach((c, i) => {
          const cell = row.getCell(RANKING_LAYOUT.firstCriterionColumn + i);
          expect(cell.value ?? undefined).toBe(unit.criteria.find((x) => x.id === c.id)!.points);
          if (cell.value !== null) expect(typeof cell.value).toBe('number');
        });
      }
      expect(sheet.getCell(RANKING_LAYOUT.headerRow, RANKING_LAYOUT.firstCriterionColumn).note).toBeTruthy();
    }
    const explanations = results.getWorksheet('Giải thích')!;
    expect(explanations.rowCount - 1).toBe(expected.units.reduce((n, u) => n + u.criteria.length, 0));
    expect(String(explanations.getCell(2, 8).value)).toMatch(/→|=/);
    const problems = results.getWorksheet('Lỗi số liệu')!;
    expect(problems.rowCount - 1).toBe(5);
    expect(results.getWorksheet('Thông tin')).toBeDefined();
  });

  it('--format xlsx needs --out; --lang en words the workbook in English', async () => {
    const noOut = await cli(['score', '--criteria', 'criteria/2023', '--input', 'examples/2023', '--format', 'xlsx']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-xlsx-'));
    const en = await cli(['score', '--criteria', 'criteria/2023', '--input', 'examples/2023', '--format', 'xlsx', '--out', join(dir, 'r.xlsx'), '--lang', 'en']);
    expect(en.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(dir, 'r.xlsx'));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Đơn vị cấp tỉnh', 'Đơn vị cấp huyện', 'Đơn vị cấp xã', 'Explanations', 'Problems', 'About']);
  });
});

describe('five typos in five cells', () => {
  it('gives five located Vietnamese messages and scores everything else', async () => {
    const set = criteria2023();
    const submissions = exampleSubmissions().filter((s) => s.level === 'commune' && s.id !== 'xa-thanh-phu');
    const workbook = await filledWorkbook(set, 'commune', submissions, () => 'typed');
    const { sheet, columnOf } = dataSheet(workbook);
    const typos: [unit: string, key: string, value: ExcelJS.CellValue, criterion: string][] = [
      // In reading order: row by row, left to right.
      ['xa-dai-tam', 'ke-hoach-cds.ngay_bao_cao_ket_qua', '31/11/2023', 'ke-hoach-cds'],
      ['xa-dai-tam', 'ho-so-cong-viec-tren-mang.ty_le', '72,5,1', 'ho-so-cong-viec-tren-mang'],
      ['phuong-1', 'to-cnscd-hoat-dong.ty_le_to_hoat_dong.achieved', 'sáu', 'to-cnscd-hoat-dong'],
      ['phuong-1', 'ngay-cds.muc_huong_ung', 'thiet thuc lam', 'ngay-cds'],
      ['tt-my-xuyen', 'vneid-can-bo.ty_le', { error: '#N/A' } as ExcelJS.CellErrorValue, 'vneid-can-bo'],
    ];
    const cells: string[] = [];
    for (const [unit, key, value] of typos) {
      const row = rowOf(sheet, unit, '');
      const column = columnOf.get(key)!;
      sheet.getCell(row, column).value = value;
      cells.push(`'Số liệu'!${columnLetter(column)}${row}`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-xlsx-'));
    writeFileSync(join(dir, 'xa.xlsx'), await workbookBytes(workbook));
    const result = await cli(['score', '--criteria', 'criteria/2023', '--input', join(dir, 'xa.xlsx'), '--format', 'json']);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as ScoreRun;
    expect(run.problems).toHaveLength(5);
    run.problems.forEach((p, i) => {
      const [unit, , , criterion] = typos[i]!;
      expect(p.unit).toBe(unit);
      expect(p.criterion).toBe(criterion);
      expect(p.level).toBe('commune');
      expect(p.location).toMatchObject({ file: relative(repoRoot, join(dir, 'xa.xlsx')), line: Number(/\d+$/.exec(cells[i]!)![0]) });
      expect(p.message.vi).toContain(`Ô ${cells[i]}`);
      expect(p.message.vi).toContain(`đơn vị ${unit}`);
      expect(p.message.en).toContain(`Cell ${cells[i]}`);
    });
    // The unit without typos is ranked with the same total as scoring its data directly.
    const direct = scoreSubmissions(set, submissions);
    const clean = run.units.find((u) => u.id === 'xa-lich-hoi-thuong')!;
    expect(clean.status).toBe('complete');
    expect(clean.total).toBe(direct.units.find((u) => u.id === 'xa-lich-hoi-thuong')!.total);
    expect(clean.rank).toBe(1);
    // Units with a typo keep their other criteria scored.
    const typoed = run.units.find((u) => u.id === 'xa-dai-tam')!;
    expect(typoed.status).toBe('incomplete');
    expect(typoed.criteria.filter((c) => c.status === 'scored')).toHaveLength(12);
  });

  it('an empty cell is "not reported", never 0, and is located', async () => {
    const set = criteria2023();
    const submissions = exampleSubmissions().filter((s) => s.id === 'phuong-1');
    const workbook = await filledWorkbook(set, 'commune', submissions);
    const { sheet, columnOf } = dataSheet(workbook);
    sheet.getCell(ROWS.firstData, columnOf.get('ho-gia-dinh-dvc.ty_le')!).value = null;
    const read = await readSubmissionsXlsx('x.xlsx', await workbookBytes(workbook), set);
    expect(read.problems.map((p) => [p.code, p.message.vi.slice(0, 18)])).toEqual([['submission.missing-input', "Ô 'Số liệu'!Q5 (đơ"]]);
    expect(read.submissions[0]!.inputs['ho-gia-dinh-dvc']).toBeUndefined();
  });
});

describe('dates read month-first', () => {
  it('a template with spreadsheet dates and day-first text dates warns once, naming the cells', async () => {
    const set = criteria2023();
    const submissions = exampleSubmissions().filter((s) => s.level === 'commune' && s.id !== 'xa-thanh-phu');
    const workbook = await filledWorkbook(set, 'commune', submissions, () => 'typed');
    const { sheet, columnOf } = dataSheet(workbook);
    // What a US-locale spreadsheet keeps of "15/02/2023": text (it cannot be month 15).
    sheet.getCell(rowOf(sheet, 'xa-dai-tam', ''), columnOf.get('ke-hoach-cds.ngay_ban_hanh_ke_hoach')!).value = '15/02/2023';
    const read = await readSubmissionsXlsx('x.xlsx', await workbookBytes(workbook), set);
    expect(read.problems.map((p) => [p.code, p.severity])).toEqual([['xlsx.date-order', 'warning']]);
    expect(read.problems[0]!.message.vi).toContain("'Số liệu'!C5");
    // The value itself is read as written (day first), and the unit scores.
    const run = scoreSubmissions(set, read.submissions);
    expect(run.units.every((u) => u.status === 'complete')).toBe(true);
  });
});

describe('template', () => {
  let set: CriteriaSet;
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    set = criteria2023();
    workbook = await loadWorkbook(await templateBytes(set, set.levels.find((l) => l.id === 'commune')!, { deadline: '2024-01-15', emptyRows: 20 }));
  });

  it('has the guide, the data sheet, and hidden lists and metadata', () => {
    expect(workbook.worksheets.map((w) => [w.name, w.state])).toEqual([
      [SHEETS.guide, 'visible'],
      [SHEETS.data, 'visible'],
      [SHEETS.lists, 'hidden'],
      [SHEETS.meta, 'veryHidden'],
    ]);
    const guide = workbook.getWorksheet(SHEETS.guide)!;
    const text = guide.getColumn(1).values.join('\n');
    expect(text).toContain('Quyết định số 2435/QĐ-UBND ngày 05/10/2023');
    expect(text).toContain('Hạn gửi số liệu: 15/01/2024');
    expect(text).toContain('Chưa ban hành');
    expect(text).toMatch(/hai cột liền nhau/);
    const meta = Object.fromEntries(workbook.getWorksheet(SHEETS.meta)!.getSheetValues().slice(1).map((r) => [(r as unknown[])[1], (r as unknown[])[2]]));
    expect(meta).toMatchObject({ [META.year]: 2023, [META.level]: 'commune', [META.criteriaSha256]: set.levels.find((l) => l.id === 'commune')!.sha256 });
  });

  it('has a column per input under each criterion, with its rule and evidence as notes, frozen headers and a hidden key row', () => {
    const level = set.levels.find((l) => l.id === 'commune')!;
    const sheet = workbook.getWorksheet(SHEETS.data)!;
    const columns = inputColumns(level);
    expect(sheet.getRow(ROWS.keys).values).toEqual([undefined, 'id', 'name', ...columns.map((c) => c.key)]);
    expect(sheet.getRow(ROWS.keys).hidden).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: ROWS.keys });
    const first = level.criteria[0]!;
    expect(sheet.getCell(1, 3).value).toBe(`${first.number}. ${first.name} (8 điểm)`);
    const note = sheet.getCell(1, 3).note as string | { texts: { text: string }[] };
    const noteText = typeof note === 'string' ? note : note.texts.map((t) => t.text).join('');
    expect(noteText).toContain(first.def.rule.trim().slice(0, 40));
    expect(noteText).toContain(first.def.evidence.trim());
    for (let c = 3; c <= 2 + columns.length; c++) expect(sheet.getColumn(c).width).toBeGreaterThanOrEqual(12);
  });

  it('validates every input cell by type', () => {
    const level = set.levels.find((l) => l.id === 'commune')!;
    const columns = inputColumns(level);
    const sheet = workbook.getWorksheet(SHEETS.data)!;
    const model = (sheet as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
    const lastRow = ROWS.firstData + 19;
    columns.forEach((column, i) => {
      const letter = columnLetter(3 + i);
      for (const row of [ROWS.firstData, lastRow]) {
        const rule = model[`${letter}${row}`];
        expect(rule, `${column.key} ${letter}${row}`).toBeDefined();
        const expected = { percent: 'decimal', ratio: 'whole', count: 'whole', date: column.def.none_allowed ? 'custom' : 'date', choice: 'list', boolean: 'list', number: 'decimal' }[column.def.type];
        expect(rule!.type).toBe(expected);
        if (column.def.type === 'percent') expect(rule!.formulae).toEqual([0, 100]);
      }
      expect(model[`${letter}${lastRow + 1}`]).toBeUndefined();
    });
    // The dropdown of a choice lists its Vietnamese labels, through a workbook name.
    const choice = columns.find((c) => c.def.type === 'choice')!;
    const names = (workbook as unknown as { definedNames: { model: { name: string; ranges: string[] }[] } }).definedNames.model;
    const list = names.find((n) => n.name === model[`${columnLetter(3 + columns.indexOf(choice))}${ROWS.firstData}`]!.formulae![0])!;
    const [, letters] = /!\$([A-Z]+)\$2/.exec(list.ranges[0]!)!;
    const labels = workbook.getWorksheet(SHEETS.lists)!.getColumn(letters!).values.slice(2);
    expect(labels).toEqual(choice.def.options!.map((o) => o.label));
  });

  it('is generated from the YAML alone: a two-level set of another year works unchanged', async () => {
    const { set: other } = loadCriteriaSet(join(repoRoot, 'test', 'fixtures', 'two-levels', '2026'));
    expect(other).toBeDefined();
    for (const level of other!.levels) {
      const wb = await loadWorkbook(await templateBytes(other!, level));
      const keys = wb.getWorksheet(SHEETS.data)!.getRow(ROWS.keys).values as unknown[];
      expect(keys.slice(3)).toEqual(inputColumns(level).map((c) => c.key));
      // An empty template reads back as no units and no problems.
      const read = await readSubmissionsXlsx('empty.xlsx', await workbookBytes(wb), other!);
      expect(read).toEqual({ submissions: [], problems: [] });
    }
  });

  it('CLI: template per 2023 level, pre-filled from a units list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-xlsx-'));
    for (const level of ['province', 'district', 'commune']) {
      const result = await cli(['template', '--criteria', 'criteria/2023', '--level', level, '--out', join(dir, `mau-${level}.xlsx`)]);
      expect(result.code, result.stderr).toBe(0);
    }
    const withUnits = await cli(['template', '--criteria', 'criteria/2023', '--level', 'commune', '--units', 'examples/2023/units/commune.csv', '--out', join(dir, 'mau-xa.xlsx'), '--deadline', '15/01/2024']);
    expect(withUnits.code, withUnits.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'mau-xa.xlsx'));
    const sheet = wb.getWorksheet(SHEETS.data)!;
    const units = readUnitsList('u.csv', readFileSync(join(examples, 'units', 'commune.csv'), 'utf8'), 'commune').units;
    expect(units.length).toBeGreaterThan(0);
    units.forEach((u, i) => {
      expect(sheet.getCell(ROWS.firstData + i, 1).value).toBe(u.id);
      expect(sheet.getCell(ROWS.firstData + i, 2).value).toBe(u.name);
    });
    // Returned untouched, the pre-filled template scores nobody, but names every unit it skipped.
    const returned = await cli(['score', '--criteria', 'criteria/2023', '--input', join(dir, 'mau-xa.xlsx'), '--format', 'json']);
    const skipped = JSON.parse(returned.stdout).problems.filter((p: any) => p.code === 'xlsx.unit-without-data');
    expect(skipped.map((p: any) => p.unit)).toEqual(units.map((u) => u.id));
    expect(skipped[0]).toMatchObject({ severity: 'warning', location: { line: ROWS.firstData, column: 1 } });
    const badLevel = await cli(['template', '--criteria', 'criteria/2023', '--level', 'xa', '--out', join(dir, 'x.xlsx')]);
    expect(badLevel.code).toBe(2);
    expect(badLevel.stderr).toContain('commune (Đơn vị cấp xã)');
    const badDate = await cli(['template', '--criteria', 'criteria/2023', '--level', 'commune', '--deadline', '31/02/2024', '--out', join(dir, 'x.xlsx')]);
    expect(badDate.code).toBe(2);
  });
});

describe('units list', () => {
  it.each([
    ['units.csv', 'id;name;level\nxa-a;UBND xã A;commune\nhuyen-b;UBND huyện B;district\n', ['xa-a'], 1],
    ['units.csv', 'id,name\nxa-a,UBND xã A\nxa-b,UBND xã B\n', ['xa-a', 'xa-b'], 0],
    ['units.json', JSON.stringify([{ id: 'xa-a', name: 'A', level: 'commune' }, { id: 'so-b', name: 'B', level: 'province' }]), ['xa-a'], 1],
    ['units.json', JSON.stringify({ submissions: [{ id: 'xa-a', name: 'A', level: 'commune', inputs: {} }] }), ['xa-a'], 0],
  ])('%s → units of the level', (file, text, ids, skipped) => {
    const read = readUnitsList(file, text, 'commune');
    expect(read.problems).toEqual([]);
    expect(read.units.map((u) => u.id)).toEqual(ids);
    expect(read.skipped).toBe(skipped);
  });
  it('reports a row without id or name, and a repeated id', () => {
    const read = readUnitsList('u.csv', 'id,name\n,Không mã\nxa-a,A\nxa-a,A lần hai\n', 'commune');
    expect(read.problems.map((p) => [p.code, p.severity, p.location?.line])).toEqual([
      ['units.unreadable', 'error', 2],
      ['units.unreadable', 'warning', 4],
    ]);
  });
});

describe('reading cells as people type them', () => {
  const percent = { type: 'percent', label: 'Tỉ lệ' } as const;
  const date = { type: 'date', label: 'Ngày', none_allowed: true, none_label: 'Chưa ban hành' } as const;
  it.each([
    ['a number', 95.5, undefined, percent, { kind: 'value', raw: 95.5 }],
    ['"95,5%" in a percent-formatted cell', 0.955, '0.0%', percent, { kind: 'value', raw: 95.5 }],
    ['a percent format with a quoted %', 95.5, '0.0" %"', percent, { kind: 'value', raw: 95.5 }],
    ['text "95,5"', ' 95,5 ', undefined, percent, { kind: 'value', raw: '95,5' }],
    ['blank text', '   ', undefined, percent, { kind: 'empty' }],
    ['null', null, undefined, percent, { kind: 'empty' }],
    ['an Excel date (UTC midnight)', new Date(Date.UTC(2023, 3, 12)), 'dd/mm/yyyy', date, { kind: 'value', raw: '2023-04-12' }],
    ['a date with a time late in the day', new Date(Date.UTC(2023, 3, 12, 23, 30)), 'dd/mm/yyyy hh:mm', date, { kind: 'value', raw: '2023-04-12' }],
    ['a date column holding the day number', 45028, undefined, date, { kind: 'value', raw: '2023-04-12' }],
    ['rich text', { richText: [{ text: 'Chưa ' }, { text: 'ban hành' }] }, undefined, date, { kind: 'value', raw: 'Chưa ban hành' }],
    ['a formula with its result', { formula: 'A1*100', result: 97 }, undefined, percent, { kind: 'value', raw: 97 }],
    ['a hyperlink', { text: '12/04/2023', hyperlink: 'http://x' }, undefined, date, { kind: 'value', raw: '12/04/2023' }],
    ['a boolean', true, undefined, { type: 'boolean', label: 'Có' } as const, { kind: 'value', raw: true }],
  ] as const)('%s', (_title, value, numFmt, def, expected) => {
    expect(readCell(value as ExcelJS.CellValue, numFmt, def)).toEqual(expected);
  });
  it.each([
    ['#N/A', { error: '#N/A' }, /#N\/A/],
    ['a formula never computed', { formula: 'A1' }, /công thức/],
    ['a date where a number belongs', new Date(Date.UTC(2026, 7, 8)), /08\/08\/2026/],
  ] as const)('%s is an error', (_title, value, message) => {
    const read = readCell(value as ExcelJS.CellValue, undefined, percent);
    expect(read.kind).toBe('error');
    expect(read.kind === 'error' && read.message.vi).toMatch(message);
  });
  it('knows percent formats and Excel day numbers', () => {
    expect(isPercentFormat('0.00%')).toBe(true);
    expect(isPercentFormat('[Red]0.0%')).toBe(true);
    expect(isPercentFormat('"%"0')).toBe(false);
    expect(isoDateOfSerial(45204)).toBe('2023-10-05');
    expect(isoDateOfSerial(43742, true)).toBe('2023-10-05');
    expect(cellReference('Số liệu', 7, 28)).toBe("'Số liệu'!AB7");
    expect(cellReference('Data', 1, 1)).toBe('Data!A1');
  });
});

describe('a workbook and the criteria must match', () => {
  const set = criteria2023();
  async function template(edit: (meta: ExcelJS.Worksheet, data: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const workbook = await filledWorkbook(set, 'commune', exampleSubmissions());
    const meta = workbook.getWorksheet(SHEETS.meta)!;
    edit(meta, workbook.getWorksheet(SHEETS.data)!);
    return workbookBytes(workbook);
  }
  const metaRow = (meta: ExcelJS.Worksheet, key: string) => meta.getSheetValues().findIndex((r) => Array.isArray(r) && r[1] === key);

  it('another year: refused, saying which year and what to do', async () => {
    const bytes = await template((meta) => (meta.getCell(metaRow(meta, META.year), 2).value = 2022));
    const read = await readSubmissionsXlsx('x.xlsx', bytes, set);
    expect(read.submissions).toEqual([]);
    expect(read.problems.map((p) => p.code)).toEqual(['xlsx.criteria-mismatch']);
    expect(read.problems[0]!.message.vi).toContain('mẫu số liệu năm 2022');
    expect(read.problems[0]!.hint!.vi).toContain('--criteria criteria/2022');
  });
  it('a level the year does not have: refused', async () => {
    const bytes = await template((meta) => (meta.getCell(metaRow(meta, META.level), 2).value = 'ward'));
    const read = await readSubmissionsXlsx('x.xlsx', bytes, set);
    expect(read.problems.map((p) => p.code)).toEqual(['xlsx.criteria-mismatch']);
  });
  it('criteria edited since the template: a warning, values still read by key', async () => {
    const bytes = await template((meta) => (meta.getCell(metaRow(meta, META.criteriaSha256), 2).value = 'f'.repeat(64)));
    const read = await readSubmissionsXlsx('x.xlsx', bytes, set);
    expect(read.problems[0]).toMatchObject({ code: 'xlsx.template-outdated', severity: 'warning' });
    expect(read.submissions).toHaveLength(5);
  });
  it('a column moved by the user is still read by its hidden key; a renamed data sheet is still found', async () => {
    const bytes = await template((_meta, data) => {
      data.spliceColumns(5, 0, []);
      data.name = 'Data';
    });
    const read = await readSubmissionsXlsx('x.xlsx', bytes, set);
    const run = scoreSubmissions(set, read.submissions);
    const direct = scoreSubmissions(set, exampleSubmissions().filter((s) => s.level === 'commune'));
    expect(summary(run)).toEqual(summary(direct));
  });
  it('a deleted key row: the file is refused with a located explanation', async () => {
    const bytes = await template((_meta, data) => data.spliceRows(ROWS.keys, 1));
    const read = await readSubmissionsXlsx('x.xlsx', bytes, set);
    expect(read.submissions).toEqual([]);
    expect(read.problems.map((p) => p.code)).toEqual(['xlsx.layout']);
  });
});

/** A minimal zip writer: stored or deflated entries, enough to build hostile workbooks. */
function zip(entries: { name: string; data: Buffer; deflate?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const body = entry.deflate === false ? entry.data : deflateRawSync(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(entry.deflate === false ? 0 : 8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.deflate === false ? 0 : 8, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('reading an untrusted workbook is bounded', () => {
  const set = criteria2023();
  const sheet = (body: string) => Buffer.from(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${body}</worksheet>`);

  it.each([
    ['a zip bomb (inflates past the limit)', zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(3_000_000, 32) }]), 'xlsx.too-large', /giải nén/],
    ['a declared dimension over the column limit', zip([{ name: 'xl/worksheets/sheet1.xml', data: sheet('<dimension ref="A1:XFD10"/><sheetData/>') }]), 'xlsx.too-large', /cột thứ 16384/],
    ['a cell far below the row limit', zip([{ name: 'xl/worksheets/sheet1.xml', data: sheet('<sheetData><row r="900000"><c r="A900000"><v>1</v></c></row></sheetData>') }]), 'xlsx.too-large', /dòng 900000/],
    ['too many parts', zip(Array.from({ length: 40 }, (_, i) => ({ name: `x/${i}.xml`, data: Buffer.from('x'), deflate: false }))), 'xlsx.too-large', /thành phần/],
    ['not a zip', Buffer.from('id,name,level\n'), 'xlsx.unreadable', /không phải bảng tính/],
    ['an old .xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), 'xlsx.unreadable', /\.xls/],
    ['a valid zip that is not a workbook', zip([{ name: 'hello.txt', data: Buffer.from('xin chào') }]), 'xlsx.unreadable', /trang tính/],
  ])('%s', async (_title, bytes, code, message) => {
    const limits = { ...DEFAULT_WORKBOOK_LIMITS, maxInflatedBytes: 1_000_000, maxParts: 30 };
    const read = await readSubmissionsXlsx('hostile.xlsx', bytes, set, limits);
    expect(read.submissions).toEqual([]);
    expect(read.problems.map((p) => p.code)).toEqual([code]);
    expect(read.problems[0]!.message.vi).toMatch(message);
  });

  it('a file over the size limit is refused before it is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-xlsx-'));
    writeFileSync(join(dir, 'big.xlsx'), Buffer.alloc(2048));
    const { readWorkbookFile } = await import('../engine/xlsx/read-workbook.js');
    const read = await readWorkbookFile(join(dir, 'big.xlsx'), 'big.xlsx', set, { ...DEFAULT_WORKBOOK_LIMITS, maxBytes: 1024 });
    expect(read.problems.map((p) => p.code)).toEqual(['xlsx.too-large']);
  });

  it('a generated template passes the checks with room to spare', async () => {
    const bytes = await templateBytes(set, set.levels[0]!, { emptyRows: 2000 });
    expect(checkWorkbookZip(bytes)).toEqual({ ok: true });
  });
});

describe('start-up: commands that do not need exceljs never load it', () => {
  it('no module statically imported by the CLI imports exceljs', () => {
    const seen = new Set<string>();
    const withExceljs: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      // Static imports and re-exports only; `import type` is erased and `await import()` is lazy.
      for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
        const spec = m[1]!;
        if (spec === 'exceljs') withExceljs.push(file);
        else if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    visit(join(repoRoot, 'engine', 'cli', 'run.ts'));
    visit(join(repoRoot, 'engine', 'index.ts'));
    expect(seen.size).toBeGreaterThan(10);
    expect(withExceljs).toEqual([]);
    // …and the lazy imports do reach it.
    expect(readdirSync(join(repoRoot, 'engine', 'xlsx')).some((f) => readFileSync(join(repoRoot, 'engine', 'xlsx', f), 'utf8').includes("from 'exceljs'"))).toBe(true);
  });
});
