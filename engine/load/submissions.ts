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
import { createRequire } from 'node:module';
import type { Options as CsvOptions } from 'csv-parse/sync';
import type { Submission } from '../model.js';
import { locator, parseYaml, type YamlSource } from './yaml-source.js';

// csv-parse is loaded on first use: most runs read JSON.
const require = createRequire(import.meta.url);
const parseCsv = (input: string, options: CsvOptions): string[][] =>
  (require('csv-parse/sync') as { parse: (input: string, options: CsvOptions) => string[][] }).parse(input, options);
import { problem, type Problem } from '../problems.js';

export interface SubmissionLimits {
  /** Largest input accepted, in bytes. Default 64 MiB. */
  maxBytes: number;
  /** Most submissions in one input. Default 200,000. */
  maxSubmissions: number;
}

export const DEFAULT_SUBMISSION_LIMITS: SubmissionLimits = { maxBytes: 64 * 1024 * 1024, maxSubmissions: 200_000 };

export interface ReadSubmissions {
  submissions: Submission[];
  problems: Problem[];
}

function unreadable(file: string, vi: string, en: string, hint?: { vi: string; en: string }): ReadSubmissions {
  return { submissions: [], problems: [problem('submission.unreadable', { vi, en }, { file, ...(hint ? { hint } : {}) })] };
}

function tooLarge(file: string, text: string, limits: SubmissionLimits): ReadSubmissions | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= limits.maxBytes) return undefined;
  return unreadable(file, `Tệp số liệu quá lớn (${bytes} byte, tối đa ${limits.maxBytes}).`, `Submission file too large (${bytes} bytes, at most ${limits.maxBytes}).`);
}

const ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u;

/** Check a submission's envelope; the problem names the unit by position when it has no usable id. */
export function envelopeOf(raw: unknown, index: number, file: string, mode: Submission['mode'], line?: number, columns?: Record<string, number>): { submission?: Submission; problems: Problem[] } {
  const where = { file, ...(line ? { location: { file, start: 0, end: 0, line, column: 1 } } : {}) };
  const label = line ? `dòng ${line}` : `mục thứ ${index + 1}`;
  const labelEn = line ? `line ${line}` : `entry ${index + 1}`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [problem('submission.shape', { vi: `${label}: mỗi đơn vị phải là một khối {id, name, level, inputs}.`, en: `${labelEn}: each unit must be an object {id, name, level, inputs}.` }, where)] };
  }
  const record = raw as Record<string, unknown>;
  const problems: Problem[] = [];
  const allowed = ['id', 'name', 'level', 'inputs', 'note', 'type']; // type: structures (issue 11)
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      problems.push(problem('submission.shape', { vi: `${label}: khóa không hợp lệ "${key}"; các khóa: ${allowed.join(', ')}.`, en: `${labelEn}: unknown key "${key}"; keys: ${allowed.join(', ')}.` }, where));
    }
  }
  const id = record.id;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    problems.push(
      problem(
        'submission.shape',
        { vi: `${label}: thiếu hoặc sai mã đơn vị "id" (${JSON.stringify(id) ?? 'không có'}).`, en: `${labelEn}: missing or invalid unit "id" (${JSON.stringify(id) ?? 'none'}).` },
        { ...where, hint: { vi: 'Mã đơn vị gồm chữ, số, dấu chấm, gạch ngang, gạch dưới; ví dụ: so-tttt.', en: 'A unit id is letters, digits, dots, dashes, underscores; e.g. so-tttt.' } },
      ),
    );
  }
  const unit = typeof id === 'string' ? id : undefined;
  if (typeof record.name !== 'string' || record.name.trim() === '') {
    problems.push(problem('submission.shape', { vi: `${label}: thiếu tên đơn vị "name".`, en: `${labelEn}: missing unit "name".` }, { ...where, ...(unit ? { unit } : {}) }));
  }
  if (typeof record.level !== 'string' || record.level === '') {
    problems.push(problem('submission.shape', { vi: `${label}: thiếu cấp đơn vị "level".`, en: `${labelEn}: missing "level".` }, { ...where, ...(unit ? { unit } : {}) }));
  }
  // structures (issue 11): the unit's type, checked against its level's unit_types when scored.
  if (record.type !== undefined && (typeof record.type !== 'string' || record.type.trim() === '')) {
    problems.push(problem('submission.shape', { vi: `${label}: loại đơn vị "type" phải là một mã, ví dụ "co-kinh-te-so".`, en: `${labelEn}: "type" must be an id, e.g. "co-kinh-te-so".` }, { ...where, ...(unit ? { unit } : {}) }));
  }
  const inputs = record.inputs;
  if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) {
    problems.push(
      problem('submission.shape', { vi: `${label}: "inputs" phải là khối {mã_tiêu_chí: {mã_số_liệu: giá_trị}}.`, en: `${labelEn}: "inputs" must be {criterion: {input: value}}.` }, { ...where, ...(unit ? { unit } : {}) }),
    );
  }
  if (problems.length) return { problems };
  return {
    submission: {
      id: id as string,
      name: (record.name as string).trim(),
      level: record.level as string,
      inputs: inputs as Record<string, unknown>,
      ...(typeof record.type === 'string' ? { type: record.type.trim() } : {}),
      mode,
      origin: { file, index, ...(line ? { line } : {}), ...(columns ? { columns } : {}) },
    },
    problems,
  };
}

