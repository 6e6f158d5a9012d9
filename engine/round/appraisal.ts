/**
 * The department's appraisal ("thẩm định"): per unit and criterion, accept
 * the computed points, correct an input value (the criterion is scored again
 * with it), or set the points; always with a reason, who and when.
 *
 * appraisals/<name>.yaml, read in name order; a later decision on the same
 * unit and criterion supersedes an earlier one (both are kept in the files):
 *
 *   by: Nguyễn Văn An (Sở TT&TT)
 *   at: "2023-12-20"
 *   decisions:
 *     - { unit: phuong-1, criterion: ho-so-cong-viec-tren-mang, decision: correct_input,
 *         inputs: { ty_le: 55 }, reason: Kiểm tra tại đơn vị ngày 18/12/2023 … }
 *     - { unit: xa-dai-tam, criterion: ngay-cds, decision: set_points, points: 3, reason: … }
 *     - { unit: so-noi-vu, criterion: dvc-toan-trinh, decision: accept, reason: Đối chiếu Cổng DVC }
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isReadError, readInput } from '../compile/input-types.js';
import type { JsonValue } from '../model.js';
import { problem, type Problem } from '../problems.js';
import { APPRAISALS_DIR, type Round } from './config.js';
import { FieldChecker, isRecord, readYamlFile } from './yaml-file.js';

export type DecisionKind = 'accept' | 'correct_input' | 'set_points';
export const DECISION_KINDS: readonly DecisionKind[] = ['accept', 'correct_input', 'set_points'];

export interface AppraisalDecision {
  unit: string;
  criterion: string;
  decision: DecisionKind;
  /** correct_input: input id → corrected value (normalised). */
  inputs?: Record<string, JsonValue>;
  /** set_points: the points. */
  points?: number;
  reason: string;
  by: string;
  /** ISO date. */
  at: string;
  /** file:line:column of the decision. */
  source: string;
}

export interface Appraisals {
  /** "unit\0criterion" → the decision in force. */
  current: Map<string, AppraisalDecision>;
  /** Every decision, in the order read (history). */
  all: AppraisalDecision[];
  problems: Problem[];
}

export const decisionKey = (unit: string, criterion: string): string => `${unit}\u0000${criterion}`;

export function readAppraisals(round: Round): Appraisals {
  const dir = join(round.dir, APPRAISALS_DIR);
  const out: Appraisals = { current: new Map(), all: [], problems: [] };
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('.')).sort()) {
    const file = `${APPRAISALS_DIR}/${name}`;
    const read = readYamlFile(join(dir, name), file, 'round.appraisal');
    out.problems.push(...read.problems);
    if (read.value === undefined) continue;
    const check = new FieldChecker(file, read.locate, 'round.appraisal');
    for (const d of readAppraisalValue(round, read.value, check, file)) {
      out.all.push(d);
      out.current.set(decisionKey(d.unit, d.criterion), d);
    }
    out.problems.push(...check.problems);
  }
  return out;
}

