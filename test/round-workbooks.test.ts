/**
 * The round's spreadsheets: a provider's own sheet (rows: every unit of the level; columns:
 * only its inputs) filled and received back, and the appraisal workbook written, filled,
 * read back with cell-located errors, and recorded under appraisals/.
 */
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appraisalWorkbookBytes, readAppraisalWorkbook, writeAppraisalFile } from '../engine/round/appraisal-workbook.js';
import { providerTemplates } from '../engine/round/provider-template.js';
import { receiveFile } from '../engine/round/received.js';
import { scoreRound } from '../engine/round/results.js';
import { round, scratchRound2023 } from './helpers/round.js';
import { cli } from './helpers/cli.js';

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

/** Column of a key in a row, and the row of a unit id in column A. */
function find(sheet: ExcelJS.Worksheet, keysRow: number, key: string): number {
  let found = 0;
  sheet.getRow(keysRow).eachCell((cell, col) => {
    if (cell.value === key) found = col;
  });
  if (!found) throw new Error(`no column ${key}`);
  return found;
}
function rowOf(sheet: ExcelJS.Worksheet, column: number, value: string, from = 1): number {
  for (let r = from; r <= sheet.rowCount; r++) if (sheet.getCell(r, column).value === value) return r;
  throw new Error(`no row ${value}`);
}