export function readSubmissionsJson(file: string, text: string, limits: SubmissionLimits = DEFAULT_SUBMISSION_LIMITS): ReadSubmissions {
  const large = tooLarge(file, text, limits);
  if (large) return large;
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return unreadable(file, `Tệp không phải JSON hợp lệ: ${(err as Error).message}`, `Not valid JSON: ${(err as Error).message}`, {
      vi: 'Kiểm tra dấu phẩy, dấu ngoặc và dấu ngoặc kép; có thể mở tệp bằng một trình soạn thảo có kiểm tra JSON.',
      en: 'Check commas, brackets and quotes.',
    });
  }
  let list: unknown[];
  if (Array.isArray(data)) list = data;
  else if (data !== null && typeof data === 'object' && Array.isArray((data as { submissions?: unknown }).submissions)) list = (data as { submissions: unknown[] }).submissions;
  else list = [data];
  if (list.length > limits.maxSubmissions) {
    return unreadable(file, `Quá nhiều đơn vị trong một tệp (${list.length}, tối đa ${limits.maxSubmissions}).`, `Too many units in one file (${list.length}, at most ${limits.maxSubmissions}).`);
  }
  // Positions are found only when a problem needs one: JSON is YAML, so the YAML reader locates it.
  let source: YamlSource | undefined;
  const prefix: (string | number)[] = Array.isArray(data) ? [] : list === (data as { submissions?: unknown }).submissions ? ['submissions'] : [];
  const locateEntry = (index: number) => (path: (string | number)[]) => {
    source ??= parseYaml(file, text, { maxBytes: limits.maxBytes, maxAliasCount: 0 }).source;
    const full = Array.isArray(data) || prefix.length ? [...prefix, index, ...path] : path;
    return source ? locator(source)(full) : { file, start: 0, end: 0, line: 1, column: 1 };
  };
  const submissions: Submission[] = [];
  const problems: Problem[] = [];
  list.forEach((raw, index) => {
    const locate = locateEntry(index);
    const result = envelopeOf(raw, index, file, 'json');
    problems.push(...result.problems.map((p) => (p.location ? p : { ...p, location: locate([]) })));
    if (result.submission) submissions.push({ ...result.submission, origin: { ...result.submission.origin, locate } });
  });
  return { submissions, problems };
}

export function readSubmissionsCsv(file: string, text: string, limits: SubmissionLimits = DEFAULT_SUBMISSION_LIMITS): ReadSubmissions {
  const large = tooLarge(file, text, limits);
  if (large) return large;
  let rows: string[][];
  try {
    rows = parseCsv(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: false, delimiter: detectDelimiter(text) }) as string[][];
  } catch (err) {
    return unreadable(file, `Tệp CSV không đọc được: ${(err as Error).message}`, `Cannot read CSV: ${(err as Error).message}`, {
      vi: 'Mỗi dòng phải có cùng số cột với dòng tiêu đề; ô có dấu phẩy phải đặt trong dấu ngoặc kép.',
      en: 'Every row must have as many cells as the header; quote cells that contain the delimiter.',
    });
  }
  const [header, ...body] = rows;
  if (!header) return unreadable(file, 'Tệp CSV trống.', 'The CSV file is empty.');
  if (body.length > limits.maxSubmissions) {
    return unreadable(file, `Quá nhiều dòng (${body.length}, tối đa ${limits.maxSubmissions}).`, `Too many rows (${body.length}, at most ${limits.maxSubmissions}).`);
  }
  const columns = header.map((h) => h.trim());
  const problems: Problem[] = [];
  for (const required of ['id', 'name', 'level']) {
    if (!columns.includes(required)) {
      problems.push(problem('submission.unreadable', { vi: `Thiếu cột "${required}" ở dòng tiêu đề.`, en: `Missing column "${required}" in the header.` }, { file, location: { file, start: 0, end: 0, line: 1, column: 1 } }));
    }
  }
  columns.forEach((column, i) => {
    if (['id', 'name', 'level', 'note', 'type'].includes(column)) return;
    if (!/^[a-z][a-z0-9-]*\.[a-z][a-z0-9_]*(\.(achieved|total))?$/.test(column)) {
      problems.push(
        problem(
          'submission.unreadable',
          { vi: `Cột "${column}" không đúng dạng mã_tiêu_chí.mã_số_liệu.`, en: `Column "${column}" is not of the form criterion.input.` },
          { file, location: { file, start: 0, end: 0, line: 1, column: i + 1 } },
        ),
      );
    }
  });
  if (problems.length) return { submissions: [], problems };

  // "criterion.input" → 1-based column, so a problem can point at the cell.
  const columnOf: Record<string, number> = {};
  columns.forEach((column, i) => {
    const key = column.split('.').slice(0, 2).join('.');
    columnOf[key] ??= i + 1;
  });
  const submissions: Submission[] = [];
  body.forEach((row, index) => {
    const line = index + 2;
    const record: Record<string, unknown> = { inputs: {} };
    const inputs = record.inputs as Record<string, Record<string, unknown>>;
    row.forEach((cell, i) => {
      const column = columns[i]!;
      const value = cell.trim();
      if (column === 'id' || column === 'name' || column === 'level' || column === 'note' || column === 'type') {
        if (value !== '') record[column] = value;
        return;
      }
      if (value === '') return;
      const [criterion, input, part] = column.split('.') as [string, string, string | undefined];
      const block = (inputs[criterion] ??= {});
      if (part) {
        const pair = (block[input] ??= {}) as Record<string, unknown>;
        pair[part] = value;
      } else block[input] = value;
    });
    const result = envelopeOf(record, index, file, 'text', line, columnOf);
    problems.push(...result.problems);
    if (result.submission) submissions.push(result.submission);
  });
  return { submissions, problems };
}

/** Spreadsheet programs in Vietnamese locales save CSV with ";" (the comma is the decimal mark). */
function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
}
