/** One option among the criterion's declared options (id in JSON; the Vietnamese label as people type it). */
import { defineInputType } from '../input-type.js';
import { bad, foldText, show } from './common.js';

export const choice = defineInputType({
  name: 'choice',
  valueType: (def) => ({ kind: 'choice', options: (def.options ?? []).map((o) => o.id) }),
  read: (def, raw, mode) => {
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
    return bad(`"${def.label}": ${show(raw)} không phải là một mức hợp lệ.`, `"${def.label}": ${show(raw)} is not a valid option.`, {
      vi: `Chọn một trong: ${options.map((o) => `${o.id} (${o.label})`).join('; ')}.`,
      en: `Choose one of: ${options.map((o) => o.id).join(', ')}.`,
    });
  },
  floatReader: (def) => {
    const options = new Set((def.options ?? []).map((o) => o.id));
    return (raw, values, _errors, slot) => {
      if (typeof raw !== 'string' || !options.has(raw)) return false;
      if (slot >= 0) values[slot] = raw;
      return true;
    };
  },
  schema: (def) => {
    const options = def.options ?? [];
    return { schema: { type: 'string', enum: options.map((o) => o.id) }, note: `Một trong: ${options.map((o) => `${o.id} (${o.label})`).join('; ')}.` };
  },
  spreadsheet: (_def, cell) => ({ type: 'list', formulae: [cell.listName], errorTitle: 'Chọn trong danh sách', error: 'Bấm mũi tên bên phải ô và chọn một mức trong danh sách.' }),
  wording: { meaning: { vi: 'chọn một mức trong danh sách', en: 'one of the listed options' }, json: 'mã của mức', text: 'mã của mức, hoặc nhãn tiếng Việt (có hoặc không dấu)' },
});
