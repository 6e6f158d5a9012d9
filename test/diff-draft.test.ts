/**
 * diff and impact on a draft in progress: a 2025 draft made by new-year,
 * amended halfway (an example that no longer matches, points adding up to
 * 101, one formula that does not compile yet) still shows what changes,
 * with the problems in a banner at the top and in the JSON, and the impact
 * of every criterion whose formula compiles.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { criteria2023Dir, repoRoot } from './helpers/criteria.js';

function draftProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'tieuchi-draft-diff-'));
  cpSync(criteria2023Dir, join(root, 'criteria', '2023'), { recursive: true });
  cpSync(join(repoRoot, 'schemas'), join(root, 'schemas'), { recursive: true });
  return root;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`not found in ${file}: ${from}`);
  writeFileSync(file, text.replace(from, to));
}

let made: Promise<string> | undefined;

/** One half-amended draft for the whole file (the commands only read it). */
function halfAmendedDraft(): Promise<string> {
  made ??= makeHalfAmendedDraft();
  return made;
}

async function makeHalfAmendedDraft(): Promise<string> {
  const root = draftProject();
  expect((await cli(['new-year', '2025', '--from', '2023'], root)).code).toBe(0);
  const province = join(root, 'criteria', '2025', 'province.yaml');
  // The threshold moves to 98 (the examples of criterion 3 no longer match)...
  edit(province, '  nguong_dvc_toan_trinh:\n    type: percent\n    value: 95', '  nguong_dvc_toan_trinh:\n    type: percent\n    value: 98');
  // ...criterion 3 gains a point before another loses one (points add up to 101), its rule half rewritten...
  edit(province, '    max_points: 4\n    rule: |-\n      - Đạt >=95%: Điểm = điểm chuẩn', '    max_points: 5\n    rule: |-\n      - Đạt >=98%: Điểm = điểm chuẩn');
  // ...and criterion 4's new formula names an input not declared yet.
  edit(province, '        - ">=": [{ var: ty_le }, { var: nguong_ho_so_cong_viec_tren_mang }]', '        - ">=": [{ var: ty_le_moi }, { var: nguong_ho_so_cong_viec_tren_mang }]');
  return root;
}

const impactArgs = ['--impact', join(repoRoot, 'examples', '2023')];

// Made once (new-year on three levels, then edits): seconds on a busy machine.
beforeAll(async () => {
  await halfAmendedDraft();
}, 120_000);

