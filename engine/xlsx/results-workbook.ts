/**
 * A score run as a workbook for the department: one ranking sheet per level
 * (rank, unit, total, points per criterion headed by its printed number),
 * each unit's explanation criterion by criterion, the data problems, and
 * where the result came from (criteria files and their hashes, engine
 * version, time).
 *
 * Numbers are stored as numbers with the format of the criteria file's own
 * decimals ("0.0" for 1, "0.00" for 2): Excel and LibreOffice show them with
 * the reader's decimal mark (3,8 in a Vietnamese locale), and they still add
 * up and sort.
 *
 * Every sheet prints on A4 (print.ts): header rows repeated, the agency and
 * title in the page header, page numbers in the footer, readable text.
 */
import ExcelJS from 'exceljs';
import type { CriteriaSet } from '../criteria-set.js';
import type { UnitScore } from '../evaluate/score.js';
import type { Lang, Problem } from '../problems.js';
import { explainCriterion } from '../report/explain.js';
import { applicableOf, attributeValueText, explainTotals, notApplicableText, unitAttributesText, unitTypeLabel, type LevelSummaryStructure } from '../report/structure.js'; // structures (issue 11)
import { draftTitle } from '../report/draft.js';
import { formatDate, formatPoints } from '../report/format.js';
import type { LevelSummary, Provenance, ScoreRun } from '../scoring.js';
import { pointsFormat } from './layout.js';
import { fitCell, fitRowHeight, heightFor, linesIn, setUpPrinting, textWidth } from './print.js';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };

const T = {
  vi: {
    title: (year: number, level: string) => `Kết quả chấm điểm thi đua Chuyển đổi số năm ${year} — ${level}`,
    basis: (decision: string, date: string, units: number, ranked: number) => `Theo Quyết định số ${decision}${date ? ` ngày ${formatDate(date)}` : ''}. ${units} đơn vị, ${ranked} đơn vị được xếp hạng.`,
    rank: 'Hạng',
    id: 'Mã đơn vị',
    name: 'Tên đơn vị',
    total: 'Tổng điểm',
    status: 'Ghi chú',
    max: 'Điểm chuẩn',
    none: '(không có đơn vị nào)',
    unranked: (numbers: string[]) => `Chưa xếp hạng: có lỗi số liệu${numbers.length ? ` ở tiêu chí ${numbers.join(', ')}` : ''} (xem trang "Lỗi số liệu")`,
    legend: 'Tiêu chí',
    criterionNote: (number: string, name: string, max: number) => `${number}. ${name} (điểm chuẩn ${formatPoints(max, 'vi')})`,
    explanations: 'Giải thích',
    problemsSheet: 'Lỗi số liệu',
    about: 'Thông tin',
    level: 'Cấp',
    number: 'Số TT',
    criterion: 'Tiêu chí',
    data: 'Số liệu',
    how: 'Cách tính',
    points: 'Điểm',
    where: 'Vị trí',
    severity: 'Mức',
    code: 'Mã lỗi',
    input: 'Số liệu',
    message: 'Nội dung',
    hint: 'Cách sửa',
    error: 'lỗi',
    warning: 'cảnh báo',
    noProblems: 'Không có lỗi số liệu.',
    page: 'Trang',
    key: 'Mục',
    value: 'Giá trị',
    type: 'Loại đơn vị',
    index: 'Chỉ số (0–1)',
    earned: 'Điểm đạt (trước quy đổi)',
    applicable: 'Điểm chuẩn áp dụng',
    base: 'Điểm cơ bản',
    bonus: 'Điểm thưởng',
    penalty: 'Điểm trừ',
    na: 'KAD',
    groupNote: (number: string, name: string, max?: number) => `Nhóm ${number}. ${name}${max === undefined ? '' : ` (tối đa ${formatPoints(max, 'vi')})`}`,
    naLegend: 'KAD: tiêu chí không áp dụng cho đơn vị (theo loại hoặc thuộc tính của đơn vị): không tính vào tổng, không phải 0 điểm.',
    rescaleLegend: (total: string) => `Đơn vị có tiêu chí không áp dụng: điểm cơ bản = điểm đạt × ${total} / điểm chuẩn áp dụng (tổng điểm chuẩn các tiêu chí áp dụng cho đơn vị), làm tròn một lần.`,
    totalRow: 'Tổng điểm',
  },
  en: {
    title: (year: number, level: string) => `Digital transformation emulation scores ${year} — ${level}`,
    basis: (decision: string, date: string, units: number, ranked: number) => `Under Decision ${decision}${date ? ` of ${formatDate(date)}` : ''}. ${units} unit(s), ${ranked} ranked.`,
    rank: 'Rank',
    id: 'Unit id',
    name: 'Unit name',
    total: 'Total',
    status: 'Note',
    max: 'Max points',
    none: '(no units)',
    unranked: (numbers: string[]) => `Not ranked: data problems${numbers.length ? ` in criteria ${numbers.join(', ')}` : ''} (see the "Problems" sheet)`,
    legend: 'Criteria',
    criterionNote: (number: string, name: string, max: number) => `${number}. ${name} (max ${formatPoints(max, 'en')})`,
    explanations: 'Explanations',
    problemsSheet: 'Problems',
    about: 'About',
    level: 'Level',
    number: 'No.',
    criterion: 'Criterion',
    data: 'Data',
    how: 'How',
    points: 'Points',
    where: 'Where',
    severity: 'Severity',
    code: 'Code',
    input: 'Input',
    message: 'Message',
    hint: 'What to do',
    error: 'error',
    warning: 'warning',
    noProblems: 'No data problems.',
    page: 'Page',
    key: 'Item',
    value: 'Value',
    type: 'Unit type',
    index: 'Index (0–1)',
    earned: 'Earned (before rescaling)',
    applicable: 'Applicable maximum',
    base: 'Base',
    bonus: 'Bonus',
    penalty: 'Penalty',
    na: 'n/a',
    groupNote: (number: string, name: string, max?: number) => `Group ${number}. ${name}${max === undefined ? '' : ` (max ${formatPoints(max, 'en')})`}`,
    naLegend: 'n/a: the criterion does not apply to the unit (by its type or attributes): left out of the total, not 0.',
    rescaleLegend: (total: string) => `Units with criteria that do not apply: base = earned × ${total} / applicable maximum (the maximum of the criteria that apply to the unit), rounded once.`,
    totalRow: 'Total',
  },
};

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(workbook: ExcelJS.Workbook, wanted: string): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').trim().slice(0, 31) || 'Sheet';
  let name = base;
  for (let n = 2; workbook.getWorksheet(name); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  return name;
}

