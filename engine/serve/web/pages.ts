/**
 * The web view's pages, server-rendered HTML (no front-end framework):
 * the criteria sets, a level's criteria with their formulas as math, a
 * year's results with the report's charts, a unit's explanation (its score
 * sheet), the diff between two years with its impact, and the what-if.
 * Every page works without JavaScript; the what-if has a small inline
 * script that updates the results while the user types.
 */
import type { CompiledLevel } from '../../compile/level.js';
import type { CriteriaSet } from '../../criteria-set.js';
import { varsOf, type CriterionFieldChange, type SetDiff } from '../../diff/compare.js';
import type { ImpactReport } from '../../diff/impact.js';
import type { JsonValue } from '../../model.js';
import type { Lang } from '../../problems.js';
import { formatDate, formatNumber, formatPoints } from '../../report/format.js';
import { formulaMath } from '../../report/formula-math.js';
import { draftBanner, htmlDocument } from '../../report/html/document.js';
import { isDraftSet } from '../../report/html/draft.js';
import { esc } from '../../report/html/escape.js';
import { levelSection, problemText, provenanceSection } from '../../report/html/report-render.js';
import type { ResultsReport } from '../../report/html/report-model.js';
import { renderSheet, SHEET_CSS, type ScoreSheet } from '../../report/html/sheet.js';
import { words } from '../../report/html/words.js';
import { maxField, parameterField, roundValueField, type WhatIfChange, type WhatIfResult } from './what-if.js';
import type { RoundValues } from '../../evaluate/statistics.js';
import type { Problem } from '../../problems.js';
import { pageLinks } from '../../report/html/report-render.js';

