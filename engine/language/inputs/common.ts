/** Reading helpers shared by the input types. */
import { Rational } from '../../exact/rational.js';
import type { ReadMode } from '../../model.js';
import type { Localized } from '../../problems.js';
import { SAFE, U, TINY } from '../bounded.js';
import type { InputReadError } from '../input-type.js';

export const bad = (vi: string, en: string, hint?: Localized): InputReadError => ({ code: 'submission.bad-value', message: { vi, en }, ...(hint ? { hint } : {}) });
export const outOfRange = (vi: string, en: string, hint?: Localized): InputReadError => ({ code: 'submission.out-of-range', message: { vi, en }, ...(hint ? { hint } : {}) });

export function isReadError(result: unknown): result is InputReadError {
  return typeof result === 'object' && result !== null && 'code' in result;
}

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

export function show(raw: unknown): string {
  if (typeof raw === 'string') return `"${raw.length > 40 ? raw.slice(0, 40) + '…' : raw}"`;
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

/** "95,5", "95.5", "95,5 %" → 95.5; undefined when it is not one plain number. */
function readDecimalText(text: string, allowPercentSign: boolean): Rational | undefined {
  let t = text.trim();
  if (allowPercentSign) t = t.replace(/\s*%$/, '');
  if (!/^[+-]?\d+([.,]\d+)?$/.test(t)) return undefined;
  return Rational.parse(t.replace(',', '.'));
}

/** "1.234" or "1 234" (Vietnamese digit grouping) or "1234" → 1234. */
function readCountText(text: string): Rational | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Rational.parse(t);
  if (/^\d{1,3}([. ]\d{3})+$/.test(t)) return Rational.parse(t.replace(/[. ]/g, ''));
  return undefined;
}

export function readNumber(raw: unknown, mode: ReadMode, label: string, percent: boolean): Rational | InputReadError {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return bad(`"${label}" không phải là số hữu hạn.`, `"${label}" is not a finite number.`);
    return Rational.fromNumber(raw);
  }
  if (typeof raw === 'string' && mode === 'text') {
    const value = readDecimalText(raw, percent);
    if (value) return value;
  }
  return bad(
    `"${label}" phải là một số${percent ? ' (tỉ lệ %, từ 0 đến 100)' : ''}, nhận được ${show(raw)}.`,
    `"${label}" must be a number${percent ? ' (a percentage, 0 to 100)' : ''}, got ${show(raw)}.`,
    mode === 'json' && typeof raw === 'string' ? { vi: 'Trong JSON, ghi số không có dấu ngoặc kép và không có dấu %: 95.5', en: 'In JSON write the number without quotes or %: 95.5' } : undefined,
  );
}

export function readCount(raw: unknown, mode: ReadMode, label: string): Rational | InputReadError {
  let value: Rational | undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) value = Rational.fromNumber(raw);
  else if (typeof raw === 'string' && mode === 'text') value = readCountText(raw);
  if (!value) return bad(`"${label}" phải là số đếm (số nguyên không âm), nhận được ${show(raw)}.`, `"${label}" must be a count (a whole number, 0 or more), got ${show(raw)}.`);
  if (!value.isInteger() || value.isNegative()) {
    return outOfRange(`"${label}" phải là số nguyên không âm, nhận được ${value.toString()}.`, `"${label}" must be a whole number, 0 or more, got ${value.toString()}.`);
  }
  return value;
}

/** A count the fast path takes as it is: a safe non-negative integer. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < SAFE;
}

/** Error bound of a reported double against the rational of its shortest text. */
export function readError(value: number): number {
  return Number.isInteger(value) ? 0 : Math.abs(value) * U + TINY;
}

export const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);
