/**
 * Read units' submissions from JSON or CSV text into Submission values.
 * Only the envelope is checked here (unit id, name, level); the values are
 * checked against the criteria when scoring.
 *
 * JSON: one submission, a list of them, or {"submissions": [...]}:
 *   {"id": "so-tttt", "name": "Sở ...", "level": "province",
 *    "inputs": {"<criterion id>": {"<input id>": value}}}
 *
 * CSV: a header row "id,name,level,<criterion id>.<input id>,..."; a ratio
 * may be one column ("3/4") or two (".achieved", ".total"). An empty cell
 * is "not reported" (an error for the unit's own level, ignored for columns
 * of other levels). Values are read as people type them.
 */
import { ATTRIBUTE_COLUMN_PREFIX, attributesFieldProblem, ownAttributes } from '../contract/unit-attributes.js'; // structures (issue 11)
import { createRequire } from 'node:module';
import type { Options as CsvOptions } from 'csv-parse/sync';
import type { Submission } from '../model.js';
import { problem, type Problem, type ProblemCode, type SourceLocation } from '../problems.js';
import { JsonEntryReader, type JsonEntry, type JsonEntryFailure } from './json-entries.js';

// csv-parse is loaded on first use: most runs read JSON.
const require = createRequire(import.meta.url);
interface CsvRecordInfo {
  record: string[];
  info: { lines: number };
}
const parseCsv = (input: string, options: CsvOptions): CsvRecordInfo[] =>
  (require('csv-parse/sync') as { parse: (input: string, options: CsvOptions) => CsvRecordInfo[] }).parse(input, options);

/**
 * Every bound on submissions, in one place (README "Limits"). Each refusal is
 * a located problem; nothing is measured, sliced or recursed into before its
 * bound is checked. The HTTP service reuses these.
 */
export interface SubmissionLimits {
  /** Largest text read whole (the library's readers, an HTTP body), in bytes. Default 64 MiB. */
  maxBytes: number;
  /** Most submissions in one text read whole or one request. Default 200,000. */
  maxSubmissions: number;
  /** Largest file the CLI reads (as a stream, never whole), in bytes. Default 4 GiB. */
  maxFileBytes: number;
  /** Most units (JSON entries, CSV rows) in one streamed file. Default 2,000,000. */
  maxUnitsPerFile: number;
  /** Characters in one unit's JSON text, or bytes in one CSV row. Default 1 MiB. */
  maxEntryChars: number;
  /** Nesting of objects/lists inside one submission (the unit's own braces are level 1; a ratio value is level 4). Default 8. */
  maxDepth: number;
  /** Characters in any string value or number, and in any CSV cell. Default 1,000. */
  maxStringLength: number;
  /** Characters in a key (criterion or input id, envelope key). Default 100. */
  maxKeyLength: number;
  /** Characters in a unit name. Default 300 (unit ids: 100, by their pattern). */
  maxNameLength: number;
  /** Columns in a CSV file. Default 2,000. */
  maxColumns: number;
}

export const DEFAULT_SUBMISSION_LIMITS: Readonly<SubmissionLimits> = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxSubmissions: 200_000,
  maxFileBytes: 4 * 1024 * 1024 * 1024,
  maxUnitsPerFile: 2_000_000,
  maxEntryChars: 1024 * 1024,
  maxDepth: 8,
  maxStringLength: 1000,
  maxKeyLength: 100,
  maxNameLength: 300,
  maxColumns: 2000,
});

export function submissionLimits(limits: Partial<SubmissionLimits> = {}): SubmissionLimits {
  return { ...DEFAULT_SUBMISSION_LIMITS, ...limits };
}

export interface ReadSubmissions {
  submissions: Submission[];
  problems: Problem[];
}

/** Where read submissions and problems go, one at a time (streams never hold a file's units). */
export interface SubmissionSink {
  submission(submission: Submission): void;
  problem(problem: Problem): void;
}

