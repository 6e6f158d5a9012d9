/**
 * `tieuchi template --units` on a structured level, as the department runs it (issue 11): the
 * units list (CSV or JSON) pre-fills ids, names, the type (by its declared name, as the
 * dropdown shows it) and the attributes (Có / Không); a cell of a criterion that does not apply
 * to that unit says so in its note (exactly where the scorer says "không áp dụng"), and is
 * greyed by the conditional formatting on the row's type or attribute cell. Filled in and sent
 * back, the workbook scores as the JSON data. Read back with exceljs; the LibreOffice round trip
 * is test/integration/template-units-libreoffice.test.ts.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { readSubmissionsJson } from '../engine/load/submissions.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { templateRows } from '../engine/xlsx/layout.js';
import { cli } from './helpers/cli.js';
import { repoRoot } from './helpers/criteria.js';

const CRITERIA = 'examples/structures/so-nganh/2025';
const work = mkdtempSync(join(tmpdir(), 'tieuchi-template-units-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const set = loadCriteriaSet(join(repoRoot, CRITERIA)).set!;
const level = set.levels[0]!;
const rows = templateRows(level);
const data = readSubmissionsJson('units.json', readFileSync(join(repoRoot, 'examples/structures/so-nganh/units.json'), 'utf8')).submissions;
// What the scorer says applies to each unit: the template must say the same.
const scored = scoreSubmissions(set, data, { trace: false });
const notApplicable = new Map(scored.units.map((u) => [u.id, new Set(u.criteria.filter((c) => c.status === 'not_applicable').map((c) => c.id))]));
const typeLabel = new Map([...level.structure!.unitTypes.values()].map((t) => [t.id, t.label]));

async function template(units: string, out: string): Promise<ExcelJS.Workbook> {
  const r = await cli(['template', '--criteria', CRITERIA, '--level', 'department', '--units', units, '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain('12 đơn vị điền sẵn');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(out);
  return workbook;
}

function keyColumns(sheet: ExcelJS.Worksheet): Map<string, number> {
  const keys = new Map<string, number>();
  sheet.getRow(rows.keys).eachCell((cell, c) => keys.set(String(cell.value), c));
  return keys;
}

describe.each([['units.csv'], ['units.json']])('tieuchi template --units examples/structures/so-nganh/%s', (file) => {
  const out = join(work, `mau-${file}.xlsx`);
  let workbook: ExcelJS.Workbook;
  let sheet: ExcelJS.Worksheet;
  let keys: Map<string, number>;

  it('pre-fills every unit: id, name, type by its declared name, the attribute as Có / Không', async () => {
    workbook = await template(`examples/structures/so-nganh/${file}`, out);
    sheet = workbook.getWorksheet('Số liệu')!;
    keys = keyColumns(sheet);
    expect([...keys.keys()].slice(0, 4)).toEqual(['id', 'name', 'type', 'attributes.co_dich_vu_cong']);
    data.forEach((unit, i) => {
      const r = rows.firstData + i;
      expect([sheet.getCell(r, keys.get('id')!).value, sheet.getCell(r, keys.get('name')!).value, sheet.getCell(r, keys.get('type')!).value, sheet.getCell(r, keys.get('attributes.co_dich_vu_cong')!).value]).toEqual([unit.id, unit.name, typeLabel.get(unit.type!), unit.attributes!.co_dich_vu_cong ? 'Có' : 'Không']);
      // Pre-filled cells are marked; the data cells are left to the unit.
      expect((sheet.getCell(r, keys.get('type')!).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFF2CC');
      for (const criterion of level.criteria) for (const input of Object.keys(criterion.def.inputs)) expect(sheet.getCell(r, keys.get(`${criterion.id}.${input}`)!).value ?? null).toBeNull();
    });
    // The type and attribute cells are dropdowns of the declared names.
    expect(sheet.getCell(rows.firstData, keys.get('type')!).dataValidation).toMatchObject({ type: 'list' });
    expect(sheet.getCell(rows.firstData, keys.get('attributes.co_dich_vu_cong')!).dataValidation).toMatchObject({ type: 'list' });
  });

  it('notes "không áp dụng" on exactly the cells the scorer leaves out for that unit', () => {
    data.forEach((unit, i) => {
      for (const criterion of level.criteria) {
        for (const input of Object.keys(criterion.def.inputs)) {
          const note = sheet.getCell(rows.firstData + i, keys.get(`${criterion.id}.${input}`)!).note;
          const text = typeof note === 'string' ? note : '';
          if (notApplicable.get(unit.id)!.has(criterion.id)) expect(text, `${unit.id} ${criterion.id}`).toMatch(new RegExp(`^không áp dụng: tiêu chí ${criterion.number.replace('.', '\\.')} chỉ áp dụng (cho loại|khi) .+\\. Để trống ô này\\.$`));
          else expect(text, `${unit.id} ${criterion.id}`).toBe('');
        }
      }
    });
    // Văn phòng UBND (no online services, not an economy department): both conditional criteria.
    expect(notApplicable.get('van-phong-ubnd')).toEqual(new Set(['dvc-toan-trinh', 'doanh-nghiep-so']));
  });

  it('greys the cells of a criterion by the row\'s own type or attribute cell', () => {
    const formattings = (sheet as unknown as { conditionalFormattings: { ref: string; rules: { formulae: string[]; style: { fill: ExcelJS.FillPattern } }[] }[] }).conditionalFormattings;
    const letter = (key: string) => String.fromCharCode(64 + keys.get(key)!);
    const last = rows.firstData + data.length - 1;
    const rule = (key: string) => formattings.find((f) => f.ref === `${letter(key)}${rows.firstData}:${letter(key)}${last}`)?.rules[0];
    expect(rule('dvc-toan-trinh.ty_le')?.formulae).toEqual([`AND($${letter('attributes.co_dich_vu_cong')}${rows.firstData}<>"",NOT(OR($${letter('attributes.co_dich_vu_cong')}${rows.firstData}="Có")))`]);
    expect(rule('doanh-nghiep-so.so_doanh_nghiep')?.formulae).toEqual([`AND($${letter('type')}${rows.firstData}<>"",NOT(OR($${letter('type')}${rows.firstData}="${typeLabel.get('kinh-te-so')}")))`]);
    expect(rule('dvc-toan-trinh.ty_le')?.style.fill.fgColor?.argb).toBe('FFBFBFBF');
    // A criterion for every unit is never greyed.
    expect(rule('ky-nang-so.ty_le')).toBeUndefined();
  });

  it('filled in as the units would (greyed cells left empty) and sent back, scores as the JSON data', async () => {
    data.forEach((unit, i) => {
      for (const [criterion, block] of Object.entries(unit.inputs as Record<string, Record<string, unknown>>)) {
        if (notApplicable.get(unit.id)!.has(criterion)) continue;
        for (const [input, value] of Object.entries(block)) sheet.getCell(rows.firstData + i, keys.get(`${criterion}.${input}`)!).value = typeof value === 'boolean' ? (value ? 'Có' : 'Không') : (value as number);
      }
    });
    const filled = join(work, `da-dien-${file}.xlsx`);
    writeFileSync(filled, Buffer.from(await workbook.xlsx.writeBuffer()));
    const fromSheet = await cli(['score', '--criteria', CRITERIA, '--input', filled, '--format', 'json']);
    expect(fromSheet.code, fromSheet.stderr).toBe(0);
    const units = (JSON.parse(fromSheet.stdout) as { units: { id: string; total: number; rank: number; type: string; attributes: Record<string, unknown> }[] }).units;
    expect(units.map((u) => [u.id, u.total, u.rank, u.type, u.attributes])).toEqual(scored.units.map((u) => [u.id, u.total, u.rank, u.type, u.attributes]));
  });
});

describe('a units list whose type or attribute the level does not declare', () => {
  it('is said at once, by unit and line, and the template is still written', async () => {
    const list = join(work, 'ds-sai.csv');
    writeFileSync(list, 'id,name,type,attributes.co_dich_vu_cong\nso-a,Sở A,kinh-te,Có\nso-b,Sở B,thuong,có lẽ\nso-c,Sở C,Sở, ngành, cơ quan,Không\n'.replace('Sở, ngành, cơ quan', '"Sở, ngành, cơ quan"'));
    const out = join(work, 'mau-sai.xlsx');
    const r = await cli(['template', '--criteria', CRITERIA, '--level', 'department', '--units', list, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('ds-sai.csv:2:3  cảnh báo  units.unreadable  [đơn vị so-a]\n  dòng 2: đơn vị "so-a" có loại "kinh-te", cấp này không khai loại đó.\n  → Ghi mã hoặc tên một loại của cấp: Sở, ngành, cơ quan (thuong); Sở được giao nhiệm vụ phát triển kinh tế số (kinh-te-so).');
    expect(r.stderr).toContain('ds-sai.csv:3:4  cảnh báo  units.unreadable  [đơn vị so-b]\n  dòng 3: đơn vị "so-b": thuộc tính «Có dịch vụ công trực tuyến» (co_dich_vu_cong) chỉ nhận Có hoặc Không, nhận được "có lẽ".');
    // A type given by its declared name is fine.
    expect(r.stderr).not.toContain('so-c');
    expect(r.stderr).toContain('0 lỗi, 2 cảnh báo.');
    expect(r.stderr).toContain('3 đơn vị điền sẵn');
  });
});
