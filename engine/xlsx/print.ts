/**
 * How a generated sheet prints: A4, landscape when it is wide, its header
 * rows (and, when the columns take more than one page, its unit columns)
 * repeated on every page, the agency and title in the page header, "Trang
 * 2/5" in the footer, and a scale that keeps 11-point text at 8 points or
 * more. Fitting a wide sheet to one page width would print it at 5 points;
 * past the readable scale it prints at 100% over several pages across.
 *
 * Also the text measures the writers share (lines a text takes in a column,
 * the row height for them), bounded: a 1 MB name is measured on its first
 * characters only, since the width is capped long before.
 */
import type ExcelJS from 'exceljs';
import stringWidth from 'string-width';
import { DEFAULT_WORKBOOK_LIMITS, MAX_MEASURED_CHARS } from './limits.js';

/** A4 in points. */
export const A4 = { width: 595, height: 842 } as const;
/** Excel's paper size code for A4. */
const PAPER_A4 = 9;
/** Margins in inches (Excel's unit): narrow sides, room for the header and footer. */
const MARGINS = { left: 0.4, right: 0.4, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 };
/** Body text size, and the smallest a scaled page may print it at. */
export const BODY_POINTS = 11;
export const MIN_PRINTED_POINTS = 8;

/**
 * Width in points of a column `chars` wide, as LibreOffice prints it (about
 * 6.2 points a character with its default fonts; Excel's 5.25 is narrower),
 * so that the larger is planned for.
 */
export function columnPoints(chars: number): number {
  return chars * 6.2 + 3;
}

/** Width of a text in character cells, measured on its first MAX_MEASURED_CHARS characters. */
export function textWidth(text: string): number {
  return stringWidth(text.length > MAX_MEASURED_CHARS ? text.slice(0, MAX_MEASURED_CHARS) : text);
}

/** Lines a text takes in a column `width` characters wide; a long text counts as at most 200 lines. */
export function linesIn(text: string, width: number, bold = false): number {
  const usable = Math.max(4, width - 1.5);
  let lines = 0;
  for (const line of text.slice(0, MAX_MEASURED_CHARS * 20).split('\n')) {
    lines += Math.max(1, Math.ceil((stringWidth(line.slice(0, MAX_MEASURED_CHARS * 4)) * (bold ? 1.15 : 1.05)) / usable));
    if (lines >= 200) return 200;
  }
  return lines;
}

/** Row height in points for `lines` lines of 11-point text; Excel's maximum is 409. */
export function heightFor(lines: number): number {
  return Math.min(409, Math.ceil(lines * 15 + 4));
}

/** Set a row's height for its wrapped cells: the most lines any of them takes in its column. */
export function fitRowHeight(sheet: ExcelJS.Worksheet, row: ExcelJS.Row, maxLines = 26): void {
  let lines = 1;
  row.eachCell((cell, column) => {
    const value = cell.value;
    if (typeof value !== 'string' || value === '') return;
    const width = sheet.getColumn(column).width ?? 9;
    lines = Math.max(lines, linesIn(value, width, cell.font?.bold === true));
  });
  row.height = heightFor(Math.min(lines, maxLines));
}

/** Excel holds at most 32,767 characters in a cell (longer text makes a file Excel must repair): cut, marked with "…". */
export function fitCell(text: string): string {
  return text.length <= DEFAULT_WORKBOOK_LIMITS.maxCellChars ? text : `${text.slice(0, DEFAULT_WORKBOOK_LIMITS.maxCellChars - 1)}…`;
}

/** Text for a page header or footer: & starts a code there, so a literal one is doubled. */
function headerText(text: string, max = 120): string {
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return short.replace(/&/g, '&&');
}

export interface PrintOptions {
  /** The agency named at the page header's left, e.g. "Sở Thông tin và Truyền thông". */
  agency?: string;
  /** The sheet's title, at the header's right. */
  title: string;
  /** Rows repeated at the top of every page, e.g. "4:5". */
  titleRows?: string;
  /** Columns repeated at the left of every page when the columns take more than one page across, e.g. "A:C". */
  titleColumns?: string;
  /** Columns the sheet prints (default: every column with a width). */
  columns?: number;
  /** The word before the page numbers in the footer. Default "Trang". */
  pageWord?: string;
}

export interface PrintLayout {
  orientation: 'portrait' | 'landscape';
  /** Fitted to the page width (at a readable scale), or printed at 100% over pages across. */
  fit: 'none' | 'width' | 'pages-across';
  /** Text size as printed, in points. */
  printedPoints: number;
}

/** Decide and set a sheet's print layout (see the module comment). */
export function setUpPrinting(sheet: ExcelJS.Worksheet, options: PrintOptions): PrintLayout {
  // Columns with cells, or with only a width set (exceljs counts those apart).
  const count = options.columns ?? Math.max(sheet.columnCount, (sheet.columns as ExcelJS.Column[] | null)?.length ?? 0);
  let width = 0;
  for (let c = 1; c <= count; c++) {
    const column = sheet.getColumn(c);
    if (!column.hidden) width += columnPoints(column.width ?? 9);
  }
  const printable = (paper: number) => paper - (MARGINS.left + MARGINS.right) * 72;
  const minScale = MIN_PRINTED_POINTS / BODY_POINTS;
  let layout: PrintLayout;
  if (width <= printable(A4.width)) layout = { orientation: 'portrait', fit: 'none', printedPoints: BODY_POINTS };
  else if (width <= printable(A4.height)) layout = { orientation: 'landscape', fit: 'none', printedPoints: BODY_POINTS };
  else {
    const scale = printable(A4.height) / width;
    layout = scale >= minScale ? { orientation: 'landscape', fit: 'width', printedPoints: Math.round(BODY_POINTS * scale * 10) / 10 } : { orientation: 'landscape', fit: 'pages-across', printedPoints: BODY_POINTS };
  }
  sheet.pageSetup = {
    ...sheet.pageSetup,
    paperSize: PAPER_A4,
    orientation: layout.orientation,
    margins: MARGINS,
    horizontalCentered: false,
    ...(layout.fit === 'width' ? { fitToPage: true, fitToWidth: 1, fitToHeight: 0 } : { fitToPage: false, scale: 100 }),
    ...(options.titleRows ? { printTitlesRow: options.titleRows } : {}),
    ...(layout.fit === 'pages-across' && options.titleColumns ? { printTitlesColumn: options.titleColumns } : {}),
    pageOrder: 'overThenDown',
  } as ExcelJS.PageSetup;
  const left = options.agency ? `&L&9${headerText(options.agency, 60)}` : '';
  sheet.headerFooter = {
    ...sheet.headerFooter,
    differentFirst: false,
    differentOddEven: false,
    oddHeader: `${left}&R&9${headerText(options.title)}`,
    oddFooter: `&C&9${headerText(options.pageWord ?? 'Trang')} &P/&N`,
  };
  return layout;
}