function unreadable(file: string, vi: string, en: string, hint?: { vi: string; en: string }, location?: SourceLocation, code: ProblemCode = 'submission.unreadable'): Problem {
  return problem(code, { vi, en }, { file, ...(location ? { location } : {}), ...(hint ? { hint } : {}) });
}

function tooLarge(file: string, bytes: number, limit: number): Problem {
  return unreadable(file, `Tệp số liệu quá lớn (${bytes} byte, tối đa ${limit}).`, `Submission file too large (${bytes} bytes, at most ${limit}).`, {
    vi: 'Chia số liệu thành nhiều tệp.',
    en: 'Split the data into several files.',
  }, undefined, 'submission.too-large');
}

const ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u;

/** Shown in a message: an untrusted value, bounded and with control characters escaped. */
export function quoteValue(value: unknown, max = 60): string {
  if (value === undefined) return 'không có';
  if (typeof value === 'string') {
    const cut = value.length > max ? value.slice(0, max) + '…' : value;
    return JSON.stringify(cut).replace(/[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? '[…]' : '{…}';
}

/**
 * Depth and string length of a value that did not come through our own
 * reader (an HTTP body, the library given objects): checked with an explicit
 * stack, so a value nested 100,000 deep costs a loop, not the call stack.
 */
export function valueLimitProblem(value: unknown, limits: SubmissionLimits): { kind: 'too-deep' | 'too-long'; path: (string | number)[] } | undefined {
  const stack: { value: unknown; depth: number; path: (string | number)[] }[] = [{ value, depth: 1, path: [] }];
  let visited = 0;
  while (stack.length) {
    const { value: v, depth, path } = stack.pop()!;
    if (++visited > 1_000_000) return { kind: 'too-long', path };
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) return { kind: 'too-long', path };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > limits.maxDepth) return { kind: 'too-deep', path };
    if (Array.isArray(v)) {
      if (v.length > limits.maxKeyLength * 100) return { kind: 'too-long', path };
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i], depth: depth + 1, path: [...path, i] });
    } else {
      for (const key of Object.keys(v)) {
        if (key.length > limits.maxKeyLength) return { kind: 'too-long', path: [...path, key.slice(0, 20)] };
        stack.push({ value: (v as Record<string, unknown>)[key], depth: depth + 1, path: [...path, key] });
      }
    }
  }
  return undefined;
}

