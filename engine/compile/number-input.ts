/**
 * The `number` input type (issue 11): a measured quantity with a unit and
 * bounds, e.g. bandwidth per staff in Mbps, money in đồng, a count per 1,000
 * inhabitants. Decimal, exact (read from its decimal text, never a float).
 *
 * Everything about the type sits here (value type, JSON and text reading,
 * submission-schema fragment, spreadsheet validation and wording) so that it
 * moves into the input-type registry as one piece.
 */
import { Decimal, toDecimal } from '../decimal.js';
import type { InputDef, ReadMode } from '../model.js';
import type { InputReadResult } from './input-types.js';
import type { ValueType } from './values.js';

export const NUMBER_VALUE_TYPE: ValueType = { kind: 'number', unit: 'plain' };

/** Lower case without diacritics (as input-types' foldText; kept here so the two modules do not import each other). */
function foldText(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

function show(raw: unknown): string {
  if (typeof raw === 'string') return `"${raw.length > 40 ? raw.slice(0, 40) + '…' : raw}"`;
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

/**
 * A number as people type it in Vietnamese: the comma is the decimal mark and
 * the dot groups thousands ("1.234,5", "12,5", "1 234"); a lone dot followed
 * by other than three digits is a decimal point ("12.5", as typed on an
 * English keyboard). The unit may follow ("25 Mbps").
 */
export function readNumberText(text: string, unit?: string): Decimal | undefined {
  let t = text.trim();
  if (unit) {
    // "25 Mbps", "25mbps": the unit, as declared, may follow the number.
    if (foldText(t).endsWith(foldText(unit)) && t.length > unit.length) t = t.slice(0, t.length - unit.length).trim();
  }
  t = t.replace(/\u00a0/g, ' ');
  const sign = /^[+-]/.test(t) ? t[0] : '';
  const body = sign ? t.slice(1) : t;
  let normal: string | undefined;
  if (/^\d{1,3}([. ]\d{3})+(,\d+)?$/.test(body)) normal = body.replace(/[. ]/g, '').replace(',', '.');
  else if (/^\d{1,3}( \d{3})+(\.\d+)?$/.test(body)) normal = body.replace(/ /g, '');
  else if (/^\d+(,\d+)?$/.test(body)) normal = body.replace(',', '.');
  else if (/^\d+\.\d+$/.test(body)) normal = body;
  if (normal === undefined) return undefined;
  return new Decimal(sign + normal);
}

/** Read one reported value of a `number` input. */
export function readNumberInput(def: InputDef, raw: unknown, mode: ReadMode): InputReadResult {
  const label = def.label;
  const unit = def.unit ? ` ${def.unit}` : '';
  let value: Decimal | undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) value = toDecimal(raw);
  else if (typeof raw === 'string' && mode === 'text') value = readNumberText(raw, def.unit);
  if (!value) {
    return {
      code: 'submission.bad-value',
      message: { vi: `"${label}" phải là một số${unit ? ` (đơn vị:${unit})` : ''}, nhận được ${show(raw)}.`, en: `"${label}" must be a number${unit ? ` (unit:${unit})` : ''}, got ${show(raw)}.` },
      ...(mode === 'json' && typeof raw === 'string'
        ? { hint: { vi: 'Trong JSON, ghi số không có dấu ngoặc kép, dấu chấm là dấu thập phân: 12.5', en: 'In JSON write the number without quotes, with a decimal point: 12.5' } }
        : mode === 'text'
          ? { hint: { vi: 'Ghi số với dấu phẩy thập phân, ví dụ 12,5 hoặc 1.234,5.', en: 'Write the number with a decimal comma, e.g. 12,5 or 1.234,5.' } }
          : {}),
    };
  }
  if ((def.min !== undefined && value.lessThan(toDecimal(def.min))) || (def.max !== undefined && value.greaterThan(toDecimal(def.max)))) {
    const range = `${def.min ?? '−∞'} – ${def.max ?? '+∞'}${unit}`;
    return {
      code: 'submission.out-of-range',
      message: { vi: `"${label}" = ${value.toString()}${unit} nằm ngoài khoảng hợp lệ ${range}.`, en: `"${label}" = ${value.toString()}${unit} is outside the valid range ${range}.` },
      hint: { vi: 'Kiểm tra lại số liệu và đơn vị đo.', en: 'Check the value and its unit.' },
    };
  }
  return { value, reported: typeof raw === 'number' ? raw : value.toNumber() };
}

/** The submission-schema fragment of a `number` input (without title and description). */
export function numberInputSchema(def: InputDef): { schema: Record<string, unknown>; description: string } {
  return {
    schema: { type: 'number', ...(def.min !== undefined ? { minimum: def.min } : {}), ...(def.max !== undefined ? { maximum: def.max } : {}) },
    description: `Số thập phân${def.unit ? `, đơn vị ${def.unit}` : ''}${def.min !== undefined || def.max !== undefined ? `, từ ${def.min ?? '−∞'} đến ${def.max ?? '+∞'}` : ''}.`,
  };
}

/** What people type in a spreadsheet column of this input, briefly. */
export function numberTypeHint(def: InputDef): string {
  const range = def.min !== undefined && def.max !== undefined ? `, ${def.min}–${def.max}` : def.min !== undefined ? `, ≥ ${def.min}` : def.max !== undefined ? `, ≤ ${def.max}` : '';
  return `Số${def.unit ? ` (${def.unit})` : ''}${range}`;
}

/** Spreadsheet data validation of a `number` input (exceljs DataValidation fields). */
export function numberValidation(def: InputDef): { type: 'decimal'; operator: 'between' | 'greaterThanOrEqual' | 'lessThanOrEqual'; formulae: number[]; errorTitle: string; error: string } | undefined {
  const error = `Ghi một số${def.unit ? ` (${def.unit})` : ''}${def.min !== undefined ? `, không nhỏ hơn ${def.min}` : ''}${def.max !== undefined ? `, không lớn hơn ${def.max}` : ''}; dấu phẩy là dấu thập phân.`;
  if (def.min !== undefined && def.max !== undefined) return { type: 'decimal', operator: 'between', formulae: [def.min, def.max], errorTitle: 'Số không hợp lệ', error };
  if (def.min !== undefined) return { type: 'decimal', operator: 'greaterThanOrEqual', formulae: [def.min], errorTitle: 'Số không hợp lệ', error };
  if (def.max !== undefined) return { type: 'decimal', operator: 'lessThanOrEqual', formulae: [def.max], errorTitle: 'Số không hợp lệ', error };
  return { type: 'decimal', operator: 'between', formulae: [-1e15, 1e15], errorTitle: 'Số không hợp lệ', error };
}

/** Candidate values for the authoring domain search: the bounds, and around each threshold. */
export function numberCandidates(def: InputDef, thresholds: Iterable<string>): Decimal[] {
  const values = new Set<string>(['0', '1']);
  if (def.min !== undefined) values.add(String(def.min));
  if (def.max !== undefined) values.add(String(def.max));
  for (const n of thresholds) {
    const v = new Decimal(n);
    for (const x of [v, v.minus('0.01'), v.plus('0.01')]) values.add(x.toString());
  }
  return [...values].map((v) => new Decimal(v)).filter((v) => (def.min === undefined || v.gte(def.min)) && (def.max === undefined || v.lte(def.max)));
}
