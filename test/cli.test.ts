/** The command line as users run it: exit codes, located Vietnamese messages, outputs. */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { criteria2023Dir } from './helpers/criteria.js';

function typoCopy(edit: (text: string) => string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tieuchi-')), '2023');
  cpSync(criteria2023Dir, dir, { recursive: true });
  const file = join(dir, 'province.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

describe('tieuchi validate', () => {
  it('criteria/2023 is clean', async () => {
    const r = await cli(['validate', 'criteria/2023']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('criteria/2023: hợp lệ — 3 cấp: province (16 tiêu chí), district (15 tiêu chí), commune (14 tiêu chí).');
    expect(r.code).toBe(0);
  });

  it('a typo gives a located Vietnamese error with the nearest key, and exit 1', async () => {
    const dir = typoCopy((t) => t.replace('    max_points: 4\n', '    max_point: 4\n'));
    const r = await cli(['validate', dir], '/');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/province\.yaml:\d+:5 {2}lỗi {2}schema\.unknown-key {2}\[cấp province, tiêu chí dvc-toan-trinh\]/);
    expect(r.stderr).toContain('Khóa không hợp lệ "max_point"');
    expect(r.stderr).toContain('Có phải ý là "max_points"?');
    expect(r.stderr).toMatch(/\| {5}max_point: 4\n\s+\| {5}\^{9}\n/);
  });

  it('all problems of all files at once, English with --lang en', async () => {
    const dir = typoCopy((t) => t.replace('value: 95\n', 'value: 950\n').replace('- ">=": [{ var: ty_le }, { var: nguong_dvc_toan_trinh }]', '- ">=": [{ var: tyle }, { var: nguong_dvc_toan_trinh }]'));
    const r = await cli(['validate', '--lang', 'en', dir], '/');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('parameter.out-of-range');
    expect(r.stderr).toContain('formula.unknown-var');
    expect(r.stderr).toContain('Did you mean "ty_le"?');
    expect(r.stderr).toMatch(/\d+ error\(s\)/);
  });

  it('JSON output for tools', async () => {
    const r = await cli(['validate', '--format', 'json', 'criteria/2023']);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, sets: [{ path: 'criteria/2023', problems: [] }] });
  });

  it('a missing folder is a clear problem', async () => {
    const r = await cli(['validate', 'criteria/1999']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('set.not-found');
  });
});

describe('tieuchi score', () => {
  it('table: a ranking per level; bad units reported, others scored; exit 0', async () => {
    const r = await cli(['score', '--criteria', 'criteria/2023', '--input', 'examples/2023']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Đơn vị cấp tỉnh — năm 2023');
    expect(r.stdout).toContain('Đơn vị cấp huyện — năm 2023');
    expect(r.stdout).toContain('Đơn vị cấp xã — năm 2023');
    expect(r.stdout).toMatch(/1 {2}so-noi-vu\s+Sở Nội vụ \(hư cấu\)\s+99,6/);
    expect(r.stderr).toMatch(/examples\/2023\/commune\.csv:6:4 {2}lỗi {2}submission\.bad-value/);
    expect(r.stderr).toContain('so-xay-dung');
    // JSON submissions are located too: the out-of-range value, with a caret under it.
    expect(r.stderr).toMatch(/examples\/2023\/province\.json:\d+:20 {2}lỗi {2}submission\.out-of-range {2}\[đơn vị so-xay-dung, tiêu chí dvc-toan-trinh, số liệu ty_le\]/);
    expect(r.stderr).toMatch(/\| {11}"ty_le": 112\n\s+\| {20}\^{3}/);
    expect(r.stderr).toContain('Đã chấm 12 đơn vị; 2 đơn vị có lỗi số liệu, chưa xếp hạng.');
  });

  it('--strict exits 1 on data problems', async () => {
    const r = await cli(['score', '--input', 'examples/2023', '--strict', '--format', 'csv']);
    expect(r.code).toBe(1);
  });

  it('json carries numbers, provenance and problems; --trace adds explanations', async () => {
    const r = await cli(['score', '--input', 'examples/2023/province.json', '--format', 'json', '--trace']);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    const unit = out.units.find((u: { id: string }) => u.id === 'so-tai-chinh');
    expect(unit).toMatchObject({ status: 'complete', total: 86.4, rank: 2 });
    const c3 = unit.criteria.find((c: { id: string }) => c.id === 'dvc-toan-trinh');
    expect(c3).toMatchObject({ points: 3.8, maxPoints: 4 });
    expect(c3.explanation).toBe('90% ≥ 95%: sai → 90 / 95 × 4 = 72/19 ≈ 3,7895 → làm tròn 3,8');
    expect(c3.trace.op).toBe('if');
    expect(out.provenance.files.map((f: { sha256: string }) => f.sha256)).toHaveLength(3);
    expect(out.problems.map((p: { code: string }) => p.code)).toContain('submission.out-of-range');
  });

  it('--out writes the file atomically and reports where', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tieuchi-')), 'sub', 'ket-qua.csv');
    const r = await cli(['score', '--input', 'examples/2023', '--format', 'csv', '--out', out]);
    expect(r.code).toBe(0);
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith('\uFEFFlevel,rank,id,name,status,total,')).toBe(true);
    expect(csv).toContain('province,1,so-noi-vu,Sở Nội vụ (hư cấu),complete,99.6,');
  });

  it('an unwritable --out is a problem, not a crash, and leaves no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-'));
    writeFileSync(join(dir, 'file'), 'x');
    const r = await cli(['score', '--input', 'examples/2023', '--out', join(dir, 'file', 'out.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cli.output');
    expect(existsSync(join(dir, 'file', 'out.csv'))).toBe(false);
  });

  it('usage errors exit 2 with a Vietnamese message', async () => {
    const r = await cli(['score']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lỗi: thiếu tùy chọn bắt buộc --input');
    expect((await cli(['score', '--input', 'x', '--format', 'xml'])).code).toBe(2);
    expect((await cli(['nope'])).code).toBe(2);
  });

  it('--help on every command exits 0', async () => {
    for (const args of [['--help'], ['validate', '--help'], ['score', '--help'], ['explain', '--help'], ['--lang', 'en', 'score', '--help']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Cách dùng|Usage/);
    }
  });

  it('a missing input file is reported, not thrown', async () => {
    const r = await cli(['score', '--input', 'examples/none.json']);
    expect(r.stderr).toContain('submission.unreadable');
    expect(r.code).toBe(1);
  });
});

