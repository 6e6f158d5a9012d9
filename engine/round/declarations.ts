/**
 * A unit's declaration: its self-assessed points per criterion and the
 * evidence it files per criterion. YAML or JSON:
 *
 *   unit: xa-dai-tam
 *   self_assessment: { ke-hoach-cds: 8, dvc-toan-trinh: 3.8 }
 *   evidence:
 *     ke-hoach-cds:
 *       - { kind: van-ban, number: 15/KH-UBND, date: "2023-02-15", issuer: UBND xã Đại Tâm, file: kh-cds.pdf, summary: Kế hoạch CĐS 2023 }
 *
 * Read against the unit's level: unknown criteria, points above the maximum
 * and malformed evidence are located problems; the rest of the file is used.
 */
import type { CompiledLevel } from '../compile/level.js';
import type { SourceLocation } from '../problems.js';
import { EVIDENCE_KINDS, itemShortfall, type EvidenceItem } from './evidence.js';
import { FieldChecker, isRecord, readYamlText } from './yaml-file.js';

export interface Declaration {
  unit: string;
  /** criterion id → self-assessed points, with where they were written. */
  selfAssessment: Map<string, { points: number; location?: SourceLocation }>;
  evidence: Map<string, (EvidenceItem & { location?: SourceLocation })[]>;
}

/** True when a received JSON or YAML file is a declaration rather than data: it has self_assessment or evidence at the top. */
export function looksLikeDeclaration(value: unknown): boolean {
  return isRecord(value) && ('self_assessment' in value || 'evidence' in value) && !('inputs' in value) && !('submissions' in value);
}

export function parseDeclarationText(file: string, text: string): { value?: unknown; check: FieldChecker; problems: FieldChecker['problems'] } {
  const read = readYamlText(file, text);
  const check = new FieldChecker(file, read.locate, 'round.declaration');
  return { ...(read.value !== undefined ? { value: read.value } : {}), check, problems: read.problems };
}

/** Read a declaration's content; `levelOf` gives the level of a registered unit. */
export function readDeclaration(value: unknown, check: FieldChecker, levelOf: (unit: string) => CompiledLevel | undefined): Declaration | undefined {
  if (!isRecord(value)) {
    check.report([], { vi: 'Bản tự đánh giá phải là một khối {unit, self_assessment, evidence}.', en: 'A declaration is {unit, self_assessment, evidence}.' });
    return undefined;
  }
  check.keys(value, [], ['unit', 'note', 'self_assessment', 'evidence']);
  const unit = check.id(value, [], 'unit', true, { vi: 'mã đơn vị', en: 'the unit id' });
  if (!unit) return undefined;
  const level = levelOf(unit);
  if (!level) {
    check.report(['unit'], { vi: `Không có đơn vị "${unit}" trong danh sách đơn vị của đợt đánh giá.`, en: `No unit "${unit}" in the round's register.` }, { unit });
    return undefined;
  }
  const criterionOf = (id: string, path: (string | number)[]) => {
    const criterion = level.criteria.find((c) => c.id === id);
    if (!criterion) {
      check.report(path, { vi: `Cấp "${level.name}" không có tiêu chí "${id}".`, en: `Level "${level.id}" has no criterion "${id}".` }, {
        unit,
        criterion: id,
        hint: { vi: `Các mã tiêu chí: ${level.criteria.map((c) => c.id).join(', ')}.`, en: `Criterion ids: ${level.criteria.map((c) => c.id).join(', ')}.` },
      });
    }
    return criterion;
  };
  const declaration: Declaration = { unit, selfAssessment: new Map(), evidence: new Map() };
  if (value.self_assessment !== undefined) {
    if (!isRecord(value.self_assessment)) check.report(['self_assessment'], { vi: '"self_assessment" là khối {mã_tiêu_chí: điểm tự chấm}.', en: '"self_assessment" is {criterion: points}.' }, { unit });
    else {
      for (const [id, points] of Object.entries(value.self_assessment)) {
        const path = ['self_assessment', id];
        const criterion = criterionOf(id, path);
        if (!criterion) continue;
        if (typeof points !== 'number' || !Number.isFinite(points) || points < 0 || points > criterion.maxPointsNumber) {
          check.report(path, { vi: `Điểm tự chấm tiêu chí ${criterion.number} phải là số từ 0 đến ${criterion.maxPointsNumber} (điểm chuẩn).`, en: `Self-assessed points of criterion ${criterion.number} must be a number from 0 to ${criterion.maxPointsNumber}.` }, { unit, criterion: id });
          continue;
        }
        declaration.selfAssessment.set(id, { points, ...(check.locate ? { location: check.locate(path) } : {}) });
      }
    }
  }
  if (value.evidence !== undefined) {
    if (!isRecord(value.evidence)) check.report(['evidence'], { vi: '"evidence" là khối {mã_tiêu_chí: [minh chứng, …]}.', en: '"evidence" is {criterion: [items]}.' }, { unit });
    else {
      for (const [id, list] of Object.entries(value.evidence)) {
        const path = ['evidence', id];
        const criterion = criterionOf(id, path);
        if (!criterion) continue;
        if (!Array.isArray(list)) {
          check.report(path, { vi: `Minh chứng của tiêu chí ${criterion.number} là một danh sách.`, en: `Evidence of criterion ${criterion.number} is a list.` }, { unit, criterion: id });
          continue;
        }
        const items: (EvidenceItem & { location?: SourceLocation })[] = [];
        list.forEach((raw, i) => {
          const at = [...path, i];
          if (!isRecord(raw)) {
            check.report(at, { vi: 'Mỗi minh chứng là {kind, number, date, issuer, file hoặc link, summary}.', en: 'Each item is {kind, number, date, issuer, file or link, summary}.' }, { unit, criterion: id });
            return;
          }
          check.keys(raw, at, ['kind', 'number', 'date', 'issuer', 'file', 'link', 'summary']);
          if (!EVIDENCE_KINDS.includes(raw.kind as never)) {
            check.report([...at, 'kind'], { vi: `Loại minh chứng "${String(raw.kind)}" không có; chọn: ${EVIDENCE_KINDS.join(', ')}.`, en: `Unknown evidence kind "${String(raw.kind)}"; choose: ${EVIDENCE_KINDS.join(', ')}.` }, { unit, criterion: id });
            return;
          }
          const text = (key: string) => check.string(raw, at, key, false, { vi: key, en: key });
          const date = check.date(raw, at, 'date', false, { vi: 'ngày văn bản', en: 'the date' });
          const link = text('link');
          if (link && !/^https?:\/\//.test(link)) check.report([...at, 'link'], { vi: 'Đường dẫn phải bắt đầu bằng http:// hoặc https://.', en: 'A link starts with http:// or https://.' }, { unit, criterion: id });
          const item: EvidenceItem = { kind: raw.kind as EvidenceItem['kind'] };
          for (const key of ['number', 'issuer', 'file', 'summary'] as const) {
            const v = text(key);
            if (v) item[key] = v;
          }
          if (date) item.date = date;
          if (link && /^https?:\/\//.test(link)) item.link = link;
          const short = itemShortfall(item);
          if (short) check.report(at, { vi: `Minh chứng thứ ${i + 1} của tiêu chí ${criterion.number} chưa đủ: ${short.vi}.`, en: `Item ${i + 1} of criterion ${criterion.number} is incomplete: ${short.en}.` }, { unit, criterion: id, severity: 'warning' });
          items.push({ ...item, ...(check.locate ? { location: check.locate(at) } : {}) });
        });
        declaration.evidence.set(id, items);
      }
    }
  }
  return declaration;
}