const T = {
  vi: {
    site: 'tieuchi — thi đua Chuyển đổi số',
    skip: 'Bỏ qua, đến nội dung chính',
    home: 'Trang chủ',
    sets: 'Các bộ tiêu chí',
    year: (y: number) => `Năm ${y}`,
    criteriaOf: (level: string, year: number) => `Tiêu chí ${level.toLowerCase()} năm ${year}`,
    results: 'Kết quả',
    resultsOf: (y: number) => `Kết quả năm ${y}`,
    diff: 'So sánh hai năm',
    whatIf: 'Thử thay đổi (what-if)',
    whatIfOf: (level: string, year: number) => `Thử thay đổi tiêu chí ${level.toLowerCase()} năm ${year}`,
    levels: 'Các cấp',
    criteria: (n: number) => `${n} tiêu chí`,
    points: (p: string) => `${p} điểm`,
    parameters: 'Tham số (ngưỡng, hạn, mức điểm)',
    parameter: 'Tham số',
    value: 'Giá trị',
    usedBy: 'Dùng ở tiêu chí',
    rule: 'Cách tính (như in)',
    evidence: 'Căn cứ tính điểm',
    notes: 'Ghi chú cách hiểu',
    inputs: 'Số liệu đơn vị báo cáo',
    formula: 'Công thức',
    examples: 'Ví dụ (được chạy khi kiểm tra)',
    example: 'Ví dụ',
    input: 'Số liệu',
    type: 'Loại',
    maxPoints: 'Điểm chuẩn',
    noData: 'Máy chủ chưa có số liệu của năm này. Chạy tieuchi serve --input TỆP (hoặc thư mục), hoặc dán số liệu JSON vào ô dưới đây.',
    postTitle: 'Chấm số liệu khác (JSON)',
    postLabel: 'Số liệu JSON: một đơn vị, một danh sách, hoặc {"submissions": [...]}',
    postButton: 'Chấm và xem kết quả',
    explain: 'Giải thích điểm',
    from: 'Năm cũ',
    to: 'Năm mới',
    compare: 'So sánh',
    onlyOne: 'Cần ít nhất hai bộ tiêu chí để so sánh (chạy tieuchi serve với nhiều --criteria).',
    decision: 'Quyết định',
    unsigned: 'chưa có số và ngày quyết định',
    added: 'Tiêu chí mới',
    removed: 'Tiêu chí bỏ',
    changed: 'Tiêu chí sửa',
    unchanged: (n: number) => `${n} tiêu chí không đổi.`,
    levelsAdded: 'Cấp thêm',
    levelsRemoved: 'Cấp bỏ',
    old: 'Cũ',
    new: 'Mới',
    change: 'Thay đổi',
    impact: 'Tác động lên điểm và thứ hạng (cùng số liệu)',
    noImpact: 'Chưa có số liệu để tính tác động.',
    summary: (c: SetDiff['counts']) => `thêm ${c.criteriaAdded} tiêu chí, bỏ ${c.criteriaRemoved}, sửa ${c.criteriaChanged}, không đổi ${c.criteriaUnchanged}; ${c.parametersChanged} tham số thay đổi.`,
    whatIfIntro: 'Đổi một tham số hoặc điểm chuẩn rồi bấm "Tính lại": mỗi đơn vị được chấm lại theo bộ tiêu chí đã đổi (không sửa tệp YAML), so với kết quả theo bộ đang dùng.',
    current: 'Đang dùng',
    recompute: 'Tính lại',
    reset: 'Về như cũ',
    whatIfResults: 'Kết quả khi thay đổi',
    noChange: 'Chưa thay đổi gì: kết quả dưới đây là theo bộ tiêu chí đang dùng.',
    totalPoints: (a: string, b: string) => `Tổng điểm chuẩn của cấp: ${a} → ${b}.`,
    counts: (units: number, changed: number, rank: number) => `${units} đơn vị; ${changed} đổi tổng điểm; ${rank} đổi thứ hạng.`,
    formErrors: 'Chưa tính được vì có giá trị không hợp lệ:',
    changeInvalid: 'Bộ tiêu chí sau khi đổi không hợp lệ:',
    language: 'English',
    lowered: 'tăng hạng',
    roundValues: 'Giá trị của đợt chấm (Sở cung cấp một lần cho cả đợt)',
    roundValue: 'Giá trị của đợt',
    notSupplied: 'chưa có',
    roundValuesFrom: (file: string) => `Giá trị đang dùng lấy từ tệp ${file}; đổi một giá trị để xem kết quả khi dùng giá trị khác (tệp không bị sửa).`,
    noRoundValues: 'Máy chủ chưa có tệp giá trị của đợt (tieuchi serve --round-values TỆP.yaml, hoặc round-values.yaml trong thư mục đợt): các tiêu chí dùng giá trị này chưa chấm được; nhập giá trị để thử.',
    unitsShown: (from: number, to: number, of: number, page: number, pages: number) => `Đơn vị ${from}–${to} trong ${of} (trang ${page}/${pages}).`,
    type_: { percent: 'tỉ lệ %', ratio: 'số đạt/tổng số', count: 'số lượng', date: 'ngày', choice: 'lựa chọn', boolean: 'có/không' } as Record<string, string>,
  },
  en: {
    site: 'tieuchi — digital transformation emulation',
    skip: 'Skip to the main content',
    home: 'Home',
    sets: 'Criteria sets',
    year: (y: number) => `Year ${y}`,
    criteriaOf: (level: string, year: number) => `Criteria, ${level}, ${year}`,
    results: 'Results',
    resultsOf: (y: number) => `Results ${y}`,
    diff: 'Compare two years',
    whatIf: 'What-if',
    whatIfOf: (level: string, year: number) => `What-if: ${level}, ${year}`,
    levels: 'Levels',
    criteria: (n: number) => `${n} criteria`,
    points: (p: string) => `${p} points`,
    parameters: 'Parameters (thresholds, deadlines, tier points)',
    parameter: 'Parameter',
    value: 'Value',
    usedBy: 'Used by criteria',
    rule: 'Rule (as printed)',
    evidence: 'Evidence',
    notes: 'Reading notes',
    inputs: 'Data the unit reports',
    formula: 'Formula',
    examples: 'Examples (run by validation)',
    example: 'Example',
    input: 'Input',
    type: 'Type',
    maxPoints: 'Max points',
    noData: 'The server has no data for this year. Start it with tieuchi serve --input FILE (or folder), or paste JSON data below.',
    postTitle: 'Score other data (JSON)',
    postLabel: 'JSON data: one unit, a list, or {"submissions": [...]}',
    postButton: 'Score and show the results',
    explain: 'Explanation',
    from: 'Old year',
    to: 'New year',
    compare: 'Compare',
    onlyOne: 'Comparing needs at least two criteria sets (run tieuchi serve with several --criteria).',
    decision: 'Decision',
    unsigned: 'no decision number or date yet',
    added: 'New criteria',
    removed: 'Removed criteria',
    changed: 'Changed criteria',
    unchanged: (n: number) => `${n} criteria unchanged.`,
    levelsAdded: 'Levels added',
    levelsRemoved: 'Levels removed',
    old: 'Old',
    new: 'New',
    change: 'Change',
    impact: 'Impact on scores and ranks (same data)',
    noImpact: 'No data to compute the impact with.',
    summary: (c: SetDiff['counts']) => `${c.criteriaAdded} criteria added, ${c.criteriaRemoved} removed, ${c.criteriaChanged} changed, ${c.criteriaUnchanged} unchanged; ${c.parametersChanged} parameter(s) changed.`,
    whatIfIntro: 'Change a parameter or a maximum and press "Recompute": every unit is scored again under the changed criteria (no YAML is written) and compared with the rules in force.',
    current: 'In force',
    recompute: 'Recompute',
    reset: 'Reset',
    whatIfResults: 'Results with the change',
    noChange: 'Nothing changed yet: the results below are under the rules in force.',
    totalPoints: (a: string, b: string) => `Total points of the level: ${a} → ${b}.`,
    counts: (units: number, changed: number, rank: number) => `${units} unit(s); ${changed} with a new total; ${rank} with a new rank.`,
    formErrors: 'Not computed: some values are invalid:',
    changeInvalid: 'The changed criteria are not valid:',
    language: 'Tiếng Việt',
    lowered: 'moved up',
    roundValues: 'Round values (supplied once per round by the department)',
    roundValue: 'Round value',
    notSupplied: 'not supplied',
    roundValuesFrom: (file: string) => `The values in force come from ${file}; change one to see the results with another value (the file is not changed).`,
    noRoundValues: 'The server has no round-values file (tieuchi serve --round-values FILE.yaml, or round-values.yaml in the round folder): criteria reading these values cannot be scored yet; type values to try them.',
    unitsShown: (from: number, to: number, of: number, page: number, pages: number) => `Units ${from}–${to} of ${of} (page ${page} of ${pages}).`,
    type_: { percent: 'percent', ratio: 'achieved/total', count: 'count', date: 'date', choice: 'choice', boolean: 'yes/no' } as Record<string, string>,
  },
};

export function t(lang: Lang) {
  return T[lang];
}

/** A link within the web view, keeping the language. */
export function href(path: string, lang: Lang, query: Record<string, string> = {}): string {
  const params = new URLSearchParams(query);
  if (lang === 'en') params.set('lang', 'en');
  const q = params.toString();
  return `/web${path}${q ? `?${q}` : ''}`;
}

