/**
 * The score sheet of one unit ("phiếu chấm điểm"): every criterion with the
 * unit's data, how its points were reached, the points, columns for the
 * self-assessed and appraised points with the appraiser's reasons and
 * evidence, and a signature block. One or two A4 pages per unit.
 *
 * Appraisals (rounds of self-assessment and appraisal) are an optional
 * input: without them the columns are left blank to be filled by hand.
 */
import type { CriteriaSet } from '../../criteria-set.js';
import type { Lang, Problem } from '../../problems.js';
import { explainCriterion } from '../explain.js';
import { explainTotals, notApplicableText, unitAttributesText } from '../structure.js'; // structures (issue 11)
import { formatDate, formatPoints } from '../format.js';
import type { ScoreRun } from '../../scoring.js';
import { draftBanner, htmlDocument } from './document.js';
import { isDraftSet } from './draft.js';
import { domId, esc } from './escape.js';
import { words } from './words.js';

/** One criterion's appraisal in a round (engine/round fills these). */
export interface SheetAppraisal {
  criterion: string;
  /** Points the unit gave itself. */
  selfAssessed?: number;
  /** Points the appraisal council gave. */
  appraised?: number;
  /** Why the appraised points differ, in the appraiser's words. */
  reason?: string;
  /** Evidence references: a document number, a file name, a link. */
  evidence?: { label: string; href?: string }[];
}

/** A unit's appraisal in one round. */
export interface UnitAppraisal {
  round?: string;
  appraiser?: string;
  /** ISO date of the appraisal. */
  date?: string;
  criteria: SheetAppraisal[];
}

export interface SheetRow {
  id: string;
  number: string;
  name: string;
  maxPoints: number;
  /** The criterion's "căn cứ tính điểm" as printed. */
  evidenceRule: string;
  /** The unit's reported values, one line each. */
  inputs: string[];
  /** How the points were reached (explainCriterion), or the data problem. */
  how: string;
  points?: number;
  /** structures (issue 11): the criterion does not apply to the unit ("không áp dụng": neither 0 nor missing). */
  notApplicable?: boolean;
  problems: string[];
  appraisal?: SheetAppraisal;
}

export interface ScoreSheet {
  unit: { id: string; name: string };
  level: { id: string; name: string };
  year: number;
  decision: { number: string; date: string; issuer: string; managingAgency?: string };
  draft: boolean;
  decimals: number;
  totalPoints: number;
  total?: number;
  rank?: number;
  /** Ranked units of the level. */
  peers: number;
  rows: SheetRow[];
  /** structures (issue 11): the unit's type by name, its attributes in words, how its total was reached (rescaling, bonus, penalty, subtotals). */
  unitType?: string;
  attributes?: string;
  totalLines?: string[];
  unitProblems: string[];
  appraisal?: Omit<UnitAppraisal, 'criteria'>;
}

export interface SheetOptions {
  /** Only these unit ids (default: every unit of the run). */
  units?: readonly string[];
  /** Per unit id: its appraisal in a round. */
  appraisals?: Readonly<Record<string, UnitAppraisal>>;
}

const problemLine = (p: Problem, lang: Lang) => `${p.message[lang]}${p.hint ? ` → ${p.hint[lang]}` : ''}`;

/** Build the sheets from a run scored with traces (the explanations need them). */
export function buildScoreSheets(set: CriteriaSet, run: ScoreRun, lang: Lang, options: SheetOptions = {}): ScoreSheet[] {
  const wanted = options.units ? new Set(options.units) : undefined;
  const draft = isDraftSet(set);
  const sheets: ScoreSheet[] = [];
  for (const unit of run.units) {
    if (wanted && !wanted.has(unit.id)) continue;
    const level = set.levels.find((l) => l.id === unit.level)!;
    const appraisal = Object.prototype.hasOwnProperty.call(options.appraisals ?? {}, unit.id) ? options.appraisals![unit.id] : undefined;
    const byCriterion = new Map(appraisal?.criteria.map((a) => [a.criterion, a]) ?? []);
    const rows: SheetRow[] = unit.criteria.map((score) => {
      const criterion = level.criteria.find((c) => c.id === score.id)!;
      const explanation = explainCriterion(score, level.doc.scoring, lang, criterion.def.inputs);
      const mine = byCriterion.get(score.id);
      return {
        id: score.id,
        number: score.number,
        name: score.name,
        maxPoints: score.maxPoints,
        evidenceRule: criterion.def.evidence,
        inputs: explanation.inputs,
        how: score.status === 'scored' ? explanation.summary : score.status === 'not_applicable' ? notApplicableText(level, score.id, unit, lang) : '',
        ...(score.status === 'scored' && score.points !== undefined ? { points: score.points } : {}),
        ...(score.status === 'not_applicable' ? { notApplicable: true } : {}),
        problems: score.problems.map((p) => problemLine(p, lang)),
        ...(mine ? { appraisal: mine } : {}),
      };
    });
    const decision = level.doc.decision;
    sheets.push({
      unit: { id: unit.id, name: unit.name },
      level: { id: level.id, name: level.name },
      year: set.year,
      decision: { number: decision.number, date: decision.date, issuer: decision.issuer, ...(decision.managing_agency ? { managingAgency: decision.managing_agency } : {}) },
      draft,
      decimals: level.doc.scoring.rounding.decimals,
      totalPoints: level.totalPoints.toNumber(),
      ...(unit.total === undefined ? {} : { total: unit.total }),
      ...(unit.rank === undefined ? {} : { rank: unit.rank }),
      peers: run.units.filter((u) => u.level === unit.level && u.rank !== undefined).length,
      rows,
      ...(unit.type !== undefined ? { unitType: level.structure?.unitTypes.get(unit.type)?.label ?? unit.type } : {}),
      ...(unit.attributes && Object.keys(unit.attributes).length ? { attributes: unitAttributesText(level, unit.attributes, lang) } : {}),
      ...(level.structure?.shaped && unit.total !== undefined ? { totalLines: explainTotals(level, unit, lang) } : {}),
      unitProblems: unit.problems.map((p) => problemLine(p, lang)),
      ...(appraisal ? { appraisal: { ...(appraisal.round ? { round: appraisal.round } : {}), ...(appraisal.appraiser ? { appraiser: appraisal.appraiser } : {}), ...(appraisal.date ? { date: appraisal.date } : {}) } } : {}),
    });
  }
  return sheets;
}

