/** Yes or no. */
import { defineInputType } from '../input-type.js';
import { bad, foldText, show } from './common.js';

// What people may type for yes/no in a CSV or a spreadsheet: Có or Không, with or without
// diacritics, any case. "x", "1", "đạt", "yes" are refused rather than guessed (a guess would
// score a criterion on a value nobody documented); JSON takes true/false.
const YES = new Set(['co']);
const NO = new Set(['khong']);
const YES_NO_RULE = 'Chỉ ghi "Có" hoặc "Không" (có dấu hoặc không dấu, chữ hoa hay thường đều được); các cách ghi khác như x, 1, đạt, yes không được nhận.';

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
      `"${def.label}" must be ${mode === 'text' ? 'Có (yes) or Không (no)' : 'true or false'}, got ${show(raw)}.`,
      mode === 'text' ? { vi: YES_NO_RULE, en: 'Write "Có" or "Không" (with or without diacritics, any case); x, 1, đạt, yes are not accepted.' } : undefined,
    );
  },
  floatReader: () => (raw, values, _errors, slot) => {
    if (typeof raw !== 'boolean') return false;
    if (slot >= 0) values[slot] = raw;
    return true;
  },
  schema: () => ({ schema: { type: 'boolean' } }),
  spreadsheet: (_def, cell) => ({ type: 'list', formulae: [cell.listName], errorTitle: 'Chỉ ghi Có hoặc Không', error: `Bấm mũi tên bên phải ô và chọn Có hoặc Không. ${YES_NO_RULE}`.slice(0, 255) }),
  wording: { meaning: { vi: 'có/không', en: 'yes/no' }, json: '`true` / `false`', text: '`Có` / `Không` (chỉ hai cách ghi này, có dấu hoặc không dấu)' },
});
