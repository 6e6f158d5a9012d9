/**
 * Score runs as text for a terminal (a ranking per level) and as CSV. Each
 * row is built on its own (rowCells, csvUnitRow), so a run that streams
 * (tieuchi score on a million units) writes the same rows as a run held in
 * memory. Points show the file's own number of decimals. Text from the data
 * (unit names) is bounded for display and its control characters escaped;
 * CSV cells that a spreadsheet would run as a formula are neutralised.
 */
import stringWidth from 'string-width';
import type { Lang } from '../problems.js';
import type { LevelSummary, ScoreRun } from '../scoring.js';
import type { LevelSummaryStructure } from './structure.js';
import type { CriterionScore, UnitScore } from '../evaluate/score.js';
import { draftBanner, DRAFT_MARK, draftTitle } from './draft.js';
import { formatPoints } from './format.js';
import { criterionKindTag, criterionCell, structureCells, structureCsvCells, structureCsvHeader, structureHeader, structureLegend } from './structure.js'; // structures (issue 11)

/** Longest text measured for display: beyond it a cell is cut first (measuring is per character). */
const MEASURE_LIMIT = 400;

// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
// eslint-disable-next-line no-control-regex
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Text from the data, safe to print to a terminal: control characters (ANSI escapes among them) shown as \u001b, never sent raw. */
export function escapeForTerminal(text: string): string {
  UNSAFE_FOR_TERMINAL.lastIndex = 0;
  if (!UNSAFE_FOR_TERMINAL.test(text)) return text;
  return text.replace(UNSAFE_FOR_TERMINAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

/** Columns a text takes in a terminal; ASCII is counted without measuring. */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text.length > MEASURE_LIMIT ? text.slice(0, MEASURE_LIMIT) : text);
}

/** At most `width` columns, "…" when cut; linear in the width, whatever the text's length. */
export function truncate(text: string, width: number): string {
  if (text.length <= width && displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text.length > width * 4 ? text.slice(0, width * 4) : text) {
    const w = PRINTABLE_ASCII.test(ch) ? 1 : stringWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}

function pad(text: string, width: number, right = false): string {
  const gap = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? gap + text : text + gap;
}

/** Align rows into columns; `numeric` columns are right-aligned. */
export function alignColumns(rows: string[][], numeric: boolean[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))));
  return rows.map((r) => alignRow(r, widths, numeric)).join('\n');
}

export function alignRow(cells: readonly string[], widths: readonly number[], numeric: readonly boolean[]): string {
  return cells.map((cell, i) => pad(cell, widths[i]!, numeric[i])).join('  ').trimEnd();
}

const T = {
  vi: { rank: 'Hạng', unit: 'Mã đơn vị', name: 'Tên đơn vị', total: 'Tổng', level: 'Cấp', year: 'năm', units: 'đơn vị', noTotal: 'chưa đủ số liệu', none: '(không có đơn vị nào)', incomplete: 'Đơn vị chưa xếp hạng (có lỗi số liệu, xem bên dưới)' },
  en: { rank: 'Rank', unit: 'Unit id', name: 'Unit name', total: 'Total', level: 'Level', year: 'year', units: 'units', noTotal: 'incomplete data', none: '(no units)', incomplete: 'Units not ranked (data problems, see below)' },
};

/** Points with exactly the file's decimals (3,8; 16,67), for reading. */
export function shownPoints(value: number, lang: Lang, decimals: number): string {
  return formatPoints(value, lang, decimals, decimals);
}

/** Number of decimals each level shows: the level file's rounding.decimals (by default the run's). */
export type DecimalsOf = (level: string) => number;

function decimalsOfRun(run: Pick<ScoreRun, 'provenance'>): DecimalsOf {
  const decimals = run.provenance.rounding.decimals;
  return () => decimals;
}

/** A ranking table's header cells for a level. */
export function headerCells(level: LevelSummary, lang: Lang): string[] {
  const t = T[lang];
  // structures (issue 11): a structured level adds type, index, base, bonus, penalty and group subtotals after the total.
  return [t.rank, t.unit, t.name, t.total, ...(level.structure ? structureHeader(level.structure, lang) : []), ...level.criteria.map((c) => c.number)];
}

/** Which of a ranking table's columns are right-aligned. */
export function numericColumns(level: LevelSummary): boolean[] {
  return [true, false, false, true, ...(level.structure ? structureHeader(level.structure, 'vi').map(() => true) : []), ...level.criteria.map(() => true)];
}

