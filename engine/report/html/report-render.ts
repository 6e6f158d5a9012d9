/**
 * The results report as HTML: one self-contained file, per level the
 * ranking (bar chart + table), the heat map (chart + table), the spread per
 * criterion (chart + table), the units with data problems, the comparison
 * when there is one, and the provenance. Sections are exported so the web
 * view shows the same thing.
 */
import type { Lang, Problem } from '../../problems.js';
import { heatmapChart, rankingBarChart, spreadChart, type HeatCell } from '../charts.js';
import { formatDate, formatNumber as formatNumberUncached, formatPoints as formatPointsUncached } from '../format.js';

// A level of 3,300 units prints ~100,000 numbers drawn from a few hundred distinct values: format each once.
const formatted = new Map<string, string>();
function cachedFormat(kind: 'n' | 'p' | 's', value: number, lang: Lang, decimals: number): string {
  const key = `${kind}${lang}${decimals}:${value}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = kind === 'n' ? formatNumberUncached(value, lang, decimals) : formatPointsUncached(value, lang, decimals, kind === 's' ? decimals : 0);
    if (formatted.size > 50_000) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}
const formatNumber = (value: number, lang: Lang, decimals = 4) => cachedFormat('n', value, lang, decimals);
const formatPoints = (value: number, lang: Lang, decimals = 1) => cachedFormat('p', value, lang, decimals);
const shownPoints = (value: number, lang: Lang, decimals: number) => cachedFormat('s', value, lang, decimals);
import { draftBanner, htmlDocument } from './document.js';
import { domId, esc } from './escape.js';
import type { ComparisonRow, LevelReport, ReportUnit, ResultsReport } from './report-model.js';
import { provinceTime, words } from './words.js';

/** Most bars in a ranking chart: beyond, the first and last half of this many (the table has all). */
export const MAX_BARS = 40;
/** Most rows in a heat map chart: beyond, units are grouped by rank. */
export const MAX_HEAT_ROWS = 30;
const BANDS = 10;

const PALETTE: [number, number, number][] = [
  [0xff, 0xf5, 0xd6],
  [0xf4, 0xc5, 0x42],
  [0x5a, 0xa4, 0x69],
  [0x1f, 0x5f, 0xa8],
  [0x0b, 0x2e, 0x59],
];

/** The chart's colour scale for a share 0..1, with a text colour that keeps contrast. */
export function heatColor(share: number): { bg: string; fg: string } {
  const t = Math.min(1, Math.max(0, share)) * (PALETTE.length - 1);
  const i = Math.min(PALETTE.length - 2, Math.floor(t));
  const f = t - i;
  const [r, g, b] = PALETTE[i]!.map((c, k) => Math.round(c + (PALETTE[i + 1]![k]! - c) * f)) as [number, number, number];
  const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  return { bg: `rgb(${r},${g},${b})`, fg: luminance < 0.5 ? '#ffffff' : '#000000' };
}

export interface SectionOptions {
  lang: Lang;
  /** Link from a unit's name (the web view links to its explanation). */
  unitHref?: (unitId: string) => string;
  /** Heading level of the level's title (2 in the report). */
  heading?: 2 | 3;
  /** Most rows in the unit tables (the web view pages large levels); the charts and statistics always cover every unit. */
  maxRows?: number;
  /** Where the whole list is, when rows were left out. */
  allHref?: string;
  /** With maxRows: which page of rows to show (from 1), and where each page is; the tables then end with links to every page. */
  rowPage?: { page: number; href: (page: number) => string };
}

/** Page numbers to link to: the first, the last, and those near the current one (… between). */
export function pageWindow(current: number, count: number, around = 3): (number | '…')[] {
  const out: (number | '…')[] = [];
  for (let p = 1; p <= count; p++) {
    if (p === 1 || p === count || Math.abs(p - current) <= around) out.push(p);
    else if (out[out.length - 1] !== '…') out.push('…');
  }
  return out;
}

/** Links to the pages of a long table: plain links (keyboard and screen readers), the current one marked. */
export function pageLinks(current: number, count: number, href: (page: number) => string, lang: Lang, label: string): string {
  if (count <= 1) return '';
  const vi = lang === 'vi';
  const items = pageWindow(current, count).map((p) =>
    p === '…' ? '<li aria-hidden="true">…</li>' : p === current ? `<li><a href="${esc(href(p))}" aria-current="page"><span class="sr-only">${vi ? 'Trang' : 'Page'} </span>${p}</a></li>` : `<li><a href="${esc(href(p))}"><span class="sr-only">${vi ? 'Trang' : 'Page'} </span>${p}</a></li>`,
  );
  const prev = current > 1 ? `<li><a href="${esc(href(current - 1))}" rel="prev">← ${vi ? 'Trước' : 'Previous'}</a></li>` : '';
  const next = current < count ? `<li><a href="${esc(href(current + 1))}" rel="next">${vi ? 'Sau' : 'Next'} →</a></li>` : '';
  return `<nav class="pages no-print" aria-label="${esc(label)}"><ul>${prev}${items.join('')}${next}</ul></nav>`;
}

function truncated<T>(rows: readonly T[], options: SectionOptions, label: string): { shown: readonly T[]; note: string } {
  if (options.maxRows === undefined || rows.length <= options.maxRows) return { shown: rows, note: '' };
  const vi = options.lang === 'vi';
  const link = options.allHref ? ` <a href="${esc(options.allHref)}">${vi ? 'Xem đủ trên một trang' : 'Show all on one page'}</a>` : '';
  if (options.rowPage) {
    const count = Math.ceil(rows.length / options.maxRows);
    const page = Math.min(Math.max(1, Math.floor(options.rowPage.page) || 1), count);
    const from = (page - 1) * options.maxRows;
    const shown = rows.slice(from, from + options.maxRows);
    const n = (v: number) => formatNumber(v, options.lang, 0);
    const text = vi ? `Đơn vị ${n(from + 1)}–${n(from + shown.length)} trong ${n(rows.length)} (trang ${page}/${count}).` : `Units ${n(from + 1)}–${n(from + shown.length)} of ${n(rows.length)} (page ${page} of ${count}).`;
    return { shown, note: `<p class="muted">${text}${link}</p>${pageLinks(page, count, options.rowPage.href, options.lang, `${label}: ${vi ? 'các trang' : 'pages'}`)}` };
  }
  const text = vi ? `Bảng chỉ hiện ${options.maxRows} trong ${rows.length} đơn vị.` : `The table shows ${options.maxRows} of ${rows.length} units.`;
  return { shown: rows.slice(0, options.maxRows), note: `<p class="muted">${text}${link}</p>` };
}

/**
 * A level's charts depend on the level's results and the language only, not on which page of
 * its tables is shown: drawn once per results report and kept with it.
 */
const charts = new WeakMap<LevelReport, Map<string, string>>();
function chartOnce(level: LevelReport, key: string, draw: () => string): string {
  let kept = charts.get(level);
  if (!kept) charts.set(level, (kept = new Map()));
  let svg = kept.get(key);
  if (svg === undefined) kept.set(key, (svg = draw()));
  return svg;
}

function unitName(unit: { id: string; name: string }, options: SectionOptions): string {
  return options.unitHref ? `<a href="${esc(options.unitHref(unit.id))}">${esc(unit.name)}</a>` : esc(unit.name);
}

/** Points with the file's own decimals (69,10 with decimals: 2), as every other output shows them. */
function points(value: number | undefined, level: LevelReport, lang: Lang): string {
  return value === undefined ? '—' : shownPoints(value, lang, level.decimals);
}

/** A change with exactly the file's decimals (−2,0 with decimals: 1), as the totals. */
function signed(value: number, lang: Lang, decimals: number): string {
  const text = formatNumberUncached(Math.abs(value), lang, decimals, decimals);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : '0';
}

function rankingSection(level: LevelReport, options: SectionOptions, id: string): string {
  const w = words(options.lang);
  const { lang } = options;
  const n = level.ranked.length;
  if (n === 0) return `<h3 id="${id}-ranking">${w.ranking}</h3><p>${w.summary(0, 0, level.problemUnits.length)}</p>`;
  const shown = n > MAX_BARS ? [...level.ranked.slice(0, MAX_BARS / 2), ...level.ranked.slice(-MAX_BARS / 2)] : level.ranked;
  const top = level.ranked[0]!;
  const chart = chartOnce(level, `ranking:${lang}:${id}`, () => rankingBarChart(
    shown.map((u) => ({ label: `${u.rank}. ${u.name}`, value: u.total! })),
    level.totalPoints,
    { id: `${id}-ranking-chart`, title: w.rankingChart(level.name), desc: w.rankingDesc(n, shown.length, `${top.name} (${points(top.total, level, lang)})`, formatPoints(level.totalPoints, lang)) },
    { valueLabel: (v) => shownPoints(v, lang, level.decimals) },
  ));
  const comparison = new Map(level.comparison?.map((r) => [r.id, r]) ?? []);
  const withChange = level.comparison !== undefined;
  const { shown: listed, note } = truncated(level.ranked, options, `${w.ranking} — ${level.name}`);
  const rows = listed
    .map((u) => {
      const c = comparison.get(u.id);
      const change = withChange ? `<td class="num">${c?.delta === undefined ? '—' : deltaCell(c.delta, lang, level.decimals)}</td><td class="num">${c?.rankChange === undefined ? '—' : rankChangeCell(c.rankChange, lang)}</td>` : '';
      return `<tr><td class="num">${u.rank}</td><td>${unitName(u, options)}</td><td><code>${esc(u.id)}</code></td>${structureCells(level, u, lang)}<td class="num">${points(u.total, level, lang)}</td><td class="num">${formatNumber((u.total! / level.totalPoints) * 100, lang, 1)}%</td>${change}</tr>`;
    })
    .join('\n');
  const structureNote = level.structure?.applicability ? `<p class="muted">${esc(w.applicableNote(formatPoints(level.totalPoints, lang, 4), level.structure.rescale))}</p>` : '';
  return `<h3 id="${id}-ranking">${w.ranking}</h3>
<figure class="keep">${chart}<figcaption>${esc(w.rankingChart(level.name))}</figcaption></figure>
<div class="table-wrap"><table class="ranking">
<caption>${w.ranking} — ${esc(level.name)}</caption>
<thead><tr><th scope="col" class="num">${w.rank}</th><th scope="col">${w.unit}</th><th scope="col">${w.unitId}</th>${structureHeader(level, lang)}<th scope="col" class="num">${w.total}</th><th scope="col" class="num">${w.shareOfMax}</th>${withChange ? `<th scope="col" class="num">${w.delta}</th><th scope="col" class="num">${w.rankChange}</th>` : ''}</tr></thead>
<tbody>
${rows}
</tbody></table></div>${structureNote}${note}`;
}

/** structures (issue 11): the ranking's columns for the unit's type, attributes and what applies to it. */
function structureHeader(level: LevelReport, lang: Lang): string {
  const s = level.structure;
  if (!s) return '';
  const w = words(lang);
  return [
    ...(s.typed ? [`<th scope="col">${w.unitType}</th>`] : []),
    ...s.attributes.map((a) => `<th scope="col">${esc(a.label)}</th>`),
    ...(s.applicability ? [`<th scope="col" class="num">${w.earned}</th>`, `<th scope="col" class="num">${w.applicableMax}</th>`] : []),
    ...(s.indexDecimals !== undefined ? [`<th scope="col" class="num">${w.index}</th>`] : []),
  ].join('');
}

function structureCells(level: LevelReport, u: ReportUnit, lang: Lang): string {
  const s = level.structure;
  if (!s) return '';
  const yesNo = lang === 'vi' ? ['Có', 'Không'] : ['yes', 'no'];
  const attribute = (i: number) => {
    const value = u.attributes?.[i];
    if (value === undefined) return '—';
    if (typeof value === 'boolean') return value ? yesNo[0]! : yesNo[1]!;
    return s.attributes[i]!.options?.find((o) => o.id === value)?.label ?? value;
  };
  return [
    ...(s.typed ? [`<td>${esc(u.type ?? '—')}</td>`] : []),
    ...s.attributes.map((_, i) => `<td>${esc(attribute(i))}</td>`),
    ...(s.applicability ? [`<td class="num">${points(u.applicable?.earned, level, lang)}</td>`, `<td class="num">${u.applicable?.maxPoints === undefined ? '—' : formatPoints(u.applicable.maxPoints, lang, 4)}</td>`] : []),
    ...(s.indexDecimals !== undefined ? [`<td class="num">${u.index === undefined ? '—' : formatNumberUncached(u.index, lang, s.indexDecimals, s.indexDecimals)}</td>`] : []),
  ].join('');
}

function deltaCell(delta: number, lang: Lang, decimals: number): string {
  return `<span class="${delta > 0 ? 'up' : delta < 0 ? 'down' : ''}">${signed(delta, lang, decimals)}</span>`;
}

function rankChangeCell(change: number, lang: Lang): string {
  const arrow = change > 0 ? '▲' : change < 0 ? '▼' : '';
  return `<span class="${change > 0 ? 'up' : change < 0 ? 'down' : ''}">${arrow ? `<span aria-hidden="true">${arrow}</span> ` : ''}${signed(change, lang, 0)}</span>`;
}

const heatCells = new Map<string, string>();
/** A criterion that does not apply to the unit: neither 0 nor "not scored". */
function notApplicableCell(lang: Lang): string {
  const w = words(lang);
  return `<td class="na" title="${esc(w.notApplicable)}"><abbr title="${esc(w.notApplicable)}">${esc(w.notApplicableShort)}</abbr></td>`;
}

function heatCellHtml(value: number | null, max: number, level: LevelReport, lang: Lang, notScored: string, notApplicable = false): string {
  if (notApplicable) return notApplicableCell(lang);
  if (value === null) return `<td class="missing" title="${esc(notScored)}"><span aria-hidden="true">×</span><span class="sr-only">${esc(notScored)}</span></td>`;
  // The same points of the same maximum make the same cell.
  const key = `${lang}${level.decimals}:${value}/${max}`;
  let cell = heatCells.get(key);
  if (cell === undefined) {
    const share = max > 0 ? value / max : 0;
    const { bg, fg } = heatColor(share);
    cell = `<td class="heat" style="background:${bg};color:${fg}" title="${formatNumber(share * 100, lang, 0)}%">${shownPoints(value, lang, level.decimals)}</td>`;
    if (heatCells.size > 50_000) heatCells.clear();
    heatCells.set(key, cell);
  }
  return cell;
}

function shareCell(share: number | null, lang: Lang, notScored: string): string {
  if (share === null) return `<td class="missing" title="${esc(notScored)}"><span aria-hidden="true">×</span><span class="sr-only">${esc(notScored)}</span></td>`;
  const { bg, fg } = heatColor(share);
  return `<td class="heat" style="background:${bg};color:${fg}">${formatNumber(share * 100, lang, 0)}%</td>`;
}

function heatmapSection(level: LevelReport, options: SectionOptions, id: string): string {
  const w = words(options.lang);
  const { lang } = options;
  const units: ReportUnit[] = [...level.ranked, ...level.problemUnits];
  if (units.length === 0) return '';
  const columns = level.criteria.map((c) => c.number);
  let rows: string[];
  let cells: HeatCell[];
  let rowsText: string;
  let bandTable = '';
  if (units.length <= MAX_HEAT_ROWS) {
    rows = units.map((u) => (u.rank === undefined ? `— ${u.name}` : `${u.rank}. ${u.name}`));
    // A criterion that does not apply is no cell at all (blank), never the grey of "not scored".
    cells = units.flatMap((u, y) => u.points.flatMap((p, x) => (u.notApplicable?.[x] ? [] : [{ x, y, share: p === null ? null : level.criteria[x]!.maxPoints > 0 ? p / level.criteria[x]!.maxPoints : 0 }])));
    rowsText = w.heatRowsUnits;
  } else {
    // Too many units to read one by one: groups of units by rank, each cell the group's mean share.
    const ranked = level.ranked;
    const size = Math.ceil(ranked.length / BANDS);
    const bands = Array.from({ length: Math.ceil(ranked.length / size) }, (_, b) => ranked.slice(b * size, (b + 1) * size));
    rows = bands.map((band) => w.band(band[0]!.rank!, band[band.length - 1]!.rank!));
    const shares = bands.map((band) =>
      level.criteria.map((c, x) => {
        const values = band.map((u) => u.points[x]).filter((p): p is number => p !== null);
        return values.length && c.maxPoints > 0 ? values.reduce((s, v) => s + v, 0) / values.length / c.maxPoints : null;
      }),
    );
    cells = shares.flatMap((row, y) => row.map((share, x) => ({ x, y, share })));
    rowsText = w.heatRowsBands(bands.length);
    bandTable = `<div class="table-wrap"><table class="bands">
<caption>${w.bandTable}</caption>
<thead><tr><th scope="col">${w.rank}</th>${level.criteria.map((c) => `<th scope="col" class="num" title="${esc(c.name)}">${esc(c.number)}</th>`).join('')}</tr></thead>
<tbody>
${shares.map((row, y) => `<tr><th scope="row">${esc(rows[y]!)}</th>${row.map((s) => shareCell(s, lang, w.notScored)).join('')}</tr>`).join('\n')}
</tbody></table></div>`;
  }
  const chart = chartOnce(level, `heat:${lang}:${id}`, () => heatmapChart(rows, columns, cells, { id: `${id}-heat-chart`, title: w.heatmapChart, desc: w.heatmapDesc(rowsText) + (level.structure?.applicability ? w.heatmapNaDesc : '') }, { missingLabel: w.notScored }));
  // structures (issue 11): an information-only criterion says so under its maximum: its points are not in the total.
  const header = level.criteria.map((c) => `<th scope="col" class="num" title="${esc(c.name)}"><abbr title="${esc(`${c.number}. ${c.name}`)}">${esc(c.number)}</abbr><br><span class="muted">/${formatPoints(c.maxPoints, lang)}</span>${c.infoOnly ? `<br><abbr class="muted" title="${esc(w.infoOnly)}">${esc(w.infoOnlyShort)}</abbr>` : ''}</th>`).join('');
  const { shown: heatRows, note } = truncated(units, options, w.heatTable);
  const body = heatRows
    .map((u) => `<tr><td class="num">${u.rank ?? '—'}</td><th scope="row">${unitName(u, options)}</th>${u.points.map((p, x) => heatCellHtml(p, level.criteria[x]!.maxPoints, level, lang, w.notScored, u.notApplicable?.[x] === true)).join('')}<td class="num"><strong>${points(u.total, level, lang)}</strong></td></tr>`)
    .join('\n');
  return `<div class="wide"><h3 id="${id}-heat">${w.heatmap}</h3>
<figure class="keep">${chart}<figcaption>${esc(w.heatmapChart)}</figcaption></figure>
${bandTable}
<div class="table-wrap"><table class="heat-table">
<caption>${w.heatTable}</caption>
<thead><tr><th scope="col" class="num">${w.rank}</th><th scope="col">${w.unit}</th>${header}<th scope="col" class="num">${w.total}</th></tr></thead>
<tbody>
${body}
</tbody></table></div>${note}</div>`;
}

function spreadSection(level: LevelReport, options: SectionOptions, id: string): string {
  const w = words(options.lang);
  const { lang } = options;
  const stats = level.stats.filter((s) => s.units > 0);
  if (stats.length === 0) return '';
  const pct = (v: number, max: number) => (max > 0 ? (v / max) * 100 : 0);
  const weak = level.stats.filter((s) => s.weak).sort((a, b) => a.meanShare - b.meanShare);
  const weakText = weak.map((s) => `${s.number}. ${s.name} (${formatNumber(s.meanShare * 100, lang, 0)}%)`).join('; ');
  const chart = chartOnce(level, `spread:${lang}:${id}`, () => spreadChart(
    stats.map((s) => ({ label: `${s.number}. ${s.name}`, min: pct(s.min, s.maxPoints), q1: pct(s.q1, s.maxPoints), median: pct(s.median, s.maxPoints), q3: pct(s.q3, s.maxPoints), max: pct(s.max, s.maxPoints), mean: pct(s.mean, s.maxPoints) })),
    { id: `${id}-spread-chart`, title: w.spreadChart, desc: w.spreadDesc(weakText) },
    { meanLabel: w.mean },
  ));
  // Mean, median and spread are statistics (two decimals); the lowest and highest are points a unit got, shown as the totals are.
  const two = (v: number) => formatNumber(v, lang, 2);
  const rows = level.stats
    .map(
      (s) =>
        `<tr${s.weak ? ' class="weak"' : ''}><td class="num">${esc(s.number)}</td><th scope="row">${esc(s.name)}${s.weak ? ` <span class="tag">(${w.weakMark})</span>` : ''}</th><td class="num">${formatPoints(s.maxPoints, lang)}</td><td class="num">${s.units}</td><td class="num">${two(s.mean)}</td><td class="num">${formatNumber(s.meanShare * 100, lang, 1)}%</td><td class="num">${two(s.median)}</td><td class="num">${points(s.min, level, lang)}</td><td class="num">${points(s.max, level, lang)}</td><td class="num">${two(s.sd)}</td><td class="num">${s.full}</td><td class="num">${s.zero}</td></tr>`,
    )
    .join('\n');
  return `<h3 id="${id}-criteria">${w.byCriterion}</h3>
${weak.length ? `<p>${esc(w.weakest(weakText))}</p>` : ''}
<figure class="keep">${chart}<figcaption>${esc(w.spreadChart)}</figcaption></figure>
<div class="table-wrap"><table class="stats">
<caption>${w.byCriterion}</caption>
<thead><tr><th scope="col" class="num">TT</th><th scope="col">${w.criterion}</th><th scope="col" class="num">${w.maxPoints}</th><th scope="col" class="num">${w.unitsCounted}</th><th scope="col" class="num">${w.mean}</th><th scope="col" class="num">${w.meanShare}</th><th scope="col" class="num">${w.median}</th><th scope="col" class="num">${w.min}</th><th scope="col" class="num">${w.max}</th><th scope="col" class="num">${w.sd}</th><th scope="col" class="num">${w.fullMarks}</th><th scope="col" class="num">${w.zeroMarks}</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}