/** Check a submission's envelope; the problem names the unit by position when it has no usable id. */
export function envelopeOf(
  raw: unknown,
  index: number,
  file: string,
  mode: Submission['mode'],
  line?: number,
  columns?: Record<string, number>,
  /** checkValues (default true): bound the depth and strings of `inputs`; false when our own reader already did. */
  options: { limits?: SubmissionLimits; location?: SourceLocation; checkValues?: boolean } = {},
): { submission?: Submission; problems: Problem[] } {
  const limits = options.limits ?? DEFAULT_SUBMISSION_LIMITS;
  const location = options.location ?? (line ? { file, start: 0, end: 0, line, column: 1 } : undefined);
  const where = { file, ...(location ? { location } : {}) };
  const label = line ? `dòng ${line}` : `mục thứ ${index + 1}`;
  const labelEn = line ? `line ${line}` : `entry ${index + 1}`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [problem('submission.shape', { vi: `${label}: mỗi đơn vị phải là một khối {id, name, level, inputs}.`, en: `${labelEn}: each unit must be an object {id, name, level, inputs}.` }, where)] };
  }
  const record = raw as Record<string, unknown>;
  const own = (key: string): unknown => (Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined);
  const problems: Problem[] = [];
  const allowed = ['id', 'name', 'level', 'inputs', 'note', 'type', 'attributes']; // type, attributes: structures (issue 11)
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      problems.push(problem('submission.shape', { vi: `${label}: khóa không hợp lệ ${quoteValue(key)}; các khóa: ${allowed.join(', ')}.`, en: `${labelEn}: unknown key ${quoteValue(key)}; keys: ${allowed.join(', ')}.` }, where));
    }
  }
  const id = own('id');
  if (typeof id !== 'string' || id.length > 100 || !ID_PATTERN.test(id)) {
    problems.push(
      problem(
        'submission.shape',
        { vi: `${label}: thiếu hoặc sai mã đơn vị "id" (${quoteValue(id)}).`, en: `${labelEn}: missing or invalid unit "id" (${quoteValue(id).replace('không có', 'none')}).` },
        { ...where, hint: { vi: 'Mã đơn vị gồm chữ, số, dấu chấm, gạch ngang, gạch dưới (tối đa 100 ký tự); ví dụ: so-tttt.', en: 'A unit id is letters, digits, dots, dashes, underscores (at most 100); e.g. so-tttt.' } },
      ),
    );
  }
  const unit = typeof id === 'string' && id.length <= 100 && ID_PATTERN.test(id) ? id : undefined;
  const name = own('name');
  if (typeof name === 'string' && name.length > limits.maxNameLength) {
    problems.push(
      problem('submission.too-long', { vi: `${label}: tên đơn vị dài ${name.length} ký tự, tối đa ${limits.maxNameLength}.`, en: `${labelEn}: the unit name is ${name.length} characters long, at most ${limits.maxNameLength}.` }, {
        ...where,
        ...(unit ? { unit } : {}),
        hint: { vi: 'Ghi tên ngắn gọn của đơn vị.', en: 'Give the short name of the unit.' },
      }),
    );
  } else if (typeof name !== 'string' || name.trim() === '') {
    problems.push(problem('submission.shape', { vi: `${label}: thiếu tên đơn vị "name".`, en: `${labelEn}: missing unit "name".` }, { ...where, ...(unit ? { unit } : {}) }));
  }
  const level = own('level');
  if (typeof level !== 'string' || level === '' || level.length > 64) {
    problems.push(problem('submission.shape', { vi: `${label}: thiếu hoặc sai cấp đơn vị "level".`, en: `${labelEn}: missing or invalid "level".` }, { ...where, ...(unit ? { unit } : {}) }));
  }
  const note = own('note');
  if (note !== undefined && (typeof note !== 'string' || note.length > limits.maxStringLength)) {
    problems.push(problem('submission.shape', { vi: `${label}: ghi chú "note" phải là chữ, tối đa ${limits.maxStringLength} ký tự.`, en: `${labelEn}: "note" must be text of at most ${limits.maxStringLength} characters.` }, { ...where, ...(unit ? { unit } : {}) }));
  }
  // structures (issue 11): the unit's type, checked against its level's unit_types when scored.
  const type = own('type');
  if (type !== undefined && (typeof type !== 'string' || type.trim() === '' || type.length > 64)) {
    problems.push(problem('submission.shape', { vi: `${label}: loại đơn vị "type" phải là một mã, ví dụ "co-kinh-te-so".`, en: `${labelEn}: "type" must be an id, e.g. "co-kinh-te-so".` }, { ...where, ...(unit ? { unit } : {}) }));
  }
  // structures (issue 11): the unit's attributes, shape here (engine/contract/unit-attributes.ts), values when scored.
  const attributes = own('attributes');
  const attributesWrong = attributesFieldProblem(attributes);
  if (attributesWrong) problems.push(problem('submission.shape', { vi: `${label}: ${attributesWrong.vi}`, en: `${labelEn}: ${attributesWrong.en}` }, { ...where, ...(unit ? { unit } : {}) }));
  const inputs = own('inputs');
  if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) {
    problems.push(
      problem('submission.shape', { vi: `${label}: "inputs" phải là khối {mã_tiêu_chí: {mã_số_liệu: giá_trị}}.`, en: `${labelEn}: "inputs" must be {criterion: {input: value}}.` }, { ...where, ...(unit ? { unit } : {}) }),
    );
  } else if (options.checkValues !== false) {
    // Values that did not come through our reader (HTTP, library callers): bound them before anything recurses.
    const bad = valueLimitProblem(inputs, { ...limits, maxDepth: limits.maxDepth - 1 });
    if (bad) problems.push(limitProblem(bad.kind, file, where.location, `${label}, inputs.${bad.path.join('.')}`, `${labelEn}, inputs.${bad.path.join('.')}`, limits, unit));
  }
  if (problems.length) return { problems };
  return {
    submission: {
      id: id as string,
      name: (name as string).trim(),
      level: level as string,
      inputs: inputs as Record<string, unknown>,
      ...(typeof type === 'string' ? { type: type.trim() } : {}),
      ...(attributes !== undefined ? { attributes: ownAttributes(attributes as Record<string, unknown>) } : {}),
      mode,
      origin: { file, index, ...(line ? { line } : {}), ...(columns ? { columns } : {}) },
    },
    problems,
  };
}