function header(row: ExcelJS.Row): void {
  row.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  });
}

function unitOrder(a: UnitScore, b: UnitScore): number {
  return (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) || a.id.localeCompare(b.id);
}

/** Rows of the ranking sheet, so tests and readers can find the table (a structured level has its own columns before the criteria: structureColumns). */
export const RANKING_LAYOUT = { headerRow: 4, maxRow: 5, firstUnitRow: 6, firstCriterionColumn: 5 } as const;

/** A column of a structured level's ranking (issue 11) between the total and the criteria: text or points. */
interface StructureColumn {
  header: string;
  note?: string;
  max?: number;
  points: boolean;
  /** Number format of a value that is not points (an index shown with index_decimals). */
  numFmt?: string;
  width: number;
  value(unit: UnitScore): string | number | null;
}

/** The unit's type by name, its attributes in words, what applies and the rescaled base, bonus, penalty, subtotals of pillars and main indices. */
export function structureColumns(s: LevelSummaryStructure | undefined, lang: Lang): StructureColumn[] {
  if (!s) return [];
  const t = T[lang];
  const kad = t.na;
  return [
    ...(s.unitTypes.length ? [{ header: t.type, points: false, width: 18, value: (u: UnitScore) => unitTypeLabel(s, u.type) ?? null }] : []),
    ...s.attributes.map((a) => ({ header: a.label, points: false, width: 12, value: (u: UnitScore) => attributeValueText(s, a.id, u.attributes?.[a.id], lang) ?? null })),
    ...(s.indexDecimals !== undefined ? [{ header: t.index, points: false, numFmt: s.indexDecimals > 0 ? `0.${'0'.repeat(s.indexDecimals)}` : '0', width: Math.max(7, s.indexDecimals + 4), value: (u: UnitScore) => u.index ?? null }] : []),
    ...(s.hasApplicability
      ? [
          { header: t.earned, points: true, width: 10, value: (u: UnitScore) => applicableOf(u).earned ?? null },
          { header: t.applicable, points: false, width: 10, value: (u: UnitScore) => applicableOf(u).maxPoints ?? null },
        ]
      : []),
    ...(s.hasBonus || s.hasPenalty ? [{ header: t.base, points: true, width: 9, value: (u: UnitScore) => u.base ?? null }] : []),
    ...(s.hasBonus ? [{ header: t.bonus, points: true, width: 9, value: (u: UnitScore) => u.bonus ?? null }] : []),
    ...(s.hasPenalty ? [{ header: t.penalty, points: true, width: 9, value: (u: UnitScore) => u.penalty ?? null }] : []),
    ...s.groups
      .filter((g) => g.depth <= 1)
      .map((g) => ({
        header: g.number,
        note: t.groupNote(g.number, g.name, g.maxPoints),
        ...(g.maxPoints !== undefined ? { max: g.maxPoints } : {}),
        points: true,
        width: Math.max(6, s.decimals + 5),
        value: (u: UnitScore) => {
          const score = u.groups?.find((x) => x.id === g.id);
          if (score?.status === 'not_applicable') return kad;
          if (score?.status === 'info') return lang === 'vi' ? 'KTĐ' : 'info';
          return score?.points ?? null;
        },
      })),
  ];
}

