/**
 * Values the managing department supplies once per round (issue 11): a
 * province-wide denominator, the best value of the year. A YAML file of its
 * own, read as untrusted input:
 *
 *   year: 2025            # optional; checked against the criteria set
 *   values:
 *     dan_so_toan_tinh: 1234567
 *
 * Each name must be declared in some level's `round_values` (type, label,
 * bounds); what is declared but not supplied is a located problem at its
 * declaration, and every criterion that reads it reports it per unit.
 */
import type { CriteriaSet } from '../criteria-set.js';
import type { RoundValueDef } from '../model.js';
import { problem, type Problem } from '../problems.js';
import { Rational } from '../exact/rational.js';
import { DEFAULT_YAML_LIMITS, locator, parseYaml } from './yaml-source.js';

export interface LoadedRoundValues {
  values?: Map<string, Rational>;
  problems: Problem[];
}

const ALLOWED = ['year', 'values', 'note'];
/** Most values one round supplies (a file or a request). */
const MAX_VALUES = 200;

/** Read and check a round-values file against the set's declarations. */
export function readRoundValues(file: string, text: string, set: CriteriaSet): LoadedRoundValues {
  const parsed = parseYaml(file, text, { ...DEFAULT_YAML_LIMITS, maxBytes: 256 * 1024 });
  if (!parsed.source || parsed.problems.some((p) => p.severity === 'error')) return { problems: parsed.problems };
  const locate = locator(parsed.source);
  const checked = checkRoundValues(parsed.value, set, { where: (path, key) => ({ location: locate(path, key) }), label: () => '', noun: { vi: 'Tệp', en: 'The file' }, missingIn: { vi: `tệp ${file}`, en: file } });
  return { ...checked, problems: [...parsed.problems, ...checked.problems] };
}

/** Where the round values came from, for messages: a place per path (a file's line and column), or words naming the path. */
export interface RoundValuesOrigin {
  where: (path: (string | number)[], key?: boolean) => Pick<Problem, 'location' | 'file'>;
  /** Text before a message naming the path ("round_values.values.x: " in an HTTP body; "" when the location says it). */
  label: (path: (string | number)[]) => string;
  /** What holds the values, to start a sentence: "Tệp", "round_values". */
  noun: { vi: string; en: string };
  /** Words for "in the file X" of a missing value. */
  missingIn: { vi: string; en: string };
  /** What to do about a missing value (default: the CLI's --round-values). */
  missingHint?: { vi: string; en: string };
}

/**
 * The round values of a POST /score body (`round_values`, the same shape as
 * the file: {year?, values: {name: number}, note?}), checked as the file is;
 * each problem names its path in the body (round_values.values.name).
 */
export function roundValuesFromBody(value: unknown, set: CriteriaSet): LoadedRoundValues {
  const text = (path: (string | number)[]) => ['round_values', ...path].join('.');
  return checkRoundValues(value, set, {
    where: () => ({ file: 'request' }),
    label: (path) => `${text(path)}: `,
    noun: { vi: '"round_values"', en: '"round_values"' },
    missingIn: { vi: 'round_values của yêu cầu', en: "the request's round_values" },
    missingHint: { vi: 'Ghi giá trị trong yêu cầu: "round_values": {"values": {"tên": giá trị}}.', en: 'Give it in the request: "round_values": {"values": {"name": value}}.' },
  });
}

