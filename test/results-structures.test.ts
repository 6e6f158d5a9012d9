/**
 * What a reader of the results sees of a structured level (issue 11), through the CLI as a
 * user runs it: each unit's type by its declared name, its attributes, "không áp dụng"
 * criteria as such, and what applies to it (points earned, applicable maximum), so that
 * fewer criteria and a rescaled total explain themselves — in the table, the CSV (a golden
 * file), the results workbook, the HTML report and the score sheet.
 */
import ExcelJS from 'exceljs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RANKING_LAYOUT } from '../engine/xlsx/results-workbook.js';
import { cli } from './helpers/cli.js';

const SO_NGANH = ['--criteria', 'examples/structures/so-nganh/2025', '--input', 'examples/structures/so-nganh/units.json'];
const work = mkdtempSync(join(tmpdir(), 'tieuchi-results-structures-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function golden(name: string, actual: string): void {
  const file = fileURLToPath(new URL(`./golden/score/${name}`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  // A missing golden file is a failure, never a silent first write.
  if (!existsSync(file)) throw new Error(`golden file ${name} is missing: run UPDATE_GOLDEN=1 npx vitest run test/results-structures.test.ts`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** The text of an HTML fragment as a reader sees it (tags out, spaces collapsed). */
const textOf = (html: string) => html.replace(/<svg[\s\S]*?<\/svg>/g, ' ').replace(/<style[\s\S]*?<\/style>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('the ranking table of a level with unit types and attributes', () => {
  it('shows each unit\'s attributes, points earned and applicable maximum, with a legend saying how they make the total', async () => {
    const r = await cli(['score', ...SO_NGANH]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Tổng\s+Loại\s+co_dich_vu_cong\s+Điểm đạt\s+Áp dụng\s+Cơ bản\s+1\s+2/);
    // Văn phòng UBND: no online services and not an economy department: 58,73 of the 60 points that apply → 97,88.
    expect(r.stdout).toMatch(/1\s+van-phong-ubnd\s+Văn phòng UBND thành phố\s+97,88\s+thuong\s+Không\s+58,73\s+60\s+97,88\s+15,00\s+15,00\s+13,80\s+14,93\s+KAD/);
    expect(r.stdout).toMatch(/2\s+so-khcn\s+Sở Khoa học và Công nghệ\s+96,25\s+kinh-te-so\s+Có\s+96,25\s+100\s+96,25/);
    expect(r.stdout).toContain('Loại: thuong = Sở, ngành, cơ quan; kinh-te-so = Sở được giao nhiệm vụ phát triển kinh tế số');
    expect(r.stdout).toContain('Thuộc tính: co_dich_vu_cong = Có dịch vụ công trực tuyến (Có/Không)');
    expect(r.stdout).toContain('Cơ bản = Điểm đạt × 100 / Áp dụng (làm tròn một lần)');
  });

  it('a plain level (2023) keeps its table as it was: no such columns', async () => {
    const r = await cli(['score', '--criteria', 'criteria/2023', '--input', 'examples/2023/province.json']);
    expect(r.stdout).toMatch(/Hạng\s+Mã đơn vị\s+Tên đơn vị\s+Tổng\s+1\s+2\s+3/);
    expect(r.stdout).not.toContain('Áp dụng');
  });
});

describe('the CSV of a structured level', () => {
  it('is the golden file: type_name, attributes, applicable_max and earned after index, statuses as words', async () => {
    const r = await cli(['score', ...SO_NGANH, '--format', 'csv']);
    expect(r.code).toBe(0);
    golden('so-nganh.csv', r.stdout);
  });

  it('a plain set\'s CSV has none of the structure columns', async () => {
    const r = await cli(['score', '--criteria', 'criteria/2023', '--input', 'examples/2023/province.json', '--format', 'csv']);
    const header = r.stdout.replace(/^\uFEFF/, '').split('\n')[0]!;
    expect(header.startsWith('level,rank,id,name,status,total,ke-hoach-cds,')).toBe(true);
  });
});

describe('the results workbook of a structured level', async () => {
  const out = join(work, 'ket-qua.xlsx');
  const r = await cli(['score', ...SO_NGANH, '--format', 'xlsx', '--out', out, '--now', '2025-12-20T08:00:00Z']);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(out);
  const ranking = workbook.getWorksheet('Sở, ban, ngành')!;
  const row = (n: number) => (ranking.getRow(n).values as unknown[]).slice(1);
  const unitRow = (id: string) => {
    for (let n = RANKING_LAYOUT.firstUnitRow; n < RANKING_LAYOUT.firstUnitRow + 12; n++) if (ranking.getCell(n, 2).value === id) return row(n);
    throw new Error(`no row for ${id}`);
  };

  it('has the type by name, the attribute, points earned, applicable maximum and subtotals before the criteria', () => {
    expect(r.code).toBe(0);
    expect(row(RANKING_LAYOUT.headerRow)).toEqual(['Hạng', 'Mã đơn vị', 'Tên đơn vị', 'Tổng điểm', 'Loại đơn vị', 'Có dịch vụ công trực tuyến', 'Điểm đạt (trước quy đổi)', 'Điểm chuẩn áp dụng', '1', '2', '3', '4', '5', '1.1', '2.1', '3.1', '4.1', '4.2', '5.1', 'Ghi chú']);
    expect(row(RANKING_LAYOUT.maxRow)).toEqual([undefined, undefined, 'Điểm chuẩn', 100, undefined, undefined, undefined, undefined, 15, 15, 15, 40, 15, 15, 15, 15, 15, 25, 15]);
    expect(unitRow('van-phong-ubnd')).toEqual([1, 'van-phong-ubnd', 'Văn phòng UBND thành phố', 97.88, 'Sở, ngành, cơ quan', 'Không', 58.73, 60, 15, 15, 13.8, 14.93, 'KAD', 15, 15, 13.8, 14.93, 'KAD', 'KAD']);
    expect(unitRow('so-khcn').slice(4, 8)).toEqual(['Sở được giao nhiệm vụ phát triển kinh tế số', 'Có', 96.25, 100]);
    // Points keep the file's two decimals; the group header notes its name and maximum.
    expect(ranking.getCell(RANKING_LAYOUT.firstUnitRow, 7).numFmt).toBe('0.00');
    expect(ranking.getCell(RANKING_LAYOUT.headerRow, 12).note).toMatch(/Nhóm 4\. Hoạt động chính quyền số \(tối đa 40\)/);
  });

  it('says under the table what KAD means and how the total is rescaled', () => {
    const texts: string[] = [];
    ranking.eachRow((r) => texts.push(String(r.getCell(1).value ?? '')));
    expect(texts).toContain('KAD: tiêu chí không áp dụng cho đơn vị (theo loại hoặc thuộc tính của đơn vị): không tính vào tổng, không phải 0 điểm.');
    expect(texts.some((t) => t.includes('điểm cơ bản = điểm đạt × 100 / điểm chuẩn áp dụng'))).toBe(true);
  });

  it('explains a criterion that does not apply by its reason, and the total in a row of its own', () => {
    const sheet = workbook.getWorksheet('Giải thích')!;
    const rows: unknown[][] = [];
    sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const mine = rows.filter((x) => x[2] === 'van-phong-ubnd');
    expect(mine.find((x) => x[4] === '4.2')?.[7]).toBe('không áp dụng cho đơn vị này, chỉ áp dụng khi Có dịch vụ công trực tuyến: Có (không tính vào tổng, không phải 0 điểm)');
    expect(mine.find((x) => x[4] === '5.1')?.[7]).toBe('không áp dụng cho loại đơn vị này (không tính vào tổng, không phải 0 điểm)');
    const total = mine.find((x) => x[5] === 'Tổng điểm')!;
    expect(total[6]).toBe('Loại đơn vị: Sở, ngành, cơ quan\nCó dịch vụ công trực tuyến: Không');
    expect(String(total[7])).toMatch(/^Quy đổi \(tiêu chí không áp dụng cho đơn vị này không tính\): 58,73 × 100 \/ 60 ≈ 97,8833 → làm tròn 97,88\n/);
    expect(total.slice(8)).toEqual([97.88, 100]);
  });

  it('states the rule on the "Thông tin" sheet', () => {
    const about: string[] = [];
    workbook.getWorksheet('Thông tin')!.eachRow((r) => about.push(`${r.getCell(1).value}: ${r.getCell(2).value}`));
    expect(about).toContain('Tiêu chí không áp dụng (Sở, ban, ngành): Không tính vào tổng, không phải 0 điểm; điểm cơ bản được quy đổi về thang 100: điểm đạt × 100 / tổng điểm chuẩn các tiêu chí áp dụng cho đơn vị, làm tròn một lần.');
  });
});

describe('the results workbook of a DTI-style index', () => {
  it('shows the 0–1 index with the file\'s index_decimals, and the pillars and main indices with "KTĐ" for information only', async () => {
    const out = join(work, 'dti.xlsx');
    const r = await cli(['score', '--criteria', 'examples/structures/dti/2025', '--input', 'examples/structures/dti/units.json', '--out', out]);
    expect(r.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(RANKING_LAYOUT.headerRow).values as unknown[]).slice(1, 14)).toEqual(['Hạng', 'Mã đơn vị', 'Tên đơn vị', 'Tổng điểm', 'Chỉ số (0–1)', 'I', '1', '2', '3', '4', '5', '6', 'II']);
    expect((sheet.getRow(RANKING_LAYOUT.firstUnitRow).values as unknown[]).slice(1, 14)).toEqual([1, 'dong-hai', 'Tỉnh Đông Hải', 803.25, 0.8033, 376.2, 88.35, 100, 86.3, 68.22, 33.33, 'KTĐ', 427.05]);
    expect(sheet.getCell(RANKING_LAYOUT.firstUnitRow, 5).numFmt).toBe('0.0000');
  });
});

describe('the HTML report and the score sheets of a structured level', () => {
  it('ranks with type, attribute and what applies; marks KAD as "không áp dụng", never "chưa chấm được"; points with the file\'s decimals', async () => {
    const out = join(work, 'bao-cao.html');
    const r = await cli(['report', ...SO_NGANH, '--out', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    const ranking = textOf(/<table class="ranking">[\s\S]*?<\/table>/.exec(html)![0]);
    expect(ranking).toContain('Hạng Đơn vị Mã đơn vị Loại đơn vị Có dịch vụ công trực tuyến Điểm đạt Điểm chuẩn áp dụng Tổng điểm % điểm tối đa');
    expect(ranking).toContain('1 Văn phòng UBND thành phố van-phong-ubnd Sở, ngành, cơ quan Không 58,73 60 97,88 97,9%');
    expect(ranking).toContain('9 Sở Tài chính so-tai-chinh Sở được giao nhiệm vụ phát triển kinh tế số Có 69,10 100 69,10 69,1%');
    expect(textOf(html)).toContain('tổng điểm = điểm đạt × 100 / điểm chuẩn áp dụng (làm tròn một lần)');
    const heat = /<table class="heat-table">[\s\S]*?<\/table>/.exec(html)![0];
    const vanPhong = /<tr>(?:(?!<\/tr>)[\s\S])*Văn phòng UBND thành phố[\s\S]*?<\/tr>/.exec(heat)![0];
    expect(textOf(vanPhong)).toContain('15,00 15,00 13,80 14,93 KAD KAD 97,88');
    expect(vanPhong).toContain('<td class="na" title="không áp dụng">');
    expect(vanPhong).not.toContain('chưa chấm được');
  });

  it('a DTI-style report ranks with the 0–1 index and marks the information-only criterion KTĐ', async () => {
    const out = join(work, 'dti.html');
    const r = await cli(['report', '--criteria', 'examples/structures/dti/2025', '--input', 'examples/structures/dti/units.json', '--out', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(textOf(/<table class="ranking">[\s\S]*?<\/table>/.exec(html)![0])).toContain('Hạng Đơn vị Mã đơn vị Chỉ số (0–1) Tổng điểm % điểm tối đa 1 Tỉnh Đông Hải dong-hai 0,8033 803,25 80,3%');
    expect(textOf(/<table class="heat-table">[\s\S]*?<\/thead>/.exec(html)![0])).toContain('6.1 /10 KTĐ 7.1');
  });

  it('a score sheet names the type, the attributes, why a criterion does not apply and how the total was rescaled', async () => {
    const out = join(work, 'phieu.html');
    const r = await cli(['report', ...SO_NGANH, '--unit', 'van-phong-ubnd', '--out', out]);
    expect(r.code).toBe(0);
    const text = textOf(readFileSync(out, 'utf8'));
    expect(text).toContain('Loại đơn vị Sở, ngành, cơ quan');
    expect(text).toContain('Thuộc tính Có dịch vụ công trực tuyến: Không');
    expect(text).toContain('Quy đổi (tiêu chí không áp dụng cho đơn vị này không tính): 58,73 × 100 / 60 ≈ 97,8833 → làm tròn 97,88');
    expect(text).toContain('Cách tính: không áp dụng cho đơn vị này, chỉ áp dụng khi Có dịch vụ công trực tuyến: Có (không tính vào tổng, không phải 0 điểm) KAD');
    expect(text).toContain('Cách tính: 92 / 100 × 15 = 13,8 13,80');
  });
});

describe('what a user mistypes around these outputs is said in Vietnamese, with no file written', () => {
  it('report --out with an extension that is not .html or .pdf', async () => {
    const out = join(work, 'bao-cao.docx');
    const r = await cli(['report', ...SO_NGANH, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('báo cáo ghi ra tệp .html hoặc .pdf (ví dụ --out ket-qua.html)');
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ['examples/structures/so-nganh', 'đây là một thư mục, cần một tệp .csv hoặc .json.'],
    ['examples/structures/so-nganh/khong-co.csv', 'không có tệp này.'],
  ])('template --units %s', async (units, why) => {
    const r = await cli(['template', '--criteria', 'examples/structures/so-nganh/2025', '--level', 'department', '--units', units, '--out', join(work, 'mau-x.xlsx')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Không đọc được danh sách đơn vị "${units}": ${why}`);
    expect(r.stderr).not.toMatch(/EISDIR|ENOENT/);
  });
});