export const WEB_CSS = `
nav.site { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; align-items: baseline; border-bottom: 1px solid var(--line); padding-bottom: .6rem; margin-bottom: 1rem; }
nav.site a { font-weight: 600; }
nav.site .lang { margin-left: auto; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .4rem; }
.skip:focus { left: .5rem; }
.criterion { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem; margin: 0 0 1rem; }
.criterion h3 { margin-top: .2rem; }
.printed { white-space: pre-wrap; background: var(--bg-soft); padding: .5rem .7rem; border-left: 3px solid var(--line); margin: .3rem 0; }
.math { font-family: 'Noto Sans Mono', 'DejaVu Sans Mono', monospace; background: #eef4fb; padding: .35rem .6rem; border-radius: 4px; display: block; white-space: pre-wrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
form.what-if fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1rem; padding: .5rem .9rem; }
form.what-if legend { font-weight: 700; padding: 0 .3rem; }
.field { display: grid; grid-template-columns: 1fr auto; grid-template-areas: "label input" "now input"; column-gap: .6rem; align-items: center; margin: .45rem 0; }
.field label { grid-area: label; }
.field input { grid-area: input; }
.field .current { grid-area: now; }
.what-if-layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.5rem; }
@media (min-width: 64rem) {
  body:has(.what-if-layout) { max-width: 96rem; }
  .what-if-layout { grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); align-items: start; }
  .what-if-out { position: sticky; top: .5rem; max-height: calc(100vh - 1rem); overflow: auto; }
  .what-if-out h2 { margin-top: 0; }
}
.field label { font-weight: 400; }
.field input { font: inherit; padding: .25rem .4rem; border: 1px solid #57606a; border-radius: 4px; width: 6.5rem; }
.field input[type=date] { width: 10.5rem; }
.field .current { color: var(--muted); font-size: .85rem; }
.field.invalid input { border-color: #a40e26; border-width: 2px; }
button, .button { font: inherit; padding: .4rem .9rem; border-radius: 5px; border: 1px solid #0b4f9c; background: #0b4f9c; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
.button.secondary { background: #fff; color: #0b4f9c; }
.errors { color: #a40e26; border: 2px solid #a40e26; padding: .5rem .8rem; border-radius: 6px; }
tr.moved td, tr.moved th { background: #fff8c5; }
textarea { font-family: 'DejaVu Sans Mono', monospace; width: 100%; min-height: 10rem; }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.side-by-side > div { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .7rem; }
.card-list { list-style: none; padding: 0; }
.card-list li { margin: .3rem 0; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.tag { font-weight: 400; color: var(--warn); }
nav.pages ul { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem; padding: 0; margin: .4rem 0 1rem; }
nav.pages a { display: inline-block; min-width: 2.2rem; padding: .2rem .5rem; border: 1px solid #57606a; border-radius: 4px; text-align: center; }
nav.pages a[aria-current] { background: #0b4f9c; border-color: #0b4f9c; color: #fff; font-weight: 700; }
nav.pages li[aria-hidden] { padding: .2rem .2rem; }
`;

export interface PageContext {
  lang: Lang;
  /** The path of this page without the query (for the language switch). */
  path: string;
  sets: CriteriaSet[];
  /** Years the server has data for. */
  yearsWithData: Set<number>;
}

export function page(ctx: PageContext, title: string, main: string, options: { css?: string; script?: string } = {}): string {
  const x = t(ctx.lang);
  const other: Lang = ctx.lang === 'vi' ? 'en' : 'vi';
  const years = [...ctx.sets].sort((a, b) => b.year - a.year);
  const nav = `<a class="skip" href="#main">${x.skip}</a>
<nav class="site" aria-label="${esc(x.site)}">
<a href="${href('', ctx.lang)}">${x.home}</a>
${years.map((s) => `<a href="${href(`/${s.year}`, ctx.lang)}">${x.year(s.year)}</a>`).join('\n')}
${years.length > 1 ? `<a href="${href('/diff', ctx.lang)}">${x.diff}</a>` : ''}
<a class="lang" href="${esc(`/web${ctx.path}${other === 'en' ? '?lang=en' : ''}`)}" lang="${other}" hreflang="${other}">${x.language}</a>
</nav>`;
  return htmlDocument({ lang: ctx.lang, title: `${title} — tieuchi`, body: `${nav}\n<main id="main" tabindex="-1">\n<h1>${esc(title)}</h1>\n${main}\n</main>`, css: WEB_CSS + (options.css ?? ''), ...(options.script ? { script: options.script } : {}) });
}

function decisionLine(set: CriteriaSet, lang: Lang): string {
  const d = set.levels[0]!.doc.decision;
  const x = t(lang);
  return d.number.trim() && d.date.trim() ? esc(words(lang).decisionText(d.number, formatDate(d.date), d.issuer)) : `<span class="muted">${x.unsigned}</span>`;
}

export function homePage(ctx: PageContext): string {
  const x = t(ctx.lang);
  const list = [...ctx.sets]
    .sort((a, b) => b.year - a.year)
    .map(
      (set) => `<li><h2><a href="${href(`/${set.year}`, ctx.lang)}">${x.year(set.year)}</a>${isDraftSet(set) ? ` <span class="tag">(${ctx.lang === 'vi' ? 'DỰ THẢO' : 'DRAFT'})</span>` : ''}</h2>
<p>${decisionLine(set, ctx.lang)}</p>
<p>${set.levels.map((l) => `<a href="${href(`/${set.year}/${l.id}`, ctx.lang)}">${esc(l.name)}</a>`).join(' · ')}</p>
<p><a href="${href(`/${set.year}/results`, ctx.lang)}">${x.resultsOf(set.year)}</a>${ctx.yearsWithData.has(set.year) ? '' : ` <span class="muted">(${ctx.lang === 'vi' ? 'chưa có số liệu' : 'no data yet'})</span>`}</p></li>`,
    )
    .join('\n');
  return page(ctx, x.sets, `<ul class="card-list">${list}</ul>`);
}