describe('diff on a draft in progress', () => {
  it('validate reports the draft’s errors', async () => {
    const root = await halfAmendedDraft();
    const r = await cli(['validate', 'criteria/2025'], root);
    expect(r.code).toBe(1);
    for (const code of ['example.mismatch', 'level.points-sum', 'formula.unknown-var', 'stale.text-number']) expect(r.stderr).toContain(code);
  });

  it('text: the banner, the changes and the impact; the uncompiled criterion is named', async () => {
    const root = await halfAmendedDraft();
    const r = await cli(['diff', 'criteria/2023', 'criteria/2025', ...impactArgs], root);
    expect(r.code).toBe(0);
    const out = r.stdout;
    // The banner comes first.
    expect(out.startsWith('!!!!')).toBe(true);
    const banner = out.slice(0, out.indexOf('\n\n'));
    expect(banner).toContain('DỰ THẢO: bộ tiêu chí năm 2025 (criteria/2025) chưa ký ban hành.');
    expect(banner).toMatch(/criteria\/2025\/province\.yaml:\d+:\d+ example\.mismatch/);
    expect(banner).toMatch(/criteria\/2025\/province\.yaml:\d+:\d+ level\.points-sum/);
    expect(banner).toContain('Chưa tính tác động (công thức còn lỗi, chỉ so sánh chữ): 4. ho-so-cong-viec-tren-mang [province]');
    // The changes, including the criterion whose formula does not compile (compared as written).
    expect(out).toContain('nguong_dvc_toan_trinh');
    expect(out).toMatch(/95% → 98%/);
    expect(out).toMatch(/điểm chuẩn: 4 điểm → 5 điểm/);
    expect(out).toMatch(/4\. .*\[ho-so-cong-viec-tren-mang\]/);
    // The impact, on every level.
    expect(out).toContain('Tác động lên điểm và thứ hạng');
    expect(out).toMatch(/Đơn vị cấp tỉnh/);
  });

  it('JSON carries both sides’ problems, status and the criteria left out of the impact', async () => {
    const root = await halfAmendedDraft();
    const r = await cli(['diff', 'criteria/2023', 'criteria/2025', '--format', 'json', ...impactArgs], root);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.criteria.old).toMatchObject({ year: 2023, status: 'signed', errors: 0 });
    expect(json.criteria.new).toMatchObject({ year: 2025, status: 'draft', uncompiled: [{ level: 'province', id: 'ho-so-cong-viec-tren-mang', number: '4' }] });
    expect(json.criteria.new.errors).toBeGreaterThanOrEqual(3);
    expect(json.criteria.new.problems.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['example.mismatch', 'level.points-sum', 'formula.unknown-var']));
    const province = json.diff.levels.find((l: { id: string }) => l.id === 'province');
    expect(province.criteria.changed.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['dvc-toan-trinh', 'ho-so-cong-viec-tren-mang']));
    // Impact: the left-out criterion is on neither side; dvc-toan-trinh's new max moves the means.
    const impactProvince = json.impact.levels.find((l: { id: string }) => l.id === 'province');
    expect(impactProvince.criteria.map((c: { id: string }) => c.id)).not.toContain('ho-so-cong-viec-tren-mang');
    expect(impactProvince.criteria.find((c: { id: string }) => c.id === 'dvc-toan-trinh').maxPoints).toEqual({ old: 4, new: 5 });
    expect(impactProvince.counts.comparable).toBeGreaterThan(0);
  });

  it('Markdown: the banner as a quote above the annex, text escaped', async () => {
    const root = await halfAmendedDraft();
    const r = await cli(['diff', 'criteria/2023', 'criteria/2025', '--format', 'md'], root);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('> **Lưu ý**')).toBe(true);
    // "90/95*4" is quoted, never emphasis.
    expect(r.stdout).toContain('90/95\\*4');
    expect(r.stdout).not.toMatch(/[^\\]\*4 = 3,8/);
  });

  it('a set that does not parse at all is still refused, with its problems', async () => {
    const root = draftProject();
    cpSync(join(root, 'criteria', '2023'), join(root, 'broken'), { recursive: true });
    for (const level of ['province', 'district', 'commune']) writeFileSync(join(root, 'broken', `${level}.yaml`), 'year: [\n');
    const r = await cli(['diff', 'criteria/2023', 'broken'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('yaml.syntax');
  });
});

describe('diff --format docx', () => {
  it('a Word annex: A4, Times New Roman 13–14, national header, the comparison table, DỰ THẢO on a draft', async () => {
    const root = await halfAmendedDraft();
    const r = await cli(['diff', 'criteria/2023', 'criteria/2025', '--format', 'docx', '--out', 'phu-luc.docx', ...impactArgs], root);
    expect(r.code).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(join(root, 'phu-luc.docx')));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(xml).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
    expect(xml).toContain('w:ascii="Times New Roman"');
    expect([...xml.matchAll(/<w:sz w:val="(\d+)"\/>/g)].map((m) => Number(m[1])).every((s) => s >= 24 && s <= 28)).toBe(true);
    for (const phrase of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'PHỤ LỤC', 'Số TT', 'Nội dung tiêu chí', 'Điểm chuẩn', 'Cách tính', 'Năm 2023', 'Năm 2025', 'Ghi chú', '4 → 5']) {
      expect(text).toContain(phrase);
    }
    const headers = await Promise.all(Object.keys(zip.files).filter((n) => /^word\/header\d*\.xml$/.test(n)).map((n) => zip.file(n)!.async('string')));
    expect(headers.join('')).toContain('DỰ THẢO');
  });

  it('needs --out', async () => {
    const r = await cli(['diff', 'criteria/2023', 'examples/2024-draft/2024', '--format', 'docx']);
    expect(r.code).toBe(2);
  });
});