function limitProblem(kind: 'too-deep' | 'too-long', file: string, location: SourceLocation | undefined, what: string, whatEn: string, limits: SubmissionLimits, unit?: string): Problem {
  return kind === 'too-deep'
    ? problem('submission.too-deep', { vi: `${what}: số liệu lồng quá ${limits.maxDepth} tầng.`, en: `${whatEn}: data nested deeper than ${limits.maxDepth} levels.` }, { file, ...(location ? { location } : {}), ...(unit ? { unit } : {}), hint: { vi: 'Mỗi số liệu là một số, một chữ, hoặc {achieved, total}.', en: 'Each value is a number, a text or {achieved, total}.' } })
    : problem('submission.too-long', { vi: `${what}: giá trị dài quá ${limits.maxStringLength} ký tự.`, en: `${whatEn}: a value is longer than ${limits.maxStringLength} characters.` }, { file, ...(location ? { location } : {}), ...(unit ? { unit } : {}) });
}

const FAILURE_CODES: Record<JsonEntryFailure['kind'], ProblemCode> = {
  syntax: 'submission.unreadable',
  incomplete: 'submission.unreadable',
  'duplicate-key': 'submission.duplicate-key',
  'too-deep': 'submission.too-deep',
  'too-long': 'submission.too-long',
  'too-many': 'submission.too-many',
};

const JSON_HINTS: Partial<Record<JsonEntryFailure['kind'], { vi: string; en: string }>> = {
  syntax: { vi: 'Kiểm tra dấu phẩy, dấu ngoặc và dấu ngoặc kép; có thể mở tệp bằng một trình soạn thảo có kiểm tra JSON.', en: 'Check commas, brackets and quotes.' },
  'duplicate-key': { vi: 'Mỗi khóa chỉ được ghi một lần trong một khối; xóa bản thừa (JSON đọc bản sau và bỏ mất bản trước).', en: 'Write each key once per object; remove the extra one.' },
  'too-deep': { vi: 'Mỗi số liệu là một số, một chữ, hoặc {achieved, total}.', en: 'Each value is a number, a text or {achieved, total}.' },
  'too-many': { vi: 'Chia số liệu thành nhiều tệp.', en: 'Split the data into several files.' },
};

/** An entry of a JSON submissions file, as a Submission (or its envelope's problems), handed to `sink`. */
export function submitJsonEntry(file: string, entry: JsonEntry, sink: SubmissionSink, limits: SubmissionLimits): void {
  const location = { file, start: entry.position.offset, end: entry.position.offset + 1, line: entry.position.line, column: entry.position.column };
  const result = envelopeOf(entry.value, entry.index, file, 'json', undefined, undefined, { limits, location, checkValues: false });
  for (const p of result.problems) sink.problem(p);
  if (result.submission) {
    // The origin is the envelope's own new object: completed in place (no copy per unit).
    result.submission.origin!.locate = (path: (string | number)[]) => ({ file, ...entry.locate(path) });
    sink.submission(result.submission);
  }
}

