/**
 * The round's own YAML files (round.yaml, units.yaml, appraisals, declarations)
 * read with positions, so that every mistake in them is reported at its line
 * and column like a criteria file's. A small field checker keeps the checks
 * short and every message located.
 */
import { readFileSync, statSync } from 'node:fs';
import { locator, parseYaml, type Locator } from '../load/yaml-source.js';
import { problem, type Localized, type Problem, type ProblemCode } from '../problems.js';

export interface ReadYaml {
  value?: unknown;
  locate?: Locator;
  problems: Problem[];
}

/** Round files are small: a units register of 20,000 units is about 2 MiB. */
export const ROUND_YAML_LIMITS = { maxBytes: 8 * 1024 * 1024, maxAliasCount: 0 };

export function readYamlText(file: string, text: string): ReadYaml {
  const parsed = parseYaml(file, text, ROUND_YAML_LIMITS);
  if (!parsed.source || parsed.problems.some((p) => p.severity === 'error')) return { problems: parsed.problems };
  return { value: parsed.value, locate: locator(parsed.source), problems: parsed.problems };
}

export function readYamlFile(path: string, file: string, code: ProblemCode): ReadYaml {
  let text: string;
  try {
    if (statSync(path).size > ROUND_YAML_LIMITS.maxBytes) {
      return { problems: [problem(code, { vi: `Tệp "${file}" quá lớn (tối đa ${ROUND_YAML_LIMITS.maxBytes} byte).`, en: `File "${file}" is too large (at most ${ROUND_YAML_LIMITS.maxBytes} bytes).` }, { file })] };
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { problems: [problem(code, { vi: `Không đọc được tệp "${file}": ${(err as Error).message}`, en: `Cannot read "${file}": ${(err as Error).message}` }, { file })] };
  }
  return readYamlText(file, text);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** Ids of units, providers, criteria: the same rule as submissions. */
export const ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isRealDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * Checks fields of one YAML value and reports each mistake at its place.
 * `at` is the path of the value inside the file.
 */
export class FieldChecker {
  readonly problems: Problem[] = [];
  constructor(
    readonly file: string,
    readonly locate: Locator | undefined,
    readonly code: ProblemCode,
  ) {}

  where(path: readonly (string | number)[], key = false): { location: ReturnType<Locator> } | { file: string } {
    return this.locate ? { location: this.locate(path, key) } : { file: this.file };
  }

  report(path: readonly (string | number)[], message: Localized, extra: Omit<Problem, 'code' | 'message' | 'severity'> & { severity?: 'error' | 'warning' } = {}): void {
    this.problems.push(problem(this.code, message, { ...this.where(path), ...extra }));
  }

  /** Unknown keys are mistakes (a misspelt key would otherwise be silently ignored). */
  keys(record: Record<string, unknown>, path: readonly (string | number)[], allowed: readonly string[]): void {
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) {
        this.problems.push(
          problem(this.code, { vi: `Khóa không hợp lệ "${key}"; các khóa được dùng: ${allowed.join(', ')}.`, en: `Unknown key "${key}"; allowed: ${allowed.join(', ')}.` }, { ...this.where([...path, key], true) }),
        );
      }
    }
  }

  string(record: Record<string, unknown>, path: readonly (string | number)[], key: string, required: boolean, label: Localized): string | undefined {
    const value = record[key];
    if (value === undefined || value === null) {
      if (required) this.report(path, { vi: `Thiếu ${label.vi} ("${key}").`, en: `Missing ${label.en} ("${key}").` });
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.report([...path, key], { vi: `${upper(label.vi)} ("${key}") phải là một chuỗi chữ không rỗng.`, en: `${upper(label.en)} ("${key}") must be non-empty text.` });
      return undefined;
    }
    return value.trim();
  }

  id(record: Record<string, unknown>, path: readonly (string | number)[], key: string, required: boolean, label: Localized): string | undefined {
    const value = this.string(record, path, key, required, label);
    if (value !== undefined && !ID_PATTERN.test(value)) {
      this.report([...path, key], { vi: `${upper(label.vi)} "${value}" không hợp lệ: chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới.`, en: `${upper(label.en)} "${value}" is invalid: letters, digits, dots, dashes, underscores only.` });
      return undefined;
    }
    return value;
  }

  date(record: Record<string, unknown>, path: readonly (string | number)[], key: string, required: boolean, label: Localized): string | undefined {
    const value = record[key];
    if (value === undefined || value === null) {
      if (required) this.report(path, { vi: `Thiếu ${label.vi} ("${key}").`, en: `Missing ${label.en} ("${key}").` });
      return undefined;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (!isRealDate(text)) {
      this.report([...path, key], { vi: `${upper(label.vi)} phải là một ngày dạng "YYYY-MM-DD" trong ngoặc kép, ví dụ "2023-12-15".`, en: `${upper(label.en)} must be a quoted date "YYYY-MM-DD", e.g. "2023-12-15".` });
      return undefined;
    }
    return text;
  }

  list(record: Record<string, unknown>, path: readonly (string | number)[], key: string, label: Localized): unknown[] | undefined {
    const value = record[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.report([...path, key], { vi: `${upper(label.vi)} ("${key}") phải là một danh sách.`, en: `${upper(label.en)} ("${key}") must be a list.` });
      return undefined;
    }
    return value;
  }
}

function upper(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
