/**
 * Templates of structured levels (issue 11 items 1, 2 and 6): criterion
 * columns grouped under their groups (a header row per depth, merged across
 * the group's criteria), the guide's criteria listed under their groups, a
 * unit-type column and a column per unit attribute (dropdowns of Vietnamese
 * labels), input cells that do not apply greyed by conditional formatting on
 * the row's type and attribute cells. A filled template reads back with its
 * type and attributes, and a greyed cell left empty is no missing data. The
 * three example sets make templates with no code of their own.
 */
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCriteriaSet, type CriteriaSet } from '../engine/criteria-set.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { templateRows } from '../engine/xlsx/layout.js';
import { readSubmissionsXlsx } from '../engine/xlsx/read-workbook.js';
import { buildTemplate, templateBytes } from '../engine/xlsx/template.js';
import { readFileSync } from 'node:fs';
import { readSubmissionsJson } from '../engine/load/submissions.js';
import { repoRoot } from './helpers/criteria.js';

const dir = (path: string) => join(repoRoot, 'examples', 'structures', path);

function load(path: string): CriteriaSet {
  const { set, problems } = loadCriteriaSet(dir(path));
  if (!set) throw new Error(problems.map((p) => p.message.vi).join('\n'));
  return set;
}

async function reopen(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

const text = (sheet: ExcelJS.Worksheet, row: number, column: number) => String(sheet.getCell(row, column).value ?? '');
/** Column number of a key in the hidden key row. */
function columnOf(sheet: ExcelJS.Worksheet, keysRow: number, key: string): number {
  let found = 0;
  sheet.getRow(keysRow).eachCell((cell, c) => {
    if (cell.value === key) found = c;
  });
  if (!found) throw new Error(`no column ${key}`);
  return found;
}

describe('the template of the departments (groups, a unit type, an attribute)', () => {
  const set = load('so-nganh/2025');
  const level = set.levels[0]!;
  const rows = templateRows(level);

  it('puts one group row above the criteria, each group merged over its criteria, with number, name and maximum', async () => {
    expect(rows).toMatchObject({ groups: [1], criterion: 2, input: 3, hint: 4, keys: 5, firstData: 6 });
    const workbook = await reopen(await templateBytes(set, level));
    const sheet = workbook.getWorksheet('Số liệu')!;
    const ten = columnOf(sheet, rows.keys, 'van-ban-dien-tu.ty_le');
    const dvc = columnOf(sheet, rows.keys, 'dvc-toan-trinh.ty_le');
    expect(text(sheet, 1, ten)).toBe('4. Hoạt động chính quyền số (tối đa 40 điểm)');
    // Merged: the cell over 4.2 is the same master cell as over 4.1.
    expect(sheet.getCell(1, dvc).master.address).toBe(sheet.getCell(1, ten).address);
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    expect(merges).toContain(`${sheet.getCell(1, ten).address}:${sheet.getCell(1, dvc).address}`);
    expect(text(sheet, rows.criterion, dvc)).toBe('4.2. Tỉ lệ hồ sơ dịch vụ công trực tuyến toàn trình (25 điểm)');
    expect(text(sheet, rows.hint, dvc)).toBe('Tỉ lệ %, từ 0 đến 100; chỉ áp dụng khi Có dịch vụ công trực tuyến: Có');
    // id, name, type and attribute are merged down over the header rows.
    for (const c of [1, 2, 3, 4]) expect(merges).toContain(`${sheet.getCell(1, c).address}:${sheet.getCell(rows.hint, c).address}`);
    // The hidden sheet tells the reader where the keys and the data are.
    const meta = workbook.getWorksheet('_tieuchi')!;
    const metaValues = Object.fromEntries(meta.getSheetValues().filter(Boolean).map((r) => [(r as unknown[])[1], (r as unknown[])[2]]));
    expect(metaValues).toMatchObject({ keys_row: 5, first_data_row: 6 });
  });

  it('has a unit-type column and an attribute column with dropdowns of Vietnamese labels', async () => {
    const workbook = await reopen(await templateBytes(set, level));
    const sheet = workbook.getWorksheet('Số liệu')!;
    expect(columnOf(sheet, rows.keys, 'type')).toBe(3);
    expect(columnOf(sheet, rows.keys, 'attributes.co_dich_vu_cong')).toBe(4);
    expect(text(sheet, 1, 3)).toBe('Loại đơn vị');
    expect(text(sheet, 1, 4)).toBe('Có dịch vụ công trực tuyến');
    const type = sheet.getCell(rows.firstData, 3).dataValidation;
    expect(type).toMatchObject({ type: 'list', formulae: ['ds_loai_don_vi'] });
    const attribute = sheet.getCell(rows.firstData + 3, 4).dataValidation;
    expect(attribute).toMatchObject({ type: 'list', formulae: ['ds_thuoc_tinh_co_dich_vu_cong'] });
    const lists = workbook.getWorksheet('Danh mục')!;
    expect([text(lists, 2, 1), text(lists, 3, 1)]).toEqual(['Sở, ngành, cơ quan', 'Sở được giao nhiệm vụ phát triển kinh tế số']);
    expect([text(lists, 2, 2), text(lists, 3, 2)]).toEqual(['Có', 'Không']);
    expect(workbook.definedNames.getRanges('ds_loai_don_vi').ranges).toEqual(["'Danh mục'!$A$2:$A$3"]);
  });

  it('greys what does not apply by conditional formatting on the row\'s type and attribute cells', async () => {
    const workbook = await reopen(await templateBytes(set, level));
    const sheet = workbook.getWorksheet('Số liệu')!;
    const rules = (sheet as unknown as { conditionalFormattings: { ref: string; rules: { type: string; formulae: string[]; style: { fill: { bgColor: { argb: string } } } }[] }[] }).conditionalFormattings;
    const letter = (key: string) => sheet.getColumn(columnOf(sheet, rows.keys, key)).letter;
    const byRef = Object.fromEntries(rules.map((r) => [r.ref, r.rules[0]!]));
    const last = rows.firstData + 49;
    expect(byRef[`${letter('dvc-toan-trinh.ty_le')}6:${letter('dvc-toan-trinh.ty_le')}${last}`]).toMatchObject({ type: 'expression', formulae: ['AND($D6<>"",NOT(OR($D6="Có")))'], style: { fill: { bgColor: { argb: 'FFBFBFBF' } } } });
    expect(byRef[`${letter('doanh-nghiep-so.so_doanh_nghiep')}6:${letter('doanh-nghiep-so.so_doanh_nghiep')}${last}`]!.formulae).toEqual(['AND($C6<>"",NOT(OR($C6="Sở được giao nhiệm vụ phát triển kinh tế số")))']);
    // Criteria for every unit are never greyed.
    expect(Object.keys(byRef)).toHaveLength(2);
    const prompt = sheet.getCell(rows.firstData, columnOf(sheet, rows.keys, 'dvc-toan-trinh.ty_le')).dataValidation.prompt;
    expect(prompt).toContain('ô màu xám: không áp dụng, để trống.');
  });

  it('lists the criteria under their groups, with the group maximum, in the guide', async () => {
    const workbook = await reopen(await templateBytes(set, level));
    const guide = workbook.getWorksheet('Hướng dẫn')!;
    const column = guide.getColumn(1).values.map((v) => String(v ?? ''));
    const at = (t: string) => column.indexOf(t);
    expect(at('Nhóm 4. Hoạt động chính quyền số (tối đa 40 điểm)')).toBeGreaterThan(0);
    expect(at('4.1')).toBe(at('Nhóm 4. Hoạt động chính quyền số (tối đa 40 điểm)') + 1);
    expect(at('Nhóm 5. Hoạt động kinh tế số (tối đa 15 điểm) — chỉ áp dụng cho loại Sở được giao nhiệm vụ phát triển kinh tế số')).toBe(at('4.2') + 1);
    expect(String(guide.getCell(at('4.2'), 2).value)).toBe('Tỉ lệ hồ sơ dịch vụ công trực tuyến toàn trình\n(Chỉ áp dụng khi Có dịch vụ công trực tuyến: Có)');
  });

  it('a filled template reads back with its type and attributes; a greyed cell left empty is no missing data', async () => {
    const fromJson = readSubmissionsJson('u.json', readFileSync(dir('so-nganh/units.json'), 'utf8')).submissions;
    // Pre-filled from the units list (type and attributes too), then filled in as the units would.
    const units = fromJson.map((s) => ({ id: s.id, name: s.name, type: s.type!, attributes: s.attributes! }));
    const workbook = buildTemplate(set, level, { units });
    const sheet = workbook.getWorksheet('Số liệu')!;
    expect(text(sheet, rows.firstData + 9, 3)).toBe('Sở, ngành, cơ quan');
    expect(text(sheet, rows.firstData + 9, 4)).toBe('Không');
    const dvc = columnOf(sheet, rows.keys, 'dvc-toan-trinh.ty_le');
    expect((sheet.getCell(rows.firstData + 9, dvc).note as string | undefined) ?? '').toMatch(/^không áp dụng: tiêu chí 4\.2 chỉ áp dụng khi Có dịch vụ công trực tuyến: Có/);
    fromJson.forEach((s, i) => {
      for (const [criterion, block] of Object.entries(s.inputs as Record<string, Record<string, unknown>>)) {
        for (const [input, value] of Object.entries(block)) sheet.getCell(rows.firstData + i, columnOf(sheet, rows.keys, `${criterion}.${input}`)).value = typeof value === 'boolean' ? (value ? 'Có' : 'Không') : (value as number);
      }
    });
    const read = await readSubmissionsXlsx('mau.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()), set);
    expect(read.problems).toEqual([]);
    expect(read.submissions.find((s) => s.id === 'thanh-tra')).toMatchObject({ type: 'thuong', attributes: { co_dich_vu_cong: 'Không' } });
    const fromSheet = scoreSubmissions(set, read.submissions, { trace: false });
    const direct = scoreSubmissions(set, fromJson, { trace: false });
    expect(fromSheet.problems).toEqual([]);
    expect(fromSheet.units.map((u) => [u.id, u.total, u.rank])).toEqual(direct.units.map((u) => [u.id, u.total, u.rank]));
  });

  it('a type picked from the list, an attribute missing, and a criterion that applies left empty are each read right', async () => {
    const workbook = buildTemplate(set, level, { emptyRows: 3 });
    const sheet = workbook.getWorksheet('Số liệu')!;
    const put = (row: number, key: string, value: string | number) => (sheet.getCell(row, columnOf(sheet, rows.keys, key)).value = value);
    const r = rows.firstData;
    put(r, 'id', 'so-a');
    put(r, 'name', 'Sở A');
    put(r, 'type', 'Sở, ngành, cơ quan');
    // no attribute typed; dvc left empty
    for (const [key, value] of [['ke-hoach-cds.co_ke_hoach', 'Có'], ['quy-che-du-lieu.co_quy_che', 'Có'], ['ky-nang-so.ty_le', 50], ['van-ban-dien-tu.ty_le', 50]] as const) put(r, key, value);
    const read = await readSubmissionsXlsx('mau.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()), set);
    // Not known whether 4.2 applies: its empty cell is reported, located, as well as the missing attribute.
    expect(read.problems.map((p) => p.code)).toEqual(['submission.missing-input']);
    const unit = scoreSubmissions(set, read.submissions, { trace: false }).units[0]!;
    expect(unit.type).toBe('thuong');
    const attribute = unit.problems.find((p) => p.code === 'submission.unit-attribute')!;
    expect(attribute).toMatchObject({ location: { file: 'mau.xlsx', line: r, column: 4 } });
    expect(unit.total).toBeUndefined();
  });
});

describe('a plain table saved as .xlsx (the CSV layout) carries type and attributes columns too', () => {
  it('reads them and scores as the CSV does', async () => {
    const set = load('so-nganh/2025');
    const csv = readFileSync(dir('so-nganh/units.csv'), 'utf8').trim().split('\n');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Bảng');
    // The CSV's cells as text; "82,5" keeps its comma as a person would type it.
    for (const line of csv) sheet.addRow(line.match(/("[^"]*"|[^,]+|(?<=,)(?=,|$))/g)!.map((c) => c.replace(/^"|"$/g, '')));
    const read = await readSubmissionsXlsx('bang.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()), set);
    expect(read.problems).toEqual([]);
    expect(read.submissions.find((s) => s.id === 'ban-dan-toc')).toMatchObject({ type: 'thuong', attributes: { co_dich_vu_cong: 'Không' } });
    const fromCsv = (await import('../engine/load/submissions.js')).readSubmissionsCsv('u.csv', readFileSync(dir('so-nganh/units.csv'), 'utf8')).submissions;
    const a = scoreSubmissions(set, read.submissions, { trace: false });
    expect(a.problems).toEqual([]);
    expect(a.units.map((u) => [u.id, u.total])).toEqual(scoreSubmissions(set, fromCsv, { trace: false }).units.map((u) => [u.id, u.total]));
  });
});

describe('the three example sets make templates with no code of their own', () => {
  it.each([
    ['dti/2025', 2],
    ['so-nganh/2025', 1],
    ['xa-phuong/2025', 0],
  ])('%s: %i group row(s); every criterion column sits under its groups', async (path, depth) => {
    const set = load(path);
    for (const level of set.levels) {
      const rows = templateRows(level);
      expect(rows.groups).toHaveLength(depth);
      const workbook = await reopen(await templateBytes(set, level));
      const sheet = workbook.getWorksheet('Số liệu')!;
      sheet.getRow(rows.keys).eachCell((cell, c) => {
        const key = String(cell.value);
        if (!key.includes('.') || key.startsWith('attributes.')) return;
        const criterion = level.criteria.find((x) => x.id === key.split('.')[0])!;
        const chain = [...(level.structure?.places.get(criterion.id)?.groupChain ?? [])].reverse();
        chain.forEach((group, d) => expect(String(sheet.getCell(rows.groups[d]!, c).value ?? '')).toMatch(new RegExp(`^${group.number.replace(/\./g, '\\.')}\\. `)));
        expect(String(sheet.getCell(rows.criterion, c).value)).toMatch(new RegExp(`^${criterion.number.replace(/\./g, '\\.')}\\. `));
      });
    }
  });
});