describe('tieuchi explain', () => {
  it('shows data, the computation and the points of each criterion', async () => {
    const r = await cli(['explain', '--input', 'examples/2023', '--unit', 'so-tai-chinh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Tổng điểm: 86,4 / 100 — xếp hạng 2 trên 4');
    expect(r.stdout).toContain('Cách tính: 90% ≥ 95%: sai → 90 / 95 × 4 = 72/19 ≈ 3,7895 → làm tròn 3,8');
    expect(r.stdout).toContain('số tháng trễ (12/04/2023 so với hạn 31/03/2023) = 1');
  });
  it('a unit with errors shows them in place of a total', async () => {
    const r = await cli(['explain', '--input', 'examples/2023', '--unit', 'so-xay-dung']);
    expect(r.stdout).toContain('chưa có tổng điểm');
    expect(r.stdout).toContain('112% nằm ngoài khoảng 0–100%');
  });
  it('in English', async () => {
    const r = await cli(['explain', '--lang', 'en', '--input', 'examples/2023', '--unit', 'so-tai-chinh']);
    expect(r.stdout).toContain('90% ≥ 95%: false → 90 / 95 × 4 = 72/19 ≈ 3.7895 → rounded 3.8');
  });
  it('an unknown unit lists the known ones', async () => {
    const r = await cli(['explain', '--input', 'examples/2023', '--unit', 'so-khong-co']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('so-noi-vu');
  });
});