export function setPage(ctx: PageContext, set: CriteriaSet): string {
  const x = t(ctx.lang);
  const draft = isDraftSet(set);
  const levels = set.levels
    .map(
      (l) =>
        `<tr><th scope="row"><a href="${href(`/${set.year}/${l.id}`, ctx.lang)}">${esc(l.name)}</a></th><td class="num">${l.criteria.length}</td><td class="num">${formatPoints(l.totalPoints.toNumber(), ctx.lang)}</td><td><a href="${href(`/${set.year}/${l.id}/what-if`, ctx.lang)}">${x.whatIf}</a></td><td><code>${esc(l.file)}</code><br><span class="hash">${esc(l.sha256)}</span></td></tr>`,
    )
    .join('\n');
  return page(
    ctx,
    x.year(set.year),
    `${draft ? draftBanner(ctx.lang, words(ctx.lang).draftDetail) : ''}
<p>${x.decision}: ${decisionLine(set, ctx.lang)}</p>
<p><a href="${href(`/${set.year}/results`, ctx.lang)}">${x.resultsOf(set.year)}</a></p>
<table><caption>${x.levels}</caption>
<thead><tr><th scope="col">${words(ctx.lang).level}</th><th scope="col" class="num">${ctx.lang === 'vi' ? 'Số tiêu chí' : 'Criteria'}</th><th scope="col" class="num">${x.maxPoints}</th><th scope="col">${x.whatIf}</th><th scope="col">${ctx.lang === 'vi' ? 'Tệp, mã băm SHA-256' : 'File, SHA-256'}</th></tr></thead>
<tbody>${levels}</tbody></table>`,
  );
}

function valueText(value: JsonValue | number | string, lang: Lang, type?: string): string {
  if (typeof value === 'number') return `${formatNumber(value, lang, 4)}${type === 'percent' ? '%' : ''}`;
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value;
  if (typeof value === 'boolean') return lang === 'vi' ? (value ? 'có' : 'không') : value ? 'yes' : 'no';
  if (value === null) return lang === 'vi' ? 'chưa có' : 'none';
  if (typeof value === 'object' && !Array.isArray(value) && typeof value.achieved === 'number' && typeof value.total === 'number') return `${value.achieved}/${value.total}`;
  return JSON.stringify(value);
}

/** Parameter id → numbers of the criteria whose formula reads it. */
function usedBy(level: CompiledLevel): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const c of level.criteria) {
    for (const name of varsOf(c.def.formula)) {
      if (!level.parameters.has(name)) continue;
      map.set(name, [...(map.get(name) ?? []), c.number]);
    }
  }
  return map;
}

