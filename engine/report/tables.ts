/**
 * Score runs as text for a terminal (a ranking per level) and as CSV.
 */
import stringWidth from 'string-width';
import { stringify } from 'csv-stringify/sync';
import type { Lang } from '../problems.js';
import type { ScoreRun } from '../scoring.js';
import type { UnitScore } from '../evaluate/score.js';
import { formatPoints } from './format.js';
import { criterionKindTag, criterionCell, structureCells, structureCsvCells, structureCsvHeader, structureHeader, structureLegend } from './structure.js'; // structures (issue 11)

function pad(text: string, width: number, right = false): string {
  const gap = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return right ? gap + text : text + gap;
}

function truncate(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (stringWidth(out + ch + '…') > width) break;
    out += ch;
  }
  return out + '…';
}

/** Align rows into columns; `numeric` columns are right-aligned. */
export function alignColumns(rows: string[][], numeric: boolean[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => stringWidth(r[i] ?? ''))));
  return rows.map((r) => r.map((cell, i) => pad(cell, widths[i]!, numeric[i])).join('  ').trimEnd()).join('\n');
}

const T = {
  vi: { rank: 'Hạng', unit: 'Mã đơn vị', name: 'Tên đơn vị', total: 'Tổng', level: 'Cấp', year: 'năm', units: 'đơn vị', noTotal: 'chưa đủ số liệu', none: '(không có đơn vị nào)', incomplete: 'Đơn vị chưa xếp hạng (có lỗi số liệu, xem bên dưới)' },
  en: { rank: 'Rank', unit: 'Unit id', name: 'Unit name', total: 'Total', level: 'Level', year: 'year', units: 'units', noTotal: 'incomplete data', none: '(no units)', incomplete: 'Units not ranked (data problems, see below)' },
};

function points(unit: UnitScore, criterionId: string, lang: Lang, decimals = 1): string {
  const c = unit.criteria.find((x) => x.id === criterionId);
  if (c?.status === 'not_applicable') return criterionCell(c, lang, decimals)!; // structures (issue 11)
  return c?.points === undefined ? '—' : formatPoints(c.points, lang, decimals);
}

/** One ranking table per level: rank, unit, total and points per criterion (headed by their printed numbers). */
export function rankingText(run: ScoreRun, lang: Lang): string {
  const t = T[lang];
  const blocks: string[] = [];
  for (const level of run.levels) {
    const units = run.units.filter((u) => u.level === level.id);
    const ranked = units.filter((u) => u.rank !== undefined).sort((a, b) => a.rank! - b.rank! || a.id.localeCompare(b.id));
    const unranked = units.filter((u) => u.rank === undefined);
    const title = `${level.name} — ${t.year} ${run.year} (${units.length} ${t.units}, ${formatPoints(level.totalPoints, lang)} ${lang === 'vi' ? 'điểm' : 'points'})`;
    // structures (issue 11): a structured level adds type, index, base, bonus, penalty and group subtotals after the total.
    const s = level.structure;
    const d = s?.decimals ?? 1;
    const header = [t.rank, t.unit, t.name, t.total, ...(s ? structureHeader(s, lang) : []), ...level.criteria.map((c) => c.number)];
    const row = (u: UnitScore) => [u.rank === undefined ? '—' : String(u.rank), u.id, truncate(u.name, 40), u.total === undefined ? '—' : formatPoints(u.total, lang, d), ...(s ? structureCells(s, u, lang) : []), ...level.criteria.map((c) => points(u, c.id, lang, d))];
    const numeric = header.map((_, i) => i === 0 || i >= 3);
    const lines = [title, '='.repeat(Math.min(100, stringWidth(title)))];
    if (units.length === 0) lines.push(t.none);
    else {
      lines.push(alignColumns([header, ...ranked.map(row)], numeric));
      if (unranked.length) lines.push('', `${t.incomplete}:`, alignColumns(unranked.map(row), numeric));
    }
    const legend = [...(s ? structureLegend(s, lang) : []), ...level.criteria.map((c) => `${c.number}. ${truncate(c.name, 70)} (${formatPoints(c.maxPoints, lang, d)})${s ? criterionKindTag(s, c.id, lang) : ''}`)];
    lines.push('', ...legend);
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

/** CSV, one row per unit, one column per criterion id (union over levels). A BOM makes Excel read UTF-8. */
export function rankingCsv(run: ScoreRun): string {
  const criterionIds: string[] = [];
  for (const level of run.levels) for (const c of level.criteria) if (!criterionIds.includes(c.id)) criterionIds.push(c.id);
  const extra = structureCsvHeader(run.levels); // structures (issue 11): empty for plain sets
  const rows: (string | number)[][] = [['level', 'rank', 'id', 'name', 'status', 'total', ...extra, ...criterionIds]];
  for (const level of run.levels) {
    const units = run.units.filter((u) => u.level === level.id).sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.id.localeCompare(b.id));
    for (const u of units) {
      rows.push([u.level, u.rank ?? '', u.id, u.name, u.status, u.total ?? '', ...structureCsvCells(extra, u), ...criterionIds.map((id) => {
        const c = u.criteria.find((x) => x.id === id);
        return c?.status === 'not_applicable' ? 'not_applicable' : (c?.points ?? '');
      })]);
    }
  }
  return '\uFEFF' + stringify(rows);
}
