/**
 * How numbers and dates read for people: Vietnamese uses a decimal comma and
 * a dot between thousands (3,8 điểm; 95,5%; 10.000 đơn vị; 05/10/2023).
 * Intl formats decimal strings exactly, so no float ever rounds a display.
 */
import type { Lang } from '../problems.js';

const LOCALES: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(lang: Lang, minDecimals: number, maxDecimals: number): Intl.NumberFormat {
  const key = `${lang}:${minDecimals}:${maxDecimals}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: minDecimals, maximumFractionDigits: maxDecimals, roundingMode: 'halfExpand' } as Intl.NumberFormatOptions);
    formatters.set(key, f);
  }
  return f;
}

/** A number (or exact decimal text) for reading, with at most `maxDecimals` decimals. */
export function formatNumber(value: number | string, lang: Lang, maxDecimals = 4, minDecimals = 0): string {
  const text = typeof value === 'number' ? String(value) : value;
  // Intl accepts decimal strings and formats them exactly (no binary float in between).
  return formatter(lang, minDecimals, maxDecimals).format(text as unknown as number);
}

/** True when showing `maxDecimals` decimals would hide digits (then we write ≈). */
export function isApproximate(value: number | string, maxDecimals = 4): boolean {
  const text = typeof value === 'number' ? String(value) : value;
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  return fraction.replace(/0+$/, '').length > maxDecimals;
}

/**
 * Points for reading: at most `decimals` decimals (a criteria file's
 * rounding.decimals; 1 when not given) and at least `minDecimals` (pass the
 * same number to show every score with the file's own decimals: 16,67; 4,00).
 */
export function formatPoints(value: number | string, lang: Lang, decimals = 1, minDecimals = 0): string {
  return formatNumber(value, lang, decimals, Math.min(minDecimals, decimals));
}

export function formatPercent(value: number | string, lang: Lang): string {
  return `${formatNumber(value, lang, 2)}%`;
}

/** 2023-10-05 → 05/10/2023 (both languages: the decision's own style). */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

export const WORDS = {
  vi: { points: 'điểm', yes: 'có', no: 'không', true: 'đúng', false: 'sai', none: 'chưa có', rounded: 'làm tròn', clamped: 'giới hạn trong' },
  en: { points: 'points', yes: 'yes', no: 'no', true: 'true', false: 'false', none: 'none', rounded: 'rounded', clamped: 'limited to' },
} as const;
