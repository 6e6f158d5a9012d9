/**
 * The appraisal workbook: one row per unit × criterion with the self-assessed
 * and computed points, the evidence still missing and the data problems; the
 * appraiser fills in a decision (Chấp nhận / Sửa số liệu / Sửa điểm), the
 * corrected value or points, a reason, who and when. Read back with the same
 * cell-located errors as the data templates ('Thẩm định'!L7), and recorded as
 * a new file under appraisals/ (never overwriting one).
 *
 * Columns are found by the keys in a hidden row, so moved columns still read.
 */
import ExcelJS from 'exceljs';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import writeFileAtomic from 'write-file-atomic';
import { isReadError, readInput } from '../compile/input-types.js';
import type { JsonValue } from '../model.js';
import { problem, type Localized, type Problem } from '../problems.js';
import { reportedText } from '../report/explain.js';
import { readCell } from '../xlsx/cells.js';
import { checkWorkbookZip, DEFAULT_WORKBOOK_LIMITS } from '../xlsx/limits.js';
import { cellReference } from '../xlsx/layout.js';
import { APPRAISALS_DIR, type Round } from './config.js';
import { decisionKey, readAppraisals, type AppraisalDecision, type DecisionKind } from './appraisal.js';
import { EVIDENCE_LABELS } from './evidence.js';
import { appendJournal, stampOf } from './received.js';
import { appliesToRegistered, type RoundResult } from './results.js';

export const APPRAISAL_SHEET = 'Thẩm định';
const META_SHEET = '_tieuchi_tham_dinh';
const FORMAT = 'tieuchi-appraisal';
const KEYS_ROW = 2;
const FIRST_ROW = 3;

const LABELS: Record<DecisionKind, string> = { accept: 'Chấp nhận', correct_input: 'Sửa số liệu', set_points: 'Sửa điểm' };

const COLUMNS: { key: string; title: string; width: number; input?: boolean }[] = [
  { key: 'unit', title: 'Mã đơn vị', width: 16 },
  { key: 'unit_name', title: 'Tên đơn vị', width: 30 },
  { key: 'level', title: 'Cấp', width: 10 },
  { key: 'number', title: 'TT', width: 5 },
  { key: 'criterion', title: 'Mã tiêu chí', width: 22 },
  { key: 'criterion_name', title: 'Tiêu chí', width: 40 },
  { key: 'max_points', title: 'Điểm chuẩn', width: 8 },
  { key: 'self', title: 'Tự chấm', width: 8 },
  { key: 'computed', title: 'Máy chấm', width: 9 },
  { key: 'data', title: 'Số liệu (nguồn)', width: 40 },
  { key: 'issues', title: 'Thiếu minh chứng / lỗi số liệu', width: 40 },
  { key: 'decision', title: 'Quyết định', width: 14, input: true },
  { key: 'inputs', title: 'Số liệu sửa (mã = giá trị; …)', width: 24, input: true },
  { key: 'points', title: 'Điểm sửa', width: 9, input: true },
  { key: 'reason', title: 'Lý do', width: 40, input: true },
  { key: 'by', title: 'Người thẩm định', width: 20, input: true },
  { key: 'at', title: 'Ngày (dd/mm/yyyy)', width: 12, input: true },
];