function sumOf(values: (number | undefined)[], decimals: number): number | undefined {
  if (values.some((v) => v === undefined)) return undefined;
  const scale = 10 ** decimals;
  return values.reduce<number>((s, v) => s + Math.round(v! * scale), 0) / scale;
}

/** One sheet as an <article>, ready to print on its own page(s). */
export function renderSheet(sheet: ScoreSheet, lang: Lang): string {
  const w = words(lang);
  // Points with the file's own decimals (13,80 with decimals: 2).
  const p = (v: number | undefined) => (v === undefined ? '' : formatPoints(v, lang, sheet.decimals, sheet.decimals));
  const id = domId('sheet', sheet.level.id, sheet.unit.id);
  const rows = sheet.rows
    .map((r) => {
      const a = r.appraisal;
      const evidence = a?.evidence?.length ? `<div class="refs">${a.evidence.map((e) => (e.href && /^https?:\/\//i.test(e.href) ? `<a href="${esc(e.href)}">${esc(e.label)}</a>` : esc(e.label))).join('; ')}</div>` : '';
      return `<tr>
<td class="num">${esc(r.number)}</td>
<td><div class="crit-name">${esc(r.name)}</div><div class="muted small">${/^căn cứ/i.test(r.evidenceRule.trim()) ? '' : `${w.evidence}: `}${esc(r.evidenceRule)}</div></td>
<td class="num">${formatPoints(r.maxPoints, lang)}</td>
<td>${r.inputs.length ? `<div><span class="label">${w.inputs}:</span> ${esc(r.inputs.join('; '))}</div>` : ''}${r.how ? `<div><span class="label">${w.how}:</span> ${esc(r.how)}</div>` : ''}${r.problems.map((x) => `<div class="problem"><span class="label">${w.error}:</span> ${esc(x)}</div>`).join('')}</td>
<td class="num pts">${r.notApplicable ? `<abbr title="${esc(w.notApplicable)}">${esc(w.notApplicableShort)}</abbr>` : r.points === undefined ? '—' : p(r.points)}</td>
<td class="num fill">${p(a?.selfAssessed)}</td>
<td class="num fill">${p(a?.appraised)}</td>
<td class="fill">${a?.reason ? esc(a.reason) : ''}${evidence}</td>
</tr>`;
    })
    .join('\n');
  const selfTotal = sheet.appraisal ? sumOf(sheet.rows.map((r) => r.appraisal?.selfAssessed), sheet.decimals) : undefined;
  const appraisedTotal = sheet.appraisal ? sumOf(sheet.rows.map((r) => r.appraisal?.appraised), sheet.decimals) : undefined;
  const d = sheet.decision;
  return `<article class="sheet" id="${id}" aria-labelledby="${id}-title">
<header class="sheet-head">
<div class="agency"><div>${esc((d.managingAgency ?? d.issuer).toUpperCase())}</div></div>
<div class="motto"><div><strong>${lang === 'vi' ? 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' : 'SOCIALIST REPUBLIC OF VIET NAM'}</strong></div><div>${lang === 'vi' ? 'Độc lập - Tự do - Hạnh phúc' : 'Independence - Freedom - Happiness'}</div></div>
</header>
${sheet.draft ? draftBanner(lang, w.draftDetail) : ''}
<h1 id="${id}-title" class="sheet-title">${esc(w.sheetTitle(sheet.year))}</h1>
<p class="sheet-basis">${d.number.trim() ? `${w.decision}: ${esc(w.decisionText(d.number, formatDate(d.date), d.issuer))}` : ''}</p>
<table class="sheet-meta"><tbody>
<tr><th scope="row">${w.sheetUnit}</th><td><strong>${esc(sheet.unit.name)}</strong> (<code>${esc(sheet.unit.id)}</code>)</td></tr>
<tr><th scope="row">${w.level}</th><td>${esc(sheet.level.name)}</td></tr>
${sheet.unitType !== undefined ? `<tr><th scope="row">${w.unitType}</th><td>${esc(sheet.unitType)}</td></tr>` : ''}
${sheet.attributes !== undefined ? `<tr><th scope="row">${w.unitAttributes}</th><td>${esc(sheet.attributes)}</td></tr>` : ''}
${sheet.appraisal?.round ? `<tr><th scope="row">${w.round}</th><td>${esc(sheet.appraisal.round)}</td></tr>` : ''}
<tr><th scope="row">${w.total}</th><td><strong>${sheet.total === undefined ? '—' : p(sheet.total)}</strong> / ${formatPoints(sheet.totalPoints, lang)} ${w.points} — ${sheet.rank === undefined ? w.noRank : w.rankText(sheet.rank, sheet.peers)}${sheet.totalLines?.length ? `<div class="small">${sheet.totalLines.map((line) => esc(line.trim())).join('<br>')}</div>` : ''}</td></tr>
</tbody></table>
<table class="sheet-table">
<colgroup><col style="width:3.5%"><col style="width:24%"><col style="width:6%"><col style="width:36.5%"><col style="width:7%"><col style="width:7%"><col style="width:7%"><col style="width:9%"></colgroup>
<thead><tr><th scope="col" class="num">TT</th><th scope="col">${w.criterion}</th><th scope="col" class="num">${w.maxPoints}</th><th scope="col">${w.inputs}, ${w.how.toLowerCase()}</th><th scope="col" class="num">${w.pointsByData}</th><th scope="col" class="num">${w.selfAssessed}</th><th scope="col" class="num">${w.appraised}</th><th scope="col">${w.reasons}</th></tr></thead>
<tbody>
${rows}
<tr class="total-row"><th scope="row" colspan="2">${w.sheetTotal}</th><td class="num">${formatPoints(sheet.totalPoints, lang)}</td><td></td><td class="num pts"><strong>${sheet.total === undefined ? '—' : p(sheet.total)}</strong></td><td class="num fill">${p(selfTotal)}</td><td class="num fill">${p(appraisedTotal)}</td><td class="fill"></td></tr>
</tbody>
</table>
${sheet.unitProblems.map((x) => `<p class="problem">${w.error}: ${esc(x)}</p>`).join('')}
<div class="signatures keep">
<p class="date-line">${esc(w.dateLine)}</p>
<div class="sign-row">
<div class="sign"><strong>${sheet.appraisal?.appraiser ? w.appraiser : w.grader}</strong><div class="muted">${w.signHint}</div><div class="sign-space"></div><div>${sheet.appraisal?.appraiser ? esc(sheet.appraisal.appraiser) : ''}</div></div>
<div class="sign"><strong>${w.head}</strong><div class="muted">${w.sealHint}</div><div class="sign-space"></div></div>
</div>
</div>
</article>`;
}

