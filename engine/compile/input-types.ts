/**
 * The input types units report (percent, ratio, count, date, choice,
 * yes/no): their formula type, and how a reported value is read and checked.
 *
 * Two reading modes: `json` is strict (numbers are JSON numbers, dates ISO
 * strings), for other tools; `text` accepts what people type in a CSV or a
 * spreadsheet cell ("95,5%", "10/02/2023", a choice's Vietnamese label).
 */
import { Decimal, toDecimal } from '../decimal.js';
import type { InputDef, JsonValue, ReadMode } from '../model.js';
import type { Localized } from '../problems.js';
import { parseIsoDate } from './dates.js';
import type { Value, ValueType } from './values.js';
import { NUMBER_VALUE_TYPE, readNumberInput } from './number-input.js'; // structures (issue 11)

export function valueTypeOf(def: InputDef): ValueType {
  switch (def.type) {
    case 'percent':
    case 'ratio':
      return { kind: 'number', unit: 'percent' };
    case 'count':
      return { kind: 'number', unit: 'count' };
    case 'date':
      return { kind: 'date', nullable: def.none_allowed === true };
    case 'choice':
      return { kind: 'choice', options: (def.options ?? []).map((o) => o.id) };
    case 'boolean':
      return { kind: 'boolean' };
    case 'number': // structures (issue 11): engine/compile/number-input.ts
      return NUMBER_VALUE_TYPE;
  }
}

/** A reported value once read: what formulas see, and what explanations show. */
export interface ReadInput {
  value: Value;
  /** The value as JSON, normalised (a ratio keeps its counts). */
  reported: JsonValue;
}

export interface InputReadError {
  code: 'submission.bad-value' | 'submission.out-of-range';
  message: Localized;
  hint?: Localized;
}

export type InputReadResult = ReadInput | InputReadError;

export function isReadError(result: InputReadResult): result is InputReadError {
  return 'code' in result;
}

const ZERO = new Decimal(0);
const HUNDRED = new Decimal(100);

const bad = (vi: string, en: string, hint?: Localized): InputReadError => ({ code: 'submission.bad-value', message: { vi, en }, ...(hint ? { hint } : {}) });
const outOfRange = (vi: string, en: string, hint?: Localized): InputReadError => ({ code: 'submission.out-of-range', message: { vi, en }, ...(hint ? { hint } : {}) });

/** Lower case without diacritics, for matching what people type against labels. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

function show(raw: unknown): string {
  if (typeof raw === 'string') return `"${raw.length > 40 ? raw.slice(0, 40) + '…' : raw}"`;
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

/** "95,5", "95.5", "95,5 %" → 95.5; undefined when it is not one plain number. */
function readDecimalText(text: string, allowPercentSign: boolean): Decimal | undefined {
  let t = text.trim();
  if (allowPercentSign) t = t.replace(/\s*%$/, '');
  if (!/^[+-]?\d+([.,]\d+)?$/.test(t)) return undefined;
  return new Decimal(t.replace(',', '.'));
}

/** "1.234" or "1 234" (Vietnamese digit grouping) or "1234" → 1234. */
function readCountText(text: string): Decimal | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return new Decimal(t);
  if (/^\d{1,3}([. ]\d{3})+$/.test(t)) return new Decimal(t.replace(/[. ]/g, ''));
  return undefined;
}

function readNumber(raw: unknown, mode: ReadMode, label: string, percent: boolean): Decimal | InputReadError {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return bad(`"${label}" không phải là số hữu hạn.`, `"${label}" is not a finite number.`);
    return toDecimal(raw);
  }
  if (typeof raw === 'string' && mode === 'text') {
    const value = readDecimalText(raw, percent);
    if (value) return value;
  }
  return bad(
    `"${label}" phải là một số${percent ? ' (tỉ lệ %, từ 0 đến 100)' : ''}, nhận được ${show(raw)}.`,
    `"${label}" must be a number${percent ? ' (a percentage, 0 to 100)' : ''}, got ${show(raw)}.`,
    mode === 'json' && typeof raw === 'string'
      ? { vi: 'Trong JSON, ghi số không có dấu ngoặc kép và không có dấu %: 95.5', en: 'In JSON write the number without quotes or %: 95.5' }
      : undefined,
  );
}