function addRankingSheet(workbook: ExcelJS.Workbook, set: CriteriaSet, run: ScoreRun, level: LevelSummary, lang: Lang): void {
  const t = T[lang];
  const sheet = workbook.addWorksheet(sheetName(workbook, level.name), {
    views: [{ state: 'frozen', xSplit: 3, ySplit: RANKING_LAYOUT.maxRow, topLeftCell: `D${RANKING_LAYOUT.firstUnitRow}` }],
  });
  const compiled = set.levels.find((l) => l.id === level.id)!;
  const POINTS_FORMAT = pointsFormat(compiled.doc.scoring.rounding.decimals);
  const units = run.units.filter((u) => u.level === level.id).sort(unitOrder);
  const ranked = units.filter((u) => u.rank !== undefined).length;
  const draft = run.provenance.status === 'draft';
  sheet.getCell('A1').value = draftTitle(t.title(run.year, level.name), draft);
  if (draft) sheet.getCell('A1').font = { bold: true, size: 14, color: { argb: 'FFC00000' } };
  else sheet.getCell('A1').font = { bold: true, size: 14 };
  sheet.getCell('A2').value = draft
    ? lang === 'vi'
      ? `Theo dự thảo bộ tiêu chí năm ${run.year} (chưa ký ban hành). ${units.length} đơn vị, ${ranked} đơn vị được xếp hạng.`
      : `Under the draft ${run.year} criteria (not signed). ${units.length} unit(s), ${ranked} ranked.`
    : t.basis(compiled.doc.decision.number, compiled.doc.decision.date, units.length, ranked);
  sheet.getCell('A2').font = { italic: true };

  // structures (issue 11): type, attributes, what applies, base/bonus/penalty and subtotals come between the total and the criteria.
  const extra = structureColumns(level.structure, lang);
  const firstExtra = RANKING_LAYOUT.firstCriterionColumn;
  const first = firstExtra + extra.length;
  const statusColumn = first + level.criteria.length;
  const head = sheet.getRow(RANKING_LAYOUT.headerRow);
  head.values = [t.rank, t.id, t.name, t.total, ...extra.map((c) => c.header), ...level.criteria.map((c) => c.number), t.status];
  header(head);
  extra.forEach((c, i) => c.note && (sheet.getCell(RANKING_LAYOUT.headerRow, firstExtra + i).note = c.note));
  level.criteria.forEach((c, i) => (sheet.getCell(RANKING_LAYOUT.headerRow, first + i).note = t.criterionNote(c.number, c.name, c.maxPoints)));

  const max = sheet.getRow(RANKING_LAYOUT.maxRow);
  max.values = [null, null, t.max, level.totalPoints, ...extra.map((c) => c.max ?? null), ...level.criteria.map((c) => c.maxPoints)];
  max.font = { italic: true, color: { argb: 'FF595959' } };
  for (let c = 4; c < statusColumn; c++) max.getCell(c).numFmt = POINTS_FORMAT;

  let r = RANKING_LAYOUT.firstUnitRow;
  if (units.length === 0) sheet.getCell(r++, 3).value = t.none;
  for (const unit of units) {
    const row = sheet.getRow(r++);
    row.getCell(1).value = unit.rank ?? null;
    row.getCell(2).value = unit.id;
    row.getCell(3).value = fitCell(unit.name);
    row.getCell(4).value = unit.total ?? null;
    row.getCell(4).numFmt = POINTS_FORMAT;
    row.getCell(4).font = { bold: true };
    extra.forEach((c, i) => {
      const cell = row.getCell(firstExtra + i);
      const value = c.value(unit);
      cell.value = typeof value === 'string' ? fitCell(value) : value;
      if (c.points) cell.numFmt = POINTS_FORMAT;
      else if (c.numFmt) cell.numFmt = c.numFmt;
      if (value === t.na) {
        cell.alignment = { horizontal: 'right' };
        cell.font = { color: { argb: 'FF808080' } };
      }
    });
    const failed: string[] = [];
    level.criteria.forEach((c, i) => {
      const score = unit.criteria.find((x) => x.id === c.id);
      const cell = row.getCell(first + i);
      cell.numFmt = POINTS_FORMAT;
      if (score?.points !== undefined) cell.value = score.points;
      else if (score?.status === 'not_applicable') {
        // structures (issue 11): does not apply to the unit's type — neither 0 nor an error.
        cell.value = lang === 'vi' ? 'KAD' : 'n/a';
        cell.alignment = { horizontal: 'right' };
        cell.font = { color: { argb: 'FF808080' } };
      } else {
        cell.fill = ERROR_FILL;
        failed.push(c.number);
      }
    });
    if (unit.rank === undefined) {
      row.getCell(statusColumn).value = t.unranked(failed);
      row.getCell(statusColumn).font = { color: { argb: 'FFC00000' } };
    }
  }

  r += 1;
  const legendRows: number[] = [];
  if (level.structure?.hasApplicability) {
    // Why a unit has fewer criteria and a rescaled total, under the table.
    for (const text of [t.naLegend, ...(level.structure.notApplicable === 'none' ? [] : [t.rescaleLegend(formatPoints(level.totalPoints, lang, 4))])]) {
      sheet.getCell(r, 1).value = text;
      sheet.mergeCells(r, 1, r, statusColumn);
      sheet.getCell(r, 1).alignment = { wrapText: true, vertical: 'top' };
      legendRows.push(r);
      r++;
    }
    r++;
  }
  sheet.getCell(r++, 1).value = `${t.legend}:`;
  sheet.getCell(r - 1, 1).font = { bold: true };
  for (const c of level.criteria) {
    sheet.getCell(r, 1).value = c.number;
    sheet.getCell(r, 1).alignment = { horizontal: 'right' };
    sheet.getCell(r, 2).value = `${c.name} (${t.max.toLowerCase()} ${formatPoints(c.maxPoints, lang)})`;
    // Wrapped within the table's width: text overflowing to the right would widen what prints, and shrink it.
    sheet.mergeCells(r, 2, r, statusColumn);
    sheet.getCell(r, 2).alignment = { wrapText: true, vertical: 'top' };
    legendRows.push(r);
    r++;
  }

  // Widths chosen for A4 landscape at 8 points or more (print.ts); long names and notes wrap.
  sheet.getColumn(1).width = 6;
  sheet.getColumn(2).width = Math.min(20, Math.max(12, ...units.map((u) => textWidth(u.id) + 2)));
  sheet.getColumn(3).width = Math.min(28, Math.max(16, ...units.map((u) => textWidth(u.name) + 2)));
  sheet.getColumn(4).width = 8;
  const pointsWidth = Math.max(5, compiled.doc.scoring.rounding.decimals + 4);
  extra.forEach((c, i) => (sheet.getColumn(firstExtra + i).width = c.width));
  for (let i = 0; i < level.criteria.length; i++) sheet.getColumn(first + i).width = pointsWidth;
  sheet.getColumn(statusColumn).width = 20;
  sheet.getColumn(1).numFmt = '0';
  for (let row = RANKING_LAYOUT.firstUnitRow; row < RANKING_LAYOUT.firstUnitRow + units.length; row++) {
    const cells = sheet.getRow(row);
    cells.alignment = { wrapText: true, vertical: 'top' };
    fitRowHeight(sheet, cells);
  }
  let tableWidth = 0;
  for (let c = 2; c <= statusColumn; c++) tableWidth += sheet.getColumn(c).width ?? 9;
  for (const row of legendRows) {
    const text = sheet.getCell(row, 2).value ?? sheet.getCell(row, 1).value;
    sheet.getRow(row).height = heightFor(linesIn(String(text), tableWidth));
  }
  setUpPrinting(sheet, {
    title: t.title(run.year, level.name),
    ...agencyOf(compiled.doc.decision.managing_agency),
    titleRows: `${RANKING_LAYOUT.headerRow}:${RANKING_LAYOUT.maxRow}`,
    titleColumns: 'A:C',
    columns: statusColumn,
    pageWord: t.page,
  });
}