/** Why an entry (or, when `fatal`, the rest of the file) could not be read, as a located problem. */
export function jsonEntryFailureProblem(file: string, f: JsonEntryFailure, isFatal: boolean): Problem {
  const located: SourceLocation = { file, start: f.position.offset, end: f.position.offset + 1, line: f.position.line, column: f.position.column };
  const entryVi = f.index === undefined ? '' : `mục thứ ${f.index + 1}: `;
  const entryEn = f.index === undefined ? '' : `entry ${f.index + 1}: `;
  const vi = f.kind === 'syntax' ? `Tệp không phải JSON hợp lệ: ${f.detail.vi}.` : `${entryVi}${f.detail.vi}${isFatal ? '; không đọc tiếp tệp này' : '; đơn vị này không được chấm'}.`;
  const en = f.kind === 'syntax' ? `Not valid JSON: ${f.detail.en}.` : `${entryEn}${f.detail.en}${isFatal ? '; the rest of the file is not read' : '; this unit is not scored'}.`;
  const hint = JSON_HINTS[f.kind];
  return problem(FAILURE_CODES[f.kind], { vi, en }, { file, location: located, ...(hint ? { hint } : {}) });
}

/**
 * A JSON submissions reader fed chunk by chunk: each entry becomes a
 * Submission (or problems) as soon as its text is complete. `end()` returns
 * false when the file could not be read to its end (a syntax error, a broken
 * file-level limit): the caller then drops what it got from this file.
 * `skipEntries`: the first entries were already handed over by another
 * reader (the parallel score's fast path); they are read again but not
 * reported, so the file's remaining entries and its end are reported as if
 * read from the start.
 */
export function jsonSubmissionReader(file: string, sink: SubmissionSink, limits: SubmissionLimits = DEFAULT_SUBMISSION_LIMITS, skipEntries = 0): { push(chunk: string): void; end(): boolean } {
  let fatal = false;
  const reader = new JsonEntryReader({ maxDepth: limits.maxDepth + 0, maxStringLength: limits.maxStringLength, maxKeyLength: limits.maxKeyLength, maxEntryChars: limits.maxEntryChars, maxEntries: limits.maxUnitsPerFile }, {
    entry(entry) {
      if (entry.index >= skipEntries) submitJsonEntry(file, entry, sink, limits);
    },
    failure(f, isFatal) {
      fatal ||= isFatal;
      if (isFatal || f.index === undefined || f.index >= skipEntries) sink.problem(jsonEntryFailureProblem(file, f, isFatal));
    },
  });
  return {
    push: (chunk) => reader.push(chunk),
    end: () => {
      reader.end();
      return !fatal;
    },
  };
}

function collect(read: (sink: SubmissionSink) => boolean): ReadSubmissions {
  const submissions: Submission[] = [];
  const problems: Problem[] = [];
  const complete = read({ submission: (s) => submissions.push(s), problem: (p) => problems.push(p) });
  // A file that could not be read to its end contributes no unit (as if unreadable), only its problems.
  return { submissions: complete ? submissions : [], problems };
}

export function readSubmissionsJson(file: string, text: string, limits: Partial<SubmissionLimits> = {}): ReadSubmissions {
  const all = submissionLimits(limits);
  if (text.length > all.maxBytes || Buffer.byteLength(text, 'utf8') > all.maxBytes) return { submissions: [], problems: [tooLarge(file, Buffer.byteLength(text.slice(0, all.maxBytes * 2), 'utf8'), all.maxBytes)] };
  return collect((sink) => {
    const reader = jsonSubmissionReader(file, sink, { ...all, maxUnitsPerFile: Math.min(all.maxUnitsPerFile, all.maxSubmissions) });
    reader.push(text);
    return reader.end();
  });
}

/** The CSV columns a row is read into: criterion, input and (for a ratio in two columns) the part. */
interface CsvColumn {
  name: string;
  criterion?: string;
  input?: string;
  part?: 'achieved' | 'total';
  /** structures (issue 11): an attributes.<id> column. */
  attribute?: string;
}

const ENVELOPE_COLUMNS = ['id', 'name', 'level', 'note', 'type']; // type: structures (issue 11)

/** Names an object has before anything is put in it: never a criterion or input id read from a header. */
const RESERVED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', '__proto__']);

