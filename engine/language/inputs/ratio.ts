/** Achieved out of total (3 of 4 systems), read as the percentage achieved × 100 / total, exactly. */
import { Rational } from '../../exact/rational.js';
import { SAFE, U, TINY, constantError } from '../bounded.js';
import { defineInputType } from '../input-type.js';
import { bad, has, isCount, outOfRange, readCount, show } from './common.js';

export const ratio = defineInputType({
  name: 'ratio',
  valueType: () => ({ kind: 'number', unit: 'percent' }),
  read: (def, raw, mode) => {
    const label = def.label;
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
    if (!(a instanceof Rational)) return a;
    const t = readCount(total, mode, `${label} (tổng số)`);
    if (!(t instanceof Rational)) return t;
    if (a.gt(t)) return outOfRange(`"${label}": số đạt (${a.toString()}) lớn hơn tổng số (${t.toString()}).`, `"${label}": achieved (${a.toString()}) exceeds total (${t.toString()}).`);
    // Key order as declared (achieved, total), whatever order the submission used.
    const reported = { achieved: a.toNumber(), total: t.toNumber() };
    if (t.isZero()) {
      if (def.if_total_zero === undefined) {
        return outOfRange(`"${label}": tổng số là 0 nên không tính được tỉ lệ.`, `"${label}": the total is 0, so there is no rate.`, {
          vi: 'Kiểm tra lại số liệu; nếu tổng số 0 là hợp lệ, tiêu chí cần khai báo if_total_zero.',
          en: 'Check the data; if a zero total is valid, the criterion must declare if_total_zero.',
        });
      }
      return { value: Rational.fromNumber(def.if_total_zero), reported };
    }
    return { value: a.mul(Rational.HUNDRED).div(t), reported };
  },
  floatReader: (def) => {
    const zero = def.if_total_zero === undefined ? undefined : { value: def.if_total_zero + 0, error: constantError(def.if_total_zero) };
    return (raw, values, errors, slot) => {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
      // Exactly the own keys achieved then total (counted without allocating a key list). The normalised
      // JSON keeps achieved before total: a submission that wrote them the other way round is normalised by the exact reading.
      let keys = 0;
      let first: string | undefined;
      for (const key in raw) {
        if (!has(raw, key)) continue;
        if (keys++ === 0) first = key;
      }
      if (keys !== 2 || first !== 'achieved' || !has(raw, 'total')) return false;
      const { achieved, total } = raw as { achieved: unknown; total: unknown };
      if (!isCount(achieved) || !isCount(total) || achieved > total) return false;
      let value: number;
      let error: number;
      if (total === 0) {
        if (!zero) return false;
        ({ value, error } = zero);
      } else {
        const scaled = achieved * 100;
        if (scaled >= SAFE) return false;
        value = scaled / total;
        error = scaled % total === 0 ? 0 : value * U + TINY;
      }
      if (slot >= 0) {
        values[slot] = value;
        errors[slot] = error;
      }
      return true;
    };
  },
  schema: (def) => ({
    schema: {
      type: 'object',
      properties: {
        achieved: { title: 'Số đạt', type: 'integer', minimum: 0 },
        total: { title: 'Tổng số', type: 'integer', minimum: def.if_total_zero === undefined ? 1 : 0 },
      },
      required: ['achieved', 'total'],
      additionalProperties: false,
    },
    note: `Số đạt trên tổng số; số đạt không lớn hơn tổng số${def.if_total_zero === undefined ? '' : `; tổng số 0 được tính là ${def.if_total_zero}%`}.`,
  }),
  spreadsheet: () => ({ type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], errorTitle: 'Số không hợp lệ', error: 'Ghi số nguyên không âm, ví dụ 3.' }),
  wording: { meaning: { vi: 'số đạt/tổng số, tính ra %', en: 'achieved/total, read as a percentage' }, json: '`{"achieved": 2, "total": 3}`', text: '`2/3`, hoặc hai cột `….achieved`, `….total`' },
});