export function levelPage(ctx: PageContext, set: CriteriaSet, level: CompiledLevel): string {
  const x = t(ctx.lang);
  const { lang } = ctx;
  const parameters = level.doc.parameters ?? {};
  const used = usedBy(level);
  const parameterRows = Object.entries(parameters)
    .map(([id, def]) => `<tr><th scope="row"><code>${esc(id)}</code></th><td>${esc(def.label)}${def.note ? `<br><span class="muted">${esc(def.note)}</span>` : ''}</td><td class="num">${esc(valueText(def.value, lang, def.type))}</td><td>${esc((used.get(id) ?? []).join(', '))}</td></tr>`)
    .join('\n');
  const criteria = level.criteria
    .map((c) => {
      const def = c.def;
      const math = formulaMath(def.formula, { inputs: def.inputs, parameters, maxPoints: def.max_points }, lang, { inputNames: 'label', maxLabelLength: 80 });
      const inputs = Object.entries(def.inputs)
        .map(([id, input]) => `<li><code>${esc(id)}</code> (${esc(x.type_[input.type] ?? input.type)}): ${esc(input.label)}${input.options ? `: ${input.options.map((o) => esc(o.label)).join(' / ')}` : ''}</li>`)
        .join('');
      const examples = def.examples
        .map((e) => `<tr><td>${esc(e.title ?? '')}</td><td>${Object.entries(e.inputs).map(([k, v]) => `${esc(def.inputs[k]?.label ?? k)}: ${esc(valueText(v, lang, def.inputs[k]?.type))}`).join('; ')}</td><td class="num">${formatPoints(e.points, lang)}</td></tr>`)
        .join('');
      return `<article class="criterion" id="c-${esc(c.id)}" aria-labelledby="c-${esc(c.id)}-title">
<h3 id="c-${esc(c.id)}-title">${esc(c.number)}. ${esc(c.name)} <span class="muted">(${x.points(formatPoints(c.maxPointsNumber, lang))})</span></h3>
<dl class="facts"><dt>${x.rule}</dt><dd><div class="printed">${esc(def.rule)}</div></dd>
<dt>${x.evidence}</dt><dd>${esc(def.evidence)}</dd>
${def.notes?.length ? `<dt>${x.notes}</dt><dd><ul>${def.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></dd>` : ''}
<dt>${x.inputs}</dt><dd><ul>${inputs}</ul></dd>
<dt>${x.formula}</dt><dd><code class="math">${esc(math)}</code></dd></dl>
${examples ? `<table><caption>${x.examples}</caption><thead><tr><th scope="col">${x.example}</th><th scope="col">${x.input}</th><th scope="col" class="num">${words(lang).points}</th></tr></thead><tbody>${examples}</tbody></table>` : ''}
</article>`;
    })
    .join('\n');
  return page(
    ctx,
    x.criteriaOf(level.name, set.year),
    `${isDraftSet(set) ? draftBanner(lang, words(lang).draftDetail) : ''}
<p>${x.decision}: ${decisionLine(set, lang)} · ${x.criteria(level.criteria.length)}, ${x.points(formatPoints(level.totalPoints.toNumber(), lang))} · <a href="${href(`/${set.year}/${level.id}/what-if`, lang)}">${x.whatIf}</a></p>
${parameterRows ? `<h2>${x.parameters}</h2><table><thead><tr><th scope="col">${x.parameter}</th><th scope="col">${lang === 'vi' ? 'Nội dung' : 'Meaning'}</th><th scope="col" class="num">${x.value}</th><th scope="col">${x.usedBy}</th></tr></thead><tbody>${parameterRows}</tbody></table>` : ''}
<h2>${lang === 'vi' ? 'Các tiêu chí' : 'Criteria'}</h2>
${criteria}`,
  );
}

export function postForm(ctx: PageContext, year: number): string {
  const x = t(ctx.lang);
  return `<form method="post" action="${href(`/${year}/results`, ctx.lang)}" class="no-print">
<h2>${x.postTitle}</h2>
<label for="data">${x.postLabel}</label>
<textarea id="data" name="data" required spellcheck="false"></textarea>
<p><button type="submit">${x.postButton}</button></p>
</form>`;
}

/** Units listed per table on a results page (page links lead to the rest; ?all=1 for every unit): the charts and statistics cover all of them. */
export const PAGE_ROWS = 100;

export interface ResultsPageOptions {
  linkUnits: boolean;
  all?: boolean;
  /** The level whose tables show page `page` (the others show their first page). */
  level?: string;
  page?: number;
}

export function resultsPage(ctx: PageContext, set: CriteriaSet, report: ResultsReport | undefined, options: ResultsPageOptions): string {
  const x = t(ctx.lang);
  const { lang } = ctx;
  if (!report) return page(ctx, x.resultsOf(set.year), `<p>${x.noData}</p>${postForm(ctx, set.year)}`);
  const paged = (levelId: string) =>
    options.all
      ? {}
      : {
          maxRows: PAGE_ROWS,
          allHref: href(`/${set.year}/results`, lang, { all: '1' }) + `#level--${levelId}`,
          ...(options.linkUnits ? { rowPage: { page: options.level === levelId ? (options.page ?? 1) : 1, href: (n: number) => href(`/${set.year}/results`, lang, n === 1 ? {} : { level: levelId, page: String(n) }) + `#level--${levelId}-ranking` } } : {}),
        };
  const sections = report.levels
    .filter((l) => l.ranked.length || l.problemUnits.length)
    .map((l) => levelSection(l, report, { lang, heading: 2, ...paged(l.id), ...(options.linkUnits ? { unitHref: (id: string) => href(`/${set.year}/results/${l.id}/${encodeURIComponent(id)}`, lang) } : {}) }))
    .join('\n');
  return page(
    ctx,
    x.resultsOf(set.year),
    `${report.draft ? draftBanner(lang, words(lang).draftDetail) : ''}
<p>${x.decision}: ${decisionLine(set, lang)}</p>
${sections}
${report.otherProblems.length ? `<h2>${words(lang).otherProblems}</h2><ul>${report.otherProblems.map((p) => `<li>${problemText(p, lang)}</li>`).join('')}</ul>` : ''}
${provenanceSection(report, lang)}
${postForm(ctx, set.year)}`,
  );
}

export function unitPage(ctx: PageContext, set: CriteriaSet, sheet: ScoreSheet): string {
  const x = t(ctx.lang);
  return page(ctx, `${x.explain}: ${sheet.unit.name}`, `<p><a href="${href(`/${set.year}/results`, ctx.lang)}">← ${x.resultsOf(set.year)}</a></p>${renderSheet(sheet, ctx.lang)}`, { css: SHEET_CSS });
}

function fieldChangeText(change: CriterionFieldChange, lang: Lang): { what: string; old: string; new: string } {
  const vi = lang === 'vi';
  switch (change.kind) {
    case 'number':
      return { what: vi ? 'số thứ tự' : 'number', old: change.old, new: change.new };
    case 'name':
      return { what: vi ? 'tên' : 'name', old: change.old, new: change.new };
    case 'max_points':
      return { what: vi ? 'điểm chuẩn' : 'max points', old: formatPoints(change.old, lang), new: formatPoints(change.new, lang) };
    case 'rule':
      return { what: vi ? 'cách tính (chữ in)' : 'rule (printed)', old: change.old, new: change.new };
    case 'evidence':
      return { what: vi ? 'căn cứ tính điểm' : 'evidence', old: change.old, new: change.new };
    case 'notes':
      return { what: vi ? 'ghi chú' : 'notes', old: change.old.join('\n'), new: change.new.join('\n') };
    case 'input-added':
      return { what: `${vi ? 'thêm số liệu' : 'input added'} ${change.input}`, old: '', new: change.label };
    case 'input-removed':
      return { what: `${vi ? 'bỏ số liệu' : 'input removed'} ${change.input}`, old: change.label, new: '' };
    case 'input-retyped':
      return { what: `${vi ? 'đổi loại số liệu' : 'input type'} ${change.input}`, old: change.old, new: change.new };
    case 'input-changed':
      return { what: `${vi ? 'số liệu' : 'input'} ${change.input}: ${change.field}`, old: change.old === undefined ? '' : JSON.stringify(change.old), new: change.new === undefined ? '' : JSON.stringify(change.new) };
    case 'formula':
      return { what: vi ? 'công thức' : 'formula', old: '', new: '' };
    case 'parameter':
      return { what: `${vi ? 'tham số' : 'parameter'} ${change.parameter} (${change.label})`, old: valueText(change.old, lang, change.type), new: valueText(change.new, lang, change.type) };
    case 'structure': {
      const field = { group: vi ? 'nhóm' : 'group', kind: vi ? 'loại tiêu chí' : 'kind', applies_to: vi ? 'áp dụng cho' : 'applies to', applies_when: vi ? 'áp dụng khi' : 'applies when', parts: vi ? 'các phần' : 'parts' }[change.field];
      return { what: field, old: change.old === undefined ? '' : JSON.stringify(change.old), new: change.new === undefined ? '' : JSON.stringify(change.new) };
    }
  }
}

export function diffPage(ctx: PageContext, choice: { from?: number; to?: number }, diff: SetDiff | undefined, impactHtml: string): string {
  const x = t(ctx.lang);
  const { lang } = ctx;
  const years = [...ctx.sets].map((s) => s.year).sort();
  const select = (name: string, label: string, selected?: number) =>
    `<label for="${name}">${label}</label> <select id="${name}" name="${name}">${years.map((y) => `<option value="${y}"${y === selected ? ' selected' : ''}>${y}</option>`).join('')}</select>`;
  const form = `<form method="get" action="/web/diff" class="no-print">${lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}${select('from', x.from, choice.from)} ${select('to', x.to, choice.to)} <button type="submit">${x.compare}</button></form>`;
  if (years.length < 2) return page(ctx, x.diff, `<p>${x.onlyOne}</p>`);
  if (!diff) return page(ctx, x.diff, form);
  const levels = diff.levels
    .map((l) => {
      const params = l.parameters.changed
        .map((p) => `<tr><th scope="row"><code>${esc(p.id)}</code> ${esc(p.label)}</th><td class="num">${p.value ? esc(valueText(p.value.old, lang, p.type.old)) : ''}</td><td class="num">${p.value ? esc(valueText(p.value.new, lang, p.type.new)) : ''}</td></tr>`)
        .join('');
      const changed = l.criteria.changed
        .map((c) => {
          const rows = c.changes
            .filter((ch) => ch.kind !== 'formula')
            .map((ch) => fieldChangeText(ch, lang))
            .map((f) => `<tr><th scope="row">${esc(f.what)}</th><td><div class="printed">${esc(f.old)}</div></td><td><div class="printed">${esc(f.new)}</div></td></tr>`)
            .join('');
          const formula = c.formula ? `<tr><th scope="row">${x.formula}</th><td><code class="math">${esc(c.formula.old[lang])}</code></td><td><code class="math">${esc(c.formula.new[lang])}</code></td></tr>` : '';
          return `<h4>${esc(c.number)}. ${esc(c.name)} <code>${esc(c.id)}</code></h4><table class="side"><thead><tr><th scope="col">${x.change}</th><th scope="col">${x.old} (${diff.from.year})</th><th scope="col">${x.new} (${diff.to.year})</th></tr></thead><tbody>${rows}${formula}</tbody></table>`;
        })
        .join('');
      const ref = (c: { number: string; name: string; id: string; maxPoints: number; formula: { vi: string; en: string } }) => `<li>${esc(c.number)}. ${esc(c.name)} <code>${esc(c.id)}</code> (${x.points(formatPoints(c.maxPoints, lang))}): <code class="math">${esc(c.formula[lang])}</code></li>`;
      return `<section aria-labelledby="diff-${esc(l.id)}"><h2 id="diff-${esc(l.id)}">${words(lang).level}: ${esc(l.name)}</h2>
${l.totalPoints ? `<p>${x.maxPoints}: ${formatPoints(l.totalPoints.old, lang)} → ${formatPoints(l.totalPoints.new, lang)}</p>` : ''}
${params ? `<h3>${x.parameters}</h3><table><thead><tr><th scope="col">${x.parameter}</th><th scope="col" class="num">${x.old} (${diff.from.year})</th><th scope="col" class="num">${x.new} (${diff.to.year})</th></tr></thead><tbody>${params}</tbody></table>` : ''}
${l.criteria.added.length ? `<h3>${x.added}</h3><ul>${l.criteria.added.map(ref).join('')}</ul>` : ''}
${l.criteria.removed.length ? `<h3>${x.removed}</h3><ul>${l.criteria.removed.map(ref).join('')}</ul>` : ''}
${changed ? `<h3>${x.changed}</h3>${changed}` : ''}
<p class="muted">${x.unchanged(l.criteria.unchanged)}</p></section>`;
    })
    .join('\n');
  const extra = [
    diff.levelsAdded.length ? `<p>${x.levelsAdded}: ${diff.levelsAdded.map((l) => esc(l.name)).join(', ')}</p>` : '',
    diff.levelsRemoved.length ? `<p>${x.levelsRemoved}: ${diff.levelsRemoved.map((l) => `${esc(l.name)} (<code>${esc(l.id)}</code>)`).join(', ')}</p>` : '',
  ].join('');
  return page(
    ctx,
    `${x.diff}: ${diff.from.year} → ${diff.to.year}`,
    `${form}
<p>${esc(x.summary(diff.counts))}</p>
${extra}
${levels}
<h2>${x.impact}</h2>
${impactHtml || `<p>${x.noImpact}</p>`}`,
  );
}

/** The impact table of one level: old beside new, each unit's total and rank. */
export function impactTable(impact: ImpactReport, levelId: string, lang: Lang, caption: string, paging?: { page: number; href: (page: number) => string }, decimals = 1): string {
  const x = t(lang);
  const w = words(lang);
  const level = impact.levels.find((l) => l.id === levelId);
  if (!level) return '';
  // Totals and changes with the level file's own number of decimals, trailing zeros included (10,00 beside 9,47), as every other table shows them.
  const p = (v: number | undefined) => (v === undefined ? '—' : formatPoints(v, lang, decimals, decimals));
  // A level of thousands of units is read a page at a time; the counts above cover them all.
  const count = paging ? Math.max(1, Math.ceil(level.units.length / PAGE_ROWS)) : 1;
  const current = paging ? Math.min(Math.max(1, Math.floor(paging.page) || 1), count) : 1;
  const listed = paging ? level.units.slice((current - 1) * PAGE_ROWS, current * PAGE_ROWS) : level.units;
  const rows = listed
    .map((u) => {
      const moved = (u.rankChange ?? 0) !== 0 || (u.delta ?? 0) !== 0;
      const delta = u.delta === undefined ? '—' : u.delta === 0 ? '0' : `<span class="${u.delta > 0 ? 'up' : 'down'}">${u.delta > 0 ? '+' : '−'}${formatPoints(Math.abs(u.delta), lang, decimals, decimals)}</span>`;
      const rank = u.rankChange === undefined || u.rankChange === 0 ? '' : ` <span class="${u.rankChange > 0 ? 'up' : 'down'}"><span aria-hidden="true">${u.rankChange > 0 ? '▲' : '▼'}</span>${u.rankChange > 0 ? '+' : '−'}${Math.abs(u.rankChange)}</span>`;
      const missing = u.missing.length ? ` <span class="muted">(${lang === 'vi' ? 'thiếu' : 'missing'} ${u.missing.map((m) => esc(`${m.criterion}.${m.input}`)).join(', ')})</span>` : '';
      return `<tr${moved ? ' class="moved"' : ''} data-unit="${esc(u.id)}" data-old-rank="${u.old.rank ?? ''}" data-new-rank="${u.new.rank ?? ''}"><th scope="row">${esc(u.name)}${missing}</th><td class="num old-rank">${u.old.rank ?? '—'}</td><td class="num new-rank">${u.new.rank ?? '—'}${rank}</td><td class="num">${p(u.old.total)}</td><td class="num">${p(u.new.total)}</td><td class="num">${delta}</td></tr>`;
    })
    .join('\n');
  const counts = level.counts;
  return `<p>${esc(x.counts(counts.units, counts.totalChanged, counts.rankChanged))}</p>
<div class="table-wrap"><table class="impact" data-level="${esc(levelId)}">
<caption>${esc(caption)}</caption>
<thead><tr><th scope="col">${w.unit}</th><th scope="col" class="num">${w.oldRank}</th><th scope="col" class="num">${w.newRank}</th><th scope="col" class="num">${w.oldTotal}</th><th scope="col" class="num">${w.newTotal}</th><th scope="col" class="num">${w.delta}</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>${paging && count > 1 ? `<p class="muted">${esc(x.unitsShown((current - 1) * PAGE_ROWS + 1, (current - 1) * PAGE_ROWS + listed.length, level.units.length, current, count))}</p>${pageLinks(current, count, paging.href, lang, `${caption}: ${lang === 'vi' ? 'các trang' : 'pages'}`)}` : ''}`;
}

export function whatIfResults(ctx: PageContext, level: CompiledLevel, change: WhatIfChange, result: WhatIfResult | undefined, errors: { message: string }[], noData: boolean, paging?: { page: number; href: (page: number) => string }, roundValues?: RoundValues): string {
  const x = t(ctx.lang);
  const { lang } = ctx;
  if (noData) return `<p>${x.noData}</p>`;
  if (errors.length) return `<div class="errors" role="alert"><p>${x.formErrors}</p><ul>${errors.map((e) => `<li>${esc(e.message)}</li>`).join('')}</ul></div>`;
  if (!result?.impact) return `<div class="errors" role="alert"><p>${x.changeInvalid}</p><ul>${(result?.problems ?? []).filter((p) => p.severity === 'error').map((p) => `<li>${problemText(p, lang)}</li>`).join('')}</ul></div>`;
  const changes = [
    ...Object.entries(change.parameters).map(([id, v]) => `${esc(level.parameters.get(id)?.def.label ?? id)}: ${esc(valueText(level.parameters.get(id)!.def.value, lang, level.parameters.get(id)!.def.type))} → ${esc(valueText(v, lang, level.parameters.get(id)!.def.type))}`),
    ...Object.entries(change.maxPoints).map(([id, v]) => {
      const c = level.criteria.find((k) => k.id === id)!;
      return `${lang === 'vi' ? 'Điểm chuẩn tiêu chí' : 'Maximum of criterion'} ${esc(c.number)}: ${formatPoints(c.maxPointsNumber, lang)} → ${formatPoints(v, lang)}`;
    }),
    ...Object.entries(change.roundValues).map(([name, v]) => {
      const def = level.doc.round_values?.[name];
      const now = roundValues?.get(name);
      return `${esc(x.roundValue)} «${esc(def?.label ?? name)}»: ${now === undefined ? x.notSupplied : esc(roundValueText(now.toNumber(), lang, def?.type))} → ${esc(roundValueText(v, lang, def?.type))}`;
    }),
  ];
  const intro = changes.length ? `<ul>${changes.map((c) => `<li>${c}</li>`).join('')}</ul>${result.totalPoints.old !== result.totalPoints.new ? `<p>${esc(x.totalPoints(formatPoints(result.totalPoints.old, lang), formatPoints(result.totalPoints.new, lang)))}</p>` : ''}` : `<p>${x.noChange}</p>`;
  return intro + impactTable(result.impact, level.id, lang, x.whatIfResults, paging, level.doc.scoring.rounding.decimals);
}

function roundValueText(value: number, lang: Lang, type?: string): string {
  return `${formatNumber(value, lang, 6)}${type === 'percent' ? '%' : ''}`;
}

export function whatIfPage(ctx: PageContext, set: CriteriaSet, level: CompiledLevel, form: Record<string, unknown>, errors: { field: string; message: string }[], resultsHtml: string, round?: { values?: RoundValues; file?: string; problems: Problem[] }): string {
  const x = t(ctx.lang);
  const { lang } = ctx;
  const bad = new Set(errors.map((e) => e.field));
  const value = (field: string) => (typeof form[field] === 'string' ? (form[field] as string) : '');
  const parameters = [...level.parameters.values()]
    .map((p) => {
      const field = parameterField(p.id);
      const id = `f-${p.id}`;
      const current = valueText(p.def.value, lang, p.def.type);
      const input =
        p.def.type === 'date'
          ? `<input type="date" id="${esc(id)}" name="${esc(field)}" value="${esc(value(field) || String(p.def.value))}" aria-describedby="${esc(id)}-now">`
          : `<input type="text" inputmode="decimal" id="${esc(id)}" name="${esc(field)}" value="${esc(value(field) || String(p.def.value))}" aria-describedby="${esc(id)}-now"${bad.has(field) ? ' aria-invalid="true"' : ''}>`;
      return `<div class="field${bad.has(field) ? ' invalid' : ''}"><label for="${esc(id)}">${esc(p.def.label)} <code class="muted">${esc(p.id)}</code></label>${input}<span class="current" id="${esc(id)}-now">${x.current}: ${esc(current)}</span></div>`;
    })
    .join('\n');
  const maxima = level.criteria
    .map((c) => {
      const field = maxField(c.id);
      const id = `m-${c.id}`;
      return `<div class="field${bad.has(field) ? ' invalid' : ''}"><label for="${esc(id)}">${esc(c.number)}. ${esc(c.name)}</label><input type="text" inputmode="decimal" id="${esc(id)}" name="${esc(field)}" value="${esc(value(field) || String(c.maxPointsNumber))}" aria-describedby="${esc(id)}-now"${bad.has(field) ? ' aria-invalid="true"' : ''}><span class="current" id="${esc(id)}-now">${x.current}: ${formatPoints(c.maxPointsNumber, lang)}</span></div>`;
    })
    .join('\n');
  const declared = Object.entries(level.doc.round_values ?? {});
  const roundFields = declared
    .map(([name, def]) => {
      const field = roundValueField(name);
      const id = `r-${name}`;
      const now = round?.values?.get(name);
      const shown = now === undefined ? '' : formatNumber(now.toNumber(), 'en', 6).replace(/,/g, '');
      const current = now === undefined ? x.notSupplied : `${roundValueText(now.toNumber(), lang, def.type)}${def.unit ? ` ${def.unit}` : ''}`;
      return `<div class="field${bad.has(field) ? ' invalid' : ''}"><label for="${esc(id)}">${esc(def.label)}${def.unit ? ` (${esc(def.unit)})` : ''} <code class="muted">${esc(name)}</code></label><input type="text" inputmode="decimal" id="${esc(id)}" name="${esc(field)}" value="${esc(value(field) || shown)}" aria-describedby="${esc(id)}-now"${bad.has(field) ? ' aria-invalid="true"' : ''}><span class="current" id="${esc(id)}-now">${x.current}: ${esc(current)}</span></div>`;
    })
    .join('\n');
  const roundNote = declared.length
    ? `<p class="muted">${round?.values && round.file ? esc(x.roundValuesFrom(round.file.split(/[\\/]/).pop()!)) : esc(x.noRoundValues)}</p>${(round?.problems ?? []).filter((p) => p.severity === 'error' && p.code !== 'round-value.missing').length ? `<div class="errors" role="alert"><ul>${round!.problems.filter((p) => p.severity === 'error' && p.code !== 'round-value.missing').map((p) => `<li>${problemText(p, lang)}</li>`).join('')}</ul></div>` : ''}`
    : '';
  const action = `/web/${set.year}/${encodeURIComponent(level.id)}/what-if`;
  return page(
    ctx,
    x.whatIfOf(level.name, set.year),
    `${isDraftSet(set) ? draftBanner(lang, words(lang).draftDetail) : ''}
<p>${x.whatIfIntro}</p>
<div class="what-if-layout">
<form class="what-if" method="get" action="${action}" id="what-if-form">
${lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}
${parameters ? `<fieldset><legend>${x.parameters}</legend>${parameters}</fieldset>` : ''}
${declared.length ? `<fieldset><legend>${x.roundValues}</legend>${roundNote}${roundFields}</fieldset>` : ''}
<fieldset><legend>${x.maxPoints}</legend>${maxima}</fieldset>
<p><button type="submit">${x.recompute}</button> <a class="button secondary" href="${href(`/${set.year}/${level.id}/what-if`, lang)}">${x.reset}</a></p>
</form>
<section class="what-if-out" aria-labelledby="what-if-results-title"><h2 id="what-if-results-title">${x.whatIfResults}</h2>
<div id="what-if-results" aria-live="polite">${resultsHtml}</div></section>
</div>`,
    { script: WHAT_IF_SCRIPT },
  );
}

/** Progressive enhancement: recompute while the user types (the form still works without it). */
const WHAT_IF_SCRIPT = `
(function () {
  var form = document.getElementById('what-if-form');
  var out = document.getElementById('what-if-results');
  if (!form || !out || !window.fetch || !window.URLSearchParams) return;
  var timer, seq = 0;
  function load(query, focus) {
    var params = new URLSearchParams(query);
    params.set('partial', '1');
    var mine = ++seq;
    out.setAttribute('aria-busy', 'true');
    fetch(form.getAttribute('action') + '?' + params.toString(), { headers: { Accept: 'text/html' } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== seq) return;
        out.innerHTML = html;
        out.removeAttribute('aria-busy');
        history.replaceState(null, '', form.getAttribute('action') + (query ? '?' + query : ''));
        if (focus) { var cap = out.querySelector('caption'); if (cap) { cap.setAttribute('tabindex', '-1'); cap.focus(); } }
      })
      .catch(function () { out.removeAttribute('aria-busy'); });
  }
  function update() { load(new URLSearchParams(new FormData(form)).toString(), false); }
  form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 250); });
  form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); update(); });
  // Page links of the results: the next page of the same what-if, without reloading the form.
  out.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('nav.pages a') : null;
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    load(a.getAttribute('href').split('?')[1] || '', true);
  });
})();
`;