/**
 * The CSV reading shared by a text in memory and a file stream: the header
 * first, then each row. Every map built from the file's own text (header
 * names, criterion and input ids) has no prototype, so a column named
 * "constructor.assign" or "__proto__.x" is only ever a key.
 */
export class CsvSubmissionRows {
  private columns: CsvColumn[] | undefined;
  private columnOf: Record<string, number> = Object.create(null) as Record<string, number>;
  private index = 0;
  failed = false;

  constructor(
    private readonly file: string,
    private readonly sink: SubmissionSink,
    private readonly limits: SubmissionLimits,
  ) {}

  private at(line: number, column = 1): SourceLocation {
    return { file: this.file, start: 0, end: 0, line, column };
  }

  /** Returns false when the header is refused (the file is not read further). */
  header(cells: readonly string[], line: number): boolean {
    const problems: Problem[] = [];
    if (cells.length > this.limits.maxColumns) {
      problems.push(problem('submission.too-many', { vi: `Tệp CSV có ${cells.length} cột, tối đa ${this.limits.maxColumns}.`, en: `The CSV file has ${cells.length} columns, at most ${this.limits.maxColumns}.` }, { file: this.file, location: this.at(line) }));
    }
    const names = cells.map((h) => h.trim());
    for (const required of ['id', 'name', 'level']) {
      if (!names.includes(required)) {
        problems.push(problem('submission.unreadable', { vi: `Thiếu cột "${required}" ở dòng tiêu đề.`, en: `Missing column "${required}" in the header.` }, { file: this.file, location: this.at(line) }));
      }
    }
    const seen: Record<string, number> = Object.create(null) as Record<string, number>;
    const columns: CsvColumn[] = [];
    names.forEach((name, i) => {
      if (name.length > this.limits.maxKeyLength * 2 + 10) {
        problems.push(problem('submission.too-long', { vi: `Cột thứ ${i + 1} có tên dài quá ${this.limits.maxKeyLength * 2 + 10} ký tự.`, en: `Column ${i + 1} has a name longer than ${this.limits.maxKeyLength * 2 + 10} characters.` }, { file: this.file, location: this.at(line, i + 1) }));
        columns.push({ name: '' });
        return;
      }
      if (seen[name] !== undefined) {
        problems.push(
          problem('submission.duplicate-key', { vi: `Cột ${quoteValue(name)} có hai lần (cột ${seen[name]} và ${i + 1}).`, en: `Column ${quoteValue(name)} appears twice (columns ${seen[name]} and ${i + 1}).` }, {
            file: this.file,
            location: this.at(line, i + 1),
            hint: { vi: 'Mỗi số liệu chỉ có một cột; xóa cột thừa.', en: 'Keep one column per input.' },
          }),
        );
      }
      seen[name] = i + 1;
      if (ENVELOPE_COLUMNS.includes(name)) {
        columns.push({ name });
        return;
      }
      // structures (issue 11): attributes.<id> is the unit's attribute, not an input.
      if (name.startsWith(ATTRIBUTE_COLUMN_PREFIX) && /^[a-z][a-z0-9_]{0,63}$/.test(name.slice(ATTRIBUTE_COLUMN_PREFIX.length))) {
        columns.push({ name, attribute: name.slice(ATTRIBUTE_COLUMN_PREFIX.length) });
        this.columnOf[name] = i + 1;
        return;
      }
      const match = /^([a-z][a-z0-9-]*)\.([a-z][a-z0-9_]*)(?:\.(achieved|total))?$/.exec(name);
      if (!match) {
        problems.push(
          problem('submission.unreadable', { vi: `Cột ${quoteValue(name)} không đúng dạng mã_tiêu_chí.mã_số_liệu.`, en: `Column ${quoteValue(name)} is not of the form criterion.input.` }, { file: this.file, location: this.at(line, i + 1) }),
        );
        columns.push({ name: '' });
        return;
      }
      const [, criterion, input, part] = match as unknown as [string, string, string, 'achieved' | 'total' | undefined];
      const reserved = RESERVED_NAMES.has(criterion) ? criterion : RESERVED_NAMES.has(input) ? input : undefined;
      if (reserved) {
        problems.push(
          problem('submission.unreadable', { vi: `Cột ${quoteValue(name)}: "${reserved}" không thể là mã tiêu chí hay mã số liệu (tên dành riêng).`, en: `Column ${quoteValue(name)}: "${reserved}" cannot be a criterion or input id (a reserved name).` }, {
            file: this.file,
            location: this.at(line, i + 1),
            hint: { vi: 'Dùng mã tiêu chí và mã số liệu của bộ tiêu chí (xem mẫu: tieuchi template, tieuchi schema).', en: 'Use the criteria set\'s criterion and input ids (see tieuchi template, tieuchi schema).' },
          }),
        );
        columns.push({ name: '' });
        return;
      }
      columns.push({ name, criterion, input, ...(part ? { part } : {}) });
      const key = `${criterion}.${input}`;
      if (this.columnOf[key] === undefined) this.columnOf[key] = i + 1;
    });
    for (const p of problems) this.sink.problem(p);
    if (problems.length) {
      this.failed = true;
      return false;
    }
    this.columns = columns;
    return true;
  }