/** A unit's table cells after the rank: id, name (escaped, at most 40 columns), total, points per criterion of its level. */
export function rowCells(unit: UnitScore, level: LevelSummary, lang: Lang, decimals: number): string[] {
  const byId = new Map<string, CriterionScore>();
  for (const c of unit.criteria) byId.set(c.id, c);
  return [
    truncate(escapeForTerminal(unit.id), 40),
    truncate(escapeForTerminal(unit.name.length > 200 ? unit.name.slice(0, 200) : unit.name), 40),
    unit.total === undefined ? '—' : shownPoints(unit.total, lang, decimals),
    ...(level.structure ? structureCells(level.structure, unit, lang).map((cell) => truncate(escapeForTerminal(cell), 40)) : []),
    ...level.criteria.map((c) => {
      const score = byId.get(c.id);
      // structures (issue 11): a criterion that does not apply shows KAD, never 0 nor —.
      if (score?.status === 'not_applicable') return criterionCell(score, lang, decimals)!;
      return score?.points === undefined ? '—' : shownPoints(score.points, lang, decimals);
    }),
  ];
}

/** The line above a level's table. */
export function levelTitle(level: LevelSummary, year: number, unitCount: number, lang: Lang, draft = false): string[] {
  const t = T[lang];
  const title = `${draftTitle(`${escapeForTerminal(level.name)} — ${t.year} ${year}`, draft)} (${unitCount} ${t.units}, ${formatPoints(level.totalPoints, lang, 4)} ${lang === 'vi' ? 'điểm' : 'points'})`;
  return [title, '='.repeat(Math.min(100, displayWidth(title)))];
}

/** The criteria of a level under its table: number, name, maximum. */
export function levelLegend(level: LevelSummary, lang: Lang): string[] {
  const s = level.structure;
  return [
    ...(s ? structureLegend(s, lang, level.totalPoints).map(escapeForTerminal) : []),
    ...level.criteria.map((c) => `${c.number}. ${truncate(escapeForTerminal(c.name), 70)} (${formatPoints(c.maxPoints, lang, 4)})${s ? criterionKindTag(s, c.id, lang) : ''}`),
  ];
}

export const TABLE_WORDS = T;