export function problemText(p: Problem, lang: Lang): string {
  const where = p.location ? `${p.location.file}:${p.location.line}:${p.location.column}` : p.file;
  return `${esc(p.message[lang])}${p.hint ? ` <span class="muted">→ ${esc(p.hint[lang])}</span>` : ''}${where ? ` <span class="muted">(${esc(where)})</span>` : ''}`;
}

function problemsSection(level: LevelReport, options: SectionOptions, id: string): string {
  const w = words(options.lang);
  if (level.problemUnits.length === 0) return `<h3 id="${id}-problems">${w.problemUnits}</h3><p>${w.noProblemUnits}</p>`;
  const items = level.problemUnits
    .map(
      (u) =>
        `<li><strong>${unitName(u, options)}</strong> (<code>${esc(u.id)}</code>, ${u.status === 'rejected' ? w.rejected : w.incomplete})<ul class="problem-list">${u.problems.map((p) => `<li>${problemText(p, options.lang)}</li>`).join('')}</ul></li>`,
    )
    .join('\n');
  return `<h3 id="${id}-problems">${w.problemUnits}</h3><ul>${items}</ul>`;
}

function comparisonSection(level: LevelReport, rows: ComparisonRow[], report: ResultsReport, options: SectionOptions, id: string): string {
  const w = words(options.lang);
  const { lang } = options;
  const c = report.comparison!;
  const side = (s: ComparisonRow['old']) => (s.status === 'absent' ? `<td class="num muted">${w.absent}</td><td class="num">—</td>` : `<td class="num">${s.total === undefined ? `<span class="muted">${w.noTotal}</span>` : points(s.total, level, lang)}</td><td class="num">${s.rank ?? '—'}</td>`);
  const body = rows
    .map((r) => `<tr><th scope="row">${unitName(r, options)}</th>${side(r.old)}${side(r.new)}<td class="num">${r.delta === undefined ? '—' : deltaCell(r.delta, lang, level.decimals)}</td><td class="num">${r.rankChange === undefined ? '—' : rankChangeCell(r.rankChange, lang)}</td></tr>`)
    .join('\n');
  return `<h3 id="${id}-comparison">${w.comparison}: ${esc(c.kind === 'rules' ? w.comparisonRules(c.from, c.to) : w.comparisonData(c.from, c.to))}</h3>
<div class="table-wrap"><table class="comparison">
<thead><tr><th scope="col">${w.unit}</th><th scope="col" class="num">${w.oldTotal}</th><th scope="col" class="num">${w.oldRank}</th><th scope="col" class="num">${w.newTotal}</th><th scope="col" class="num">${w.newRank}</th><th scope="col" class="num">${w.delta}</th><th scope="col" class="num">${w.rankChange}</th></tr></thead>
<tbody>
${body}
</tbody></table></div>`;
}

