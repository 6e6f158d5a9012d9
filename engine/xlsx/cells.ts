/**
 * A spreadsheet cell as a reported value: what people typed, in the form
 * readInput's text mode reads. Spreadsheets type what they store: a number,
 * a date, rich text, a formula with its last result, an error (#N/A).
 *
 * - A cell formatted as a percentage stores 0.955 for "95,5%": a percent
 *   input gets it times 100, computed exactly.
 * - exceljs gives dates as JavaScript Dates at UTC midnight of the day
 *   Excel shows, so the ISO date is read from the UTC fields, never the
 *   local time zone's.
 * - A date input given a plain number in Excel's date range takes it as
 *   Excel's day number (a date cell whose format was lost); a number that
 *   is no day (−5, 1.5, past year 9999) is an error, and so is a date
 *   cell before 01/03/1900 (exceljs shows −5 in a date cell as 25/12/1899).
 *   A date cell shown with a time (dd/mm/yyyy hh:mm) is read as its day.
 */
import type { CellValue } from 'exceljs';
import { Rational } from '../exact/rational.js';
import type { InputDef } from '../model.js';
import type { Localized } from '../problems.js';

export type CellRead =
  | { kind: 'empty' }
  | { kind: 'value'; raw: string | number | boolean }
  | { kind: 'error'; message: Localized; hint?: Localized };

/**
 * Day numbers read as dates: from 61 (01/03/1900; Excel's days 1–60 are off
 * by one, 60 being its phantom 29/02/1900) to 2,958,465 (31/12/9999).
 */
const SERIAL_MIN = 61;
const SERIAL_MAX = 2_958_465;
/** Years a date cell may hold: what Excel can show, less its first two months. */
const DATE_MIN = Date.UTC(1900, 2, 1);
const DATE_MAX = Date.UTC(9999, 11, 31);

/** The ISO date of a Date exceljs produced (UTC midnight of the shown day). */
export function isoDateOf(date: Date): string | undefined {
  if (Number.isNaN(date.getTime())) return undefined;
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Excel's day number (1900 system, with its phantom 29/02/1900) → ISO date. */
export function isoDateOfSerial(serial: number, date1904 = false): string | undefined {
  if (!Number.isFinite(serial) || serial < SERIAL_MIN || serial > SERIAL_MAX) return undefined;
  const day = Math.floor(serial);
  const days = date1904 ? day + 1462 : day;
  // 25569 = days from 30/12/1899 (Excel's day 0, after the 1900 leap-year bug) to 01/01/1970.
  return isoDateOf(new Date((days - 25_569) * 86_400_000));
}

/** True when a number format shows the value as a percentage (a % outside quotes and brackets). */
export function isPercentFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  return numFmt.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').includes('%');
}

/** The text of rich text, or of a hyperlink's label. */
function plainText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && Array.isArray((value as { richText?: unknown }).richText)) {
    return ((value as { richText: { text?: unknown }[] }).richText).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
  }
  return undefined;
}

function cellError(code: string): CellRead {
  return {
    kind: 'error',
    message: { vi: `ô có lỗi ${code} (thường do công thức hỏng)`, en: `the cell holds the error ${code} (usually a broken formula)` },
    hint: { vi: 'Ghi trực tiếp giá trị số liệu vào ô, không dùng công thức.', en: 'Type the value itself rather than a formula.' },
  };
}

function impossibleDate(message: Localized): CellRead {
  return { kind: 'error', message, hint: { vi: 'Ghi ngày dạng ngày/tháng/năm, ví dụ 12/04/2023.', en: 'Write the date as day/month/year, e.g. 12/04/2023.' } };
}

/**
 * Read a cell's value for an input (or for the id and name columns when
 * `def` is undefined).
 */