export async function appraisalWorkbookBytes(round: Round, result: RoundResult): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'tieuchi';
  workbook.title = `Bảng thẩm định — ${round.config.name}`;
  const sheet = workbook.addWorksheet(APPRAISAL_SHEET, { views: [{ state: 'frozen', xSplit: 2, ySplit: KEYS_ROW }] });
  COLUMNS.forEach((c, i) => {
    const head = sheet.getCell(1, i + 1);
    head.value = c.title;
    head.font = { bold: true };
    head.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.input ? 'FFFFF2CC' : 'FFDDEBF7' } };
    sheet.getCell(KEYS_ROW, i + 1).value = c.key;
    sheet.getColumn(i + 1).width = c.width;
  });
  sheet.getRow(1).height = 45;
  sheet.getRow(KEYS_ROW).hidden = true;
  const current = readAppraisals(round).current;
  let row = FIRST_ROW;
  for (const unit of result.units) {
    for (const c of unit.criteria) {
      const level = round.set.levels.find((l) => l.id === unit.level)!;
      const def = level.criteria.find((x) => x.id === c.id)!.def;
      const d = current.get(decisionKey(unit.id, c.id));
      const data = c.inputs.map((i) => `${i.id} = ${i.value !== undefined ? reportedText(i.value, 'vi', def.inputs[i.id]) : i.status === 'missing' ? 'chưa nhận' : i.status === 'conflict' ? 'mâu thuẫn' : 'sai'}${i.providerName ? ` (${i.providerName})` : ''}`).join('; ');
      const issues = [
        ...(c.evidence.missing.length ? [`thiếu minh chứng: ${c.evidence.missing.map((k) => EVIDENCE_LABELS[k].vi).join(', ')}`] : []),
        ...c.problems.filter((p) => p.severity === 'error').map((p) => p.message.vi),
      ].join('\n');
      // structures (issue 11): a criterion that does not apply to the unit is shown as such, greyed, with nothing to decide.
      const notApplicable = c.status === 'not_applicable';
      const values: Record<string, ExcelJS.CellValue> = {
        unit: unit.id,
        unit_name: unit.name,
        level: unit.level,
        number: c.number,
        criterion: c.id,
        criterion_name: c.name,
        max_points: c.maxPoints,
        self: c.self ?? null,
        computed: notApplicable ? 'Không áp dụng' : (c.computed ?? null),
        data: notApplicable ? '' : data,
        issues: notApplicable ? `không áp dụng: ${c.explanation}` : issues,
        decision: d ? LABELS[d.decision] : null,
        inputs: d?.inputs ? Object.entries(d.inputs).map(([k, v]) => `${k} = ${reportedText(v, 'vi', def.inputs[k])}`).join('; ') : null,
        points: d?.points ?? null,
        reason: d?.reason ?? null,
        by: d?.by ?? null,
        at: d ? `${d.at.slice(8, 10)}/${d.at.slice(5, 7)}/${d.at.slice(0, 4)}` : null,
      };
      COLUMNS.forEach((col, i) => {
        const cell = sheet.getCell(row, i + 1);
        cell.value = values[col.key] ?? null;
        cell.alignment = { wrapText: true, vertical: 'top' };
        if (notApplicable) {
          cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
          cell.font = { color: { argb: 'FF595959' } };
          return;
        }
        if (col.key === 'decision') cell.dataValidation = { type: 'list', allowBlank: true, formulae: [`"${Object.values(LABELS).join(',')}"`], showErrorMessage: true, errorTitle: 'Chọn trong danh sách', error: 'Chọn: Chấp nhận, Sửa số liệu hoặc Sửa điểm.' };
        if (col.key === 'points') cell.dataValidation = { type: 'decimal', operator: 'between', allowBlank: true, formulae: [0, c.maxPoints], showErrorMessage: true, errorTitle: 'Điểm không hợp lệ', error: `Điểm từ 0 đến ${c.maxPoints}.` };
      });
      row++;
    }
  }
  const meta = workbook.addWorksheet(META_SHEET, { state: 'veryHidden' });
  meta.addRow(['format', FORMAT]);
  meta.addRow(['year', round.config.year]);
  meta.addRow(['round', round.config.name]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ReadAppraisalWorkbook {
  decisions: AppraisalDecision[];
  problems: Problem[];
}

const KIND_BY_TEXT = new Map<string, DecisionKind>([
  ['chap nhan', 'accept'],
  ['accept', 'accept'],
  ['sua so lieu', 'correct_input'],
  ['correct_input', 'correct_input'],
  ['sua diem', 'set_points'],
  ['set_points', 'set_points'],
]);

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase().trim();
}