/** Check one appraisal document; only valid decisions are returned, every mistake is located. */
export function readAppraisalValue(round: Round, value: unknown, check: FieldChecker, file: string): AppraisalDecision[] {
  if (!isRecord(value) || !Array.isArray(value.decisions)) {
    check.report([], { vi: 'Tệp thẩm định cần "by" (người thẩm định), "at" (ngày) và "decisions" (danh sách quyết định).', en: 'An appraisal file needs "by", "at" and "decisions".' });
    return [];
  }
  check.keys(value, [], ['by', 'at', 'note', 'decisions']);
  const by = check.string(value, [], 'by', false, { vi: 'người thẩm định', en: 'the appraiser' });
  const at = check.date(value, [], 'at', false, { vi: 'ngày thẩm định', en: 'the appraisal date' });
  const out: AppraisalDecision[] = [];
  value.decisions.forEach((raw: unknown, i: number) => {
    const path = ['decisions', i];
    if (!isRecord(raw)) {
      check.report(path, { vi: 'Mỗi quyết định là {unit, criterion, decision, reason, …}.', en: 'Each decision is {unit, criterion, decision, reason, …}.' });
      return;
    }
    check.keys(raw, path, ['unit', 'criterion', 'decision', 'inputs', 'points', 'reason', 'by', 'at']);
    const before = check.problems.length;
    const unitId = check.id(raw, path, 'unit', true, { vi: 'mã đơn vị', en: 'the unit id' });
    const criterionId = check.id(raw, path, 'criterion', true, { vi: 'mã tiêu chí', en: 'the criterion id' });
    const reason = check.string(raw, path, 'reason', true, { vi: 'lý do (bắt buộc với mọi quyết định)', en: 'the reason (required for every decision)' });
    const who = check.string(raw, path, 'by', false, { vi: 'người thẩm định', en: 'the appraiser' }) ?? by;
    const when = check.date(raw, path, 'at', false, { vi: 'ngày thẩm định', en: 'the date' }) ?? at;
    if (!who) check.report(path, { vi: 'Thiếu người thẩm định: ghi "by" ở đầu tệp hoặc trong quyết định.', en: 'Missing the appraiser: write "by" at the top or in the decision.' });
    if (!when) check.report(path, { vi: 'Thiếu ngày thẩm định: ghi "at" ở đầu tệp hoặc trong quyết định.', en: 'Missing the date: write "at" at the top or in the decision.' });
    const kind = raw.decision;
    if (!DECISION_KINDS.includes(kind as DecisionKind)) {
      check.report([...path, 'decision'], { vi: `Quyết định "${String(kind)}" không có; chọn: accept (chấp nhận điểm máy chấm), correct_input (sửa số liệu), set_points (sửa điểm).`, en: `Unknown decision "${String(kind)}"; choose accept, correct_input or set_points.` });
    }
    const unit = unitId ? round.units.get(unitId) : undefined;
    if (unitId && !unit) check.report([...path, 'unit'], { vi: `Không có đơn vị "${unitId}" trong danh sách đơn vị.`, en: `No unit "${unitId}" in the register.` }, { unit: unitId });
    const level = unit ? round.set.levels.find((l) => l.id === unit.level) : undefined;
    const criterion = level && criterionId ? level.criteria.find((c) => c.id === criterionId) : undefined;
    if (level && criterionId && !criterion) {
      check.report([...path, 'criterion'], { vi: `Cấp "${level.name}" (của đơn vị ${unitId}) không có tiêu chí "${criterionId}".`, en: `Level "${level.id}" has no criterion "${criterionId}".` }, { unit: unitId!, criterion: criterionId });
    }
    const decision: Partial<AppraisalDecision> = {};
    if (criterion && kind === 'correct_input') {
      if (!isRecord(raw.inputs) || Object.keys(raw.inputs).length === 0) {
        check.report(path, { vi: `Quyết định sửa số liệu cần "inputs": {mã_số_liệu: giá trị đúng}; các số liệu của tiêu chí: ${Object.keys(criterion.def.inputs).join(', ')}.`, en: `correct_input needs "inputs": {input: value}; inputs: ${Object.keys(criterion.def.inputs).join(', ')}.` });
      } else {
        const inputs: Record<string, JsonValue> = {};
        for (const [inputId, v] of Object.entries(raw.inputs)) {
          const def = Object.prototype.hasOwnProperty.call(criterion.def.inputs, inputId) ? criterion.def.inputs[inputId] : undefined;
          if (!def) {
            check.report([...path, 'inputs', inputId], { vi: `Tiêu chí ${criterion.number} không có số liệu "${inputId}"; các số liệu: ${Object.keys(criterion.def.inputs).join(', ')}.`, en: `Criterion ${criterion.number} has no input "${inputId}".` });
            continue;
          }
          const read = readInput(def, v, 'json');
          if (isReadError(read)) check.report([...path, 'inputs', inputId], read.message, { ...(read.hint ? { hint: read.hint } : {}) });
          else inputs[inputId] = read.reported;
        }
        decision.inputs = inputs;
      }
    } else if (raw.inputs !== undefined) check.report([...path, 'inputs'], { vi: '"inputs" chỉ dùng với decision: correct_input.', en: '"inputs" goes with decision: correct_input only.' });
    if (criterion && kind === 'set_points') {
      const points = raw.points;
      const decimals = level!.doc.scoring.rounding.decimals;
      if (typeof points !== 'number' || !Number.isFinite(points) || points < 0 || points > criterion.maxPointsNumber) {
        check.report(raw.points === undefined ? path : [...path, 'points'], { vi: `Quyết định sửa điểm cần "points" từ 0 đến ${criterion.maxPointsNumber} (điểm chuẩn tiêu chí ${criterion.number}).`, en: `set_points needs "points" from 0 to ${criterion.maxPointsNumber}.` });
      } else if (!Number.isInteger(Number((points * 10 ** decimals).toFixed(6)))) {
        check.report([...path, 'points'], { vi: `Điểm ghi tối đa ${decimals} chữ số thập phân, như cách làm tròn của bộ tiêu chí.`, en: `Points have at most ${decimals} decimals, as the set rounds.` });
      } else decision.points = points;
    } else if (raw.points !== undefined) check.report([...path, 'points'], { vi: '"points" chỉ dùng với decision: set_points.', en: '"points" goes with decision: set_points only.' });
    if (check.problems.length > before) return;
    const location = check.locate?.(path);
    out.push({
      unit: unitId!,
      criterion: criterionId!,
      decision: kind as DecisionKind,
      ...decision,
      reason: reason!,
      by: who!,
      at: when!,
      source: location ? `${file}:${location.line}:${location.column}` : file,
    });
  });
  return out;
}

/** A decision as people read it. */
export function decisionText(d: AppraisalDecision): string {
  const what =
    d.decision === 'accept'
      ? 'chấp nhận điểm máy chấm'
      : d.decision === 'set_points'
        ? `sửa điểm thành ${String(d.points).replace('.', ',')}`
        : `sửa số liệu ${Object.entries(d.inputs ?? {})
            .map(([k, v]) => `${k} = ${typeof v === 'number' ? String(v).replace('.', ',') : JSON.stringify(v)}`)
            .join(', ')}`;
  return `${what} — lý do: ${d.reason} (${d.by}, ${d.at.slice(8, 10)}/${d.at.slice(5, 7)}/${d.at.slice(0, 4)}; ${d.source})`;
}

export function appraisalProblem(vi: string, en: string, extra: Partial<Problem> = {}): Problem {
  return problem('round.appraisal', { vi, en }, extra);
}