export function readCell(value: CellValue | undefined, numFmt: string | undefined, def: InputDef | undefined, date1904 = false): CellRead {
  if (value === null || value === undefined) return { kind: 'empty' };
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? { kind: 'empty' } : { kind: 'value', raw: text };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return cellError('#NUM!');
    if (def?.type === 'percent' && isPercentFormat(numFmt)) return { kind: 'value', raw: Rational.fromNumber(value).mul(Rational.HUNDRED).toNumber() };
    if (def?.type === 'date') {
      // A date cell whose format was lost (another program, or the styles dropped) holds Excel's day number.
      const iso = Number.isInteger(value) ? isoDateOfSerial(value, date1904) : undefined;
      if (iso) return { kind: 'value', raw: iso };
      return impossibleDate(
        { vi: `ô chứa số ${value}, không phải một ngày (số ngày của bảng tính phải là số nguyên từ ${SERIAL_MIN} đến ${SERIAL_MAX}, tức 01/03/1900 đến 31/12/9999)`, en: `the cell holds the number ${value}, which is not a date (a spreadsheet day number is a whole number from ${SERIAL_MIN} to ${SERIAL_MAX}, 01/03/1900 to 31/12/9999)` },
      );
    }
    return { kind: 'value', raw: value };
  }
  if (typeof value === 'boolean') return { kind: 'value', raw: value };
  if (value instanceof Date) {
    const iso = isoDateOf(value);
    if (!iso) return cellError('#VALUE!');
    const time = value.getTime();
    if (time < DATE_MIN || time > DATE_MAX) {
      // exceljs turns any number in a date-formatted cell into a Date: −5 becomes 25/12/1899.
      return impossibleDate({ vi: `ô chứa một ngày không có thật trong bảng tính (${iso}, trước 01/03/1900 hoặc sau năm 9999)`, en: `the cell holds a date no spreadsheet has (${iso}, before 01/03/1900 or after 9999)` });
    }

    if (def && def.type !== 'date') {
      // Spreadsheets turn "8/8" or "3.4" into dates as they are typed; the value is lost, so say so.
      const shown = `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
      return {
        kind: 'error',
        message: { vi: `ô chứa một ngày (${shown}): bảng tính đã tự đổi giá trị gõ vào thành ngày`, en: `the cell holds a date (${shown}): the spreadsheet turned what was typed into a date` },
        hint:
          def.type === 'ratio'
            ? { vi: 'Ghi số đạt và tổng số vào hai cột "….achieved" và "….total" (như trong mẫu do tieuchi template tạo), hoặc định dạng ô là Văn bản rồi gõ lại 3/4.', en: 'Write achieved and total in two columns "….achieved" and "….total" (as the tieuchi template does), or format the cell as Text and type 3/4 again.' }
            : { vi: 'Định dạng ô là Số (hoặc Văn bản) rồi gõ lại giá trị.', en: 'Format the cell as Number (or Text) and type the value again.' },
      };
    }
    return { kind: 'value', raw: iso };
  }
  if (typeof value === 'object') {
    const record = value as unknown as Record<string, unknown>;
    if (typeof record.error === 'string') return cellError(record.error);
    if ('formula' in record || 'sharedFormula' in record) {
      if (record.result === undefined || record.result === null) {
        return {
          kind: 'error',
          message: { vi: 'ô có công thức nhưng chưa có kết quả đã tính', en: 'the cell has a formula without a computed result' },
          hint: { vi: 'Mở tệp bằng Excel hoặc LibreOffice rồi lưu lại (để có kết quả), hoặc ghi trực tiếp giá trị.', en: 'Open and save the file in Excel or LibreOffice so the result is stored, or type the value.' },
        };
      }
      return readCell(record.result as CellValue, numFmt, def, date1904);
    }
    if ('hyperlink' in record) return readCell((plainText(record.text) ?? '') as CellValue, numFmt, def, date1904);
    const text = plainText(record);
    if (text !== undefined) return readCell(text, numFmt, def, date1904);
  }
  return {
    kind: 'error',
    message: { vi: 'ô có nội dung không đọc được (không phải số, chữ hay ngày)', en: 'the cell holds something that is not a number, text or date' },
  };
}

/** The words a yes/no cell takes, as the template documents them: Có / Không, with or without diacritics, in any case. */
export const YES_NO_WORDS = { yes: ['có', 'co'], no: ['không', 'khong'] } as const;

/**
 * A yes/no cell's value: true for Có, false for Không, undefined for anything
 * else. "x", "1", "đạt", "yes" or a TRUE cell are not read as yes: the
 * template offers Có and Không only, and a guess would score a criterion on
 * a value nobody documented.
 */
export function readYesNo(raw: string | number | boolean): boolean | undefined {
  if (typeof raw !== 'string') return undefined;
  const folded = raw.normalize('NFC').trim().toLocaleLowerCase('vi').replace(/\s+/g, ' ');
  if ((YES_NO_WORDS.yes as readonly string[]).includes(folded)) return true;
  if ((YES_NO_WORDS.no as readonly string[]).includes(folded)) return false;
  return undefined;
}
