/**
 * A score run as a workbook for the department: one ranking sheet per level
 * (rank, unit, total, points per criterion headed by its printed number),
 * each unit's explanation criterion by criterion, the data problems, and
 * where the result came from (criteria files and their hashes, engine
 * version, time).
 *
 * Numbers are stored as numbers with the format "0.0": Excel and LibreOffice
 * show them with the reader's decimal mark (3,8 in a Vietnamese locale), and
 * they still add up and sort.
 */
import ExcelJS from 'exceljs';
import stringWidth from 'string-width';
import type { CriteriaSet } from '../criteria-set.js';
import type { UnitScore } from '../evaluate/score.js';
import type { Lang, Problem } from '../problems.js';
import { explainCriterion } from '../report/explain.js';
import { formatDate, formatPoints } from '../report/format.js';
import type { LevelSummary, ScoreRun } from '../scoring.js';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
const POINTS_FORMAT = '0.0';

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
    key: 'Mục',
    value: 'Giá trị',
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
    key: 'Item',
    value: 'Value',
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

/** Rows of the ranking sheet, so tests and readers can find the table. */
export const RANKING_LAYOUT = { headerRow: 4, maxRow: 5, firstUnitRow: 6, firstCriterionColumn: 5 } as const;

function addRankingSheet(workbook: ExcelJS.Workbook, set: CriteriaSet, run: ScoreRun, level: LevelSummary, lang: Lang): void {
  const t = T[lang];
  const sheet = workbook.addWorksheet(sheetName(workbook, level.name), {
    views: [{ state: 'frozen', xSplit: 3, ySplit: RANKING_LAYOUT.maxRow, topLeftCell: `D${RANKING_LAYOUT.firstUnitRow}` }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const compiled = set.levels.find((l) => l.id === level.id)!;
  const units = run.units.filter((u) => u.level === level.id).sort(unitOrder);
  const ranked = units.filter((u) => u.rank !== undefined).length;
  sheet.getCell('A1').value = t.title(run.year, level.name);
  sheet.getCell('A1').font = { bold: true, size: 14 };
  sheet.getCell('A2').value = t.basis(compiled.doc.decision.number, compiled.doc.decision.date, units.length, ranked);
  sheet.getCell('A2').font = { italic: true };

  const first = RANKING_LAYOUT.firstCriterionColumn;
  const statusColumn = first + level.criteria.length;
  const head = sheet.getRow(RANKING_LAYOUT.headerRow);
  head.values = [t.rank, t.id, t.name, t.total, ...level.criteria.map((c) => c.number), t.status];
  header(head);
  level.criteria.forEach((c, i) => (sheet.getCell(RANKING_LAYOUT.headerRow, first + i).note = t.criterionNote(c.number, c.name, c.maxPoints)));

  const max = sheet.getRow(RANKING_LAYOUT.maxRow);
  max.values = [null, null, t.max, level.totalPoints, ...level.criteria.map((c) => c.maxPoints)];
  max.font = { italic: true, color: { argb: 'FF595959' } };
  for (let c = 4; c < statusColumn; c++) max.getCell(c).numFmt = POINTS_FORMAT;

  let r = RANKING_LAYOUT.firstUnitRow;
  if (units.length === 0) sheet.getCell(r++, 3).value = t.none;
  for (const unit of units) {
    const row = sheet.getRow(r++);
    row.getCell(1).value = unit.rank ?? null;
    row.getCell(2).value = unit.id;
    row.getCell(3).value = unit.name;
    row.getCell(4).value = unit.total ?? null;
    row.getCell(4).numFmt = POINTS_FORMAT;
    row.getCell(4).font = { bold: true };
    const failed: string[] = [];
    level.criteria.forEach((c, i) => {
      const score = unit.criteria.find((x) => x.id === c.id);
      const cell = row.getCell(first + i);
      cell.numFmt = POINTS_FORMAT;
      if (score?.points !== undefined) cell.value = score.points;
      else {
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
  sheet.getCell(r++, 1).value = `${t.legend}:`;
  sheet.getCell(r - 1, 1).font = { bold: true };
  for (const c of level.criteria) {
    sheet.getCell(r, 1).value = c.number;
    sheet.getCell(r, 1).alignment = { horizontal: 'right' };
    sheet.getCell(r, 2).value = `${c.name} (${t.max.toLowerCase()} ${formatPoints(c.maxPoints, lang)})`;
    r++;
  }

  sheet.getColumn(1).width = 7;
  sheet.getColumn(2).width = Math.min(30, Math.max(12, ...units.map((u) => stringWidth(u.id) + 2)));
  sheet.getColumn(3).width = Math.min(50, Math.max(16, ...units.map((u) => stringWidth(u.name) + 2)));
  sheet.getColumn(4).width = 11;
  for (let i = 0; i < level.criteria.length; i++) sheet.getColumn(first + i).width = 7;
  sheet.getColumn(statusColumn).width = 60;
  sheet.getColumn(1).numFmt = '0';
}

function addExplanationSheet(workbook: ExcelJS.Workbook, set: CriteriaSet, run: ScoreRun, lang: Lang): void {
  const t = T[lang];
  const sheet = workbook.addWorksheet(sheetName(workbook, t.explanations), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  const widths = [16, 7, 20, 34, 7, 46, 46, 60, 8, 10];
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  header(sheet.addRow([t.level, t.rank, t.id, t.name, t.number, t.criterion, t.data, t.how, t.points, t.max]));
  for (const level of set.levels) {
    const units = run.units.filter((u) => u.level === level.id).sort(unitOrder);
    for (const unit of units) {
      for (const score of unit.criteria) {
        const criterion = level.criteria.find((c) => c.id === score.id)!;
        const explanation = explainCriterion(score, level.doc.scoring, lang, criterion.def.inputs, criterion.def.parts); // parts: structures (issue 11)
        const row = sheet.addRow([level.name, unit.rank ?? null, unit.id, unit.name, score.number, score.name, explanation.inputs.join('\n'), explanation.summary, score.points ?? null, score.maxPoints]);
        row.alignment = { wrapText: true, vertical: 'top' };
        row.getCell(9).numFmt = POINTS_FORMAT;
        row.getCell(10).numFmt = POINTS_FORMAT;
        if (score.status !== 'scored') row.getCell(9).fill = ERROR_FILL;
      }
    }
  }
}

function addProblemsSheet(workbook: ExcelJS.Workbook, run: ScoreRun, lang: Lang): void {
  const t = T[lang];
  const sheet = workbook.addWorksheet(sheetName(workbook, t.problemsSheet), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  const widths = [30, 10, 26, 20, 12, 22, 24, 80, 60];
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  header(sheet.addRow([t.where, t.severity, t.code, t.id, t.level, t.criterion, t.input, t.message, t.hint]));
  const where = (p: Problem) => (p.location ? `${p.location.file}:${p.location.line}:${p.location.column}` : p.file ?? '');
  for (const p of run.problems) {
    const row = sheet.addRow([where(p), p.severity === 'error' ? t.error : t.warning, p.code, p.unit ?? '', p.level ?? '', p.criterion ?? '', p.input ?? '', p.message[lang], p.hint?.[lang] ?? '']);
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  if (run.problems.length === 0) sheet.addRow([t.noProblems]);
}

function addAboutSheet(workbook: ExcelJS.Workbook, run: ScoreRun, lang: Lang): void {
  const t = T[lang];
  const sheet = workbook.addWorksheet(sheetName(workbook, t.about));
  sheet.getColumn(1).width = 26;
  sheet.getColumn(2).width = 90;
  header(sheet.addRow([t.key, t.value]));
  const p = run.provenance;
  const rows: [string, string | number][] = [
    ['year', p.year],
    ['decision', `${p.decision.number} (${formatDate(p.decision.date)}), ${p.decision.issuer}`],
    ['engine', `${p.engine} ${p.engineVersion}`],
    ['scored_at', p.scoredAt],
    ['rounding', `${p.rounding.decimals} decimal(s), ${p.rounding.mode}; total: ${p.rounding.total}; clamp to max: ${p.rounding.clampToMax}`],
    ...p.files.map((f): [string, string] => [`criteria: ${f.level}`, `${f.file}  sha256 ${f.sha256}`]),
  ];
  for (const row of rows) sheet.addRow(row);
}

/** Build the results workbook of a run. The run must have been scored with traces for the explanations. */
export function buildResultsWorkbook(set: CriteriaSet, run: ScoreRun, lang: Lang): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = `${run.provenance.engine} ${run.provenance.engineVersion}`;
  workbook.created = new Date(run.provenance.scoredAt);
  workbook.title = T[lang].title(run.year, '').replace(/ — $/, '');
  for (const level of run.levels) addRankingSheet(workbook, set, run, level, lang);
  addExplanationSheet(workbook, set, run, lang);
  addProblemsSheet(workbook, run, lang);
  addAboutSheet(workbook, run, lang);
  return workbook;
}

export async function resultsWorkbookBytes(set: CriteriaSet, run: ScoreRun, lang: Lang): Promise<Buffer> {
  return Buffer.from(await buildResultsWorkbook(set, run, lang).xlsx.writeBuffer());
}
