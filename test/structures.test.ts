/**
 * Criteria structures (issue 11): groups, applicability, bonus/penalty/info,
 * level statistics, round values, named parts, the number input type. The
 * three example sets under examples/structures/ are run end to end with no
 * code of their own; the edge cases assert a located Vietnamese problem or
 * the exact score.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCriteriaSet, loadCriteriaTexts, type CriteriaSet } from '../engine/criteria-set.js';
import { readNumberText } from '../engine/language/inputs/number.js';
import { readInput, isReadError } from '../engine/compile/input-types.js';
import { indexValue } from '../engine/evaluate/totals.js';
import { levelValueLines } from '../engine/report/structure.js';
import { Rational } from '../engine/exact/rational.js';

import { scoreUnit } from '../engine/evaluate/score.js';
import { readRoundValues } from '../engine/load/round-values.js';
import { readSubmissionsCsv, readSubmissionsJson } from '../engine/load/submissions.js';
import type { Submission } from '../engine/model.js';
import type { Problem } from '../engine/problems.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { rankingCsv, rankingText } from '../engine/report/tables.js';
import { runToJson } from '../engine/cli/commands/score.js';
import { diffCriteriaSets } from '../engine/diff/compare.js';
import { cli } from './helpers/cli.js';
import { repoRoot } from './helpers/criteria.js';

const rational = (value: number | string): Rational => Rational.from(value);

const dir = (path: string) => join(repoRoot, 'examples', 'structures', path);

function load(path: string): CriteriaSet {
  const { set, problems } = loadCriteriaSet(dir(path));
  if (!set) throw new Error(problems.map((p) => `${p.code} ${p.location?.line}: ${p.message.vi}`).join('\n'));
  return set;
}

function units(path: string): Submission[] {
  const file = dir(path);
  const text = readFileSync(file, 'utf8');
  const read = file.endsWith('.csv') ? readSubmissionsCsv(file, text) : readSubmissionsJson(file, text);
  expect(read.problems).toEqual([]);
  return read.submissions;
}

function roundValues(set: CriteriaSet, path: string) {
  const read = readRoundValues(path, readFileSync(dir(path), 'utf8'), set);
  expect(read.problems).toEqual([]);
  return read.values!;
}

/** A one-file set from YAML text (for edge cases). */
function loadText(text: string): { set?: CriteriaSet; problems: Problem[] } {
  return loadCriteriaTexts('mem/2025', [{ file: 'mem/2025/test.yaml', text }], { checkDomains: false });
}

const HEAD = `format_version: 1
year: 2025
decision: { number: 1/QĐ-TEST, date: "2025-01-01", issuer: Thử nghiệm, title: Thử nghiệm }
level: { id: unit, name: Đơn vị thử }
scoring: { clamp_to_max: true, rounding: { decimals: 2, mode: half_up }, total: sum_of_rounded }
`;

const criterion = (id: string, number: string, max: number, extra = '', formula = '{ "*": [{ "/": [{ var: x }, 100] }, { var: max_points }] }') => `  - id: ${id}
    number: "${number}"
    name: Tiêu chí ${id}
    max_points: ${max}
    rule: r
    evidence: e
${extra}    inputs: { x: { type: percent, label: Tỉ lệ ${id} } }
    formula: ${formula}
    examples: [{ inputs: { x: 100 }, points: ${max}${extra.includes('kind: penalty') || extra.includes('kind: bonus') ? '' : ''} }]
`;

const submission = (id: string, inputs: Record<string, unknown>, type?: string): Submission => ({ id, name: id, level: 'unit', inputs, mode: 'json', ...(type ? { type } : {}) });