  row(cells: readonly string[], line: number): void {
    const columns = this.columns!;
    const index = this.index++;
    if (index >= this.limits.maxUnitsPerFile) {
      if (index === this.limits.maxUnitsPerFile) {
        this.sink.problem(problem('submission.too-many', { vi: `Quá ${this.limits.maxUnitsPerFile} dòng đơn vị trong một tệp; các dòng sau không được đọc.`, en: `More than ${this.limits.maxUnitsPerFile} unit rows in one file; later rows are not read.` }, { file: this.file, location: this.at(line) }));
      }
      this.failed = true;
      return;
    }
    const record: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const inputs: Record<string, Record<string, unknown>> = Object.create(null) as Record<string, Record<string, unknown>>;
    record.inputs = inputs;
    for (let i = 0; i < cells.length && i < columns.length; i++) {
      const cell = cells[i]!;
      if (cell.length > this.limits.maxStringLength && columns[i]!.name !== 'name') {
        this.sink.problem(
          problem('submission.too-long', { vi: `Dòng ${line}, cột ${quoteValue(columns[i]!.name)}: ô dài quá ${this.limits.maxStringLength} ký tự; đơn vị này không được chấm.`, en: `Line ${line}, column ${quoteValue(columns[i]!.name)}: the cell is longer than ${this.limits.maxStringLength} characters; this unit is not scored.` }, {
            file: this.file,
            location: this.at(line, i + 1),
          }),
        );
        return;
      }
      const column = columns[i]!;
      if (column.attribute !== undefined) {
        const value = cell.trim();
        if (value !== '') ((record.attributes ??= Object.create(null) as Record<string, unknown>) as Record<string, unknown>)[column.attribute] = value;
        continue;
      }
      if (!column.criterion) {
        const value = cell.length > this.limits.maxNameLength * 4 ? cell : cell.trim();
        if (value !== '') record[column.name] = value;
        continue;
      }
      const value = cell.trim();
      if (value === '') continue;
      const block = (inputs[column.criterion] ??= Object.create(null) as Record<string, unknown>);
      if (column.part) {
        const pair = (block[column.input!] ??= Object.create(null) as Record<string, unknown>) as Record<string, unknown>;
        pair[column.part] = value;
      } else block[column.input!] = value;
    }
    const result = envelopeOf(record, index, this.file, 'text', line, this.columnOf, { limits: this.limits, checkValues: false });
    for (const p of result.problems) this.sink.problem(p);
    if (result.submission) this.sink.submission(result.submission);
  }
}

/** csv-parse's options for submissions; the delimiter is guessed from the first line. */
export function csvOptions(firstLine: string, limits: SubmissionLimits): CsvOptions {
  return { bom: true, skip_empty_lines: true, relax_column_count: false, trim: false, delimiter: detectDelimiter(firstLine), info: true, max_record_size: limits.maxEntryChars };
}