/** Read a filled appraisal workbook: the decisions that differ from those already recorded, or located problems. */
export async function readAppraisalWorkbook(round: Round, file: string, bytes: Buffer, defaultBy?: string): Promise<ReadAppraisalWorkbook> {
  const problems: Problem[] = [];
  const fail = (vi: string, en: string): ReadAppraisalWorkbook => ({ decisions: [], problems: [problem('round.appraisal', { vi, en }, { file })] });
  const zip = checkWorkbookZip(bytes, DEFAULT_WORKBOOK_LIMITS);
  if (!zip.ok) return { decisions: [], problems: [problem('round.appraisal', zip.message, { file })] };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (err) {
    return fail(`Không đọc được bảng tính: ${(err as Error).message}`, `Cannot read the workbook: ${(err as Error).message}`);
  }
  const meta = workbook.getWorksheet(META_SHEET);
  if (!meta || meta.getCell(1, 2).value !== FORMAT) return fail('Đây không phải bảng thẩm định do tieuchi round appraisal-workbook tạo.', 'Not an appraisal workbook made by tieuchi round appraisal-workbook.');
  if (Number(meta.getCell(2, 2).value) !== round.config.year) return fail(`Bảng thẩm định của năm ${String(meta.getCell(2, 2).value)}, không phải của đợt đánh giá năm ${round.config.year}.`, `The workbook is for ${String(meta.getCell(2, 2).value)}, not ${round.config.year}.`);
  const sheet = workbook.worksheets.find((s) => s.getCell(KEYS_ROW, 1).value === 'unit' || [...Array(COLUMNS.length).keys()].some((i) => s.getCell(KEYS_ROW, i + 1).value === 'decision'));
  if (!sheet) return fail(`Không tìm thấy trang "${APPRAISAL_SHEET}" với dòng mã cột (dòng ${KEYS_ROW}, ẩn).`, `No sheet "${APPRAISAL_SHEET}" with its key row.`);
  const columnOf = new Map<string, number>();
  sheet.getRow(KEYS_ROW).eachCell((cell, column) => {
    if (typeof cell.value === 'string') columnOf.set(cell.value, column);
  });
  for (const need of ['unit', 'criterion', 'decision', 'inputs', 'points', 'reason', 'by', 'at']) {
    if (!columnOf.has(need)) return fail(`Trang "${sheet.name}" thiếu cột "${need}"; tạo lại bảng thẩm định.`, `Sheet "${sheet.name}" has no "${need}" column.`);
  }
  const current = readAppraisals(round).current;
  const decisions: AppraisalDecision[] = [];
  for (let row = FIRST_ROW; row <= sheet.rowCount; row++) {
    const text = (key: string): string => {
      const read = readCell(sheet.getCell(row, columnOf.get(key)!).value, undefined, undefined);
      return read.kind === 'value' ? String(read.raw).trim() : '';
    };
    const ref = (key: string) => cellReference(sheet.name, row, columnOf.get(key)!);
    const at = (key: string) => ({ location: { file, start: 0, end: 0, line: row, column: columnOf.get(key)! } });
    const decisionText = text('decision');
    if (decisionText === '') continue;
    const unitId = text('unit');
    const criterionId = text('criterion');
    const report = (key: string, message: Localized) => problems.push(problem('round.appraisal', { vi: `Ô ${ref(key)} (đơn vị ${unitId}, tiêu chí ${criterionId}): ${message.vi}`, en: `Cell ${ref(key)} (unit ${unitId}, criterion ${criterionId}): ${message.en}` }, { ...at(key), unit: unitId, criterion: criterionId }));
    const unit = round.units.get(unitId);
    const level = unit ? round.set.levels.find((l) => l.id === unit.level) : undefined;
    const criterion = level?.criteria.find((c) => c.id === criterionId);
    if (!unit || !criterion) {
      report(unit ? 'criterion' : 'unit', { vi: unit ? `cấp của đơn vị không có tiêu chí "${criterionId}".` : `không có đơn vị "${unitId}" trong đợt đánh giá.`, en: unit ? `no criterion "${criterionId}" at the unit's level.` : `no unit "${unitId}" in the round.` });
      continue;
    }
    if (!appliesToRegistered(level!, unit, criterionId)) {
      report('decision', { vi: 'tiêu chí này không áp dụng cho đơn vị (theo loại, thuộc tính trong units.yaml): không có gì để thẩm định; xóa quyết định ở dòng này.', en: 'this criterion does not apply to the unit (by its type or attributes in units.yaml): nothing to appraise; clear the decision.' });
      continue;
    }
    const kind = KIND_BY_TEXT.get(fold(decisionText));
    if (!kind) {
      report('decision', { vi: `quyết định "${decisionText}" không có; chọn Chấp nhận, Sửa số liệu hoặc Sửa điểm.`, en: `unknown decision "${decisionText}"; choose Chấp nhận, Sửa số liệu or Sửa điểm.` });
      continue;
    }
    const reason = text('reason');
    if (reason === '') report('reason', { vi: 'thiếu lý do: mọi quyết định thẩm định phải có lý do.', en: 'missing reason: every decision needs one.' });
    const by = text('by') || defaultBy || '';
    if (by === '') report('by', { vi: 'thiếu người thẩm định (ghi vào ô, hoặc chạy với --by).', en: 'missing appraiser (fill it in, or pass --by).' });
    const dateCell = readCell(sheet.getCell(row, columnOf.get('at')!).value, undefined, { type: 'date', label: 'ngày' });
    let date = '';
    if (dateCell.kind === 'value') {
      const r = readInput({ type: 'date', label: 'Ngày thẩm định' }, dateCell.raw, 'text');
      if (isReadError(r) || typeof r.reported !== 'string') report('at', { vi: `ngày "${String(dateCell.raw)}" không đọc được; ghi dạng dd/mm/yyyy.`, en: `cannot read the date "${String(dateCell.raw)}"; write dd/mm/yyyy.` });
      else date = r.reported;
    } else report('at', { vi: 'thiếu ngày thẩm định (dd/mm/yyyy).', en: 'missing date (dd/mm/yyyy).' });
    const decision: AppraisalDecision = { unit: unitId, criterion: criterionId, decision: kind, reason, by, at: date, source: `${file} ${cellReference(sheet.name, row, columnOf.get('decision')!)}` };
    if (kind === 'correct_input') {
      const inputsText = text('inputs');
      const names = Object.keys(criterion.def.inputs);
      if (inputsText === '') report('inputs', { vi: `"Sửa số liệu" cần số liệu đúng, dạng mã = giá trị (các số liệu: ${names.join(', ')}).`, en: `"Sửa số liệu" needs the corrected value, as id = value (inputs: ${names.join(', ')}).` });
      else {
        const inputs: Record<string, JsonValue> = {};
        for (const part of inputsText.split(';').map((s) => s.trim()).filter(Boolean)) {
          const m = /^([a-z][a-z0-9_]*)\s*=\s*(.+)$/.exec(part);
          const id = m ? m[1]! : names.length === 1 ? names[0]! : undefined;
          const raw = m ? m[2]!.trim() : part;
          const def = id && Object.prototype.hasOwnProperty.call(criterion.def.inputs, id) ? criterion.def.inputs[id] : undefined;
          if (!def) {
            report('inputs', { vi: `"${part}": ghi mã = giá trị, mã là một trong ${names.join(', ')}.`, en: `"${part}": write id = value, id one of ${names.join(', ')}.` });
            continue;
          }
          const read = readInput(def, raw, 'text');
          if (isReadError(read)) report('inputs', read.message);
          else inputs[id!] = read.reported;
        }
        decision.inputs = inputs;
      }
    }
    if (kind === 'set_points') {
      const read = readCell(sheet.getCell(row, columnOf.get('points')!).value, undefined, undefined);
      const points = read.kind === 'value' ? Number(String(read.raw).replace(',', '.')) : NaN;
      if (!Number.isFinite(points) || points < 0 || points > criterion.maxPointsNumber) report('points', { vi: `"Sửa điểm" cần điểm từ 0 đến ${criterion.maxPointsNumber}.`, en: `"Sửa điểm" needs points from 0 to ${criterion.maxPointsNumber}.` });
      else decision.points = points;
    }
    const before = current.get(decisionKey(unitId, criterionId));
    if (before && sameDecision(before, decision)) continue;
    decisions.push(decision);
  }
  return { decisions: problems.some((p) => p.severity === 'error') ? [] : decisions, problems };
}