/** One level of the report: ranking, heat map, per criterion, problems, comparison. */
export function levelSection(level: LevelReport, report: ResultsReport, options: SectionOptions): string {
  const w = words(options.lang);
  const id = domId('level', level.id);
  const h = options.heading ?? 2;
  return `<section class="level" id="${id}" aria-labelledby="${id}-title">
<h${h} id="${id}-title">${w.level}: ${esc(level.name)}</h${h}>
<p>${esc(w.summary(level.ranked.length + level.problemUnits.length, level.ranked.length, level.problemUnits.length))}</p>
${rankingSection(level, options, id)}
${heatmapSection(level, options, id)}
${spreadSection(level, options, id)}
${problemsSection(level, options, id)}
${level.comparison?.length ? comparisonSection(level, level.comparison, report, options, id) : ''}
</section>`;
}

export function provenanceSection(report: ResultsReport, lang: Lang): string {
  const w = words(lang);
  const d = report.decision;
  const files = report.files.map((f) => `<tr><td>${esc(w.roles[f.role] ?? f.role)}</td><td><code>${esc(f.file)}</code></td><td class="hash">${esc(f.sha256)}</td></tr>`).join('\n');
  return `<section class="provenance keep" id="provenance" aria-labelledby="provenance-title">
<h2 id="provenance-title">${w.provenance}</h2>
<table class="provenance">
<tbody>
<tr><th scope="row">${w.decision}</th><td>${d.number.trim() ? esc(w.decisionText(d.number, formatDate(d.date), d.issuer)) : esc(w.draftDetail)}${d.title ? `<br><span class="muted">${esc(d.title)}</span>` : ''}</td></tr>
<tr><th scope="row">${w.engine}</th><td>tieuchi ${esc(report.engineVersion)}</td></tr>
<tr><th scope="row">${w.scoredAt}</th><td>${esc(provinceTime(report.scoredAt, lang))}</td></tr>
<tr><th scope="row">${w.rounding}</th><td>${esc(w.roundingText(report.rounding.decimals, report.rounding.mode, report.rounding.clampToMax))}</td></tr>
</tbody></table>
<table class="files">
<caption>${w.files}</caption>
<thead><tr><th scope="col">${w.role}</th><th scope="col">${w.file}</th><th scope="col">${w.sha}</th></tr></thead>
<tbody>
${files}
</tbody></table>
<p class="muted">${esc(w.recheck)}</p>
</section>`;
}

