/** A rate in percent, 0–100. */
import { Rational } from '../../exact/rational.js';
import { defineInputType } from '../input-type.js';
import { outOfRange, readError, readNumber } from './common.js';

export const percent = defineInputType({
  name: 'percent',
  valueType: () => ({ kind: 'number', unit: 'percent' }),
  read: (def, raw, mode) => {
    const label = def.label;
    const value = readNumber(raw, mode, label, true);
    if (!(value instanceof Rational)) return value;
    if (value.isNegative() || value.gt(Rational.HUNDRED)) {
      return outOfRange(`"${label}" = ${value.toString()}% nằm ngoài khoảng 0–100%.`, `"${label}" = ${value.toString()}% is outside 0–100%.`, {
        vi: 'Tỉ lệ ghi theo phần trăm, từ 0 đến 100 (ví dụ 95,5 nghĩa là 95,5%).',
        en: 'Rates are percentages from 0 to 100 (95.5 means 95.5%).',
      });
    }
    return { value, reported: typeof raw === 'number' ? raw + 0 : value.toNumber() };
  },
  floatReader: () => (raw, values, errors, slot) => {
    if (typeof raw !== 'number' || !(raw >= 0 && raw <= 100)) return false;
    if (slot >= 0) {
      values[slot] = raw + 0; // −0 reads as 0
      errors[slot] = readError(raw);
    }
    return true;
  },
  schema: () => ({ schema: { type: 'number', minimum: 0, maximum: 100 }, note: 'Tỉ lệ phần trăm, từ 0 đến 100 (95,5% ghi 95.5).' }),
  spreadsheet: () => ({ type: 'decimal', operator: 'between', formulae: [0, 100], errorTitle: 'Tỉ lệ không hợp lệ', error: 'Ghi tỉ lệ phần trăm từ 0 đến 100, ví dụ 95,5 hoặc 95,5%.' }),
  wording: { meaning: { vi: 'tỉ lệ %, từ 0 đến 100', en: 'a percentage, 0 to 100' }, json: 'số 0–100 (`95.5`)', text: '`95,5` `95.5` `95,5%`' },
});
