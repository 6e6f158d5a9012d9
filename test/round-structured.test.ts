/**
 * Assessment rounds on structured criteria sets (issue 11 in a round, issue 12's process):
 * examples/rounds/2026-xa-phuong (normalise-to-best, rank in the level, round values, a bonus
 * capped by bonus_max, a penalty below the floor, a statistic moved by the appraisal, a tie for
 * the best value) and examples/rounds/2026-so-nganh (unit types and attributes from units.yaml,
 * groups, totals rescaled over what applies), scored through the CLI with no code written for
 * either. Every expected total is computed here by hand, as a fraction, and rounded by the
 * file's rule (2 decimals, half up).
 *
 * Then the edge cases, on scratch copies: a unit nothing applies to, a round value not supplied,
 * a type or attribute in units.yaml the level does not declare, a statistic while some units
 * have not sent their data, and an appraisal of a criterion that does not apply.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fraction from 'fraction.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RoundCriterion, RoundResult, RoundUnit } from '../engine/round/results.js';
import { cli } from './helpers/cli.js';

const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const XA = 'examples/rounds/2026-xa-phuong';
const SO = 'examples/rounds/2026-so-nganh';

/** Exact value rounded half up to 2 decimals, as the files' `rounding: {decimals: 2, mode: half_up}`. */
const r2 = (x: Fraction): number => Number(x.round(2).valueOf());
const F = (n: number | string, d?: number) => (d === undefined ? new Fraction(n) : new Fraction(n).div(d));