/** The check shared by the file and the HTTP body: shape, year, declared names, kinds and bounds, what is missing. */
export function checkRoundValues(doc: unknown, set: CriteriaSet, origin: RoundValuesOrigin): LoadedRoundValues {
  const problems: Problem[] = [];
  const invalid = (path: (string | number)[], vi: string, en: string, hint?: { vi: string; en: string }) =>
    problems.push(problem('round-value.invalid', { vi: origin.label(path) + vi, en: origin.label(path) + en }, { ...origin.where(path), ...(hint ? { hint } : {}) }));
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    invalid([], origin.noun.vi === 'Tệp' ? 'Tệp giá trị của đợt phải là một khối có "values:".' : `${origin.noun.vi} phải là một khối có "values".`, origin.noun.vi === 'Tệp' ? 'A round-values file must be a mapping with "values:".' : `${origin.noun.en} must be an object with "values".`, { vi: 'Ví dụ:\nvalues:\n  dan_so_toan_tinh: 1234567', en: 'E.g. values: {dan_so_toan_tinh: 1234567}' });
    return { problems };
  }
  const record = doc as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!ALLOWED.includes(key)) invalid([key], `Khóa không hợp lệ "${key.slice(0, 64)}"; các khóa: ${ALLOWED.join(', ')}.`, `Unknown key "${key.slice(0, 64)}"; keys: ${ALLOWED.join(', ')}.`);
  if (record.year !== undefined && record.year !== set.year) invalid(['year'], `${origin.noun.vi} ghi năm ${String(record.year).slice(0, 20)}, nhưng bộ tiêu chí là năm ${set.year}.`, `${origin.noun.en} says year ${String(record.year).slice(0, 20)}, the criteria are ${set.year}.`);
  const supplied = record.values;
  if (supplied === null || typeof supplied !== 'object' || Array.isArray(supplied)) {
    invalid(record.values === undefined ? [] : ['values'], 'Thiếu khối "values:" (tên: giá trị).', 'Missing the "values:" mapping (name: value).');
    return { problems };
  }

  const declared = new Map<string, { def: RoundValueDef; level: string }[]>();
  for (const level of set.levels) for (const [name, def] of Object.entries(level.doc.round_values ?? {})) declared.set(name, [...(declared.get(name) ?? []), { def, level: level.id }]);

  const values = new Map<string, Rational>();
  const names = Object.keys(supplied);
  if (names.length > MAX_VALUES) {
    invalid(['values'], `Có ${names.length} giá trị, tối đa ${MAX_VALUES}.`, `${names.length} values, at most ${MAX_VALUES}.`);
    return { problems };
  }
  for (const name of names) {
    const raw = (supplied as Record<string, unknown>)[name];
    const path = ['values', name];
    const decls = Object.prototype.hasOwnProperty.call(Object.prototype, name) ? undefined : declared.get(name);
    if (!decls) {
      problems.push(
        problem('round-value.unknown', { vi: `${origin.label(path)}Giá trị "${name.slice(0, 64)}" không được bộ tiêu chí năm ${set.year} khai báo ở round_values, nên không dùng.`, en: `${origin.label(path)}"${name.slice(0, 64)}" is not declared in any round_values of ${set.year}; it is not used.` }, {
          severity: 'warning',
          ...origin.where(path, true),
          hint: { vi: `Các giá trị được khai báo: ${[...declared.keys()].join(', ') || '(không có)'}.`, en: `Declared: ${[...declared.keys()].join(', ') || '(none)'}.` },
        }),
      );
      continue;
    }
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      invalid(path, `Giá trị "${name}" phải là một số, đang là ${JSON.stringify(raw)?.slice(0, 40) ?? String(raw)}.`, `"${name}" must be a number, got ${JSON.stringify(raw)?.slice(0, 40) ?? String(raw)}.`, { vi: 'Chỉ ghi con số, không kèm chữ hay ngoặc kép; dấu chấm là dấu thập phân: 1234567 hoặc 98.5', en: 'Write a plain number, no words or quotes: 1234567 or 98.5' });
      continue;
    }
    let ok = true;
    for (const { def, level } of decls) {
      const bounds = { min: def.min ?? (def.type === 'number' ? undefined : 0), max: def.max ?? (def.type === 'percent' ? 100 : undefined) };
      if ((bounds.min !== undefined && raw < bounds.min) || (bounds.max !== undefined && raw > bounds.max) || (def.type === 'count' && !Number.isInteger(raw))) {
        ok = false;
        invalid(
          path,
          `Giá trị "${name}" (${def.label}) = ${raw} không hợp lệ cho cấp ${level}: ${def.type === 'count' ? 'số nguyên không âm' : def.type === 'percent' ? 'tỉ lệ 0–100' : 'số'}${bounds.min !== undefined || bounds.max !== undefined ? `, trong khoảng ${bounds.min ?? '−∞'} – ${bounds.max ?? '+∞'}` : ''}.`,
          `"${name}" = ${raw} is not valid for level ${level} (${def.type}, ${bounds.min ?? '−∞'} – ${bounds.max ?? '+∞'}).`,
        );
        break;
      }
    }
    if (ok) values.set(name, Rational.fromNumber(raw));
  }
  // Declared but not supplied: at the declaration, once per level.
  for (const level of set.levels) {
    for (const name of Object.keys(level.doc.round_values ?? {})) {
      if (values.has(name) || Object.prototype.hasOwnProperty.call(supplied, name)) continue;
      problems.push(missingRoundValue(level.locate(['round_values', name], true), level.id, name, level.doc.round_values![name]!.label, origin.missingIn, origin.missingHint));
    }
  }
  return { values, problems };
}

export function missingRoundValue(location: Problem['location'], level: string, name: string, label: string, within?: string | { vi: string; en: string }, hint?: { vi: string; en: string }): Problem {
  const place = typeof within === 'string' ? { vi: `tệp ${within}`, en: within } : within;
  return problem(
    'round-value.missing',
    { vi: `Chưa có giá trị của đợt chấm «${label}» (${name})${place ? ` trong ${place.vi}` : ''}; các tiêu chí dùng giá trị này không chấm được.`, en: `The round value "${label}" (${name}) is not supplied${place ? ` in ${place.en}` : ''}; criteria reading it cannot be scored.` },
    { location, level, hint: hint ?? { vi: `Ghi "${name}: giá trị" dưới values: trong tệp giá trị của đợt (--round-values TỆP.yaml).`, en: `Write "${name}: value" under values: in the round-values file (--round-values FILE.yaml).` } },
  );
}