describe('the three example sets score, explain, diff and template with no code of their own', () => {
  it('DTI-style provincial index: 1,000 points, pillars and main indices, an information-only index, 0–1 index values', () => {
    const set = load('dti/2025');
    const run = scoreSubmissions(set, units('dti/units.json'), { trace: false });
    expect(run.units).toHaveLength(12);
    expect(run.units.every((u) => u.status === 'complete')).toBe(true);
    const unit = run.units.find((u) => u.id === 'cang-mau')!;
    expect(unit.total).toBe(721.48);
    expect(unit.index).toBe(0.7215);
    const pillar = unit.groups!.find((g) => g.id === 'nen-tang-chung')!;
    expect(pillar).toMatchObject({ number: 'I', points: 397.05, maxPoints: 500, index: 0.7941 });
    // Subtotals add up to the total, exactly.
    const top = unit.groups!.filter((g) => g.depth === 0).reduce((sum, g) => sum.add(rational(g.points ?? 0)), rational(0));
    expect(top.toFixed(2)).toBe('721.48');
    // The information-only index is reported, never counted.
    expect(unit.groups!.find((g) => g.id === 'do-thi-thong-minh')!.status).toBe('info');
    expect(unit.criteria.find((c) => c.id === 'ung-dung-do-thi-thong-minh')!.status).toBe('scored');
    const json = JSON.parse(JSON.stringify(unit)) as { groups: { id: string; number: string; name: string; points: number; maxPoints: number }[] };
    expect(Object.keys(json.groups[0]!)).toEqual(expect.arrayContaining(['id', 'number', 'name', 'points', 'maxPoints']));
  });

  it('departments of two types, with or without online public services (an attribute), rank on one 100-point scale, rescaled exactly over what applies', () => {
    const set = load('so-nganh/2025');
    const fromJson = scoreSubmissions(set, units('so-nganh/units.json'), { trace: false });
    const fromCsv = scoreSubmissions(set, units('so-nganh/units.csv'), { trace: false });
    expect(fromCsv.units.map((u) => [u.id, u.total, u.rank])).toEqual(fromJson.units.map((u) => [u.id, u.total, u.rank]));
    const vp = fromJson.units.find((u) => u.id === 'van-phong-ubnd')!;
    // 15 + 15 + 13,8 + 14,93 = 58,73 of the 60 points that apply: 58,73 × 100 / 60 = 97,88333… → 97,88.
    expect(vp).toMatchObject({ type: 'thuong', total: 97.88, applicable: { maxPoints: 60, totalPoints: 100, rule: 'rescale', before: 58.73 } });
    expect(vp.criteria.find((c) => c.id === 'dvc-toan-trinh')).toMatchObject({ status: 'not_applicable', problems: [] });
    expect(vp.criteria.find((c) => c.id === 'dvc-toan-trinh')!.points).toBeUndefined();
    const khcn = fromJson.units.find((u) => u.id === 'so-khcn')!;
    expect(khcn.applicable!.rule).toBe('all');
    expect(fromJson.units.map((u) => u.rank)).toContain(12);
  });

  it('normalise-to-best, rank, round value, parts, bonus and penalty', () => {
    const set = load('xa-phuong/2025');
    const run = scoreSubmissions(set, units('xa-phuong/units.json'), { trace: true, roundValues: roundValues(set, 'xa-phuong/round-values-2025.yaml') });
    expect(run.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const an = run.units.find((u) => u.id === 'xa-an-binh')!;
    expect(an).toMatchObject({ total: 101.75, base: 96.75, bonus: 5, penalty: 0 });
    const parts = an.criteria.find((c) => c.id === 'thanh-toan-va-ung-dung')!;
    expect(parts.points).toBe(46.75);
  });

  it('order of the submissions does not change any score (two-pass statistics)', () => {
    const set = load('xa-phuong/2025');
    const values = roundValues(set, 'xa-phuong/round-values-2025.yaml');
    const list = units('xa-phuong/units.json');
    const forward = scoreSubmissions(set, list, { trace: false, roundValues: values });
    const backward = scoreSubmissions(set, [...list].reverse(), { trace: false, roundValues: values });
    const byId = (run: typeof forward) => Object.fromEntries(run.units.map((u) => [u.id, [u.total, u.rank]]));
    expect(byId(backward)).toEqual(byId(forward));
  });

  it.each([
    ['dti', 'province', ['Chỉ số', '0,7215', 'Nhóm I. Nhóm chỉ số nền tảng chung (tối đa 500)', '6. Đô thị thông minh: không tính điểm', '(chỉ để theo dõi, không tính điểm)'], 'cang-mau', []],
    ['so-nganh', 'department', ['Loại đơn vị: Sở, ngành, cơ quan (thuong)', 'Quy đổi (tiêu chí không áp dụng cho đơn vị này không tính): 58,73 × 100 / 60 ≈ 97,8833 → làm tròn 97,88', 'Điểm: không áp dụng cho loại đơn vị này'], 'van-phong-ubnd', []],
    ['xa-phuong', 'commune', ['phần «Thanh toán trực tuyến» (tối đa 45): 95 / 100 × 45 = 42,75; phần «Ứng dụng nền tảng số» (tối đa 5)', 'Thống kê của cấp: tỉ lệ hồ sơ trực tuyến cao nhất trong cấp = 92,5% (các đơn vị đạt (bằng nhau): xa-an-binh, xa-hoa-tan; trên 12 đơn vị)', 'Giá trị của đợt: mục tiêu số tài khoản định danh điện tử trên 1.000 dân của tỉnh = 550'], 'xa-an-binh', ['--round-values', 'examples/structures/xa-phuong/round-values-2025.yaml']],
  ])('%s: validate, score, explain, diff against the variant, template', async (name, level, explained, unit, extra) => {
    const criteria = `examples/structures/${name}/2025`;
    const input = `examples/structures/${name}/units.json`;
    const validate = await cli(['validate', criteria]);
    expect(validate.stdout + validate.stderr).toContain('hợp lệ');
    expect(validate.code).toBe(0);
    const score = await cli(['score', '--criteria', criteria, '--input', input, ...extra]);
    expect(score.code).toBe(0);
    expect(score.stderr).toContain('Đã chấm 12 đơn vị.');
    const explain = await cli(['explain', '--criteria', criteria, '--input', input, '--unit', unit, ...extra]);
    expect(explain.code).toBe(0);
    for (const text of explained) expect(explain.stdout).toContain(text);
    const diff = await cli(['diff', criteria, `examples/structures/${name}/2026`, '--format', 'json']);
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout).diff.counts.criteriaChanged).toBeGreaterThan(0);
    const out = mkdtempSync(join(tmpdir(), 'tieuchi-structures-'));
    try {
      const template = await cli(['template', '--criteria', criteria, '--level', level, '--out', join(out, 'mau.xlsx')]);
      expect(template.code).toBe(0);
      expect(readFileSync(join(out, 'mau.xlsx')).subarray(0, 2).toString()).toBe('PK');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('diff reports a criterion moved between groups and a group maximum changed', () => {
    const diff = diffCriteriaSets(load('dti/2025'), load('dti/2026'));
    const level = diff.levels[0]!;
    expect(level.structure).toEqual(
      expect.arrayContaining([
        { field: 'groups.nhan-thuc-so.max_points', old: 100, new: 50 },
        { field: 'groups.the-che-so.max_points', old: 100, new: 150 },
      ]),
    );
    const moved = level.criteria.changed.find((c) => c.id === 'lanh-dao-chi-dao')!;
    expect(moved.changes).toContainEqual({ kind: 'structure', field: 'group', old: '1. Nhận thức số [nhan-thuc-so]', new: '2. Thể chế số [the-che-so]' });
  });

  it('diff --impact scores both sides with their own round values', async () => {
    const r = await cli(['diff', 'examples/structures/xa-phuong/2025', 'examples/structures/xa-phuong/2026', '--format', 'json', '--impact', 'examples/structures/xa-phuong/units.json', '--round-values', 'examples/structures/xa-phuong/round-values-2025.yaml', '--round-values', 'examples/structures/xa-phuong/round-values-2026.yaml']);
    expect(r.code).toBe(0);
    const impact = JSON.parse(r.stdout).impact as { levels: { units: { id: string; old: { total?: number }; new: { total?: number } }[] }[] };
    const rows = JSON.stringify(impact);
    // Phường 1: bonus 10 capped at 8 in 2026 and the target 550 → 600: 107,57 → 104,74.
    expect(rows).toContain('107.57');
    expect(rows).toContain('104.74');
  });

  it('the ranking table and CSV carry base, bonus, penalty and subtotals', async () => {
    const table = await cli(['score', '--criteria', 'examples/structures/xa-phuong/2025', '--input', 'examples/structures/xa-phuong/units.json', '--round-values', 'examples/structures/xa-phuong/round-values-2025.yaml']);
    expect(table.stdout).toMatch(/Hạng\s+Mã đơn vị\s+Tên đơn vị\s+Tổng\s+Cơ bản\s+Thưởng\s+Trừ/);
    expect(table.stdout).toMatch(/12\s+phuong-3\s+Phường 3\s+0,00\s+15,17\s+0,00\s+80,00/);
    const csv = await cli(['score', '--criteria', 'examples/structures/so-nganh/2025', '--input', 'examples/structures/so-nganh/units.json', '--format', 'csv']);
    const [header, first] = csv.stdout.replace(/^\uFEFF/, '').split(/\r?\n/);
    // type_name, attributes, applicable_max and earned came later, after index (test/golden/score/so-nganh.csv has the whole file).
    expect(header).toBe('level,rank,id,name,status,total,type,base,bonus,penalty,index,type_name,attributes.co_dich_vu_cong,applicable_max,earned,group:nhan-thuc-so,group:the-che-so,group:nhan-luc-so,group:chinh-quyen-so,group:kinh-te-so,ke-hoach-cds,quy-che-du-lieu,ky-nang-so,van-ban-dien-tu,dvc-toan-trinh,doanh-nghiep-so');
    // Points with the file's two decimals, as every CSV of the engine writes them.
    expect(first).toBe('department,1,van-phong-ubnd,Văn phòng UBND thành phố,complete,97.88,thuong,97.88,0.00,0.00,,"Sở, ngành, cơ quan",Không,60,58.73,15.00,15.00,13.80,14.93,not_applicable,15.00,15.00,13.80,14.93,not_applicable,not_applicable');
  });
});

describe('edge cases: a located Vietnamese problem, or the exact score', () => {
  it('a group whose children exceed its maximum', () => {
    const { set, problems } = loadText(`${HEAD}total_points: 100
groups:
  - { id: nhom-a, number: "1", name: Nhóm A, max_points: 50 }
  - { id: nhom-b, number: "2", name: Nhóm B, max_points: 50 }
criteria:
${criterion('a', '1.1', 30, '    group: nhom-a\n')}${criterion('b', '1.2', 30, '    group: nhom-a\n')}${criterion('c', '2.1', 40, '    group: nhom-b\n')}`);
    expect(set).toBeUndefined();
    const p = problems.find((x) => x.code === 'group.exceeds-max')!;
    expect(p).toMatchObject({ severity: 'error', level: 'unit', location: { file: 'mem/2025/test.yaml', line: 8 } });
    expect(p.message.vi).toBe('Nhóm 1 «Nhóm A»: điểm chuẩn các tiêu chí và nhóm con cộng lại là 60, vượt điểm tối đa 50 của nhóm.');
    expect(p.hint!.vi).toContain('1.1 (30), 1.2 (30)');
  });

  it('a unit with every criterion not applicable has no total, and says why', () => {
    const { set } = loadText(`${HEAD}total_points: 100
unit_types: [{ id: loai-a, label: Loại A }, { id: loai-b, label: Loại B }]
criteria:
${criterion('a', '1', 60, '    applies_to: [loai-a]\n')}${criterion('b', '2', 40, '    applies_to: [loai-a]\n')}`);
    const unit = scoreUnit(set!.levels[0]!, submission('don-vi-b', {}, 'loai-b'));
    expect(unit.status).toBe('incomplete');
    expect(unit.total).toBeUndefined();
    expect(unit.criteria.map((c) => c.status)).toEqual(['not_applicable', 'not_applicable']);
    expect(unit.problems).toHaveLength(1);
    expect(unit.problems[0]).toMatchObject({ code: 'unit.nothing-applicable', unit: 'don-vi-b', level: 'unit' });
    expect(unit.problems[0]!.message.vi).toBe('Không tiêu chí tính điểm nào của cấp "Đơn vị thử" áp dụng cho đơn vị "don-vi-b", nên không có tổng điểm.');
  });

  it('not_applicable: none adds up what applies, without rescaling', () => {
    const { set } = loadText(`${HEAD}total_points: 100
unit_types: [{ id: loai-a, label: Loại A }, { id: loai-b, label: Loại B }]
totals: { not_applicable: none }
criteria:
${criterion('a', '1', 60)}${criterion('b', '2', 40, '    applies_to: [loai-a]\n')}`);
    const unit = scoreUnit(set!.levels[0]!, submission('u', { a: { x: 50 } }, 'loai-b'));
    expect(unit).toMatchObject({ status: 'complete', total: 30, applicable: { maxPoints: 60, totalPoints: 100, rule: 'none' } });
  });

  it('a unit without its type, or with a type the level does not have', () => {
    const { set } = loadText(`${HEAD}total_points: 100
unit_types: [{ id: loai-a, label: Loại A }]
criteria:
${criterion('a', '1', 100)}`);
    const missing = scoreUnit(set!.levels[0]!, submission('x', { a: { x: 50 } }));
    expect(missing.problems[0]).toMatchObject({ code: 'submission.unit-type', unit: 'x' });
    expect(missing.total).toBeUndefined();
    const unknown = scoreUnit(set!.levels[0]!, submission('y', { a: { x: 50 } }, 'loai-z'));
    expect(unknown.problems[0]!.message.vi).toBe('Đơn vị "y" ghi loại "loai-z", nhưng cấp "Đơn vị thử" không có loại này.');
  });

  it('a tie for the best value: both units get full points, and both are named', () => {
    const { set } = loadText(`${HEAD}total_points: 10
statistics:
  cao_nhat: { of: a.x, stat: max, label: tỉ lệ cao nhất }
criteria:
  - id: a
    number: "1"
    name: So với đơn vị cao nhất
    max_points: 10
    rule: r
    evidence: e
    inputs: { x: { type: percent, label: Tỉ lệ } }
    formula: { "*": [{ "/": [{ var: x }, { var: cao_nhat }] }, { var: max_points }] }
    examples: [{ inputs: { x: 45 }, values: { cao_nhat: 90 }, points: 5 }]
`);
    const run = scoreSubmissions(set!, [submission('b', { a: { x: 90 } }), submission('c', { a: { x: 60 } }), submission('a', { a: { x: 90 } })], { trace: true });
    const score = (id: string) => run.units.find((u) => u.id === id)!;
    expect(score('a').total).toBe(10);
    expect(score('b').total).toBe(10);
    expect(score('c').total).toBe(6.67);
    expect(score('a').rank).toBe(1);
    expect(score('b').rank).toBe(1);
    expect(score('c').rank).toBe(3);
    expect(score('c').criteria[0]!.levelValues).toEqual([{ name: 'cao_nhat', source: 'statistic', label: 'tỉ lệ cao nhất', value: 90, setBy: ['a', 'b'], over: 3, percent: true }]);
  });

  it('scoring one unit alone says which statistic it needs', () => {
    const set = load('xa-phuong/2025');
    const alone = scoreUnit(set.levels[0]!, units('xa-phuong/units.json')[0]!);
    const needs = alone.criteria.find((c) => c.id === 'ho-so-truc-tuyen')!;
    expect(needs.status).toBe('error');
    expect(needs.problems[0]).toMatchObject({ code: 'statistic.unavailable', criterion: 'ho-so-truc-tuyen' });
    expect(needs.problems[0]!.message.vi).toBe(
      'Tiêu chí 1 cần thống kê của cả cấp «tỉ lệ hồ sơ trực tuyến cao nhất trong cấp» (ty_le_cao_nhat), nhưng không có giá trị: đơn vị được chấm riêng lẻ, không cùng các đơn vị khác của cấp.',
    );
    // Through the run with a single unit: located at the statistic's declaration.
    const run = scoreSubmissions(set, units('xa-phuong/units.json').slice(0, 1), { trace: false });
    const p = run.units[0]!.criteria.find((c) => c.id === 'ho-so-truc-tuyen')!.problems[0]!;
    expect(p.message.vi).toContain('lần chấm này chỉ có 1 đơn vị có số liệu "ho-so-truc-tuyen.ty_le", cần ít nhất 2');
    expect(p.location).toMatchObject({ line: 45 });
    expect(run.units[0]!.total).toBeUndefined();
  });

  it('a penalty larger than the total is floored by the declared rule', () => {
    const { set } = loadText(`${HEAD}total_points: 10
totals: { floor: 0 }
criteria:
${criterion('a', '1', 10)}${criterion('tru', '2', 100, '    kind: penalty\n', '{ "*": [{ var: x }, 1] }')}`);
    const unit = scoreUnit(set!.levels[0]!, submission('u', { a: { x: 50 }, tru: { x: 30 } }));
    expect(unit).toMatchObject({ status: 'complete', total: 0, base: 5, bonus: 0, penalty: 30, capped: { floor: -25 } });
    const { set: negative } = loadText(`${HEAD}total_points: 10
totals: { floor: -10 }
criteria:
${criterion('a', '1', 10)}${criterion('tru', '2', 100, '    kind: penalty\n', '{ "*": [{ var: x }, 1] }')}`);
    expect(scoreUnit(negative!.levels[0]!, submission('u', { a: { x: 50 }, tru: { x: 12.35 } })).total).toBe(-7.35);
  });

  it('bonus beyond its cap is cut; total_points counts only ordinary criteria', () => {
    const { set, problems } = loadText(`${HEAD}total_points: 10
totals: { bonus_max: 3 }
criteria:
${criterion('a', '1', 10)}${criterion('thuong', '2', 5, '    kind: bonus\n')}${criterion('tt', '3', 7, '    kind: info\n')}`);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const unit = scoreUnit(set!.levels[0]!, submission('u', { a: { x: 33.35 }, thuong: { x: 90 }, tt: { x: 100 } }));
    // 3,335 → 3,34 (half up on the exact value); bonus 4,5 capped at 3; info 7 never counted.
    expect(unit).toMatchObject({ total: 6.34, base: 3.34, bonus: 3, capped: { bonus: 4.5 } });
  });

  it('a missing round value is located at its declaration and stops only the criteria that read it', () => {
    const set = load('xa-phuong/2025');
    const read = readRoundValues('dot.yaml', 'year: 2025\nvalues:\n  khac: 3\n', set);
    expect(read.problems.map((p) => [p.code, p.severity])).toEqual([
      ['round-value.unknown', 'warning'],
      ['round-value.missing', 'error'],
    ]);
    const missing = read.problems[1]!;
    expect(missing.location).toMatchObject({ file: expect.stringContaining('commune.yaml'), line: 55 });
    expect(missing.message.vi).toBe('Chưa có giá trị của đợt chấm «mục tiêu số tài khoản định danh điện tử trên 1.000 dân của tỉnh» (muc_tieu_tai_khoan) trong tệp dot.yaml; các tiêu chí dùng giá trị này không chấm được.');
    const run = scoreSubmissions(set, units('xa-phuong/units.json'), { trace: false, roundValues: read.values! });
    const unit = run.units[0]!;
    expect(unit.total).toBeUndefined();
    const c = unit.criteria.find((x) => x.id === 'dinh-danh-dien-tu')!;
    expect(c.problems[0]).toMatchObject({ code: 'round-value.missing', location: { line: 55 } });
    expect(unit.criteria.filter((x) => x.status === 'scored')).toHaveLength(5);
  });

  it('a round value of the wrong kind is refused, located in its own file', () => {
    const set = load('xa-phuong/2025');
    const read = readRoundValues('dot.yaml', 'values:\n  muc_tieu_tai_khoan: "nhiều"\n', set);
    expect(read.problems[0]).toMatchObject({ code: 'round-value.invalid', location: { file: 'dot.yaml', line: 2 } });
    expect(read.problems[0]!.message.vi).toBe('Giá trị "muc_tieu_tai_khoan" phải là một số, đang là "nhiều".');
  });

  it('parts that do not add up to the criterion, and statistics of unknown inputs', () => {
    const { problems } = loadText(`${HEAD}total_points: 10
statistics:
  s: { of: a.khong_co, stat: max, label: s }
criteria:
  - id: a
    number: "1"
    name: Có hai phần
    max_points: 10
    rule: r
    evidence: e
    inputs: { x: { type: percent, label: Tỉ lệ } }
    parts:
      - { id: p1, label: Phần 1, max_points: 6, formula: { var: x } }
      - { id: p2, label: Phần 2, max_points: 5, formula: 1 }
    examples: [{ inputs: { x: 1 }, points: 2 }]
`);
    expect(problems.map((p) => p.code)).toContain('criterion.parts');
    expect(problems.find((p) => p.code === 'criterion.parts')!.message.vi).toBe('Điểm tối đa các phần của tiêu chí 1 cộng lại là 11, khác điểm chuẩn 10 của tiêu chí.');
  });

  it('printed numbers are free text ("1.1", "2.3.a", "I"); ids stay the key', () => {
    const { set, problems } = loadText(`${HEAD}total_points: 30
groups: [{ id: g, number: "I", name: Trụ cột }]
criteria:
${criterion('a', '1.1', 10, '    group: g\n')}${criterion('b', '2.3.a', 10)}${criterion('c', 'II', 10)}`);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(set!.levels[0]!.criteria.map((c) => c.number)).toEqual(['1.1', '2.3.a', 'II']);
  });
});

describe('the HTTP service', () => {
  it('POST /score takes the unit type, ranks all units of a level together, and says what one unit alone lacks', async () => {
    const { buildServer } = await import('../engine/serve/app.js');
    const app = buildServer({ sets: [load('so-nganh/2025')] });
    try {
      const all = JSON.parse(readFileSync(dir('so-nganh/units.json'), 'utf8')) as { submissions: unknown[] };
      const r = await app.inject({ method: 'POST', url: '/score?year=2025&trace=false', payload: { year: 2025, submissions: all.submissions } });
      expect(r.statusCode, r.body.slice(0, 600)).toBe(200);
      const body = r.json() as { units: { id: string; total?: number; rank?: number; type?: string }[]; problems: unknown[] };
      expect(body.units.find((u) => u.id === 'van-phong-ubnd')).toMatchObject({ total: 97.88, rank: 1, type: 'thuong' });
      expect(body.problems).toEqual([]);
    } finally {
      await app.close();
    }
    const communes = buildServer({ sets: [load('xa-phuong/2025')] });
    try {
      const one = (JSON.parse(readFileSync(dir('xa-phuong/units.json'), 'utf8')) as { submissions: unknown[] }).submissions[0];
      const r = await communes.inject({ method: 'POST', url: '/score?trace=false', payload: one as object });
      const body = r.json() as { units: { total?: number; criteria: { id: string; problems: { code: string; message: { vi: string } }[] }[] }[] };
      expect(body.units[0]!.total).toBeUndefined();
      expect(body.units[0]!.criteria.find((c) => c.id === 'ho-so-truc-tuyen')!.problems[0]).toMatchObject({ code: 'statistic.unavailable' });
    } finally {
      await communes.close();
    }
  });
});

describe('weights, statistics of points and means', () => {
  it('a weighted group counts its subtotal that many times, and total_points is checked on the weighted sum', () => {
    const text = (total: number) => `${HEAD}total_points: ${total}
groups: [{ id: g, number: "A", name: Nhóm nhân đôi, weight: 2 }]
criteria:
${criterion('a', '1', 10, '    group: g\n')}${criterion('b', '2', 20)}`;
    expect(loadText(text(30)).problems.map((p) => p.code)).toContain('level.points-sum');
    const { set } = loadText(text(40));
    const unit = scoreUnit(set!.levels[0]!, submission('u', { a: { x: 55 }, b: { x: 50 } }));
    // 5,5 × 2 + 10 = 21; the group's own subtotal is 5,5 of 10.
    expect(unit).toMatchObject({ total: 21, groups: [{ id: 'g', points: 5.5, maxPoints: 10 }] });
  });

  it('a mean over the level is exact, shown with ≈, and a statistic of another criterion\'s points', () => {
    const { set, problems } = loadText(`${HEAD}total_points: 20
statistics:
  tb: { of: a.x, stat: mean, label: tỉ lệ trung bình }
  diem_cao_nhat: { of: a, stat: max, label: điểm cao nhất của tiêu chí 1 }
criteria:
${criterion('a', '1', 10)}  - id: b
    number: "2"
    name: Trên trung bình
    max_points: 5
    rule: r
    evidence: e
    inputs: { x: { type: percent, label: Tỉ lệ } }
    formula: { if: [{ ">": [{ var: x }, { var: tb }] }, 5, 0] }
    examples: [{ inputs: { x: 50 }, values: { tb: 40 }, points: 5 }]
  - id: c
    number: "3"
    name: Bằng điểm cao nhất
    max_points: 5
    rule: r
    evidence: e
    inputs: { d: { type: count, label: Điểm tự chấm } }
    formula: { if: [{ ">=": [{ var: d }, { var: diem_cao_nhat }] }, 5, 0] }
    examples: [{ inputs: { d: 9 }, values: { diem_cao_nhat: 8 }, points: 5 }]
`);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const make = (id: string, x: number, d: number) => submission(id, { a: { x }, b: { x }, c: { d } });
    const run = scoreSubmissions(set!, [make('u1', 10, 1), make('u2', 20, 2), make('u3', 30, 3)], { trace: true });
    const u3 = run.units.find((u) => u.id === 'u3')!;
    // mean of 10, 20, 30 is 20; max of the points of criterion 1 is 3.
    expect(u3.criteria[1]!.points).toBe(5);
    expect(u3.criteria[2]!.levelValues![0]).toMatchObject({ name: 'diem_cao_nhat', value: 3, setBy: ['u3'] });
    const third = scoreSubmissions(set!, [make('u1', 10, 1), make('u2', 20, 2), make('u3', 25, 3)], { trace: true });
    // The mean of 10, 20, 25 is exactly 55/3 (a rational, never a rounded decimal); JSON carries the fraction and the nearest double.
    expect(third.units[0]!.criteria[1]!.levelValues![0]).toMatchObject({ name: 'tb', value: 55 / 3, exact: '55/3', percent: true });
    expect(levelValueLines(third.units[0]!.criteria[1]!, 'vi')[0]).toContain('= 55/3 ≈ 18,3333%');
  });

  it('a statistic of the points of a criterion that itself reads statistics is refused', () => {
    const { problems } = loadText(`${HEAD}total_points: 10
statistics:
  s: { of: a, stat: max, label: s }
criteria:
${criterion('a', '1', 10, '', '{ "*": [{ var: x }, { var: s }] }').replace('points: 10 }]', 'values: { s: 0.1 }, points: 10 }]')}`);
    const p = problems.find((x) => x.code === 'statistic.invalid')!;
    expect(p.message.vi).toBe('Thống kê "s": tính trên điểm của tiêu chí 1, nhưng chính tiêu chí đó lại dùng thống kê hoặc giá trị của đợt (s).');
    expect(p.location).toMatchObject({ line: 8 });
  });
});

describe('the number input type', () => {
  it.each([
    ['12,5', 12.5],
    ['12.5', 12.5],
    ['1.234,5', 1234.5],
    ['1.234', 1234],
    ['1 234,75', 1234.75],
    ['25 Mbps', 25],
    ['-3,5', -3.5],
  ])('reads %s as %s', (text, value) => {
    expect(readNumberText(text, 'Mbps')?.toNumber()).toBe(value);
  });
  it('refuses what is not one number, and what is out of its bounds', () => {
    const def = { type: 'number' as const, label: 'Băng thông', unit: 'Mbps', min: 0, max: 100 };
    const bad = readInput(def, '12 Mb', 'text');
    expect(isReadError(bad) && bad.code).toBe('submission.bad-value');
    const high = readInput(def, 150.5, 'json');
    expect(isReadError(high) && high.message.vi).toBe('"Băng thông" = 150.5 Mbps nằm ngoài khoảng hợp lệ 0 – 100 Mbps.');
    const fine = readInput(def, '99,95', 'text');
    expect(!isReadError(fine) && String(fine.value)).toBe('99.95');
  });
});

describe('exact rounding of rescaled totals', () => {
  it.each([
    ['1/3', 2, 'half_up', '0.33'],
    ['2/3', 2, 'half_up', '0.67'],
    ['0.125', 2, 'half_even', '0.12'],
    ['0.135', 2, 'half_even', '0.14'],
    ['-0.125', 2, 'half_up', '-0.13'],
    ['9.85', 1, 'half_up', '9.9'],
    ['0.001', 2, 'up', '0.01'],
    ['0.019', 2, 'down', '0.01'],
  ] as const)('%s to %s decimals %s → %s', (value, decimals, mode, expected) => {
    const [n, d] = value.split('/');
    const exact = d ? rational(n!).div(rational(d)) : rational(value);
    expect(exact.round(decimals, mode).toFixed(decimals)).toBe(expected);
  });
});

describe('the fast path (number inputs included) gives exactly what the exact path gives', () => {
  it.each(['dti', 'so-nganh', 'xa-phuong'])('%s', (name) => {
    const set = load(`${name}/2025`);
    const submissions = units(`${name}/units.json`);
    const now = new Date('2026-01-01T00:00:00Z');
    const fast = scoreSubmissions(set, submissions, { trace: false, now });
    const exact = scoreSubmissions(set, submissions, { trace: false, fast: false, now });
    expect(JSON.stringify(fast.units)).toBe(JSON.stringify(exact.units));
  });
});

describe('the streamed CLI score gives the bytes of a run held in memory', () => {
  // Statistics need every unit before the first is scored: the CLI reads its inputs twice (pass one keeps only the samples).
  it.each(['csv', 'table', 'json'] as const)('xa-phuong (statistics, round values), --format %s', async (format) => {
    const set = load('xa-phuong/2025');
    const roundFile = dir('xa-phuong/round-values-2025.yaml');
    const roundValues = readRoundValues(roundFile, readFileSync(roundFile, 'utf8'), set).values;
    const now = new Date('2026-01-01T00:00:00Z');
    const run = scoreSubmissions(set, units('xa-phuong/units.json'), { trace: false, now, ...(roundValues ? { roundValues } : {}) });
    const expected = format === 'csv' ? rankingCsv(run) : format === 'table' ? rankingText(run, 'vi') + '\n' : runToJson(set, run, 'vi', false) + '\n';
    const streamed = await cli(['score', '--criteria', 'examples/structures/xa-phuong/2025', '--input', 'examples/structures/xa-phuong/units.json', '--round-values', 'examples/structures/xa-phuong/round-values-2025.yaml', '--format', format, '--now', now.toISOString()]);
    expect(streamed.stdout).toBe(expected);
    // The statistic is really read: the rank criterion scores, it is not a missing-value error.
    expect(run.units.every((u) => u.status === 'complete')).toBe(true);
  });
});

describe('a set without structures scores exactly as before', () => {
  it('the 2023 Sóc Trăng set takes the plain path: same keys, same totals, the fast path still on', async () => {
    const { criteria2023 } = await import('./helpers/criteria.js');
    const set = criteria2023();
    for (const level of set.levels) expect(level.structure).toMatchObject({ shaped: false, exactOnly: false, levelValues: new Map() });
    const text = readFileSync(join(repoRoot, 'examples', '2023', 'province.json'), 'utf8');
    const run = scoreSubmissions(set, readSubmissionsJson('province.json', text).submissions, { trace: false });
    const complete = run.units.find((u) => u.status === 'complete')!;
    expect(Object.keys(complete)).toEqual(['id', 'name', 'level', 'levelName', 'year', 'status', 'total', 'totalPoints', 'criteria', 'problems', 'criteriaFile', 'criteriaSha256', 'rank']);
    expect(Object.keys(run.levels[0]!)).toEqual(['id', 'name', 'order', 'totalPoints', 'criteria']);
    expect(complete.criteria.every((c) => c.status === 'scored' && c.levelValues === undefined)).toBe(true);
  });
});

/** points / max to `decimals` places, on BigInt integers written here (independent of engine/exact). */
function referenceIndex(points: Rational, max: Rational, decimals: number, mode: 'half_up' | 'half_even' | 'down' | 'up'): number {
  const num = points.n * max.d * 10n ** BigInt(decimals);
  const den = points.d * max.n;
  const negative = num < 0n !== den < 0n && num !== 0n;
  const a = num < 0n ? -num : num;
  const b = den < 0n ? -den : den;
  let q = a / b;
  const r = a % b;
  const up = mode === 'up' ? r > 0n : mode === 'down' ? false : mode === 'half_up' ? 2n * r >= b && r > 0n : 2n * r > b || (2n * r === b && q % 2n === 1n);
  if (up) q += 1n;
  return Number(`${negative && q !== 0n ? '-' : ''}${q}e-${decimals}`);
}

describe('index values agree with a BigInt reference', () => {
  it('10,000 random quotients, every rounding mode, near-ties included', () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const modes = ['half_up', 'half_even', 'down', 'up'] as const;
    for (let i = 0; i < 10_000; i++) {
      const decimals = 1 + Math.floor(next() * 4);
      const max = rational((Math.floor(next() * 100000) + 1) / 100);
      // Every fifth case sits exactly on a half of the last digit.
      const points = i % 5 === 0 ? max.mul(rational(Math.floor(next() * 1000) * 2 + 1)).div(rational(2 * 10 ** decimals)) : rational(Math.floor(next() * 200000 - 50000) / 100);
      const mode = modes[i % 4]!;
      expect(indexValue(points, max, decimals, mode)).toBe(referenceIndex(points, max, decimals, mode));
    }
  });
});
