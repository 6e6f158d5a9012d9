/**
 * Next year's criteria start as a copy of this year's: same ids, same
 * text, same formulas; the year set, the decision's number and date left
 * blank and its status "draft" until the new decision is signed; every
 * date (deadline parameters and the examples' dates) moved by the years
 * between the two sets, so that the draft's deadlines are the new year's
 * and each example stays on time or late as before (both dates move).
 *
 * The edit is made on the file's text at the exact spots the YAML Document
 * locates (node ranges), not by re-serialising the document: yaml's
 * toString() would re-fold every block scalar and re-space every flow
 * mapping, and staff would find a file that no longer looks like theirs.
 * Comments, layout and quoting survive byte for byte.
 */
import { isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import { shiftDateToYear } from '../check/stale-copy.js';
import type { ParameterDef } from '../model.js';
import { problem, type Problem } from '../problems.js';

export interface NewYearOptions {
  /** The year of the new set. */
  year: number;
  /** Where the copy comes from, named in the note added to the header (e.g. "criteria/2023/province.yaml"). */
  source: string;
  /** New path for the `# yaml-language-server: $schema=…` line, when the copy lives at another depth. */
  schemaPath?: (oldPath: string) => string;
  /** The source set's year; dates move by `year - fromYear` years. Default: the file's own year. */
  fromYear?: number;
  /** Leave every date as it is (default false: move them). */
  keepDates?: boolean;
}

/** One date moved by new-year, for its report. */
export interface DateChange {
  /** 1-based line in the new file. */
  line: number;
  /** "parameters.han_bao_cao_ket_qua" or "ke-hoach-cds / ví dụ 2 / ngay_bao_cao_ket_qua". */
  what: string;
  kind: 'parameter' | 'example';
  criterion?: string;
  old: string;
  new: string;
}

export interface NewYearResult {
  text?: string;
  problems: Problem[];
  /** Every date moved (empty with keepDates). */
  changes: DateChange[];
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const SCHEMA_LINE = /^(# yaml-language-server: \$schema=)(\S+)(.*)$/;

/** One criteria file's text for the new year: year set, decision number and date blank, the rest as it was. */
export function newYearText(file: string, text: string, options: NewYearOptions): NewYearResult {
  const doc = parseDocument(text);
  const failed = (what: string): NewYearResult => ({
    changes: [],
    problems: [
      problem('new-year.edit-failed', { vi: `Không tìm thấy ${what} trong ${file} để sửa cho năm ${options.year}.`, en: `Cannot find ${what} in ${file} to set it for ${options.year}.` }, {
        file,
        hint: { vi: `Chạy "tieuchi validate" trên bộ tiêu chí gốc và sửa lỗi trước.`, en: 'Run "tieuchi validate" on the source set and fix it first.' },
      }),
    ],
  });
  if (doc.errors.length) return failed('nội dung YAML hợp lệ');
  const scalarAt = (path: string[]): Scalar | undefined => {
    const node = doc.getIn(path, true);
    return isScalar(node) && node.range ? node : undefined;
  };
  const year = scalarAt(['year']);
  if (!year) return failed('"year"');
  if (!isMap(doc.get('decision'))) return failed('"decision"');
  const number = scalarAt(['decision', 'number']);
  const date = scalarAt(['decision', 'date']);
  if (!number) return failed('"decision.number"');
  if (!date) return failed('"decision.date"');

  const edits: Edit[] = [
    { start: year.range![0], end: year.range![1], text: String(options.year) },
    { start: number.range![0], end: number.range![1], text: '""' },
    { start: date.range![0], end: date.range![1], text: '""' },
  ];
  // The copy is a draft until signed: an explicit status says so; none derives it from the blank number.
  const status = scalarAt(['decision', 'status']);
  if (status) edits.push({ start: status.range![0], end: status.range![1], text: 'draft' });

  // Dates move by whole years (29/02 becomes 28/02 in a common year).
  const fromYear = options.fromYear ?? (typeof year.value === 'number' ? year.value : options.year);
  const delta = options.year - fromYear;
  const moves: (Omit<DateChange, 'line'> & { start: number; end: number })[] = [];
  const moveDate = (node: unknown, change: Omit<DateChange, 'line' | 'old' | 'new'>) => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range || !ISO_DATE.test(node.value)) return;
    const shifted = shiftDateToYear(node.value, Number(node.value.slice(0, 4)) + delta);
    const written = text.slice(node.range[0], node.range[1]);
    const at = written.indexOf(node.value);
    if (at < 0) return;
    moves.push({ ...change, old: node.value, new: shifted, start: node.range[0] + at, end: node.range[0] + at + node.value.length });
  };
  if (!options.keepDates && delta !== 0) {
    const parameters = doc.get('parameters', true);
    if (isMap(parameters)) {
      for (const pair of parameters.items) {
        const def = pair.value;
        if (!isMap(def) || def.get('type') !== 'date') continue;
        moveDate(def.get('value', true), { kind: 'parameter', what: `parameters.${String(isScalar(pair.key) ? pair.key.value : pair.key)}` });
      }
    }
    const criteria = doc.get('criteria', true);
    if (isSeq(criteria)) {
      for (const criterion of criteria.items) {
        if (!isMap(criterion)) continue;
        const id = String(criterion.get('id') ?? '?');
        const examples = criterion.get('examples', true);
        if (!isSeq(examples)) continue;
        examples.items.forEach((example, e) => {
          const inputs = isMap(example) ? example.get('inputs', true) : undefined;
          if (!isMap(inputs)) return;
          for (const pair of inputs.items) moveDate(pair.value, { kind: 'example', criterion: id, what: `${id} / ví dụ ${e + 1} / ${String(isScalar(pair.key) ? pair.key.value : pair.key)}` });
        });
      }
    }
  }
  for (const move of moves) edits.push({ start: move.start, end: move.end, text: move.new });
  // Header: point $schema at the right place, and say where the draft came from.
  const firstLineEnd = text.indexOf('\n');
  const firstLine = firstLineEnd === -1 ? text : text.slice(0, firstLineEnd);
  const note = `#\n# BẢN NHÁP năm ${options.year}, tạo bằng "tieuchi new-year" từ ${options.source}: cùng mã tiêu chí;\n# số và ngày quyết định để trống cho đến khi quyết định được ký. Sửa các chú thích bên dưới cho năm mới.\n`;
  const schema = SCHEMA_LINE.exec(firstLine);
  if (schema) {
    const path = options.schemaPath ? options.schemaPath(schema[2]!) : schema[2]!;
    edits.push({ start: 0, end: firstLine.length + 1, text: `${schema[1]}${path}${schema[3]}\n${note}` });
  } else {
    edits.push({ start: 0, end: 0, text: note.slice(2) + '\n' });
  }

  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);

  // The edit is textual, so check it says what we meant.
  const check = parseDocument(out);
  if (check.errors.length || check.get('year') !== options.year || check.getIn(['decision', 'number']) !== '' || check.getIn(['decision', 'date']) !== '') return failed('"year", "decision.number", "decision.date" (sau khi sửa)');
  if (status && check.getIn(['decision', 'status']) !== 'draft') return failed('"decision.status" (sau khi sửa)');
  // Lines in the new file: the header note shifts everything below it.
  const lineOf = (offset: number) => {
    const shift = edits.filter((e) => e.start < offset).reduce((n, e) => n + e.text.length - (e.end - e.start), 0);
    const position = offset + shift;
    let line = 1;
    for (let i = out.indexOf('\n'); i !== -1 && i < position; i = out.indexOf('\n', i + 1)) line++;
    return line;
  };
  const changes = moves.map(({ start, end: _end, ...change }) => ({ ...change, line: lineOf(start) })).sort((a, b) => a.line - b.line);
  return { text: out, problems: [], changes };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Date parameters still in `fromYear`: deadlines staff must move (or confirm) for the new year. */
export function datesStillIn(parameters: Record<string, ParameterDef> | undefined, fromYear: number): { id: string; value: string; label: string }[] {
  return Object.entries(parameters ?? {})
    .filter(([, def]) => def.type === 'date' && String(def.value).startsWith(`${fromYear}-`))
    .map(([id, def]) => ({ id, value: String(def.value), label: def.label }));
}
