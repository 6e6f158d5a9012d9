/** Yes or no. */
import { defineInputType } from '../input-type.js';
import { bad, foldText, show } from './common.js';

const YES = new Set(['true', 'co', 'yes', 'x', '1', 'dat']);
const NO = new Set(['false', 'khong', 'no', '0', 'khong dat']);

export const boolean = defineInputType({
  name: 'boolean',
  valueType: () => ({ kind: 'boolean' }),
  read: (def, raw, mode) => {
    if (typeof raw === 'boolean') return { value: raw, reported: raw };
    if (mode === 'text' && typeof raw === 'string') {
      const folded = foldText(raw);
      if (YES.has(folded)) return { value: true, reported: true };
      if (NO.has(folded)) return { value: false, reported: false };
    }
    return bad(
      `"${def.label}" phải là ${mode === 'text' ? 'Có hoặc Không' : 'true hoặc false'}, nhận được ${show(raw)}.`,
      `"${def.label}" must be ${mode === 'text' ? 'yes or no' : 'true or false'}, got ${show(raw)}.`,
    );
  },
  floatReader: () => (raw, values, _errors, slot) => {
    if (typeof raw !== 'boolean') return false;
    if (slot >= 0) values[slot] = raw;
    return true;
  },
  schema: () => ({ schema: { type: 'boolean' } }),
  spreadsheet: (_def, cell) => ({ type: 'list', formulae: [cell.listName], errorTitle: 'Chọn trong danh sách', error: 'Bấm mũi tên bên phải ô và chọn một mức trong danh sách.' }),
  wording: { meaning: { vi: 'có/không', en: 'yes/no' }, json: '`true` / `false`', text: '`Có` / `Không`' },
});
