/** A date (ISO in JSON; dd/mm/yyyy as people type it); null means "not issued" where the criterion allows it. */
import { parseIsoDate } from '../../compile/dates.js';
import type { ReadMode } from '../../model.js';
import { defineInputType } from '../input-type.js';
import { bad, foldText, show } from './common.js';

/** dd/mm/yyyy (text mode) or yyyy-mm-dd → ISO; undefined when not a real date. */
function readDate(raw: string, mode: ReadMode): string | undefined {
  const t = raw.trim();
  if (parseIsoDate(t)) return t;
  if (mode !== 'text') return undefined;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return parseIsoDate(iso) ? iso : undefined;
}

function isNoneText(raw: string, noneLabel: string): boolean {
  const folded = foldText(raw);
  return folded === foldText(noneLabel) || folded === '-' || folded === 'chua' || folded === 'khong' || folded === 'chua ban hanh';
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Strict YYYY-MM-DD and a real calendar day (same answer as parseIsoDate, without a RegExp or a Date). */
export function isIsoDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    year = year * 10 + d;
  }
  const m1 = text.charCodeAt(5) - 48;
  const m2 = text.charCodeAt(6) - 48;
  const d1 = text.charCodeAt(8) - 48;
  const d2 = text.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return false;
  // Date.UTC (behind parseIsoDate) reads years 0–99 as 1900–1999; mirror it so both agree.
  const y = year < 100 ? year + 1900 : year;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS[month - 1]!);
}

/** readInput trims a date before reading it, so surrounding white space is accepted too. */
const ISO_DATE_PATTERN = '^\\s*[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\\s*$';

export const date = defineInputType({
  name: 'date',
  valueType: (def) => ({ kind: 'date', nullable: def.none_allowed === true }),
  read: (def, raw, mode) => {
    const label = def.label;
    const noneLabel = def.none_label ?? 'chưa có';
    if (raw === null || (mode === 'text' && typeof raw === 'string' && isNoneText(raw, noneLabel))) {
      if (def.none_allowed) return { value: null, reported: null };
      return bad(`"${label}" phải là một ngày.`, `"${label}" must be a date.`);
    }
    if (typeof raw === 'string') {
      const iso = readDate(raw, mode);
      if (iso) return { value: iso, reported: iso };
    }
    return bad(
      `"${label}" phải là ngày dạng ${mode === 'text' ? 'NN/TT/NNNN hoặc ' : ''}NNNN-TT-NN${def.none_allowed ? `, hoặc ${mode === 'text' ? `"${noneLabel}"` : 'null'} nếu ${noneLabel.toLowerCase()}` : ''}; nhận được ${show(raw)}.`,
      `"${label}" must be a date as ${mode === 'text' ? 'DD/MM/YYYY or ' : ''}YYYY-MM-DD${def.none_allowed ? `, or ${mode === 'text' ? `"${noneLabel}"` : 'null'} if none` : ''}; got ${show(raw)}.`,
    );
  },
  floatReader: (def) => {
    const noneAllowed = def.none_allowed === true;
    return (raw, values, _errors, slot) => {
      if (raw === null) {
        if (!noneAllowed) return false;
      } else if (typeof raw !== 'string' || !isIsoDate(raw)) return false;
      if (slot >= 0) values[slot] = raw;
      return true;
    };
  },
  schema: (def) =>
    def.none_allowed
      ? { schema: { type: ['string', 'null'], pattern: ISO_DATE_PATTERN }, note: `Ngày dạng NNNN-TT-NN; null nếu ${(def.none_label ?? 'chưa có').toLowerCase()}.` }
      : { schema: { type: 'string', pattern: ISO_DATE_PATTERN }, note: 'Ngày dạng NNNN-TT-NN.' },
  spreadsheet: (def, cell) => {
    const range = `${formatDay(cell.dates.from)} đến ${formatDay(cell.dates.to)}`;
    if (def.none_allowed) {
      // A date, or the words for "not issued": a custom rule, since a date rule refuses any text.
      const noneLabel = def.none_label ?? 'Chưa có';
      const none = noneLabel.replace(/"/g, '""');
      const at = cell.topLeft;
      const formula = `OR(AND(ISNUMBER(${at}),${at}>=${cell.dates.fromSerial},${at}<=${cell.dates.toSerial}),TRIM(${at})="${none}")`;
      const error = `Ghi ngày dạng dd/mm/yyyy (từ ${range}), hoặc ghi "${noneLabel}".`;
      return { type: 'custom', formulae: [formula], errorTitle: 'Ngày không hợp lệ', error: error.length <= 255 ? error : error.slice(0, 254) + '…' };
    }
    return {
      type: 'date',
      operator: 'between',
      formulae: [new Date(`${cell.dates.from}T00:00:00Z`), new Date(`${cell.dates.to}T00:00:00Z`)],
      errorTitle: 'Ngày không hợp lệ',
      error: `Ghi ngày dạng dd/mm/yyyy, từ ${range}.`,
    };
  },
  wording: { meaning: { vi: 'ngày (hoặc chưa ban hành, nếu none_allowed)', en: 'a date (or not issued, where none_allowed)' }, json: '`"2023-04-12"`; `null` = chưa ban hành (nếu cho phép)', text: '`12/04/2023`, `2023-04-12`, `Chưa ban hành`' },
});

function formatDay(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}
