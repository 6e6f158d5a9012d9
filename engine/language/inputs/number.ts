/**
 * The `number` input type (issue 11): a measured quantity with a unit and
 * bounds, e.g. bandwidth per staff in Mbps, money in đồng, a count per 1,000
 * inhabitants. Exact: read from its shortest decimal text, never a float.
 */
import { Rational } from '../../exact/rational.js';
import type { InputDef } from '../../model.js';
import { defineInputType } from '../input-type.js';
import { bad, foldText, outOfRange, readError, show } from './common.js';

/**
 * A number as people type it in Vietnamese: the comma is the decimal mark and
 * the dot groups thousands ("1.234,5", "12,5", "1 234"); a lone dot followed
 * by other than three digits is a decimal point ("12.5", as typed on an
 * English keyboard). The unit may follow ("25 Mbps").
 */
export function readNumberText(text: string, unit?: string): Rational | undefined {
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
  return Rational.parse(sign + normal);
}

const outside = (def: InputDef, value: Rational): boolean =>
  (def.min !== undefined && value.lt(Rational.fromNumber(def.min))) || (def.max !== undefined && value.gt(Rational.fromNumber(def.max)));

/** What people type in a spreadsheet column of this input, briefly. */
export function numberTypeHint(def: InputDef): string {
  const range = def.min !== undefined && def.max !== undefined ? `, ${def.min}–${def.max}` : def.min !== undefined ? `, ≥ ${def.min}` : def.max !== undefined ? `, ≤ ${def.max}` : '';
  return `Số${def.unit ? ` (${def.unit})` : ''}${range}`;
}

/** Candidate values for the authoring domain search: the bounds, and around each threshold. */
export function numberCandidates(def: InputDef, thresholds: Iterable<string>): Rational[] {
  const values = new Map<string, Rational>();
  const add = (v: Rational): void => void values.set(v.toString(), v);
  add(Rational.ZERO);
  add(Rational.ONE);
  if (def.min !== undefined) add(Rational.fromNumber(def.min));
  if (def.max !== undefined) add(Rational.fromNumber(def.max));
  const step = Rational.from('0.01');
  for (const n of thresholds) {
    const v = Rational.from(n);
    for (const x of [v, v.sub(step), v.add(step)]) add(x);
  }
  return [...values.values()].filter((v) => !outside(def, v));
}

export const number = defineInputType({
  name: 'number',
  valueType: () => ({ kind: 'number', unit: 'plain' }),
  read: (def, raw, mode) => {
    const label = def.label;
    const unit = def.unit ? ` ${def.unit}` : '';
    let value: Rational | undefined;
    if (typeof raw === 'number' && Number.isFinite(raw)) value = Rational.fromNumber(raw);
    else if (typeof raw === 'string' && mode === 'text') value = readNumberText(raw, def.unit);
    if (!value) {
      return bad(
        `"${label}" phải là một số${unit ? ` (đơn vị:${unit})` : ''}, nhận được ${show(raw)}.`,
        `"${label}" must be a number${unit ? ` (unit:${unit})` : ''}, got ${show(raw)}.`,
        mode === 'json' && typeof raw === 'string'
          ? { vi: 'Trong JSON, ghi số không có dấu ngoặc kép, dấu chấm là dấu thập phân: 12.5', en: 'In JSON write the number without quotes, with a decimal point: 12.5' }
          : mode === 'text'
            ? { vi: 'Ghi số với dấu phẩy thập phân, ví dụ 12,5 hoặc 1.234,5.', en: 'Write the number with a decimal comma, e.g. 12,5 or 1.234,5.' }
            : undefined,
      );
    }
    if (outside(def, value)) {
      const range = `${def.min ?? '−∞'} – ${def.max ?? '+∞'}${unit}`;
      return outOfRange(`"${label}" = ${value.toString()}${unit} nằm ngoài khoảng hợp lệ ${range}.`, `"${label}" = ${value.toString()}${unit} is outside the valid range ${range}.`, {
        vi: 'Kiểm tra lại số liệu và đơn vị đo.',
        en: 'Check the value and its unit.',
      });
    }
    return { value, reported: typeof raw === 'number' ? raw + 0 : value.toNumber() };
  },
  // A plain finite JSON number within the bounds, as `read` takes it; its error is that of its shortest text.
  floatReader: (def) => {
    const min = def.min ?? -Infinity;
    const max = def.max ?? Infinity;
    return (raw, values, errors, slot) => {
      if (typeof raw !== 'number' || !Number.isFinite(raw) || !(raw >= min && raw <= max)) return false;
      if (slot >= 0) {
        values[slot] = raw + 0;
        errors[slot] = readError(raw);
      }
      return true;
    };
  },
  schema: (def) => ({
    schema: { type: 'number', ...(def.min !== undefined ? { minimum: def.min } : {}), ...(def.max !== undefined ? { maximum: def.max } : {}) },
    note: `Số thập phân${def.unit ? `, đơn vị ${def.unit}` : ''}${def.min !== undefined || def.max !== undefined ? `, từ ${def.min ?? '−∞'} đến ${def.max ?? '+∞'}` : ''}.`,
  }),
  spreadsheet: (def) => {
    const error = `Ghi một số${def.unit ? ` (${def.unit})` : ''}${def.min !== undefined ? `, không nhỏ hơn ${def.min}` : ''}${def.max !== undefined ? `, không lớn hơn ${def.max}` : ''}; dấu phẩy là dấu thập phân.`;
    const rule = { type: 'decimal' as const, errorTitle: 'Số không hợp lệ', error };
    if (def.min !== undefined && def.max !== undefined) return { ...rule, operator: 'between', formulae: [def.min, def.max] };
    if (def.min !== undefined) return { ...rule, operator: 'greaterThanOrEqual', formulae: [def.min] };
    if (def.max !== undefined) return { ...rule, operator: 'lessThanOrEqual', formulae: [def.max] };
    return { ...rule, operator: 'between', formulae: [-1e15, 1e15] };
  },
  wording: {
    meaning: { vi: 'số đo thập phân, có đơn vị (`unit`) và giới hạn (`min`, `max`)', en: 'a measured decimal quantity with a unit and bounds' },
    json: 'số (`12.5`)',
    text: '`12,5` `1.234,5` `25 Mbps`',
  },
});