/** csv-parse's error, as a located problem without its JavaScript wording where we can say it better. */
export function csvErrorProblem(file: string, err: unknown): Problem {
  const e = err as { code?: string; lines?: number; message?: string };
  const line = typeof e.lines === 'number' && e.lines > 0 ? e.lines : undefined;
  const known: Record<string, { vi: string; en: string }> = {
    CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: { vi: 'số ô của dòng khác số cột của dòng tiêu đề', en: 'the row has a different number of cells than the header' },
    CSV_QUOTE_NOT_CLOSED: { vi: 'một dấu ngoặc kép mở mà không đóng', en: 'a quote is opened and never closed' },
    CSV_INVALID_CLOSING_QUOTE: { vi: 'dấu ngoặc kép đóng sai chỗ', en: 'a closing quote is followed by other characters' },
    CSV_MAX_RECORD_SIZE: { vi: 'một dòng dài quá giới hạn', en: 'a row is longer than the limit' },
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: { vi: 'có ký tự sau dấu ngoặc kép đóng', en: 'characters after a closing quote' },
  };
  const what = (e.code && known[e.code]) || { vi: 'không đọc được', en: (e.message ?? 'unreadable').split('\n')[0]!.slice(0, 200) };
  return problem(
    e.code === 'CSV_MAX_RECORD_SIZE' ? 'submission.too-long' : 'submission.unreadable',
    { vi: `Tệp CSV không đọc được${line ? ` (dòng ${line})` : ''}: ${what.vi}.`, en: `Cannot read CSV${line ? ` (line ${line})` : ''}: ${what.en}.` },
    {
      file,
      ...(line ? { location: { file, start: 0, end: 0, line, column: 1 } } : {}),
      hint: { vi: 'Mỗi dòng phải có cùng số cột với dòng tiêu đề; ô có dấu phẩy phải đặt trong dấu ngoặc kép.', en: 'Every row must have as many cells as the header; quote cells that contain the delimiter.' },
    },
  );
}

export function readSubmissionsCsv(file: string, text: string, limits: Partial<SubmissionLimits> = {}): ReadSubmissions {
  const all = submissionLimits(limits);
  if (text.length > all.maxBytes || Buffer.byteLength(text, 'utf8') > all.maxBytes) return { submissions: [], problems: [tooLarge(file, Buffer.byteLength(text.slice(0, all.maxBytes * 2), 'utf8'), all.maxBytes)] };
  return collect((sink) => {
    let records: CsvRecordInfo[];
    try {
      records = parseCsv(text, csvOptions(firstLineOf(text), all));
    } catch (err) {
      sink.problem(csvErrorProblem(file, err));
      return false;
    }
    const [header, ...body] = records;
    if (!header) {
      sink.problem(problem('submission.unreadable', { vi: 'Tệp CSV trống.', en: 'The CSV file is empty.' }, { file }));
      return false;
    }
    if (body.length > all.maxSubmissions) {
      sink.problem(problem('submission.too-many', { vi: `Quá nhiều dòng (${body.length}, tối đa ${all.maxSubmissions}).`, en: `Too many rows (${body.length}, at most ${all.maxSubmissions}).` }, { file }));
      return false;
    }
    const rows = new CsvSubmissionRows(file, sink, all);
    if (!rows.header(header.record, header.info.lines)) return true;
    for (const { record, info } of body) rows.row(record, info.lines);
    return !rows.failed;
  });
}

export function firstLineOf(text: string): string {
  const end = text.search(/\r?\n/);
  return (end === -1 ? text : text.slice(0, end)).replace(/^\uFEFF/, '');
}

/** Spreadsheet programs in Vietnamese locales save CSV with ";" (the comma is the decimal mark). */
function detectDelimiter(firstLine: string): string {
  let semicolons = 0;
  let commas = 0;
  for (let i = 0; i < firstLine.length && i < 1_000_000; i++) {
    const c = firstLine.charCodeAt(i);
    if (c === 0x3b) semicolons++;
    else if (c === 0x2c) commas++;
  }
  return semicolons > commas ? ';' : ',';
}