function readCount(raw: unknown, mode: ReadMode, label: string): Decimal | InputReadError {
  let value: Decimal | undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) value = toDecimal(raw);
  else if (typeof raw === 'string' && mode === 'text') value = readCountText(raw);
  if (!value) return bad(`"${label}" phải là số đếm (số nguyên không âm), nhận được ${show(raw)}.`, `"${label}" must be a count (a whole number, 0 or more), got ${show(raw)}.`);
  if (!value.isInteger() || value.isNegative()) {
    return outOfRange(`"${label}" phải là số nguyên không âm, nhận được ${value.toString()}.`, `"${label}" must be a whole number, 0 or more, got ${value.toString()}.`);
  }
  return value;
}

/** dd/mm/yyyy (text mode) or yyyy-mm-dd → ISO; undefined when not a real date. */
function readDate(raw: string, mode: ReadMode): string | undefined {
  const t = raw.trim();
  if (parseIsoDate(t)) return t;
  if (mode !== 'text') return undefined;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return parseIsoDate(iso) ? iso : undefined;
}

const YES = new Set(['true', 'co', 'yes', 'x', '1', 'dat']);
const NO = new Set(['false', 'khong', 'no', '0', 'khong dat']);

/** Read one reported value for one declared input. */
export function readInput(def: InputDef, raw: unknown, mode: ReadMode): InputReadResult {
  const label = def.label;
  switch (def.type) {
    case 'percent': {
      const value = readNumber(raw, mode, label, true);
      if (!(value instanceof Decimal)) return value;
      if (value.lessThan(ZERO) || value.greaterThan(HUNDRED)) {
        return outOfRange(
          `"${label}" = ${value.toString()}% nằm ngoài khoảng 0–100%.`,
          `"${label}" = ${value.toString()}% is outside 0–100%.`,
          { vi: 'Tỉ lệ ghi theo phần trăm, từ 0 đến 100 (ví dụ 95,5 nghĩa là 95,5%).', en: 'Rates are percentages from 0 to 100 (95.5 means 95.5%).' },
        );
      }
      return { value, reported: typeof raw === 'number' ? raw : value.toNumber() };
    }
    case 'ratio': {
      let achieved: unknown;
      let total: unknown;
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        const keys = Object.keys(raw);
        const extra = keys.filter((k) => k !== 'achieved' && k !== 'total');
        if (extra.length) return bad(`"${label}" chỉ có hai trường achieved và total; thừa: ${extra.join(', ')}.`, `"${label}" has only achieved and total; unexpected: ${extra.join(', ')}.`);
        achieved = (raw as Record<string, unknown>).achieved;
        total = (raw as Record<string, unknown>).total;
      } else if (typeof raw === 'string' && mode === 'text' && /^\s*[\d. ]+\s*\/\s*[\d. ]+\s*$/.test(raw)) {
        [achieved, total] = raw.split('/').map((s) => s.trim());
      } else {
        return bad(
          `"${label}" phải ghi dạng số đạt/tổng số, ví dụ {"achieved": 3, "total": 4}${mode === 'text' ? ' hoặc 3/4' : ''}; nhận được ${show(raw)}.`,
          `"${label}" must be achieved/total counts, e.g. {"achieved": 3, "total": 4}${mode === 'text' ? ' or 3/4' : ''}; got ${show(raw)}.`,
        );
      }
      const a = readCount(achieved, mode, `${label} (số đạt)`);
      if (!(a instanceof Decimal)) return a;
      const t = readCount(total, mode, `${label} (tổng số)`);
      if (!(t instanceof Decimal)) return t;
      if (a.greaterThan(t)) {
        return outOfRange(`"${label}": số đạt (${a.toString()}) lớn hơn tổng số (${t.toString()}).`, `"${label}": achieved (${a.toString()}) exceeds total (${t.toString()}).`);
      }
      const reported = { achieved: a.toNumber(), total: t.toNumber() };
      if (t.isZero()) {
        if (def.if_total_zero === undefined) {
          return outOfRange(
            `"${label}": tổng số là 0 nên không tính được tỉ lệ.`,
            `"${label}": the total is 0, so there is no rate.`,
            { vi: 'Kiểm tra lại số liệu; nếu tổng số 0 là hợp lệ, tiêu chí cần khai báo if_total_zero.', en: 'Check the data; if a zero total is valid, the criterion must declare if_total_zero.' },
          );
        }
        return { value: toDecimal(def.if_total_zero), reported };
      }
      return { value: a.times(HUNDRED).dividedBy(t), reported };
    }
    case 'count': {
      const value = readCount(raw, mode, label);
      if (!(value instanceof Decimal)) return value;
      if (def.max !== undefined && value.greaterThan(def.max)) {
        return outOfRange(`"${label}" = ${value.toString()} vượt quá tối đa ${def.max}.`, `"${label}" = ${value.toString()} exceeds the maximum ${def.max}.`);
      }
      return { value, reported: typeof raw === 'number' ? raw : value.toNumber() };
    }
    case 'date': {
      const noneLabel = def.none_label ?? 'chưa có';
      if (raw === null || (mode === 'text' && typeof raw === 'string' && isNoneText(raw, noneLabel))) {
        if (def.none_allowed) return { value: null, reported: null };
        return bad(`"${label}" phải là một ngày.`, `"${label}" must be a date.`);
      }
      if (typeof raw === 'string') {
        const iso = readDate(raw, mode);
        if (iso) return { value: iso, reported: iso };
      }
      return bad(
        `"${label}" phải là ngày dạng ${mode === 'text' ? 'NN/TT/NNNN hoặc ' : ''}NNNN-TT-NN${def.none_allowed ? `, hoặc ${mode === 'text' ? `"${noneLabel}"` : 'null'} nếu ${noneLabel.toLowerCase()}` : ''}; nhận được ${show(raw)}.`,
        `"${label}" must be a date as ${mode === 'text' ? 'DD/MM/YYYY or ' : ''}YYYY-MM-DD${def.none_allowed ? `, or ${mode === 'text' ? `"${noneLabel}"` : 'null'} if none` : ''}; got ${show(raw)}.`,
      );
    }
    case 'choice': {
      const options = def.options ?? [];
      if (typeof raw === 'string') {
        const byId = options.find((o) => o.id === raw);
        if (byId) return { value: byId.id, reported: byId.id };
        if (mode === 'text') {
          const folded = foldText(raw);
          // People type the label, with or without diacritics, or the id with spaces for underscores.
          const asId = folded.replace(/[\s-]+/g, '_');
          const byLabel = options.find((o) => foldText(o.label) === folded || o.id === asId);
          if (byLabel) return { value: byLabel.id, reported: byLabel.id };
        }
      }
      return bad(
        `"${label}": ${show(raw)} không phải là một mức hợp lệ.`,
        `"${label}": ${show(raw)} is not a valid option.`,
        {
          vi: `Chọn một trong: ${options.map((o) => `${o.id} (${o.label})`).join('; ')}.`,
          en: `Choose one of: ${options.map((o) => o.id).join(', ')}.`,
        },
      );
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw, reported: raw };
      if (mode === 'text' && typeof raw === 'string') {
        const folded = foldText(raw);
        if (YES.has(folded)) return { value: true, reported: true };
        if (NO.has(folded)) return { value: false, reported: false };
      }
      return bad(
        `"${label}" phải là ${mode === 'text' ? 'Có hoặc Không' : 'true hoặc false'}, nhận được ${show(raw)}.`,
        `"${label}" must be ${mode === 'text' ? 'yes or no' : 'true or false'}, got ${show(raw)}.`,
      );
    }
    case 'number': // structures (issue 11)
      return readNumberInput(def, raw, mode);
  }
}

function isNoneText(raw: string, noneLabel: string): boolean {
  const folded = foldText(raw);
  return folded === foldText(noneLabel) || folded === '-' || folded === 'chua' || folded === 'khong' || folded === 'chua ban hanh';
}
