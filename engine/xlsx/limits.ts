/**
 * Bounds on reading a workbook nobody vouches for. An .xlsx file is a zip of
 * XML: 20 MB on disk can inflate to gigabytes (a zip bomb), and a sheet can
 * declare a million rows or a validation over every cell of the sheet, which
 * exceljs would expand cell by cell. So before exceljs sees the bytes:
 *
 * - the file's size is checked (before it is read at all, by the caller);
 * - the zip's central directory is read: number of parts, no ZIP64;
 * - every part is inflated with a cap on its real output (not the sizes the
 *   zip declares, which can lie), in total and per part;
 * - each part holding cells (whatever its name) has its declared dimension,
 *   its rows (numbered or not) and its cells' addresses checked against the
 *   row and column limits;
 * - no text between two tags (a cell, a shared string) may pass Excel's own
 *   32,767 characters.
 *
 * The package is then reduced to what a reader needs (package.ts), exceljs
 * is told to skip the parts that expand ranges (data validations, merged
 * cells, conditional formats), and the reader checks the number of sheets
 * and the length of each unit's name (a row with a longer one is refused).
 * Writers measure text on its first MAX_MEASURED_CHARS characters only.
 */
import { inflateRawSync } from 'node:zlib';
import type { Localized } from '../problems.js';

export interface WorkbookLimits {
  /** Largest .xlsx file accepted, in bytes. Default 20 MiB. */
  maxBytes: number;
  /** Largest total of the inflated parts, in bytes. Default 100 MiB. */
  maxInflatedBytes: number;
  /** Most parts (files) inside the zip. Default 2,000. */
  maxParts: number;
  /** Most rows in a sheet (the highest row number used). Default 20,000. */
  maxRows: number;
  /** Most columns in a sheet (the highest column used). Default 1,000. */
  maxColumns: number;
  /** Most characters in one cell or shared string (Excel's own limit). Default 32,767. */
  maxCellChars: number;
  /** Most sheets in a workbook. Default 50. */
  maxSheets: number;
  /** Longest unit name read from a workbook, in characters. Default 300. */
  maxNameChars: number;
}

export const DEFAULT_WORKBOOK_LIMITS: WorkbookLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxInflatedBytes: 100 * 1024 * 1024,
  maxParts: 2_000,
  maxRows: 20_000,
  maxColumns: 1_000,
  maxCellChars: 32_767,
  maxSheets: 50,
  maxNameChars: 300,
};

/**
 * Longest text measured when a workbook is written (a column width, a row
 * height): past this the width is capped anyway, and measuring a 1 MB name
 * character by character took minutes.
 */
export const MAX_MEASURED_CHARS = 400;

/** Worksheet parts exceljs may skip when reading values (they expand ranges, or are not needed). */
export const IGNORED_SHEET_PARTS = ['dataValidations', 'mergeCells', 'conditionalFormatting', 'hyperlinks', 'autoFilter', 'rowBreaks', 'colBreaks', 'drawing', 'legacyDrawing', 'legacyDrawingHF', 'picture', 'tableParts', 'extLst', 'cols', 'headerFooter', 'pageSetup', 'printOptions', 'pageMargins', 'sheetProtection', 'oleObjects', 'controls'];

export type ZipCheck = { ok: true } | ZipRefusal;
export type ZipRefusal = { ok: false; kind: 'too-large' | 'unreadable'; message: Localized };
/** The parts of a zip, inflated within the limits: name (as stored, without a leading "/") → bytes. */
export type ZipParts = { ok: true; parts: Map<string, Buffer> } | ZipRefusal;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const tooLarge = (vi: string, en: string): ZipRefusal => ({ ok: false, kind: 'too-large', message: { vi, en } });
const unreadable = (vi: string, en: string): ZipRefusal => ({ ok: false, kind: 'unreadable', message: { vi, en } });

/** Column letters → number: A → 1, AA → 27. */
function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Check a worksheet's XML: its declared dimension and every cell and row address. */
function checkSheetXml(name: string, xml: string, limits: WorkbookLimits): ZipCheck {
  const sheet = name.replace(/^xl\/worksheets\//, '');
  let maxRow = 0;
  let maxCol = 0;
  const dimension = /<(?:[\w.-]+:)?dimension\b[^>]*\bref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"/.exec(xml);
  if (dimension) {
    maxCol = Math.max(columnNumber(dimension[3] ?? dimension[1] ?? ''), 0);
    maxRow = Number(dimension[4] ?? dimension[2] ?? 0);
  }
  let rows = 0;
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?row\b([^>]*?\br="(\d+)")?/g)) {
    rows += 1;
    maxRow = Math.max(maxRow, rows, Number(m[2] ?? 0));
  }
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"/g)) {
    maxCol = Math.max(maxCol, columnNumber(m[1]!));
    maxRow = Math.max(maxRow, Number(m[2]));
  }
  if (maxRow > limits.maxRows) return tooLarge(`Một trang tính (${sheet}) dùng tới dòng ${maxRow}, vượt giới hạn ${limits.maxRows} dòng.`, `A sheet (${sheet}) reaches row ${maxRow}, over the limit of ${limits.maxRows} rows.`);
  if (maxCol > limits.maxColumns) return tooLarge(`Một trang tính (${sheet}) dùng tới cột thứ ${maxCol}, vượt giới hạn ${limits.maxColumns} cột.`, `A sheet (${sheet}) reaches column ${maxCol}, over the limit of ${limits.maxColumns} columns.`);
  return { ok: true };
}