describe("a provider's own sheet", () => {
  it('has a row for every unit of the level and only the inputs the provider supplies', async () => {
    const r = round(scratchRound2023({ withReceived: false, withAppraisals: false }));
    const made = await providerTemplates(r, 'cong-an-tinh', 'commune');
    if ('problems' in made) throw new Error(made.problems[0]!.message.en);
    const sheet = (await load(made[0]!.bytes)).getWorksheet('Số liệu')!;
    const keys: string[] = [];
    sheet.getRow(4).eachCell((c) => keys.push(String(c.value)));
    expect(keys).toEqual(['id', 'name', 'vneid-can-bo.ty_le', 'vneid-nguoi-dan.ty_le']);
    const ids = [5, 6, 7, 8, 9].map((row) => sheet.getCell(row, 1).value);
    expect(ids).toEqual(['xa-dai-tam', 'phuong-1', 'tt-my-xuyen', 'xa-lich-hoi-thuong', 'xa-thanh-phu']);
    const none = await providerTemplates(r, 'khong-co');
    expect('problems' in none && none.problems[0]!.code).toBe('round.wrong-provider');
  });

  it('filled and received, completes the units it covers, each value located by its cell', async () => {
    const dir = scratchRound2023({ withAppraisals: true });
    const r = round(dir);
    const before = (await scoreRound(r)).units.find((u) => u.id === 'xa-lich-hoi-thuong')!;
    expect(before.finalTotal).toBeUndefined();
    const made = await providerTemplates(r, 'cong-an-tinh', 'commune');
    if ('problems' in made) throw new Error('no template');
    const workbook = await load(made[0]!.bytes);
    const sheet = workbook.getWorksheet('Số liệu')!;
    const row = rowOf(sheet, 1, 'xa-lich-hoi-thuong', 5);
    sheet.getCell(row, find(sheet, 4, 'vneid-can-bo.ty_le')).value = 96.5;
    sheet.getCell(row, find(sheet, 4, 'vneid-nguoi-dan.ty_le')).value = '58,2';
    const received = receiveFile(r, 'cong-an-tinh', Buffer.from(await workbook.xlsx.writeBuffer()), 'xlsx', { now: new Date('2023-12-14T03:00:00Z') });
    expect(received.ok).toBe(true);
    const after = await scoreRound(r);
    const unit = after.units.find((u) => u.id === 'xa-lich-hoi-thuong')!;
    expect(unit.finalTotal).toBeDefined();
    const input = unit.criteria.find((c) => c.id === 'vneid-nguoi-dan')!.inputs[0]!;
    expect(input).toMatchObject({ value: 58.2, provider: 'cong-an-tinh' });
    expect(input.source).toBe(`${received.ok ? received.file.file : ''} 'Số liệu'!D${row}`);
    // The other providers' columns are absent by design: no layout error, and the other units (empty rows) are untouched.
    const mine = after.files.find((f) => f.file === (received.ok ? received.file.file : ''))!;
    expect(mine.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(after.units.find((u) => u.id === 'phuong-1')!.criteria.find((c) => c.id === 'vneid-nguoi-dan')!.inputs[0]!.source).toMatch(/\.json:/);
  });
});

describe('the appraisal workbook', () => {
  it('is written one row per unit × criterion, read back with cell-located errors, then recorded', async () => {
    const dir = scratchRound2023();
    const r = round(dir);
    const result = await scoreRound(r);
    const bytes = await appraisalWorkbookBytes(r, result);
    const workbook = await load(bytes);
    const sheet = workbook.getWorksheet('Thẩm định')!;
    const rows = result.units.reduce((n, u) => n + u.criteria.length, 0);
    expect(sheet.rowCount).toBe(2 + rows);
    const col = (key: string) => find(sheet, 2, key);
    // The recorded decisions come pre-filled.
    const dai = rowOf(sheet, col('unit'), 'xa-dai-tam', 3);
    const ngay = dai + result.units.find((u) => u.id === 'xa-dai-tam')!.criteria.findIndex((c) => c.id === 'ngay-cds');
    expect(sheet.getCell(ngay, col('decision')).value).toBe('Sửa điểm');
    expect(sheet.getCell(ngay, col('points')).value).toBe(3);
    // A new decision, and a mistake.
    const p1 = rowOf(sheet, col('unit'), 'phuong-1', 3);
    const p1ngay = p1 + result.units.find((u) => u.id === 'phuong-1')!.criteria.findIndex((c) => c.id === 'ngay-cds');
    expect(sheet.getCell(p1ngay, col('criterion')).value).toBe('ngay-cds');
    sheet.getCell(p1ngay, col('decision')).value = 'Sửa số liệu';
    sheet.getCell(p1ngay, col('inputs')).value = 'muc_huong_ung = Có hoạt động, nhưng chưa cụ thể, thiết thực theo yêu cầu';
    sheet.getCell(p1ngay, col('reason')).value = 'Kiểm tra thực tế ngày 19/12/2023';
    sheet.getCell(p1ngay, col('at')).value = '21/12/2023';
    sheet.getCell(p1 + 1, col('decision')).value = 'Đồng ý';
    const bad = await readAppraisalWorkbook(r, 'tham-dinh.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()), 'Trần Thị Bình');
    expect(bad.decisions).toEqual([]);
    expect(bad.problems.map((p) => [p.location?.line, p.location?.column])).toEqual([[p1 + 1, col('decision')]]);
    expect(bad.problems[0]!.message.vi).toMatch(/^Ô 'Thẩm định'!L\d+ \(đơn vị phuong-1, tiêu chí .*\): quyết định "Đồng ý" không có/);
    sheet.getCell(p1 + 1, col('decision')).value = null;
    const good = await readAppraisalWorkbook(r, 'tham-dinh.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()), 'Trần Thị Bình');
    expect(good.problems).toEqual([]);
    expect(good.decisions).toEqual([expect.objectContaining({ unit: 'phuong-1', criterion: 'ngay-cds', decision: 'correct_input', inputs: { muc_huong_ung: 'chua_thiet_thuc' }, by: 'Trần Thị Bình', at: '2023-12-21' })]);
    const file = writeAppraisalFile(r, good.decisions, 'tham-dinh.xlsx', new Date('2023-12-21T02:00:00Z'));
    expect(readdirSync(join(dir, 'appraisals'))).toHaveLength(2);
    const rescored = await scoreRound(r);
    const c = rescored.units.find((u) => u.id === 'phuong-1')!.criteria.find((x) => x.id === 'ngay-cds')!;
    expect(c).toMatchObject({ computed: 3, final: 1 });
    expect(c.appraisal!.source).toMatch(new RegExp(`^${file}:\\d+:\\d+$`));
  });
});

describe('round CLI: template, appraisal workbook, appraise, key', () => {
  it('writes a provider sheet per level, an appraisal workbook, reads it back, and makes keys', async () => {
    const dir = scratchRound2023();
    const many = await cli(['round', 'template', dir, '--provider', 'cong-dvc', '--out', join(dir, 'dvc.xlsx')]);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/cung cấp số liệu cho 3 cấp: chọn --level, hoặc ghi \{level\} trong --out/);
    const each = await cli(['round', 'template', dir, '--provider', 'cong-dvc', '--out', join(dir, 'dvc-{level}.xlsx')]);
    expect(each.code, each.stderr).toBe(0);
    for (const level of ['province', 'district', 'commune']) expect(existsSync(join(dir, `dvc-${level}.xlsx`))).toBe(true);

    const book = join(dir, 'tham-dinh.xlsx');
    expect((await cli(['round', 'appraisal-workbook', dir, '--out', book])).code).toBe(0);
    const unchanged = await cli(['round', 'appraise', dir, '--workbook', book]);
    expect(unchanged.code).toBe(0);
    expect(unchanged.stderr).toMatch(/chưa có quyết định nào/);
    const workbook = await load(readFileSync(book));
    const sheet = workbook.getWorksheet('Thẩm định')!;
    const row = rowOf(sheet, 1, 'tt-my-xuyen', 3);
    sheet.getCell(row, find(sheet, 2, 'decision')).value = 'Sửa điểm';
    sheet.getCell(row, find(sheet, 2, 'points')).value = 6;
    sheet.getCell(row, find(sheet, 2, 'reason')).value = 'Bổ sung số, ngày kế hoạch khi kiểm tra';
    sheet.getCell(row, find(sheet, 2, 'at')).value = '22/12/2023';
    writeFileSync(book, Buffer.from(await workbook.xlsx.writeBuffer()));
    const noBy = await cli(['round', 'appraise', dir, '--workbook', book]);
    expect(noBy.code).toBe(1);
    expect(noBy.stderr).toMatch(/thiếu người thẩm định/);
    const done = await cli(['round', 'appraise', dir, '--workbook', book, '--by', 'Lê Văn C']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/Đã ghi 1 quyết định thẩm định vào appraisals\/\d{8}T\d{9}Z-bang-tham-dinh\.yaml/);
    const explained = await cli(['round', 'explain', dir, '--unit', 'tt-my-xuyen']);
    expect(explained.stdout).toMatch(/Thẩm định: sửa điểm thành 6 — lý do: Bổ sung số, ngày kế hoạch khi kiểm tra \(Lê Văn C, 22\/12\/2023/);

    const key = await cli(['round', 'key', dir, '--holder', 'phuong-1']);
    expect(key.code).toBe(0);
    const [, secret] = /\n {2}(tc_\S+)\n/.exec(key.stdout)!;
    const [, hash] = /sha256: ([0-9a-f]{64})/.exec(key.stdout)!;
    expect(createHash('sha256').update(secret!).digest('hex')).toBe(hash);
    expect(secret!.length).toBeGreaterThanOrEqual(43);
    expect((await cli(['round', 'key', dir, '--holder', 'ai-do'])).code).toBe(2);
  });
});

describe("a provider's own sheet on a structured round (2026-so-nganh)", () => {
  const SO = fileURLToPath(new URL('../examples/rounds/2026-so-nganh', import.meta.url));

  it('pre-fills type and attributes from units.yaml: a criterion that does not apply is noted "không áp dụng" and greyed; sent back, it agrees with units.yaml', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tieuchi-provider-')), 'cong-dvc.xlsx');
    const made = await cli(['round', 'template', SO, '--provider', 'cong-dvc', '--level', 'department', '--out', out]);
    expect(made.code, made.stderr).toBe(0);
    const workbook = await load(readFileSync(out));
    const sheet = workbook.getWorksheet('Số liệu')!;
    const keysRow = rowOf(sheet, 1, 'id');
    const type = find(sheet, keysRow, 'type');
    const online = find(sheet, keysRow, 'attributes.co_dich_vu_cong');
    const rate = find(sheet, keysRow, 'dvc-toan-trinh.ty_le');
    const register = round(SO);
    const units = [...register.units.values()].filter((u) => u.level === 'department');
    expect(units.some((u) => u.attributes?.co_dich_vu_cong === false)).toBe(true);
    const typeLabels = new Map([...register.set.levels.find((l) => l.id === 'department')!.structure!.unitTypes.values()].map((t) => [t.id, t.label]));
    for (const unit of units) {
      const row = rowOf(sheet, 1, unit.id, keysRow + 1);
      expect(sheet.getCell(row, type).value, unit.id).toBe(typeLabels.get(unit.type!));
      expect(sheet.getCell(row, online).value, unit.id).toBe(unit.attributes!.co_dich_vu_cong ? 'Có' : 'Không');
      const note = sheet.getCell(row, rate).note;
      if (unit.attributes!.co_dich_vu_cong) expect(note ?? '', unit.id).toBe('');
      else expect(note, unit.id).toMatch(/^không áp dụng: tiêu chí 4\.2 chỉ áp dụng khi Có dịch vụ công trực tuyến: Có\. Để trống ô này\.$/);
    }
    // Greyed by the row's own attribute cell, which is now filled.
    const letter = sheet.getColumn(online).letter;
    const formattings = (sheet as unknown as { conditionalFormattings: { ref: string; rules: { formulae: string[]; style: { fill: ExcelJS.FillPattern } }[] }[] }).conditionalFormattings;
    const rule = formattings.find((f) => f.ref.startsWith(`${sheet.getColumn(rate).letter}${keysRow + 1}:`))?.rules[0];
    expect(rule?.formulae).toEqual([`AND($${letter}${keysRow + 1}<>"",NOT(OR($${letter}${keysRow + 1}="Có")))`]);
    expect(rule?.style.fill.fgColor?.argb).toBe('FFBFBFBF');

    // Filled where it applies and received: the pre-filled type and attributes raise no disagreement with units.yaml.
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-round-so-'));
    cpSync(SO, dir, { recursive: true });
    writeFileSync(join(dir, 'round.yaml'), readFileSync(join(dir, 'round.yaml'), 'utf8').replace(/^criteria: .*$/m, `criteria: ${JSON.stringify(fileURLToPath(new URL('../examples/structures/so-nganh/2026', import.meta.url)))}`));
    const scratch = round(dir);
    for (const unit of units) if (unit.attributes!.co_dich_vu_cong) sheet.getCell(rowOf(sheet, 1, unit.id, keysRow + 1), rate).value = 88.5;
    const received = receiveFile(scratch, 'cong-dvc', Buffer.from(await workbook.xlsx.writeBuffer()), 'xlsx', { now: new Date('2026-12-10T03:00:00Z') });
    expect(received.ok).toBe(true);
    const result = await scoreRound(round(dir));
    const mine = result.files.find((f) => f.file === (received.ok ? received.file.file : ''))!;
    expect(mine.problems.filter((p) => p.severity === 'error' || p.code.startsWith('submission.unit-'))).toEqual([]);
    const value = result.units.find((u) => u.id === 'so-noi-vu')!.criteria.find((c) => c.id === 'dvc-toan-trinh')!.inputs[0]!;
    expect(value).toMatchObject({ value: 88.5, provider: 'cong-dvc' });
  });
});
