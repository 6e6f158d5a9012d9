/** A count: a whole number, 0 or more, with an optional maximum. */
import { Rational } from '../../exact/rational.js';
import { defineInputType } from '../input-type.js';
import { isCount, outOfRange, readCount } from './common.js';

export const count = defineInputType({
  name: 'count',
  valueType: () => ({ kind: 'number', unit: 'count' }),
  read: (def, raw, mode) => {
    const label = def.label;
    const value = readCount(raw, mode, label);
    if (!(value instanceof Rational)) return value;
    if (def.max !== undefined && value.gt(Rational.fromNumber(def.max))) {
      return outOfRange(`"${label}" = ${value.toString()} vượt quá tối đa ${def.max}.`, `"${label}" = ${value.toString()} exceeds the maximum ${def.max}.`);
    }
    return { value, reported: typeof raw === 'number' ? raw + 0 : value.toNumber() };
  },
  floatReader: (def) => {
    const max = def.max;
    return (raw, values, errors, slot) => {
      if (!isCount(raw) || (max !== undefined && raw > max)) return false;
      if (slot >= 0) {
        values[slot] = raw + 0;
        errors[slot] = 0;
      }
      return true;
    };
  },
  schema: (def) => ({ schema: { type: 'integer', minimum: 0, ...(def.max !== undefined ? { maximum: def.max } : {}) }, note: 'Số đếm, số nguyên không âm.' }),
  spreadsheet: (def) =>
    def.max !== undefined
      ? { type: 'whole', operator: 'between', formulae: [0, def.max], errorTitle: 'Số không hợp lệ', error: `Ghi số nguyên từ 0 đến ${def.max}.` }
      : { type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], errorTitle: 'Số không hợp lệ', error: 'Ghi số nguyên không âm, ví dụ 0 hoặc 2.' },
  wording: { meaning: { vi: 'số đếm, nguyên, không âm', en: 'a count, a whole number 0 or more' }, json: 'số nguyên ≥ 0', text: '`1234`, `1.234`' },
});
