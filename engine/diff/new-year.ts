/**
 * Next year's criteria start as a copy of this year's: same ids, same
 * text, same formulas; the year set, the decision's number and date left
 * blank for staff to fill in once the new decision is signed.
 *
 * The edit is made on the file's text at the exact spots the YAML Document
 * locates (node ranges), not by re-serialising the document: yaml's
 * toString() would re-fold every block scalar and re-space every flow
 * mapping, and staff would find a file that no longer looks like theirs.
 * Comments, layout and quoting survive byte for byte.
 */
import { isMap, isScalar, parseDocument, type Scalar } from 'yaml';
import type { ParameterDef } from '../model.js';
import { problem, type Problem } from '../problems.js';

export interface NewYearOptions {
  /** The year of the new set. */
  year: number;
  /** Where the copy comes from, named in the note added to the header (e.g. "criteria/2023/province.yaml"). */
  source: string;
  /** New path for the `# yaml-language-server: $schema=…` line, when the copy lives at another depth. */
  schemaPath?: (oldPath: string) => string;
}

export interface NewYearResult {
  text?: string;
  problems: Problem[];
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
  return { text: out, problems: [] };
}

/** Date parameters still in `fromYear`: deadlines staff must move (or confirm) for the new year. */
export function datesStillIn(parameters: Record<string, ParameterDef> | undefined, fromYear: number): { id: string; value: string; label: string }[] {
  return Object.entries(parameters ?? {})
    .filter(([, def]) => def.type === 'date' && String(def.value).startsWith(`${fromYear}-`))
    .map(([id, def]) => ({ id, value: String(def.value), label: def.label }));
}