/** Order of units in a ranking: by rank (unranked last), then by id (code-unit order, the same on every machine). */
export function compareForRanking(a: { rank?: number; id: string }, b: { rank?: number; id: string }): number {
  return (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** One ranking table per level: rank, unit, total and points per criterion (headed by their printed numbers). */
export function rankingText(run: ScoreRun, lang: Lang, decimalsOf: DecimalsOf = decimalsOfRun(run)): string {
  const t = T[lang];
  const blocks: string[] = [];
  for (const level of run.levels) {
    const units = run.units.filter((u) => u.level === level.id);
    const ranked = units.filter((u) => u.rank !== undefined).sort(compareForRanking);
    const unranked = units.filter((u) => u.rank === undefined).sort(compareForRanking);
    const decimals = decimalsOf(level.id);
    const row = (u: UnitScore) => [u.rank === undefined ? '—' : String(u.rank), ...rowCells(u, level, lang, decimals)];
    const numeric = numericColumns(level);
    const lines = levelTitle(level, run.year, units.length, lang, run.provenance.status === 'draft');
    if (units.length === 0) lines.push(t.none);
    else {
      lines.push(alignColumns([headerCells(level, lang), ...ranked.map(row)], numeric));
      if (unranked.length) lines.push('', `${t.incomplete}:`, alignColumns(unranked.map(row), numeric));
    }
    lines.push('', ...levelLegend(level, lang));
    blocks.push(lines.join('\n'));
  }
  return (run.provenance.status === 'draft' ? draftBanner(run.year, lang) + '\n\n' : '') + blocks.join('\n\n');
}

/**
 * A CSV cell. Text a spreadsheet would run as a formula (starting with =, +,
 * -, @, a tab or a carriage return) is prefixed with an apostrophe, as OWASP
 * advises for CSV injection; numbers are written as numbers.
 */
const PLAIN_CELL = /^[\p{L}\p{N}][^",\r\n;]*$/u;

export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (PLAIN_CELL.test(value)) return value;
  let text = value;
  if (text !== '' && '=+-@\t\r'.includes(text[0]!)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Criterion ids of the CSV's columns: every level's, in level order, each once. */
export function csvCriterionIds(levels: readonly LevelSummary[]): string[] {
  const ids: string[] = [];
  for (const level of levels) for (const c of level.criteria) if (!ids.includes(c.id)) ids.push(c.id);
  return ids;
}

/**
 * A draft's CSV leads every row with "DỰ THẢO <year>" (the header with
 * criteria_status), so that a row copied out of the file still says it.
 */
export function csvDraftLead(draftYear: number | undefined, header = false): string {
  if (draftYear === undefined) return '';
  return header ? 'criteria_status,' : `${csvCell(`${DRAFT_MARK} ${draftYear}`)},`;
}

/** structures (issue 11): the extra CSV columns of a run's structured levels (type, base, bonus, penalty, index, group:<id>); none for plain sets. */
export function csvStructureColumns(levels: readonly LevelSummary[]): string[] {
  return structureCsvHeader([...levels]);
}

export function csvHeader(criterionIds: readonly string[], draftYear?: number, structureColumns: readonly string[] = []): string {
  return csvDraftLead(draftYear, true) + ['level', 'rank', 'id', 'name', 'status', 'total', ...structureColumns, ...criterionIds].map(csvCell).join(',') + '\n';
}

/** Per list of columns and level: which of the level's criteria each column shows (-1: none). */
const columnPlans = new WeakMap<readonly string[], Map<string, Int32Array>>();

function columnPlan(criterionIds: readonly string[], unit: UnitScore): Int32Array {
  let byLevel = columnPlans.get(criterionIds);
  if (!byLevel) columnPlans.set(criterionIds, (byLevel = new Map()));
  let plan = byLevel.get(unit.level);
  if (!plan) {
    plan = Int32Array.from(criterionIds, (id) => unit.criteria.findIndex((c) => c.id === id));
    byLevel.set(unit.level, plan);
  }
  return plan;
}

/** A unit's CSV row after "level,rank,": id, name, status, total and the points of every criterion column (decimals of its level). */
export function csvUnitRow(unit: UnitScore, criterionIds: readonly string[], decimals: number, structureColumns: readonly string[] = [], structure?: LevelSummaryStructure): string {
  let row = `${csvCell(unit.id)},${csvCell(unit.name)},${csvCell(unit.status)},${unit.total === undefined ? '' : unit.total.toFixed(decimals)}`;
  if (structureColumns.length) {
    // Points with the level's decimals; the index as rounded (index_decimals) and a maximum as declared; type and statuses as text.
    const cells = structureCsvCells([...structureColumns], unit, structure);
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[k]!;
      row += `,${typeof cell === 'number' ? (structureColumns[k] === 'index' || structureColumns[k] === 'applicable_max' ? String(cell) : cell.toFixed(decimals)) : csvCell(cell)}`;
    }
  }
  const criteria = unit.criteria;
  const plan = columnPlan(criterionIds, unit);
  for (let k = 0; k < criterionIds.length; k++) {
    let i = plan[k]!;
    // The plan was made from another unit of the level; a unit built by hand may differ.
    if (i >= 0 && criteria[i]?.id !== criterionIds[k]) i = criteria.findIndex((c) => c.id === criterionIds[k]);
    const score = i >= 0 ? criteria[i] : undefined;
    if (score?.status === 'not_applicable') row += ',not_applicable'; // structures (issue 11)
    else row += score?.points === undefined ? ',' : `,${score.points.toFixed(decimals)}`;
  }
  return row + '\n';
}

/** CSV, one row per unit, one column per criterion id (union over levels). A BOM makes Excel read UTF-8. */
export function rankingCsv(run: ScoreRun, decimalsOf: DecimalsOf = decimalsOfRun(run)): string {
  const criterionIds = csvCriterionIds(run.levels);
  const structureColumns = csvStructureColumns(run.levels);
  const draftYear = run.provenance.status === 'draft' ? run.year : undefined;
  const out = ['\uFEFF' + csvHeader(criterionIds, draftYear, structureColumns)];
  for (const level of run.levels) {
    const units = run.units.filter((u) => u.level === level.id).sort(compareForRanking);
    for (const u of units) out.push(`${csvDraftLead(draftYear)}${csvCell(u.level)},${u.rank ?? ''},${csvUnitRow(u, criterionIds, decimalsOf(level.id), structureColumns, level.structure)}`);
  }
  return out.join('');
}