const agencyOf = (agency: string | undefined) => (agency ? { agency } : {});

function addExplanationSheet(workbook: ExcelJS.Workbook, set: CriteriaSet, run: ScoreRun, lang: Lang): void {
  const t = T[lang];
  const sheet = workbook.addWorksheet(sheetName(workbook, t.explanations), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  const widths = [10, 5, 14, 20, 5, 26, 32, 41, 6, 6];
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  header(sheet.addRow([t.level, t.rank, t.id, t.name, t.number, t.criterion, t.data, t.how, t.points, t.max]));
  for (const level of set.levels) {
    const format = pointsFormat(level.doc.scoring.rounding.decimals);
    const units = run.units.filter((u) => u.level === level.id).sort(unitOrder);
    for (const unit of units) {
      for (const score of unit.criteria) {
        const criterion = level.criteria.find((c) => c.id === score.id)!;
        const explanation = explainCriterion(score, level.doc.scoring, lang, criterion.def.inputs, criterion.def.parts); // parts: structures (issue 11)
        // structures (issue 11): why it does not apply, by the unit's type or by its attributes.
        const summary = score.status === 'not_applicable' ? notApplicableText(level, score.id, unit, lang) : explanation.summary;
        const row = sheet.addRow([level.name, unit.rank ?? null, unit.id, fitCell(unit.name), score.number, score.name, fitCell(explanation.inputs.join('\n')), fitCell(summary), score.points ?? null, score.maxPoints]);
        row.alignment = { wrapText: true, vertical: 'top' };
        row.getCell(9).numFmt = format;
        row.getCell(10).numFmt = format;
        if (score.status === 'error') row.getCell(9).fill = ERROR_FILL;
        fitRowHeight(sheet, row);
      }
      // structures (issue 11): the total's own row: the unit's type and attributes, rescaling, bonus and penalty, subtotals.
      const totals = level.structure?.shaped ? explainTotals(level, unit, lang) : [];
      if (totals.length) {
        const s = level.structure!;
        const who = [
          ...(unit.type !== undefined ? [`${t.type}: ${s.unitTypes.get(unit.type)?.label ?? unit.type}`] : []),
          ...(unit.attributes && Object.keys(unit.attributes).length ? [unitAttributesText(level, unit.attributes, lang)] : []),
        ];
        const row = sheet.addRow([level.name, unit.rank ?? null, unit.id, fitCell(unit.name), '', t.totalRow, fitCell(who.join('\n')), fitCell(totals.join('\n')), unit.total ?? null, unit.totalPoints]);
        row.alignment = { wrapText: true, vertical: 'top' };
        row.font = { bold: true };
        row.getCell(9).numFmt = format;
        fitRowHeight(sheet, row);
      }
    }
  }
  setUpPrinting(sheet, { title: `${t.explanations} — ${t.title(run.year, '').replace(/ — $/, '')}`, ...agencyOf(set.levels[0]?.doc.decision.managing_agency), titleRows: '1:1', pageWord: t.page });
}

function addProblemsSheet(workbook: ExcelJS.Workbook, set: CriteriaSet, run: ScoreRun, lang: Lang): void {
  const t = T[lang];
  const sheet = workbook.addWorksheet(sheetName(workbook, t.problemsSheet), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  // Every cell wraps and every row gets the height of its longest text, so printed lines never overlap.
  const widths = [18, 7, 15, 14, 8, 13, 14, 44, 32];
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  header(sheet.addRow([t.where, t.severity, t.code, t.id, t.level, t.criterion, t.input, t.message, t.hint]));
  const where = (p: Problem) => (p.location ? `${p.location.file}:${p.location.line}:${p.location.column}` : p.file ?? '');
  for (const p of run.problems) {
    const row = sheet.addRow([fitCell(where(p)), p.severity === 'error' ? t.error : t.warning, p.code, fitCell(p.unit ?? ''), p.level ?? '', p.criterion ?? '', fitCell(p.input ?? ''), fitCell(p.message[lang]), fitCell(p.hint?.[lang] ?? '')]);
    row.alignment = { wrapText: true, vertical: 'top' };
    fitRowHeight(sheet, row, 40);
  }
  if (run.problems.length === 0) sheet.addRow([t.noProblems]);
  setUpPrinting(sheet, { title: `${t.problemsSheet} — ${t.title(run.year, '').replace(/ — $/, '')}`, ...agencyOf(set.levels[0]?.doc.decision.managing_agency), titleRows: '1:1', pageWord: t.page });
}

/** The time of a run in Vietnam's time zone (the provinces' own): "05/10/2023 14:30 (giờ Việt Nam)". */
export function vietnamTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975); computed without relying on the ICU data present.
  const local = new Date(date.getTime() + 7 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const text = `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
  return lang === 'vi' ? `${text} (giờ Việt Nam)` : `${text} (Vietnam time, UTC+7)`;
}

/** The rounding rule in words: "Làm tròn 1 chữ số thập phân, từ 5 trở lên". */
export function roundingRule(rounding: Provenance['rounding'], lang: Lang): string {
  const d = rounding.decimals;
  if (lang === 'vi') {
    const places = d === 0 ? 'đến hàng đơn vị' : `${d} chữ số thập phân`;
    switch (rounding.mode) {
      case 'half_up':
        return `Làm tròn ${places}, từ 5 trở lên`;
      case 'half_even':
        return `Làm tròn ${places}, đúng 5 thì về số chẵn gần nhất`;
      case 'down':
        return `Làm tròn xuống ${places} (bỏ phần lẻ)`;
      case 'up':
        return `Làm tròn lên ${places} (phần lẻ nào cũng làm tròn lên)`;
      default:
        return `Làm tròn ${places} (${rounding.mode})`;
    }
  }
  const places = d === 0 ? 'to a whole number' : `to ${d} decimal place${d === 1 ? '' : 's'}`;
  const how: Record<string, string> = { half_up: 'halves up', half_even: 'halves to even', down: 'down (truncated)', up: 'up' };
  return `Rounded ${places}, ${how[rounding.mode] ?? rounding.mode}`;
}

function addAboutSheet(workbook: ExcelJS.Workbook, set: CriteriaSet, run: ScoreRun, lang: Lang): void {
  const t = T[lang];
  const sheet = workbook.addWorksheet(sheetName(workbook, t.about));
  sheet.getColumn(1).width = 22;
  sheet.getColumn(2).width = 60;
  header(sheet.addRow([t.key, t.value]));
  const p = run.provenance;
  const vi = lang === 'vi';
  const total = p.rounding.total === 'sum_of_rounded' ? (vi ? 'tổng điểm các tiêu chí đã làm tròn' : 'the sum of the rounded criterion points') : p.rounding.total;
  const rows: [string, string | number][] = [
    [vi ? 'Năm' : 'Year', p.year],
    [vi ? 'Quyết định' : 'Decision', vi ? `Số ${p.decision.number}${p.decision.date ? ` ngày ${formatDate(p.decision.date)}` : ''} của ${p.decision.issuer}` : `${p.decision.number}${p.decision.date ? ` of ${formatDate(p.decision.date)}` : ''}, ${p.decision.issuer}`],
    [vi ? 'Phần mềm chấm điểm' : 'Scored by', `${p.engine} ${p.engineVersion}`],
    [vi ? 'Thời điểm chấm' : 'Scored at', vietnamTime(p.scoredAt, lang)],
    [vi ? 'Làm tròn điểm' : 'Rounding', roundingRule(p.rounding, lang)],
    [vi ? 'Cách tính tổng' : 'Total', vi ? `Tổng điểm: ${total}` : `Total: ${total}`],
    [
      vi ? 'Điểm chuẩn' : 'Maximum',
      p.rounding.clampToMax
        ? vi ? 'Điểm mỗi tiêu chí không vượt quá điểm chuẩn của tiêu chí' : 'No criterion scores more than its maximum'
        : vi ? 'Điểm tiêu chí không bị giới hạn bởi điểm chuẩn' : 'Criterion points are not capped at the maximum',
    ],
    // structures (issue 11): what a unit's total does with the criteria that do not apply to it.
    ...run.levels
      .filter((l) => l.structure?.hasApplicability)
      .map((l): [string, string] => [
        vi ? `Tiêu chí không áp dụng (${l.name})` : `Criteria that do not apply (${l.name})`,
        l.structure!.notApplicable === 'none'
          ? vi ? 'Không tính vào tổng, không phải 0 điểm; tổng điểm không quy đổi.' : 'Left out of the total, not 0; totals are not rescaled.'
          : vi ? `Không tính vào tổng, không phải 0 điểm; điểm cơ bản được quy đổi về thang ${formatPoints(l.totalPoints, lang, 4)}: điểm đạt × ${formatPoints(l.totalPoints, lang, 4)} / tổng điểm chuẩn các tiêu chí áp dụng cho đơn vị, làm tròn một lần.` : `Left out of the total, not 0; the base is rescaled to ${formatPoints(l.totalPoints, lang, 4)}: earned × ${formatPoints(l.totalPoints, lang, 4)} / the maximum of the criteria that apply to the unit, rounded once.`,
      ]),
    ...p.files.map((f): [string, string] => [vi ? `Tệp tiêu chí (${f.level})` : `Criteria file (${f.level})`, `${f.file}\nSHA-256 ${f.sha256}`]),
  ];
  for (const values of rows) {
    const row = sheet.addRow(values);
    row.alignment = { wrapText: true, vertical: 'top', horizontal: 'left' };
    fitRowHeight(sheet, row);
  }
  setUpPrinting(sheet, { title: `${t.about} — ${t.title(run.year, '').replace(/ — $/, '')}`, ...agencyOf(set.levels[0]?.doc.decision.managing_agency), titleRows: '1:1', pageWord: t.page });
}

/** Build the results workbook of a run. The run must have been scored with traces for the explanations. */
export function buildResultsWorkbook(set: CriteriaSet, run: ScoreRun, lang: Lang): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = `${run.provenance.engine} ${run.provenance.engineVersion}`;
  workbook.created = new Date(run.provenance.scoredAt);
  workbook.title = draftTitle(T[lang].title(run.year, '').replace(/ — $/, ''), run.provenance.status === 'draft');
  for (const level of run.levels) addRankingSheet(workbook, set, run, level, lang);
  addExplanationSheet(workbook, set, run, lang);
  addProblemsSheet(workbook, set, run, lang);
  addAboutSheet(workbook, set, run, lang);
  return workbook;
}

export async function resultsWorkbookBytes(set: CriteriaSet, run: ScoreRun, lang: Lang): Promise<Buffer> {
  return Buffer.from(await buildResultsWorkbook(set, run, lang).xlsx.writeBuffer());
}