/**
 * Check an .xlsx file's zip structure and real inflated size against the
 * limits, without trusting anything it declares. Cheap next to parsing.
 */
export function checkWorkbookZip(bytes: Buffer, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS): ZipCheck {
  const read = readWorkbookParts(bytes, limits);
  return read.ok ? { ok: true } : read;
}

/** Inflate every part of an .xlsx file within the limits (see checkWorkbookZip). */
export function readWorkbookParts(bytes: Buffer, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS): ZipParts {
  if (bytes.length > limits.maxBytes) {
    return tooLarge(`Tệp quá lớn (${bytes.length} byte, tối đa ${limits.maxBytes}).`, `File too large (${bytes.length} bytes, at most ${limits.maxBytes}).`);
  }
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0xd0cf11e0) {
    return unreadable(
      'Đây là tệp Excel 97–2003 (.xls), tieuchi chỉ đọc .xlsx. Mở tệp bằng Excel hoặc LibreOffice và lưu lại dưới dạng "Excel Workbook (.xlsx)".',
      'This is an Excel 97–2003 file (.xls); tieuchi reads .xlsx only. Open it and save it as "Excel Workbook (.xlsx)".',
    );
  }
  const notZip = unreadable('Tệp không phải bảng tính .xlsx (không đọc được cấu trúc tệp nén).', 'Not an .xlsx workbook (its zip structure cannot be read).');
  // The end-of-central-directory record is in the last 22 + 65,535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return notZip;
  const entries = bytes.readUInt16LE(eocd + 10);
  const directorySize = bytes.readUInt32LE(eocd + 12);
  const directoryOffset = bytes.readUInt32LE(eocd + 16);
  if (entries === 0xffff || directoryOffset === 0xffffffff) return tooLarge('Tệp nén dạng ZIP64 (quá lớn cho một bảng tính số liệu).', 'A ZIP64 archive (too large for a data workbook).');
  if (entries > limits.maxParts) return tooLarge(`Bảng tính có quá nhiều thành phần (${entries}, tối đa ${limits.maxParts}).`, `The workbook has too many parts (${entries}, at most ${limits.maxParts}).`);
  if (directoryOffset + directorySize > bytes.length) return notZip;

  let inflatedTotal = 0;
  const parts = new Map<string, Buffer>();
  let offset = directoryOffset;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== CENTRAL) return notZip;
    const method = bytes.readUInt16LE(offset + 10);
    const compressedSize = bytes.readUInt32LE(offset + 20);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    const localOffset = bytes.readUInt32LE(offset + 42);
    const name = bytes.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;

    if (localOffset + 30 > bytes.length || bytes.readUInt32LE(localOffset) !== LOCAL) return notZip;
    const dataStart = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > bytes.length) return notZip;
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    const budget = limits.maxInflatedBytes - inflatedTotal;
    let inflated: Buffer;
    if (method === 0) inflated = data;
    else if (method === 8) {
      try {
        // maxOutputLength stops inflating as soon as the real output passes the budget.
        inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
          return tooLarge(`Nội dung bảng tính khi giải nén vượt ${limits.maxInflatedBytes} byte.`, `The workbook inflates to more than ${limits.maxInflatedBytes} bytes.`);
        }
        return notZip;
      }
    } else return unreadable(`Tệp nén dùng cách nén không hỗ trợ (${method}).`, `Unsupported zip compression method (${method}).`);
    inflatedTotal += inflated.length;
    if (inflatedTotal > limits.maxInflatedBytes) return tooLarge(`Nội dung bảng tính khi giải nén vượt ${limits.maxInflatedBytes} byte.`, `The workbook inflates to more than ${limits.maxInflatedBytes} bytes.`);
    // Any part that holds cells is checked, whatever its name (other programs name parts as they like).
    const text = /\.xml$/i.test(name) ? inflated.toString('utf8') : undefined;
    if (text !== undefined && /<(?:\w+:)?sheetData\b/.test(text)) {
      const sheet = checkSheetXml(name, text, limits);
      if (!sheet.ok) return sheet;
    }
    if (text !== undefined) {
      const long = longestText(text);
      if (long > limits.maxCellChars) return tooLarge(`Một ô trong bảng tính (${name}) có ${long} ký tự, vượt giới hạn ${limits.maxCellChars} ký tự.`, `A cell in the workbook (${name}) holds ${long} characters, over the limit of ${limits.maxCellChars}.`);
    }
    const key = name.replace(/^\/+/, '');
    if (parts.has(key)) return unreadable(`Tệp nén có hai thành phần trùng tên (${key}).`, `The zip holds two parts named ${key}.`);
    parts.set(key, inflated);
  }
  return { ok: true, parts };
}

/** Length of the longest text between two tags (a cell's text, a shared string), without building strings. */
function longestText(xml: string): number {
  let longest = 0;
  let start = -1;
  for (let i = 0; i < xml.length; i++) {
    const ch = xml.charCodeAt(i);
    if (ch === 62 /* > */) start = i + 1;
    else if (ch === 60 /* < */ && start >= 0) {
      if (i - start > longest) longest = i - start;
      start = -1;
    }
  }
  return longest;
}