/** The whole report as one self-contained HTML document. */
export function renderResultsReport(report: ResultsReport, lang: Lang): string {
  const w = words(lang);
  const d = report.decision;
  const toc = report.levels.map((l) => `<li><a href="#${domId('level', l.id)}">${esc(l.name)}</a></li>`).join('');
  const body = `<header>
<h1>${esc(w.reportTitle(report.year))}</h1>
${report.draft ? draftBanner(lang, w.draftDetail) : ''}
${d.number.trim() ? `<p>${w.decision}: ${esc(w.decisionText(d.number, formatDate(d.date), d.issuer))}</p>` : ''}
<p class="muted">${w.scoredAt}: ${esc(provinceTime(report.scoredAt, lang))} · tieuchi ${esc(report.engineVersion)}</p>
<nav class="toc" aria-label="${w.contents}"><strong>${w.contents}</strong><ul>${toc}<li><a href="#provenance">${w.provenance}</a></li></ul></nav>
</header>
<main>
${report.levels.map((l) => levelSection(l, report, { lang })).join('\n')}
${report.otherProblems.length ? `<section class="keep"><h2>${w.otherProblems}</h2><ul>${report.otherProblems.map((p) => `<li>${problemText(p, lang)}</li>`).join('')}</ul></section>` : ''}
${provenanceSection(report, lang)}
</main>`;
  return htmlDocument({ lang, title: w.reportTitle(report.year) + (report.draft ? ` (${lang === 'vi' ? 'DỰ THẢO' : 'DRAFT'})` : ''), body, css: REPORT_CSS(report.draft, lang) });
}

/** A draft's pages say so in the printed header of every page too. */
const REPORT_CSS = (draft: boolean, lang: Lang) => `
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.tag { font-weight: 400; color: var(--warn); }
${draft ? `@page { @top-center { content: "${lang === 'vi' ? 'DỰ THẢO' : 'DRAFT'}"; color: #9a3412; font-weight: 700; letter-spacing: .1em; } } @page wide { @top-center { content: "${lang === 'vi' ? 'DỰ THẢO' : 'DRAFT'}"; color: #9a3412; font-weight: 700; } }` : ''}
`;
