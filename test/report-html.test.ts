/**
 * The results report, the score sheets and the web view, without a browser
 * (test/integration/browser.test.ts opens them in Chromium): the report's
 * data, what it prints, the CLI, the pages over HTTP (inject), and the
 * what-if against `tieuchi diff --impact` for the same change.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCriteriaSet, loadCriteriaTexts, type CriteriaSet } from '../engine/criteria-set.js';
import { impactOfChange } from '../engine/diff/impact.js';
import { readSubmissionsCsv, readSubmissionsJson } from '../engine/load/submissions.js';
import type { Submission } from '../engine/model.js';
import { buildResultsReport, comparisonFromRuns, criterionStats } from '../engine/report/html/report-model.js';
import { renderResultsReport } from '../engine/report/html/report-render.js';
import { buildScoreSheets, renderScoreSheets } from '../engine/report/html/sheet.js';
import { isDraftSet } from '../engine/report/html/draft.js';
import { provinceTime } from '../engine/report/html/words.js';
import { findChromium } from '../engine/report/html/pdf.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { buildServer } from '../engine/serve/app.js';
import { fastWhatIf, readWhatIf, rescoresPartially, runWhatIf, whatIfBaseline } from '../engine/serve/web/what-if.js';
import { syntheticSubmissions } from '../scripts/synthetic.js';
import { cli } from './helpers/cli.js';
import { criteria2023, repoRoot } from './helpers/criteria.js';

function examples(): Submission[] {
  const dir = join(repoRoot, 'examples', '2023');
  return [
    ...readSubmissionsJson('province.json', readFileSync(join(dir, 'province.json'), 'utf8')).submissions,
    ...readSubmissionsJson('district.json', readFileSync(join(dir, 'district.json'), 'utf8')).submissions,
    ...readSubmissionsCsv('commune.csv', readFileSync(join(dir, 'commune.csv'), 'utf8')).submissions,
  ];
}

const draft2024 = (): CriteriaSet => loadCriteriaSet(join(repoRoot, 'examples', '2024-draft', '2024')).set!;
const NOW = new Date('2023-12-20T03:04:05Z');

describe('results report: data', () => {
  const set = criteria2023();
  const run = scoreSubmissions(set, examples(), { trace: false, now: NOW });
  const report = buildResultsReport(set, run);

  it('ranks each level, and lists the units with data problems apart', () => {
    const province = report.levels.find((l) => l.id === 'province')!;
    expect(province.ranked.map((u) => [u.rank, u.id, u.total])).toEqual([
      [1, 'so-noi-vu', 99.6],
      [2, 'so-tai-chinh', 86.4],
      [3, 'so-y-te', 85.9],
      [4, 'ban-qlda', 64.7],
    ]);
    expect(province.problemUnits.map((u) => [u.id, u.status])).toEqual([['so-xay-dung', 'incomplete']]);
    expect(province.problemUnits[0]!.problems.length).toBeGreaterThan(0);
    // Its other criteria are scored: the heat map shows them, × where it could not be scored.
    expect(province.problemUnits[0]!.points.filter((p) => p === null).length).toBeGreaterThan(0);
    expect(province.problemUnits[0]!.points.filter((p) => p !== null).length).toBeGreaterThan(10);
  });

  it('gives per criterion the mean and spread, and marks the three weakest', () => {
    const stats = criterionStats({ id: 'x', number: '1', name: 'x', maxPoints: 4 }, [3.8, 4, 0, 2.5], 1);
    expect(stats).toMatchObject({ units: 4, mean: 2.575, median: 3.15, min: 0, max: 4, full: 1, zero: 1 });
    expect(stats.meanShare).toBeCloseTo(0.64375, 10);
    expect(stats.q1).toBeCloseTo(1.875, 10);
    const province = report.levels.find((l) => l.id === 'province')!;
    const weak = province.stats.filter((s) => s.weak);
    expect(weak).toHaveLength(3);
    const others = province.stats.filter((s) => !s.weak && s.units > 0);
    expect(Math.max(...weak.map((s) => s.meanShare))).toBeLessThanOrEqual(Math.min(...others.map((s) => s.meanShare)));
  });

  it('says when the rules are a draft: blank decision number or date, or an explicit status', () => {
    expect(isDraftSet(set)).toBe(false);
    expect(isDraftSet(draft2024())).toBe(true);
    const signed = { ...set, levels: set.levels.map((l) => ({ ...l, doc: { ...l.doc, decision: { ...l.doc.decision, number: '' }, status: 'signed' } })) } as unknown as CriteriaSet;
    expect(isDraftSet(signed)).toBe(false);
  });

  it('prints times in the province time zone', () => {
    expect(provinceTime('2023-12-20T03:04:05Z', 'vi')).toBe('10:04:05 ngày 20/12/2023 (giờ Việt Nam, UTC+7)');
    expect(provinceTime('2023-12-31T20:00:00Z', 'en')).toBe('03:00:00 on 01/01/2024 (Vietnam time, UTC+7)');
  });

  it('compares with another round: change of total and rank per unit, absent units listed', () => {
    const before = scoreSubmissions(set, examples().filter((s) => s.id !== 'so-y-te'), { trace: false });
    const changed = examples().map((s) => (s.id === 'so-tai-chinh' ? { ...s, inputs: { ...s.inputs, 'ngay-cds': { muc_huong_ung: 'chua_thiet_thuc' } } } : s));
    const after = scoreSubmissions(set, changed, { trace: false });
    const rows = comparisonFromRuns(before, after, { from: 'đợt 1', to: 'đợt 2' }).byLevel.get('province')!;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('so-tai-chinh')).toMatchObject({ old: { total: 86.4, rank: 2 }, new: { total: 84.4, rank: 3 }, delta: -2, rankChange: -1 });
    expect(byId.get('so-y-te')).toMatchObject({ old: { status: 'absent' }, new: { rank: 2 } });
  });
});

describe('results report: HTML', () => {
  const set = criteria2023();
  const run = scoreSubmissions(set, examples(), { trace: false, now: NOW });
  const html = renderResultsReport(buildResultsReport(set, run), 'vi');

  it('is one self-contained file: inline CSS and SVG, no script, no external resource', () => {
    expect(html).not.toMatch(/<script|<link\b|<img\b|@import|url\((?!#)|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toMatch(/@page \{ size: A4/);
    expect(html).toContain('thead { display: table-header-group; }');
  });

  it('has three accessible charts per level, each with a title and a description', () => {
    const charts = html.match(/<svg [^>]*role="img"[^>]*>/g) ?? [];
    expect(charts).toHaveLength(9);
    for (const open of charts) expect(open).toMatch(/aria-labelledby="[^"]+-title [^"]+-desc"/);
    expect(html).toContain('<title id="level--province-ranking-chart-title">Tổng điểm các đơn vị đơn vị cấp tỉnh, từ cao xuống thấp</title>');
  });

  it('prints the numbers the Vietnamese way, the provenance and no draft mark for a signed set', () => {
    expect(html).toContain('<td class="num">86,4</td>');
    expect(html).toContain('Quyết định số 2435/QĐ-UBND ngày 05/10/2023');
    expect(html).toContain('10:04:05 ngày 20/12/2023 (giờ Việt Nam, UTC+7)');
    for (const level of set.levels) expect(html).toContain(level.sha256);
    expect(html).toContain('1 chữ số thập phân, từ 5 trở lên làm tròn lên');
    expect(html).not.toContain('DỰ THẢO');
  });

  it('marks a draft set DỰ THẢO', () => {
    const draft = draft2024();
    const text = renderResultsReport(buildResultsReport(draft, scoreSubmissions(draft, examples().filter((s) => s.level !== 'district'), { trace: false })), 'vi');
    expect(text).toContain('<p class="draft-banner" role="note">DỰ THẢO</p>');
    expect(text).toContain('content: "DỰ THẢO"');
  });

  it('escapes what units write', () => {
    const bad = examples().map((s) => (s.id === 'so-noi-vu' ? { ...s, name: '<script>alert(1)</script>' } : s));
    const text = renderResultsReport(buildResultsReport(set, scoreSubmissions(set, bad, { trace: false })), 'vi');
    expect(text).not.toContain('<script>alert(1)');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('groups a large level into rank bands in the heat map chart, and keeps every unit in the table', () => {
    const communes = syntheticSubmissions({ ...set, levels: set.levels.filter((l) => l.id === 'commune') }, 120, 5);
    const text = renderResultsReport(buildResultsReport(set, scoreSubmissions(set, communes, { trace: false })), 'vi');
    expect(text).toContain('Hạng 1–12');
    expect((text.match(/<tr><td class="num">\d+<\/td><th scope="row">Đơn vị tổng hợp/g) ?? []).length).toBe(120);
  });
});

describe('score sheets', () => {
  const set = criteria2023();
  const run = scoreSubmissions(set, examples(), { trace: true });

  it('shows every criterion with data, explanation and points, and a signature block', () => {
    const [sheet] = buildScoreSheets(set, run, 'vi', { units: ['so-tai-chinh'] });
    expect(sheet!.rows).toHaveLength(16);
    const dvc = sheet!.rows.find((r) => r.id === 'dvc-toan-trinh')!;
    expect(dvc).toMatchObject({ points: 3.8, inputs: ['Tỉ lệ TTHC đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình: 90%'] });
    expect(dvc.how).toContain('làm tròn 3,8');
    const html = renderScoreSheets([sheet!], 'vi');
    for (const text of ['PHIẾU CHẤM ĐIỂM THI ĐUA CHUYỂN ĐỔI SỐ NĂM 2023', 'Người chấm', 'Thủ trưởng đơn vị', 'ngày …… tháng …… năm ……', 'Điểm tự chấm', 'Điểm thẩm định', 'Xếp hạng 2/4 trong cấp']) expect(html).toContain(text);
  });

  it('carries a round’s self-assessed and appraised points, reasons and evidence when given', () => {
    const [sheet] = buildScoreSheets(set, run, 'vi', {
      units: ['so-tai-chinh'],
      appraisals: { 'so-tai-chinh': { round: 'Thẩm định đợt 1', appraiser: 'Nguyễn Văn A', criteria: [{ criterion: 'dvc-toan-trinh', selfAssessed: 4, appraised: 3.8, reason: 'Tỉ lệ 90% < 95%', evidence: [{ label: 'Báo cáo số 12/BC-STC' }] }] } },
    });
    const html = renderScoreSheets([sheet!], 'vi');
    expect(html).toContain('Thẩm định đợt 1');
    expect(html).toContain('Tỉ lệ 90% &lt; 95%');
    expect(html).toContain('Báo cáo số 12/BC-STC');
    expect(html).toContain('Nguyễn Văn A');
  });
});

describe('tieuchi report', () => {
  it('writes the HTML report, and a sheet for a named unit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-report-'));
    const out = join(dir, 'ket-qua-2023.html');
    const made = await cli(['report', '--criteria', 'criteria/2023', '--input', 'examples/2023', '--out', out]);
    expect(made.code, made.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Kết quả chấm điểm thi đua Chuyển đổi số năm 2023');
    expect(html).toMatch(/examples\/2023\/province\.json<\/code><\/td><td class="hash">[0-9a-f]{64}/);
    const sheet = await cli(['report', '--criteria', 'criteria/2023', '--input', 'examples/2023', '--unit', 'so-tai-chinh']);
    expect(sheet.code).toBe(0);
    expect(sheet.stdout).toContain('Sở Tài chính (hư cấu)');
    const unknown = await cli(['report', '--criteria', 'criteria/2023', '--input', 'examples/2023', '--unit', 'khong-co']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Không có đơn vị "khong-co" trong số liệu.');
    const usage = await cli(['report', '--criteria', 'criteria/2023', '--input', 'examples/2023', '--format', 'pdf']);
    expect(usage.code).toBe(2);
  });

  it('compares with the draft rules (same data) and with another round (other data)', async () => {
    const rules = await cli(['report', '--criteria', 'examples/2024-draft/2024', '--input', 'examples/2023/province.json', '--input', 'examples/2024-draft/bo-sung-2024.json', '--compare-criteria', 'criteria/2023']);
    expect(rules.code, rules.stderr).toBe(0);
    expect(rules.stdout).toContain('Cùng số liệu, chấm theo năm 2023 (criteria/2023) và theo năm 2024 (examples/2024-draft/2024)');
    expect(rules.stdout).toContain('DỰ THẢO');
    // As diff --impact: Sở Y tế moves from 3rd to 2nd under the draft (README's demo).
    expect(rules.stdout).toMatch(/Sở Y tế \(hư cấu\)<\/th><td class="num">85,9<\/td><td class="num">3<\/td><td class="num">92,3<\/td><td class="num">2<\/td>/);
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-round-'));
    const round2 = JSON.parse(readFileSync(join(repoRoot, 'examples/2023/province.json'), 'utf8'));
    for (const s of Array.isArray(round2) ? round2 : round2.submissions) if (s.id === 'so-tai-chinh') s.inputs['ngay-cds'] = { muc_huong_ung: 'chua_thiet_thuc' };
    writeFileSync(join(dir, 'dot-2.json'), JSON.stringify(round2));
    const data = await cli(['report', '--criteria', 'criteria/2023', '--input', join(dir, 'dot-2.json'), '--compare-input', 'examples/2023/province.json']);
    expect(data.code, data.stderr).toBe(0);
    expect(data.stdout).toMatch(/Sở Tài chính \(hư cấu\)<\/th><td class="num">86,4<\/td><td class="num">2<\/td><td class="num">84,4<\/td><td class="num">3<\/td><td class="num"><span class="down">−2,0<\/span>/);
  });

  it('finds Chromium only where it is', () => {
    expect(findChromium({ TIEUCHI_CHROMIUM: '/nowhere/chromium' })).not.toBe('/nowhere/chromium');
  });
});

describe('web view (inject)', () => {
  const set = criteria2023();
  const submissions = examples();
  const server = () => buildServer({ sets: [set, draft2024()], web: { submissions, year: 2023 } });

  it('serves every page in Vietnamese, English with ?lang=en, and 404 pages for unknown years, levels and units', async () => {
    const app = server();
    const pages = ['/web', '/web/2023', '/web/2023/province', '/web/2024', '/web/2023/results', '/web/2023/results/province/so-tai-chinh', '/web/diff', '/web/2023/province/what-if'];
    for (const url of pages) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      expect(response.body).toContain('<html lang="vi">');
    }
    const en = await app.inject('/web/2023/province?lang=en');
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Criteria, Đơn vị cấp tỉnh, 2023');
    const level = await app.inject('/web/2023/province');
    // The formula as math with labels, and the decision's example.
    expect(level.body).toContain('nếu tỉ lệ TTHC đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình ≥ 95% thì 4');
    expect(level.body).toContain('Ví dụ in trong Quyết định');
    for (const url of ['/web/1999', '/web/2023/nowhere', '/web/2023/results/province/khong-co', '/web/2023/nowhere/what-if']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.body).toContain('Không tìm thấy');
    }
    await app.close();
  });

  it('scores posted data on the results page, and refuses what is not JSON with a message', async () => {
    const app = server();
    const body = new URLSearchParams({ data: readFileSync(join(repoRoot, 'examples/2023/province.json'), 'utf8') }).toString();
    const posted = await app.inject({ method: 'POST', url: '/web/2023/results', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toContain('Sở Tài chính (hư cấu)');
    const bad = await app.inject({ method: 'POST', url: '/web/2023/results', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'data=%7Bnope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/Số liệu không phải JSON hợp lệ( \(lỗi ở vị trí \d+\))?\./);
    expect(bad.body).not.toMatch(/Expected property name|Unexpected token/);
    await app.close();
  });

  it('what-if: bad values come back as messages on the form, never evaluated', async () => {
    const app = server();
    const response = await app.inject('/web/2023/province/what-if?p.nguong_thanh_toan_truc_tuyen=50%3B%20process.exit()&max.dvc-toan-trinh=-3&p.__proto__=1');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('chỉ tiêu tỉ lệ hồ sơ thanh toán trực tuyến: cần một số từ 0 đến 100');
    expect(response.body).toContain('Điểm chuẩn tiêu chí 3: cần một số từ 0 đến 1000');
    expect(response.body).toContain('aria-invalid="true"');
    await app.close();
  });

  it('what-if gives the ranks `tieuchi diff --impact` gives for the same change written in YAML', async () => {
    // The change as staff would write it: a copy of criteria/2023 with one threshold and one maximum changed.
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-whatif-'));
    cpSync(join(repoRoot, 'criteria', '2023'), join(dir, '2023'), { recursive: true });
    const file = join(dir, '2023', 'province.yaml');
    let text = readFileSync(file, 'utf8');
    text = text.replace(/(nguong_thanh_toan_truc_tuyen:\n\s+type: percent\n\s+value: )50/, '$145');
    text = text.replace(/(- id: ngay-cds\n(?:.*\n)*?\s+max_points: )8/, '$110').replace(/^total_points: 100$/m, 'total_points: 102');
    // Staff update the examples with the rules (validation runs them).
    text = text.replace(/\n\s+- \{ title: Dưới ngưỡng một chút, inputs: \{ ty_le: 49\.99 \}, points: 0 \}/, '').replace('{ inputs: { muc_huong_ung: thiet_thuc_va_phong_trao }, points: 8 }', '{ inputs: { muc_huong_ung: thiet_thuc_va_phong_trao }, points: 10 }');
    writeFileSync(file, text);
    const diff = await cli(['diff', 'criteria/2023', join(dir, '2023'), '--impact', 'examples/2023', '--format', 'json']);
    expect(diff.code, diff.stderr).toBe(0);
    const expected = JSON.parse(diff.stdout).impact.levels.find((l: any) => l.id === 'province').units.map((u: any) => [u.id, u.old.rank ?? null, u.new.rank ?? null, u.new.total ?? null]);
    expect(expected.some(([, a, b]: any[]) => a !== b)).toBe(true);

    const app = server();
    const response = await app.inject('/web/2023/province/what-if?p.nguong_thanh_toan_truc_tuyen=45&max.ngay-cds=10&partial=1');
    expect(response.statusCode).toBe(200);
    const shown = [...response.body.matchAll(/data-unit="([^"]+)" data-old-rank="(\d*)" data-new-rank="(\d*)">.*?<td class="num">[^<]*<\/td><td class="num">([^<]*)<\/td>/g)].map((m) => [m[1], m[2] ? Number(m[2]) : null, m[3] ? Number(m[3]) : null, m[4] === '—' ? null : Number(m[4]!.replace(',', '.'))]);
    expect(shown).toEqual(expected);
    expect(response.body).toContain('Tổng điểm chuẩn của cấp: 100 → 102.');
    await app.close();
  });

  it('what-if, fast path: the same rows as impactOfChange over many units and several changes', () => {
    const commune = set.levels.find((l) => l.id === 'commune')!;
    const mine = syntheticSubmissions({ ...set, levels: [commune] }, 400, 77).map((s, i) => ({ ...s, id: `xa-${i}` }));
    // Some units with a data problem: they stay unranked on both sides.
    mine[3] = { ...mine[3]!, inputs: { ...mine[3]!.inputs, [commune.criteria[0]!.id]: undefined } };
    const before = whatIfBaseline(set, commune, mine);
    const percent = [...commune.parameters.values()].filter((p) => p.def.type === 'percent');
    const forms: Record<string, string>[] = [
      { [`p.${percent[0]!.id}`]: String(Number(percent[0]!.def.value) - 7) },
      { [`max.${commune.criteria[1]!.id}`]: String(commune.criteria[1]!.maxPointsNumber + 3) },
      { [`p.${percent[percent.length - 1]!.id}`]: '12,5', [`max.${commune.criteria[4]!.id}`]: '1' },
    ];
    for (const form of forms) {
      const { change, errors } = readWhatIf(commune, form, 'vi');
      expect(errors).toEqual([]);
      const reference = runWhatIf(set, commune, change, mine);
      expect(reference.impact, JSON.stringify(reference.problems)).toBeDefined();
      const fast = fastWhatIf(set, commune, reference.set!.levels.find((l) => l.id === 'commune')!, change, before);
      const strip = (r: typeof fast) => r.levels[0]!.units.map((u) => ({ id: u.id, old: u.old, new: u.new, delta: u.delta, rankChange: u.rankChange }));
      expect(strip(fast)).toEqual(strip(reference.impact!));
      expect(fast.levels[0]!.counts).toEqual(reference.impact!.levels[0]!.counts);
    }
  });

  it('what-if on a structured level (unit types, rescaling over what applies) rescores the whole level, never the partial sum', () => {
    const structured = loadCriteriaSet(join(repoRoot, 'examples', 'structures', 'so-nganh', '2025')).set!;
    // The partial rescoring adds rounded criterion points: right for a plain level, wrong where totals are rescaled.
    expect(rescoresPartially(structured.levels[0]!)).toBe(false);
    for (const level of set.levels) expect(rescoresPartially(level)).toBe(true);
  });

  it('what-if, changed doc: recompiled through the pipeline, same as the YAML edit', () => {
    const province = set.levels.find((l) => l.id === 'province')!;
    const { change } = readWhatIf(province, { 'p.nguong_thanh_toan_truc_tuyen': '45' }, 'vi');
    const result = runWhatIf(set, province, change, submissions.filter((s) => s.level === 'province'));
    const texts = ['province.yaml', 'district.yaml', 'commune.yaml'].map((name) => ({ file: name, text: readFileSync(join(repoRoot, 'criteria/2023', name), 'utf8') }));
    texts[0]!.text = texts[0]!.text.replace(/(nguong_thanh_toan_truc_tuyen:\n\s+type: percent\n\s+value: )50/, '$145');
    const edited = loadCriteriaTexts('edited', texts, { checkExamples: false }).set!;
    const reference = impactOfChange(set, edited, submissions, { level: 'province' });
    expect(result.impact!.levels[0]!.units.map((u) => [u.id, u.new.rank, u.new.total])).toEqual(reference.levels[0]!.units.map((u) => [u.id, u.new.rank, u.new.total]));
  });
});