async function scoreJson(dir: string): Promise<RoundResult & { ok: boolean }> {
  const r = await cli(['round', 'score', dir, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

let xa: RoundResult;
let so: RoundResult;
const unitOf = (result: RoundResult, id: string): RoundUnit => result.units.find((u) => u.id === id)!;
const criterionOf = (result: RoundResult, unit: string, c: string): RoundCriterion => unitOf(result, unit).criteria.find((x) => x.id === c)!;

beforeAll(async () => {
  [xa, so] = await Promise.all([scoreJson(XA), scoreJson(SO)]);
}, 60_000);

describe('2026-xa-phuong: relative scoring, round values, bonus and penalty in a round', () => {
  it('normalises to the best value of the round’s units, before and after the appraisal', () => {
    // Computed: the portal's 95% for Lịch Hội Thượng is the best value; 92,5/95 × 30 = 555/19 → 29,21.
    const hoaTan = criterionOf(xa, 'xa-hoa-tan', 'ho-so-truc-tuyen');
    expect(hoaTan.levelValues![0]).toMatchObject({ name: 'ty_le_cao_nhat', value: 95, setBy: ['xa-lich-hoi'], over: 12 });
    expect(hoaTan.computed).toBe(r2(F('92.5').div(95).mul(30)));
    expect(hoaTan.computed).toBe(29.21);
    // The appraisal corrects that 95% to 48%: the best value is now 92,5%, a tie of An Bình and Hòa Tân.
    expect(hoaTan.finalLevelValues![0]).toMatchObject({ name: 'ty_le_cao_nhat', value: 92.5, setBy: ['xa-an-binh', 'xa-hoa-tan'], over: 12 });
    expect(hoaTan.final).toBe(30);
    expect(criterionOf(xa, 'xa-an-binh', 'ho-so-truc-tuyen').final).toBe(30);
    expect(hoaTan.finalExplanation).toMatch(/thống kê của cấp đổi sau thẩm định/);
    // Phường 1: 85/92,5 × 30 = 1020/37 ≈ 27,5676 → 27,57 (26,84 before: 85/95 × 30 = 510/19).
    const p1 = criterionOf(xa, 'phuong-1', 'ho-so-truc-tuyen');
    expect(F(85).div('92.5').mul(30).toFraction()).toBe('1020/37');
    expect(p1.final).toBe(r2(F(1020, 37)));
    expect(p1.computed).toBe(r2(F(510, 19)));
    // The corrected unit itself: 48/92,5 × 30 = 576/37 ≈ 15,5676 → 15,57.
    expect(criterionOf(xa, 'xa-lich-hoi', 'ho-so-truc-tuyen').final).toBe(r2(F(48).div('92.5').mul(30)));
  });

  it('ranks within the level by the statistic, ties sharing the rank', () => {
    // After the correction the two 92,5% share rank 1 (10 points); Phường 1 (85%) is third: 10; Mỹ Xuyên (66,6%) fifth: 6.
    expect(criterionOf(xa, 'xa-an-binh', 'xep-hang-ho-so').final).toBe(10);
    expect(criterionOf(xa, 'xa-hoa-tan', 'xep-hang-ho-so').final).toBe(10);
    expect(criterionOf(xa, 'phuong-1', 'xep-hang-ho-so')).toMatchObject({ computed: 6, final: 10 });
    expect(criterionOf(xa, 'xa-my-xuyen', 'xep-hang-ho-so')).toMatchObject({ computed: 2, final: 6 });
    expect(criterionOf(xa, 'xa-lich-hoi', 'xep-hang-ho-so')).toMatchObject({ computed: 10, final: 2 });
  });

  it('reads the round value from the round folder’s round-values.yaml', () => {
    expect(xa.roundValues).toEqual({ file: `${XA}/round-values.yaml`, values: { muc_tieu_tai_khoan: 600 } });
    const c = criterionOf(xa, 'phuong-1', 'dinh-danh-dien-tu');
    expect(c.levelValues![0]).toMatchObject({ name: 'muc_tieu_tai_khoan', source: 'round', value: 600 });
    // 550/600 × 10 = 55/6 ≈ 9,1667 → 9,17.
    expect(c.final).toBe(r2(F(550, 600).mul(10)));
    expect(c.final).toBe(9.17);
  });

  it('caps the bonus by bonus_max, also when the appraisal sets the points', () => {
    const p1 = unitOf(xa, 'phuong-1');
    // Two initiatives: 2 × 5 = 10 bonus points, capped at 8 in the total.
    expect(criterionOf(xa, 'phuong-1', 'sang-kien').final).toBe(10);
    expect(p1.breakdown!.final).toMatchObject({ bonus: 8, penalty: 0, capped: { bonus: 10 } });
    // base = 27,57 + 10 + 9,17 + 50 = 96,74; total = 96,74 + 8 = 104,74.
    const base = F('27.57').add(10).add('9.17').add(50);
    expect(p1.breakdown!.final!.base).toBe(Number(base.valueOf()));
    expect(p1.finalTotal).toBe(Number(base.add(8).valueOf()));
    expect(p1.finalTotal).toBe(104.74);
    // Mỹ Xuyên: set_points 10 on the bonus criterion (5 computed) counts 8.
    const mx = unitOf(xa, 'xa-my-xuyen');
    expect(criterionOf(xa, 'xa-my-xuyen', 'sang-kien')).toMatchObject({ kind: 'bonus', computed: 5, final: 10 });
    expect(mx.breakdown!.computed).toMatchObject({ bonus: 5 });
    expect(mx.breakdown!.final).toMatchObject({ bonus: 8, capped: { bonus: 10 } });
    expect(mx.finalTotal).toBe(Number(F(mx.breakdown!.final!.base).add(8).valueOf()));
  });

  it('takes a penalty larger than the total down to the floor, not below', () => {
    const p3 = unitOf(xa, 'phuong-3');
    // 20/92,5 × 30 = 240/37 → 6,49; rank 12 → 2; 120/600 × 10 = 2; 45 × 10% + 0 = 4,5: base 14,99.
    const base = F(r2(F(20).div('92.5').mul(30))).add(2).add(2).add('4.5');
    expect(p3.breakdown!.final!.base).toBe(Number(base.valueOf()));
    expect(p3.breakdown!.final!.base).toBe(14.99);
    // 4 incidents × 25 = 100 penalty: 14,99 − 100 = −85,01, below the floor 0.
    expect(criterionOf(xa, 'phuong-3', 'su-co-attt')).toMatchObject({ kind: 'penalty', final: 100 });
    expect(p3.breakdown!.final!.capped).toEqual({ floor: Number(base.sub(100).valueOf()) });
    expect(p3.finalTotal).toBe(0);
    // The self-assessment goes through the same totals: 7 + 2 + 2 + 4,5 − 100 → 0 as well.
    expect(p3.selfTotal).toBe(0);
    expect(p3.breakdown!.self!.capped).toEqual({ floor: -84.5 });
  });

  it('ranks and proposes by the final total', () => {
    const commune = xa.units.filter((u) => u.level === 'commune');
    expect(commune.slice(0, 4).map((u) => [u.id, u.rank, u.finalTotal])).toEqual([
      ['phuong-1', 1, 104.74],
      ['xa-an-binh', 2, 101.75],
      ['xa-hoa-tan', 3, 90.61],
      ['xa-my-xuyen', 4, 68.65],
    ]);
    // Computed ranks differ: Long Phú (62,81) was above Mỹ Xuyên (61,08) before the appraisal.
    expect(unitOf(xa, 'xa-long-phu').computedRank).toBe(4);
    const level = xa.proposal.levels[0]!;
    expect(level.entries.filter((e) => e.proposed).map((e) => e.unit)).toEqual(['phuong-1', 'xa-an-binh', 'xa-hoa-tan']);
    expect(level.entries[0]!.rule).toBe('hạng 1, thứ tự 1 sau phân định; tổng 104,74; trong 3 đơn vị đứng đầu; ≥ 60');
    // A total is shown with the file's two decimals, never re-rounded to one.
    expect(level.entries.find((e) => e.unit === 'phuong-3')!.rule).toMatch(/tổng 0,00;/);
  });

  it('JSON results carry the breakdown as numbers and every level’s decimals', () => {
    expect(xa.levels).toEqual([{ id: 'commune', name: 'Ủy ban nhân dân cấp xã', order: 1, totalPoints: 100, decimals: 2, structured: true }]);
    expect(unitOf(xa, 'xa-an-binh').breakdown!.self).toMatchObject({ base: 96.75, bonus: 5, penalty: 0, applicable: { rule: 'all', maxPoints: 100, totalPoints: 100 } });
    expect(unitOf(xa, 'xa-an-binh').selfTotal).toBe(101.75);
  });
});

describe('2026-so-nganh: unit types and attributes from units.yaml, rescaled totals, groups', () => {
  it('passes the registered type and attributes to the scorer', () => {
    expect(unitOf(so, 'thanh-tra')).toMatchObject({ type: 'thuong', attributes: { co_dich_vu_cong: false } });
    expect(unitOf(so, 'so-khcn')).toMatchObject({ type: 'kinh-te-so', attributes: { co_dich_vu_cong: true } });
  });

  it('shows a criterion that does not apply as "không áp dụng": not 0, not missing data', () => {
    const dvc = criterionOf(so, 'thanh-tra', 'dvc-toan-trinh');
    expect(dvc.status).toBe('not_applicable');
    expect(dvc).not.toHaveProperty('computed');
    expect(dvc).not.toHaveProperty('final');
    expect(dvc.explanation).toMatch(/^không áp dụng cho đơn vị này, chỉ áp dụng khi Có dịch vụ công trực tuyến: Có/);
    expect(dvc.problems).toEqual([]);
    expect(dvc.evidence.missing).toEqual([]);
    expect(criterionOf(so, 'so-noi-vu', 'doanh-nghiep-so').status).toBe('not_applicable');
    // Not "incomplete": the unit is complete and ranked.
    expect(unitOf(so, 'thanh-tra')).toMatchObject({ status: 'complete', rank: 10 });
    const groups = unitOf(so, 'thanh-tra').breakdown!.final!.groups;
    expect(groups.find((g) => g.id === 'kinh-te-so')).toMatchObject({ status: 'not_applicable' });
  });

  it('rescales the total over what applies, exactly, for each column', () => {
    // Văn phòng UBND (no online services, not an economy department): 15 + 15 + 92% × 15 + 99,5% × 15
    // = 15 + 15 + 13,8 + 14,93 (14,925 rounded) = 58,73 of 60 applicable → 58,73 × 100/60 = 5873/60 ≈ 97,8833 → 97,88.
    const vp = unitOf(so, 'van-phong-ubnd');
    const base = F(15).add(15).add(r2(F('0.92').mul(15))).add(r2(F('0.995').mul(15)));
    expect(vp.breakdown!.final!.applicable).toMatchObject({ rule: 'rescale', before: Number(base.valueOf()), maxPoints: 60, totalPoints: 100 });
    expect(base.mul(100).div(60).toFraction()).toBe('5873/60');
    expect(vp.finalTotal).toBe(r2(F(5873, 60)));
    expect(vp.finalTotal).toBe(97.88);
    // Thanh tra: correct_input 58% → 64% of a rescaled unit; the total is rescaled again.
    // Computed: 15 + 0 + 8,7 + 13,5 = 37,2 → 37,2 × 100/60 = 62; final: 15 + 0 + 9,6 + 13,5 = 38,1 → 63,5.
    const tt = unitOf(so, 'thanh-tra');
    expect(tt.computedTotal).toBe(Number(F('37.2').mul(100).div(60).valueOf()));
    expect(tt.finalTotal).toBe(Number(F('38.1').mul(100).div(60).valueOf()));
    expect(tt.breakdown!.final!.applicable).toMatchObject({ rule: 'rescale', before: 38.1, exact: '63.5' });
  });

  it('recomputes subtotals and the total after a set_points in a group', () => {
    // Sở Công Thương: 5 enterprises × 3 = 15 computed, set to 12; everything applies, so no rescaling.
    const ct = unitOf(so, 'so-cong-thuong');
    expect(criterionOf(so, 'so-cong-thuong', 'doanh-nghiep-so')).toMatchObject({ group: 'kinh-te-so', computed: 15, final: 12 });
    const group = (b: NonNullable<RoundUnit['breakdown']>['final']) => b!.groups.find((g) => g.id === 'kinh-te-so');
    expect(group(ct.breakdown!.computed)).toMatchObject({ points: 15, maxPoints: 15 });
    expect(group(ct.breakdown!.final)).toMatchObject({ points: 12, maxPoints: 15 });
    expect(F(ct.computedTotal!).sub(ct.finalTotal!).valueOf()).toBe(3);
    expect(ct.breakdown!.final!.applicable.rule).toBe('all');
  });

  it('proposes the top three on one scale, whatever applies to each', () => {
    const entries = so.proposal.levels[0]!.entries;
    expect(entries.filter((e) => e.proposed).map((e) => [e.unit, e.total])).toEqual([
      ['van-phong-ubnd', 97.88],
      ['so-khcn', 96.25],
      ['so-noi-vu', 90.53],
    ]);
  });
});

// --- edge cases, on scratch copies -----------------------------------------------------------

/** A scratch copy of an example round with its criteria path made absolute (and optionally the criteria copied too). */
function scratch(example: string, options: { copyCriteria?: boolean } = {}): { dir: string; criteria: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tieuchi-round2-'));
  cpSync(join(examples, 'rounds', example), dir, { recursive: true });
  const yaml = readFileSync(join(dir, 'round.yaml'), 'utf8');
  const relative = /^criteria: (.*)$/m.exec(yaml)![1]!.trim();
  let criteria = join(examples, 'rounds', example, relative);
  if (options.copyCriteria) {
    const copy = join(dir, 'criteria');
    cpSync(criteria, copy, { recursive: true });
    criteria = copy;
  }
  writeFileSync(join(dir, 'round.yaml'), yaml.replace(/^criteria: .*$/m, `criteria: ${JSON.stringify(criteria)}`));
  return { dir, criteria };
}

/** The portal's (cong-dvc) export in a scratch round, keeping only the units `keep` accepts. */
function filterPortal(dir: string, keep: (id: string) => boolean): void {
  const portalDir = join(dir, 'received', 'cong-dvc');
  const path = join(portalDir, readdirSync(portalDir)[0]!);
  const portal = JSON.parse(readFileSync(path, 'utf8'));
  portal.submissions = portal.submissions.filter((s: { id: string }) => keep(s.id));
  writeFileSync(path, JSON.stringify(portal, null, 2));
}

describe('edge cases', () => {
  it('a unit nothing applies to: no total, a located Vietnamese problem at its entry in units.yaml', async () => {
    const { dir, criteria } = scratch('2026-so-nganh', { copyCriteria: true });
    // A third unit type that no group applies to.
    const file = join(criteria, 'department.yaml');
    let text = readFileSync(file, 'utf8');
    text = text.replace('unit_types:\n', 'unit_types:\n  - id: khong-danh-gia\n    label: Cơ quan không đánh giá chỉ số nào\n');
    for (const id of ['nhan-thuc-so', 'the-che-so', 'chinh-quyen-so']) text = text.replace(new RegExp(`(\\{ id: ${id}, [^}]*?)( \\})`), '$1, applies_to: [thuong, kinh-te-so]$2');
    writeFileSync(file, text);
    const units = join(dir, 'units.yaml');
    writeFileSync(units, readFileSync(units, 'utf8') + '  - { id: ban-moi, name: "Ban mới thành lập (hư cấu)", level: department, type: khong-danh-gia, attributes: { co_dich_vu_cong: false } }\n');
    const result = await scoreJson(dir);
    const unit = unitOf(result, 'ban-moi');
    expect(unit.criteria.every((c) => c.status === 'not_applicable')).toBe(true);
    expect(unit).toMatchObject({ status: 'incomplete' });
    expect(unit).not.toHaveProperty('finalTotal');
    expect(unit).not.toHaveProperty('rank');
    const p = unit.problems!.find((x) => x.code === 'unit.nothing-applicable')!;
    expect(p.message.vi).toBe('Không tiêu chí tính điểm nào của cấp "Sở, ban, ngành" áp dụng cho đơn vị "ban-moi", nên không có tổng điểm.');
    expect(p.location).toMatchObject({ line: readFileSync(units, 'utf8').trimEnd().split('\n').length, column: 5 });
    expect(p.location!.file).toMatch(/units\.yaml$/);
    // Listed once, and not proposed (no total), while every other unit is still ranked.
    expect(result.problems.filter((x) => x.code === 'unit.nothing-applicable')).toHaveLength(1);
    expect(result.proposal.levels[0]!.entries.find((e) => e.unit === 'ban-moi')).toMatchObject({ proposed: false, rule: /chưa có tổng điểm/ });
    expect(result.units.filter((u) => u.rank !== undefined)).toHaveLength(12);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a missing round value: located at its declaration, those criteria not scored (never 0), the rest scored', async () => {
    const { dir } = scratch('2026-xa-phuong');
    rmSync(join(dir, 'round-values.yaml'));
    const r = await cli(['round', 'score', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    const result: RoundResult = JSON.parse(r.stdout);
    const missing = result.problems.filter((p) => p.code === 'round-value.missing');
    const atDeclaration = missing.find((p) => !p.unit)!;
    expect(atDeclaration.message.vi).toMatch(/^Chưa có giá trị của đợt chấm «mục tiêu số tài khoản định danh điện tử trên 1\.000 dân của tỉnh» \(muc_tieu_tai_khoan\) trong thư mục đợt đánh giá \(chưa có tệp \S*tieuchi-round2-\w+\/round-values\.yaml\); các tiêu chí dùng giá trị này không chấm được\.$/);
    expect(atDeclaration.location).toMatchObject({ line: 57, column: 3 });
    expect(atDeclaration.location!.file).toMatch(/xa-phuong\/2026\/commune\.yaml$/);
    expect(atDeclaration.hint!.vi).toMatch(/Tạo tệp round-values\.yaml trong thư mục đợt đánh giá/);
    for (const u of result.units) {
      const c = u.criteria.find((x) => x.id === 'dinh-danh-dien-tu')!;
      expect(c.status).toBe('error');
      expect(c).not.toHaveProperty('computed');
      expect(c).not.toHaveProperty('final');
      expect(c.problems.map((p) => p.code)).toContain('round-value.missing');
      expect(u).not.toHaveProperty('finalTotal');
      // Every other criterion still scores.
      expect(u.criteria.filter((x) => x.id !== 'dinh-danh-dien-tu').every((x) => x.status === 'scored')).toBe(true);
    }
    expect(result.proposal.levels[0]!.entries.every((e) => !e.proposed)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a round value the file does not give, and one that is out of bounds', async () => {
    const { dir } = scratch('2026-xa-phuong');
    writeFileSync(join(dir, 'round-values.yaml'), 'year: 2026\nvalues:\n  muc_tieu_tai_khoan: 0\n');
    const result = await scoreJson(dir);
    const invalid = result.problems.find((p) => p.code === 'round-value.invalid')!;
    expect(invalid.message.vi).toMatch(/Giá trị "muc_tieu_tai_khoan" \(mục tiêu số tài khoản định danh điện tử trên 1\.000 dân của tỉnh\) = 0 không hợp lệ cho cấp commune/);
    expect(invalid.location).toMatchObject({ line: 3, column: 23 });
    expect(criterionOf(result, 'phuong-1', 'dinh-danh-dien-tu')).toMatchObject({ status: 'error' });
    expect(unitOf(result, 'phuong-1')).not.toHaveProperty('finalTotal');
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a type the level does not declare', 'type: thuong, attributes', 'type: thuong-xuyen, attributes', 'Đơn vị "so-noi-vu" ghi loại "thuong-xuyen", nhưng cấp "Sở, ban, ngành" không có loại đơn vị này.', 'thuong-xuyen'],
    ['an attribute the level does not declare', 'attributes: { co_dich_vu_cong: true }, parent: ubnd-tp-mau }', 'attributes: { co_dich_vu_cong: true, co_kinh_te_so: true }, parent: ubnd-tp-mau }', 'Đơn vị "so-noi-vu" ghi thuộc tính "co_kinh_te_so", nhưng cấp "Sở, ban, ngành" không khai báo thuộc tính này.', 'co_kinh_te_so'],
    ['an attribute value that is not yes/no', 'attributes: { co_dich_vu_cong: true }', 'attributes: { co_dich_vu_cong: "co" }', 'Đơn vị "so-noi-vu": thuộc tính «Có dịch vụ công trực tuyến» (co_dich_vu_cong) chỉ nhận Có hoặc Không, nhận được "co".', '"co"'],
    ['a missing attribute', ', attributes: { co_dich_vu_cong: true }', '', 'Đơn vị "so-noi-vu" chưa ghi thuộc tính «Có dịch vụ công trực tuyến» (co_dich_vu_cong); cấp "Sở, ban, ngành" chấm một số tiêu chí tùy theo thuộc tính này.', '{ id: so-noi-vu'],
    ['a missing type', 'type: thuong, attributes', 'attributes', 'Đơn vị "so-noi-vu" chưa ghi loại đơn vị ("type"); cấp "Sở, ban, ngành" chấm mỗi loại đơn vị theo các tiêu chí áp dụng cho loại đó.', '{ id: so-noi-vu'],
  ])('units.yaml with %s: a located Vietnamese problem, nothing scored', async (_what, from, to, message, at) => {
    const { dir } = scratch('2026-so-nganh');
    const file = join(dir, 'units.yaml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('id: so-noi-vu,'));
    expect(lines[i]).toContain(from);
    lines[i] = lines[i]!.replace(from, to);
    writeFileSync(file, lines.join('\n'));
    const r = await cli(['round', 'score', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(`units.yaml:${i + 1}:${lines[i]!.indexOf(at) + 1}`);
    expect(r.stderr).toMatch(/round\.units/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a statistic while some units have not sent their data: taken over those that have, and said so', async () => {
    const { dir } = scratch('2026-xa-phuong');
    // The portal's export arrives without Tài Văn and Ngọc Tố.
    filterPortal(dir, (id) => id !== 'xa-tai-van' && id !== 'xa-ngoc-to');
    const result = await scoreJson(dir);
    const partial = result.problems.filter((p) => p.code === 'round.statistic-partial');
    expect(partial.map((p) => p.message.vi)).toEqual([
      'Thống kê «tỉ lệ hồ sơ trực tuyến cao nhất trong cấp» (ty_le_cao_nhat) của cấp "Ủy ban nhân dân cấp xã" chỉ tính trên 10/12 đơn vị; chưa có số liệu hợp lệ "ho-so-truc-tuyen.ty_le" của: xa-tai-van, xa-ngoc-to. Điểm các tiêu chí dùng thống kê này có thể đổi khi nhận đủ số liệu.',
      'Thống kê «thứ hạng của xã theo tỉ lệ hồ sơ trực tuyến» (thu_hang_ho_so) của cấp "Ủy ban nhân dân cấp xã" chỉ tính trên 10/12 đơn vị; chưa có số liệu hợp lệ "ho-so-truc-tuyen.ty_le" của: xa-tai-van, xa-ngoc-to. Điểm các tiêu chí dùng thống kê này có thể đổi khi nhận đủ số liệu.',
    ]);
    expect(partial[0]).toMatchObject({ severity: 'warning', level: 'commune' });
    expect(partial[0]!.location!.file).toMatch(/commune\.yaml$/);
    // The others are scored against the best of the ten, and say over how many.
    const c = criterionOf(result, 'phuong-1', 'ho-so-truc-tuyen');
    expect(c.levelValues![0]).toMatchObject({ value: 95, over: 10 });
    expect(c.computed).toBe(r2(F(85).div(95).mul(30)));
    // The two without data have no points there and no total: never 0.
    for (const id of ['xa-tai-van', 'xa-ngoc-to']) {
      expect(criterionOf(result, id, 'ho-so-truc-tuyen')).toMatchObject({ status: 'error' });
      expect(criterionOf(result, id, 'ho-so-truc-tuyen').problems.map((p) => p.code)).toContain('round.missing-data');
      expect(unitOf(result, id)).not.toHaveProperty('finalTotal');
    }
    // The text output says it too (stderr: the round's problems).
    const text = await cli(['round', 'score', dir]);
    expect(text.stderr).toContain('round.statistic-partial');
    expect(text.stderr).toContain('chỉ tính trên 10/12 đơn vị');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a statistic with fewer units than min_units has no value: each criterion reading it says so', async () => {
    const { dir } = scratch('2026-xa-phuong');
    filterPortal(dir, (id) => id === 'phuong-1');
    // Without the appraisal (its corrected unit has no data now).
    rmSync(join(dir, 'appraisals'), { recursive: true });
    const result = await scoreJson(dir);
    const c = criterionOf(result, 'phuong-1', 'ho-so-truc-tuyen');
    expect(c.status).toBe('error');
    expect(c).not.toHaveProperty('computed');
    expect(c.problems.find((p) => p.code === 'statistic.unavailable')!.message.vi).toBe(
      'Tiêu chí 1 cần thống kê của cả cấp «tỉ lệ hồ sơ trực tuyến cao nhất trong cấp» (ty_le_cao_nhat), nhưng không có giá trị: lần chấm này chỉ có 1 đơn vị có số liệu "ho-so-truc-tuyen.ty_le", cần ít nhất 2.',
    );
    expect(result.problems.find((p) => p.code === 'round.statistic-partial')!.message.vi).toMatch(/chỉ tính trên 1\/12 đơn vị;.*Chưa đủ đơn vị để có giá trị; các tiêu chí dùng thống kê này chưa được chấm\.$/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an appraisal that makes a statistic available scores the other units too (not left unscored)', async () => {
    const { dir } = scratch('2026-xa-phuong');
    filterPortal(dir, (id) => id === 'phuong-1');
    // The appraisal stays: its correct_input gives Lịch Hội Thượng 48%, the second unit min_units asks for.
    const result = await scoreJson(dir);
    const p1 = criterionOf(result, 'phuong-1', 'ho-so-truc-tuyen');
    expect(p1).not.toHaveProperty('computed');
    expect(p1.finalLevelValues![0]).toMatchObject({ name: 'ty_le_cao_nhat', value: 85, setBy: ['phuong-1'], over: 2 });
    // 85 / 85 × 30 = 30, scored once the statistic exists.
    expect(p1).toMatchObject({ status: 'scored', final: 30 });
    expect(p1.finalExplanation).toMatch(/thống kê của cấp đổi sau thẩm định/);
    // The corrected unit itself: 48 / 85 × 30 = 288/17 ≈ 16,94.
    expect(criterionOf(result, 'xa-lich-hoi', 'ho-so-truc-tuyen').final).toBe(r2(F(48).div(85).mul(30)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('appraising a criterion that does not apply: a located problem, the decision not used', async () => {
    const { dir } = scratch('2026-so-nganh');
    const file = join(dir, 'appraisals', '2026-12-21-them.yaml');
    writeFileSync(file, 'by: Lê Văn Cường (hư cấu)\nat: "2026-12-21"\ndecisions:\n  - { unit: thanh-tra, criterion: dvc-toan-trinh, decision: set_points, points: 20, reason: Nhầm đơn vị }\n');
    const result = await scoreJson(dir);
    const p = result.problems.find((x) => x.code === 'round.appraisal' && x.unit === 'thanh-tra')!;
    expect(p.message.vi).toBe('appraisals/2026-12-21-them.yaml:4:5: quyết định "set_points" cho tiêu chí 4.2 (dvc-toan-trinh) của thanh-tra, nhưng tiêu chí này không áp dụng cho đơn vị này, chỉ áp dụng khi Có dịch vụ công trực tuyến: Có (không tính vào tổng, không phải 0 điểm); quyết định không được dùng.');
    expect(p).toMatchObject({ severity: 'error', location: { file: 'appraisals/2026-12-21-them.yaml', line: 4, column: 5 } });
    const c = criterionOf(result, 'thanh-tra', 'dvc-toan-trinh');
    expect(c.status).toBe('not_applicable');
    expect(c).not.toHaveProperty('final');
    expect(c).not.toHaveProperty('appraisal');
    // The total is what it was.
    expect(unitOf(result, 'thanh-tra').finalTotal).toBe(63.5);
    // A correct_input on it is refused the same way, and its value is not shown as a correction.
    writeFileSync(file, 'by: Lê Văn Cường (hư cấu)\nat: "2026-12-21"\ndecisions:\n  - { unit: thanh-tra, criterion: dvc-toan-trinh, decision: correct_input, inputs: { ty_le: 50 }, reason: Nhầm đơn vị }\n');
    const again = await scoreJson(dir);
    expect(again.problems.find((x) => x.code === 'round.appraisal' && x.unit === 'thanh-tra')!.message.vi).toMatch(/quyết định "correct_input" cho tiêu chí 4\.2 \(dvc-toan-trinh\) của thanh-tra, nhưng tiêu chí này không áp dụng/);
    expect(criterionOf(again, 'thanh-tra', 'dvc-toan-trinh').inputs[0]).not.toHaveProperty('corrected');
    expect(unitOf(again, 'thanh-tra').finalTotal).toBe(63.5);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('compare on a structured set', () => {
  it('shows base, bonus, penalty and each group earlier → now, "không áp dụng" as such', async () => {
    // The same departments before the appraisal (a scratch copy without it) and after.
    const { dir } = scratch('2026-so-nganh');
    rmSync(join(dir, 'appraisals'), { recursive: true });
    const r = await cli(['compare', dir, SO, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout) as import('../engine/round/compare.js').RoundComparison;
    const tt = c.units.find((u) => u.id === 'thanh-tra')!;
    expect(tt).toMatchObject({ before: 62, after: 63.5, change: 1.5, decimals: 2 });
    const part = (u: typeof tt, id: string) => u.parts!.find((p) => p.id === id)!;
    expect(part(tt, 'base')).toMatchObject({ before: 62, after: 63.5, change: 1.5 });
    expect(part(tt, 'nhan-thuc-so')).toMatchObject({ label: '1. Nhận thức số', before: 23.7, after: 24.6, change: 0.9 });
    expect(part(tt, 'kinh-te-so')).toEqual({ id: 'kinh-te-so', label: '5. Hoạt động kinh tế số', kind: 'group', beforeStatus: 'not_applicable', afterStatus: 'not_applicable' });
    const ct = c.units.find((u) => u.id === 'so-cong-thuong')!;
    expect(part(ct, 'kinh-te-so')).toMatchObject({ before: 15, after: 12, change: -3 });
    const text = await cli(['compare', dir, SO]);
    expect(text.stdout).toContain('Thành phần tổng điểm thẩm định, 2026 → 2026 (cơ bản, thưởng, trừ, điểm theo nhóm; KAD: không áp dụng):');
    expect(text.stdout).toMatch(/thanh-tra +62,00 → 63,50 +23,70 → 24,60 +0,00 → 0,00 +13,50 → 13,50 +KAD → KAD/);
    expect(text.stdout).toMatch(/so-cong-thuong +92,93 → 89,93 .* 15,00 → 12,00/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the appraisal workbook of a structured round', () => {
  it('shows a criterion that does not apply as such, greyed, and refuses a decision on it at its cell', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const { dir } = scratch('2026-so-nganh');
    const out = join(dir, 'tham-dinh.xlsx');
    const made = await cli(['round', 'appraisal-workbook', dir, '--out', out]);
    expect(made.code, made.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.getWorksheet('Thẩm định')!;
    const col = (key: string) => {
      for (let c = 1; c <= sheet.columnCount; c++) if (sheet.getCell(2, c).value === key) return c;
      throw new Error(key);
    };
    let row = 0;
    for (let r = 3; r <= sheet.rowCount; r++) if (sheet.getCell(r, col('unit')).value === 'thanh-tra' && sheet.getCell(r, col('criterion')).value === 'dvc-toan-trinh') row = r;
    expect(row).toBeGreaterThan(0);
    expect(sheet.getCell(row, col('computed')).value).toBe('Không áp dụng');
    expect(String(sheet.getCell(row, col('issues')).value)).toMatch(/^không áp dụng: không áp dụng cho đơn vị này, chỉ áp dụng khi Có dịch vụ công trực tuyến: Có/);
    expect((sheet.getCell(row, col('decision')).fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFD9D9D9');
    expect(sheet.getCell(row, col('decision')).dataValidation?.type).toBeUndefined();
    sheet.getCell(row, col('decision')).value = 'Sửa điểm';
    sheet.getCell(row, col('points')).value = 20;
    sheet.getCell(row, col('reason')).value = 'Thử';
    sheet.getCell(row, col('by')).value = 'Lê Văn Cường';
    sheet.getCell(row, col('at')).value = '21/12/2026';
    await workbook.xlsx.writeFile(out);
    const read = await cli(['round', 'appraise', dir, '--workbook', out]);
    expect(read.code).toBe(1);
    expect(read.stderr).toContain(`Ô 'Thẩm định'!L${row} (đơn vị thanh-tra, tiêu chí dvc-toan-trinh): tiêu chí này không áp dụng cho đơn vị (theo loại, thuộc tính trong units.yaml): không có gì để thẩm định; xóa quyết định ở dòng này.`);
    expect(readdirSync(join(dir, 'appraisals'))).toEqual(['2026-12-20-tham-dinh.yaml']);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('a round on the DTI-style index (1,000 points, 0–1 index, an information-only index)', () => {
  it('shows totals and the index with the file\'s decimals, the information-only group as such', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tieuchi-round2-dti-')), 'dti');
    const units = JSON.parse(readFileSync(join(examples, 'structures', 'dti', 'units.json'), 'utf8')).submissions as { id: string; name: string; level: string }[];
    const csv = join(dirname(dir), 'units.csv');
    writeFileSync(csv, ['id,name,level', ...units.map((u) => `${u.id},${u.name},${u.level}`)].join('\n') + '\n');
    expect((await cli(['round', 'init', dir, '--criteria', join(examples, 'structures', 'dti', '2025'), '--deadline', '2025-12-15', '--units', csv])).code).toBe(0);
    const received = await cli(['round', 'receive', dir, '--from', 'so-chu-tri', '--at', '2025-12-01T08:00:00+07:00', join(examples, 'structures', 'dti', 'units.json')]);
    expect(received.code, received.stderr).toBe(0);
    const result = await scoreJson(dir);
    expect(result.levels[0]).toMatchObject({ totalPoints: 1000, decimals: 2, structured: true, indexDecimals: 4 });
    const first = result.units[0]!;
    expect(first).toMatchObject({ id: 'dong-hai', rank: 1, finalTotal: 803.25 });
    // 803,25 / 1.000 = 0,80325 → 0,8033 (4 decimals, half up), on the exact quotient.
    expect(first.breakdown!.final!.index).toBe(Number(F('803.25').div(1000).round(4).valueOf()));
    expect(first.breakdown!.final!.groups.find((g) => g.status === 'info')).toMatchObject({ number: '6', name: 'Đô thị thông minh' });
    const text = await cli(['round', 'score', dir]);
    expect(text.stdout).toMatch(/Tỉnh, thành phố trực thuộc Trung ương \(12 đơn vị, 1\.000 điểm\)/);
    expect(text.stdout).toMatch(/ 1 {2}dong-hai +Tỉnh Đông Hải +— +803,25 +803,25 +— +0,8033 +376,20 +88,35 +100,00 .* KTĐ /);
    expect(text.stdout).toContain('chỉ số = tổng / tổng điểm, 4 chữ số thập phân;');
    const explain = await cli(['round', 'explain', dir, '--unit', 'dong-hai']);
    expect(explain.stdout).toContain('Chỉ số: 0,8033 (803,25 / 1.000)');
    expect(explain.stdout).toMatch(/6\. Đô thị thông minh: không tính điểm/);
    rmSync(dirname(dir), { recursive: true, force: true });
  }, 60_000);
});

describe('round init from a CSV with unit types and attributes', () => {
  it('reads attributes.<id> columns (Có/Không) into units.yaml, and locates a wrong one', async () => {
    const base = mkdtempSync(join(tmpdir(), 'tieuchi-round2-init-'));
    const csv = join(base, 'don-vi.csv');
    const criteria = join(examples, 'structures', 'so-nganh', '2026');
    writeFileSync(csv, 'id,name,level,type,attributes.co_dich_vu_cong\nso-a,Sở A,department,thuong,Có\nthanh-tra,Thanh tra,department,thuong,Không\n');
    const ok = await cli(['round', 'init', join(base, 'dot'), '--criteria', criteria, '--deadline', '2026-12-15', '--units', csv]);
    expect(ok.code, ok.stderr).toBe(0);
    const units = readFileSync(join(base, 'dot', 'units.yaml'), 'utf8');
    expect(units).toMatch(/- id: thanh-tra\n\s+name: Thanh tra\n\s+level: department\n\s+type: thuong\n\s+attributes:\n\s+co_dich_vu_cong: false/);
    // The register loads: type and attributes checked against the level.
    const status = await cli(['round', 'status', join(base, 'dot'), '--format', 'json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).units.find((u: { id: string }) => u.id === 'thanh-tra').notApplicable).toEqual(['dvc-toan-trinh', 'doanh-nghiep-so']);
    writeFileSync(csv, 'id,name,level,type,attributes.co_dich_vu_cong\nso-a,Sở A,department,thuong,Có lẽ\n');
    const bad = await cli(['round', 'init', join(base, 'dot-2'), '--criteria', criteria, '--deadline', '2026-12-15', '--units', csv]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('don-vi.csv:2:5');
    expect(bad.stderr).toContain('Dòng 2: thuộc tính «Có dịch vụ công trực tuyến» (co_dich_vu_cong) chỉ nhận Có hoặc Không, nhận được "Có lẽ".');
    rmSync(base, { recursive: true, force: true });
  }, 60_000);
});

describe('a received file that states another type or attributes than units.yaml', () => {
  it('is scored by units.yaml, and told so (a located warning)', async () => {
    const { dir } = scratch('2026-so-nganh');
    const file = join(dir, 'gui-lai.json');
    writeFileSync(file, JSON.stringify({ id: 'thanh-tra', name: 'Thanh tra thành phố', level: 'department', type: 'kinh-te-so', attributes: { co_dich_vu_cong: true }, inputs: { 'van-ban-dien-tu': { ty_le: 90 } } }, null, 2));
    const received = await cli(['round', 'receive', dir, '--from', 'thanh-tra', '--at', '2026-12-12T08:00:00+07:00', file]);
    expect(received.code, received.stderr).toBe(0);
    expect(received.stderr).toContain('submission.unit-type');
    expect(received.stderr).toMatch(/tệp ghi loại đơn vị "kinh-te-so" cho thanh-tra, nhưng units\.yaml ghi "thuong"; đợt đánh giá chấm theo units\.yaml\./);
    expect(received.stderr).toMatch(/tệp ghi thuộc tính "co_dich_vu_cong" = true cho thanh-tra, khác units\.yaml \(false\); đợt đánh giá chấm theo units\.yaml\./);
    const result = await scoreJson(dir);
    expect(unitOf(result, 'thanh-tra')).toMatchObject({ type: 'thuong', finalTotal: 63.5 });
    expect(criterionOf(result, 'thanh-tra', 'dvc-toan-trinh').status).toBe('not_applicable');
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('round-values.yaml in a round whose set declares none', () => {
  it('is reported as not used, a warning; scores do not change', async () => {
    const { dir } = scratch('2026-so-nganh');
    writeFileSync(join(dir, 'round-values.yaml'), 'values:\n  muc_tieu: 1\n');
    const result = await scoreJson(dir);
    const p = result.problems.find((x) => x.code === 'round-value.unknown')!;
    expect(p).toMatchObject({ severity: 'warning' });
    expect(p.message.vi).toMatch(/có tệp \S*round-values\.yaml, nhưng bộ tiêu chí năm 2026 không khai báo giá trị của đợt \(round_values\) nào; tệp không được dùng\.$/);
    expect(result).not.toHaveProperty('roundValues');
    expect(unitOf(result, 'thanh-tra').finalTotal).toBe(63.5);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a self-assessment of a criterion that does not apply', () => {
  it('is not counted in the self total, and says so at its line', async () => {
    const { dir } = scratch('2026-so-nganh');
    const file = join(dir, 'tu-danh-gia.yaml');
    writeFileSync(file, 'unit: thanh-tra\nself_assessment:\n  ke-hoach-cds: 15\n  quy-che-du-lieu: 0\n  ky-nang-so: 9.6\n  van-ban-dien-tu: 13.5\n  dvc-toan-trinh: 20\n');
    const received = await cli(['round', 'receive', dir, '--from', 'thanh-tra', '--at', '2026-12-12T08:00:00+07:00', file]);
    expect(received.code, received.stderr).toBe(0);
    const result = await scoreJson(dir);
    const p = result.problems.find((x) => x.code === 'round.declaration' && x.criterion === 'dvc-toan-trinh')!;
    expect(p).toMatchObject({ severity: 'warning', location: { line: 7, column: 19 } });
    expect(p.message.vi).toMatch(/: đơn vị thanh-tra tự chấm 20 điểm tiêu chí 4\.2 \(dvc-toan-trinh\), nhưng tiêu chí này không áp dụng cho đơn vị; điểm tự chấm này không được tính\.$/);
    // 15 + 0 + 9,6 + 13,5 = 38,1 of 60 → 63,5, as the final total.
    expect(unitOf(result, 'thanh-tra')).toMatchObject({ selfTotal: 63.5, finalTotal: 63.5 });
    expect(criterionOf(result, 'thanh-tra', 'dvc-toan-trinh')).not.toHaveProperty('self');
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