function sameDecision(a: AppraisalDecision, b: AppraisalDecision): boolean {
  return a.decision === b.decision && a.reason === b.reason && a.by === b.by && a.at === b.at && a.points === b.points && JSON.stringify(a.inputs ?? {}) === JSON.stringify(b.inputs ?? {});
}

/** Record decisions as a new appraisal file (atomic, never overwriting) and journal it. */
export function writeAppraisalFile(round: Round, decisions: AppraisalDecision[], from: string, now = new Date()): string {
  const dir = join(round.dir, APPRAISALS_DIR);
  mkdirSync(dir, { recursive: true });
  let at = now;
  let name = `${stampOf(at)}-bang-tham-dinh.yaml`;
  while (existsSync(join(dir, name))) {
    at = new Date(at.getTime() + 1);
    name = `${stampOf(at)}-bang-tham-dinh.yaml`;
  }
  const body = {
    note: `Ghi từ bảng thẩm định ${from} lúc ${now.toISOString()}`,
    decisions: decisions.map((d) => ({ unit: d.unit, criterion: d.criterion, decision: d.decision, ...(d.inputs ? { inputs: d.inputs } : {}), ...(d.points !== undefined ? { points: d.points } : {}), reason: d.reason, by: d.by, at: d.at })),
  };
  writeFileAtomic.sync(join(dir, name), stringify(body), { encoding: 'utf8' });
  appendJournal(round.dir, { at: now.toISOString(), who: [...new Set(decisions.map((d) => d.by))].join(', '), action: 'appraise', file: `${APPRAISALS_DIR}/${name}`, note: `${decisions.length} quyết định từ ${from}` });
  return `${APPRAISALS_DIR}/${name}`;
}