export const SHEET_CSS = `
.sheet { break-after: page; }
.sheet:last-of-type { break-after: auto; }
.sheet-head { display: flex; justify-content: space-between; gap: 1rem; text-align: center; font-size: .85rem; }
.sheet-title { text-align: center; font-size: 1.15rem; margin: .8rem 0 .2rem; }
.sheet-basis { text-align: center; font-style: italic; margin: 0 0 .6rem; }
.sheet-meta th { width: 11rem; }
.sheet-table { width: 100%; font-size: .8rem; table-layout: fixed; }
.sheet-table thead th { font-size: .72rem; vertical-align: bottom; white-space: normal; text-align: center; }
.sheet-table td { overflow-wrap: anywhere; }
.total-row th, .total-row td { border-top: 2px solid #1f2328; }
.sheet-table td, .sheet-table th { padding: .12rem .25rem; line-height: 1.3; }
.sheet-table .fill { min-width: 3.2rem; }
.sheet-table td.pts { font-weight: 700; }
.crit-name { font-weight: 600; }
.small { font-size: .72rem; }
.label { font-weight: 600; }
.problem { color: #a40e26; }
.refs { font-size: .75rem; margin-top: .2rem; }
.signatures { margin-top: 1rem; }
.date-line { text-align: right; font-style: italic; }
.sign-row { display: flex; justify-content: space-around; text-align: center; }
.sign { min-width: 14rem; }
.sign-space { height: 4.5rem; }
@media print { .sheet-table { font-size: 7.2pt; } .sheet-table .small { font-size: 6.4pt; } html { font-size: 9pt; } .sign-space { height: 3.2rem; } .sheet-title { margin-top: .4rem; } }
@page { margin: 10mm 9mm 12mm; }
`;

/** Every sheet in one printable document. */
export function renderScoreSheets(sheets: readonly ScoreSheet[], lang: Lang): string {
  const w = words(lang);
  const year = sheets[0]?.year ?? 0;
  return htmlDocument({ lang, title: w.sheetsTitle(year), body: `<main>${sheets.map((s) => renderSheet(s, lang)).join('\n')}</main>`, css: SHEET_CSS });
}
