/**
 * The data template of one level, generated from its criteria file: what a
 * unit fills in and sends back. Nothing about a criterion is written here;
 * everything comes from the YAML, so the template follows the decision when
 * the criteria change.
 *
 * Sheets: "Hướng dẫn" (how to fill it in, the decision, the deadline, the
 * criteria), "Số liệu" (one row per unit, one column per input, grouped
 * under each criterion's number, name and max points, with validation on
 * every input cell), and two hidden ones the reader needs (the dropdown
 * lists; the year, level and layout). See layout.ts.
 */
import { inputTypeOf } from '../language/registry.js';
import ExcelJS from 'exceljs';
import { basename } from 'node:path';
import type { CompiledLevel } from '../compile/level.js';
import type { CriteriaSet } from '../criteria-set.js';
import type { InputDef } from '../model.js';
import { engineVersion } from '../paths.js';
import { criteriaStatus } from '../criteria-set.js';
import { draftTitle } from '../report/draft.js';
import { formatDate, formatPoints } from '../report/format.js';
import { fitCell, heightFor, linesIn, setUpPrinting, textWidth } from './print.js';
import { BOOLEAN_LABELS, columnLetter, inputColumns, META, pointsFormat, SHEETS, TEMPLATE_FORMAT, TEMPLATE_FORMAT_VERSION, templateRows, typeHint, unitColumns, YES_NO_RULE, type InputColumn, type TemplateRows, type UnitColumn } from './layout.js';
import { isConditional, type CompiledGroup, type CriterionPlace } from '../compile/structure.js';
import { readAttributeValue } from '../contract/unit-attributes.js';
import { appliesWhenText, levelSummaryStructure } from '../report/structure.js';

export interface TemplateUnit {
  id: string;
  name: string;
  /** structures (issue 11): the unit's type (an id or a label), pre-filled when known. */
  type?: string;
  /** The unit's attributes (true/false, an option id or label), pre-filled when known. */
  attributes?: Record<string, unknown>;
}

export interface TemplateOptions {
  /** Units to pre-fill, one row each. Without them the sheet has `emptyRows` blank rows. */
  units?: TemplateUnit[];
  /** Blank rows when no units are given. Default 50. */
  emptyRows?: number;
  /** Deadline for sending the data back (ISO date), shown in the guide. */
  deadline?: string;
}

/** Dates accepted in date cells: wide enough for any report, narrow enough to catch a typo in the year. */
export const DATE_RANGE = { from: '2000-01-01', to: '2100-12-31' } as const;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const UNIT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const THIN: ExcelJS.Borders = {
  top: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  left: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  right: { style: 'thin', color: { argb: 'FFBFBFBF' } },
} as ExcelJS.Borders;

/** Width of an input column: enough for what is typed, and for the label in at most five lines. */
function inputWidth(column: InputColumn): number {
  const base = column.def.type === 'choice' ? 36 : column.def.type === 'date' ? 16 : column.def.type === 'boolean' ? 12 : 15;
  const label = textWidth(labelOf(column));
  const hint = textWidth(typeHint(column.def, column.part));
  return Math.min(42, Math.max(base, Math.ceil(label / 5) + 2, Math.ceil(hint / 2) + 2));
}

function labelOf(column: InputColumn): string {
  if (column.part === 'achieved') return `${column.def.label} — số đạt`;
  if (column.part === 'total') return `${column.def.label} — tổng số`;
  return column.def.label;
}

function criterionTitle(column: InputColumn): string {
  const c = column.criterion;
  return `${c.number}. ${c.name} (${formatPoints(c.maxPointsNumber, 'vi')} điểm)`;
}

/** What the header note of a criterion says: its rule and evidence as printed, and our readings. */
function criterionNote(column: InputColumn): string {
  const def = column.criterion.def;
  const parts = [`Cách tính:\n${def.rule.trim()}`, `Căn cứ tính điểm: ${def.evidence.trim()}`];
  if (def.notes?.length) parts.push(`Cách hiểu khi Quyết định chưa nói rõ:\n${def.notes.map((n) => `- ${n.trim()}`).join('\n')}`);
  return parts.join('\n\n');
}

function inputNote(column: InputColumn): string {
  const def = column.def;
  const lines = [labelOf(column)];
  if (def.description) lines.push(def.description.trim());
  lines.push(`Cách ghi: ${typeHint(def, column.part)}.`);
  if (def.type === 'choice') lines.push('Các mức:', ...(def.options ?? []).map((o) => `- ${o.label}`));
  if (def.type === 'ratio') lines.push('Ghi số đạt và tổng số vào hai cột liền nhau; tieuchi tự tính tỉ lệ.');
  if (def.type === 'boolean') lines.push(YES_NO_RULE);
  if (def.type === 'count' || def.type === 'ratio') lines.push('Số nguyên: số lẻ như 1,5 bị báo lỗi, không được làm tròn.');
  lines.push(`Mã cột: ${column.key}`);
  return lines.join('\n');
}

/** Excel's day number of an ISO date (1900 system). */
function excelSerial(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000 + 25_569;
}

/** A name for a dropdown's list that Excel accepts (letters, digits, underscores). */
function listName(column: InputColumn): string {
  return `ds_${column.criterion.id}_${column.inputId}`.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Excel caps a validation's title at 32 characters and its text at 255. */
const cap = (text: string, max: number): string => (text.length <= max ? text : text.slice(0, max - 1) + '…');

function validationFor(column: InputColumn, topLeft: string): ExcelJS.DataValidation {
  const def: InputDef = column.def;
  const common = {
    allowBlank: true,
    showInputMessage: true,
    showErrorMessage: true,
    errorStyle: 'stop' as const,
    promptTitle: cap(typeHint(def, column.part), 32),
    prompt: cap(labelOf(column), 255),
  };
  // The rule itself belongs to the input type (engine/language/inputs).
  const rule = inputTypeOf(def.type).spreadsheet(def, {
    topLeft,
    listName: listName(column),
    ...(column.part ? { part: column.part } : {}),
    dates: { from: DATE_RANGE.from, to: DATE_RANGE.to, fromSerial: excelSerial(DATE_RANGE.from), toSerial: excelSerial(DATE_RANGE.to) },
  });
  return { ...common, ...rule } as ExcelJS.DataValidation;
}

/**
 * A cell's number format shows what was typed: dates as dd/mm/yyyy, every
 * number as General, never "0", which would show a mistyped 1.5 as "2" (the
 * reader refuses 1.5 in a count, and the cell must let people see why).
 */
function numFmtFor(def: InputDef): string | undefined {
  if (def.type === 'date') return 'dd/mm/yyyy';
  return undefined;
}

/** The name of a unit column's dropdown list. */
function unitListName(column: UnitColumn): string {
  return column.kind === 'type' ? 'ds_loai_don_vi' : `ds_thuoc_tinh_${column.attribute}`;
}

/** What a unit column's dropdown offers: the types' or the options' Vietnamese labels, or Có/Không. */
function unitColumnLabels(level: CompiledLevel, column: UnitColumn): string[] {
  const s = level.structure!;
  if (column.kind === 'type') return [...s.unitTypes.values()].map((t) => t.label);
  const def = s.attributes.get(column.attribute)!;
  return def.type === 'boolean' ? [BOOLEAN_LABELS.yes, BOOLEAN_LABELS.no] : (def.options ?? []).map((o) => o.label);
}

/** The dropdown lists, one column each, with a workbook name per list for the validations. */
function addListsSheet(workbook: ExcelJS.Workbook, level: CompiledLevel, columns: InputColumn[], units: UnitColumn[]): void {
  const sheet = workbook.addWorksheet(SHEETS.lists, { state: 'hidden' });
  let col = 0;
  for (const column of units) {
    col += 1;
    const labels = unitColumnLabels(level, column);
    sheet.getCell(1, col).value = column.title;
    sheet.getCell(1, col).font = { bold: true };
    labels.forEach((label, i) => (sheet.getCell(i + 2, col).value = label));
    sheet.getColumn(col).width = Math.min(80, Math.max(20, ...labels.map((l) => textWidth(l) + 2)));
    const letter = columnLetter(col);
    workbook.definedNames.add(`'${SHEETS.lists}'!$${letter}$2:$${letter}$${labels.length + 1}`, unitListName(column));
  }
  for (const column of columns) {
    if (column.def.type !== 'choice' && column.def.type !== 'boolean') continue;
    col += 1;
    const labels = column.def.type === 'boolean' ? [BOOLEAN_LABELS.yes, BOOLEAN_LABELS.no] : (column.def.options ?? []).map((o) => o.label);
    sheet.getCell(1, col).value = `${column.criterion.number}. ${column.def.label}`;
    sheet.getCell(1, col).font = { bold: true };
    labels.forEach((label, i) => (sheet.getCell(i + 2, col).value = label));
    sheet.getColumn(col).width = Math.min(80, Math.max(20, ...labels.map((l) => textWidth(l) + 2)));
    const letter = columnLetter(col);
    workbook.definedNames.add(`'${SHEETS.lists}'!$${letter}$2:$${letter}$${labels.length + 1}`, listName(column));
  }
}

function addMetaSheet(workbook: ExcelJS.Workbook, set: CriteriaSet, level: CompiledLevel, layout: TemplateRows): void {
  const sheet = workbook.addWorksheet(SHEETS.meta, { state: 'veryHidden' });
  const rows: [string, string | number][] = [
    [META.format, TEMPLATE_FORMAT],
    [META.formatVersion, TEMPLATE_FORMAT_VERSION],
    [META.year, set.year],
    [META.level, level.id],
    [META.levelName, level.name],
    [META.criteriaFile, basename(level.file)],
    [META.criteriaSha256, level.sha256],
    [META.decision, level.doc.decision.number],
    [META.dataSheet, SHEETS.data],
    [META.keysRow, layout.keys],
    [META.firstDataRow, layout.firstData],
    [META.generatedBy, `tieuchi ${engineVersion()}`],
  ];
  rows.forEach(([key, value], i) => {
    sheet.getCell(i + 1, 1).value = key;
    sheet.getCell(i + 1, 2).value = value;
  });
  sheet.getColumn(1).width = 18;
  sheet.getColumn(2).width = 70;
}

/** A criterion's place (groups, applicability), when its level has a structure. */
function placeOf(level: CompiledLevel, criterionId: string): CriterionPlace | undefined {
  return level.structure?.places.get(criterionId);
}

/** Whom a conditional criterion applies to, in words, for its header and the guide: "Sở, ngành có …; khi Có dịch vụ công trực tuyến: Có". */
function applicabilityText(level: CompiledLevel, criterionId: string): string | undefined {
  const place = placeOf(level, criterionId);
  if (!isConditional(place)) return undefined;
  const s = level.structure!;
  const parts: string[] = [];
  for (const types of place!.appliesTo ?? []) parts.push(`loại ${[...types].map((id) => s.unitTypes.get(id)?.label ?? id).join(' hoặc ')}`);
  if (place!.appliesWhen?.length) {
    const when = Object.fromEntries(place!.appliesWhen.map((c) => [c.attribute, [...c.values] as string[]]));
    parts.push(`khi ${appliesWhenText(levelSummaryStructure(level), when, 'vi')}`);
  }
  return parts.join('; ');
}

/**
 * "chỉ áp dụng cho loại …", "chỉ áp dụng khi …", or both: the phrase after a column's hint and
 * in notes (never "chỉ áp dụng cho khi …").
 */
function appliesOnlyPhrase(level: CompiledLevel, criterionId: string): string | undefined {
  const text = applicabilityText(level, criterionId);
  return text === undefined ? undefined : `chỉ áp dụng ${text.startsWith('khi ') ? text : `cho ${text}`}`;
}

/** Text of a string inside an Excel formula: "…" with quotes doubled. */
const excelText = (text: string) => `"${text.replace(/"/g, '""')}"`;

/**
 * The condition, as an Excel formula on the row's unit cells, under which a
 * criterion's input cells do not apply (conditional formatting greys them):
 * a type or attribute chosen that the criterion does not take. A cell left
 * blank is not known yet, so nothing is greyed for it.
 */
function notApplicableFormula(level: CompiledLevel, place: CriterionPlace, unitLetter: ReadonlyMap<string, string>, row: number): string | undefined {
  const s = level.structure!;
  const terms: string[] = [];
  const outside = (cell: string, labels: string[]) => `AND(${cell}<>"",NOT(OR(${labels.map((l) => `${cell}=${excelText(l)}`).join(',')})))`;
  const typeLetter = unitLetter.get('type');
  for (const types of place.appliesTo ?? []) {
    if (!typeLetter) continue;
    terms.push(outside(`$${typeLetter}${row}`, [...types].map((id) => s.unitTypes.get(id)?.label ?? id)));
  }
  for (const condition of place.appliesWhen ?? []) {
    const letter = unitLetter.get(`attributes.${condition.attribute}`);
    const def = s.attributes.get(condition.attribute);
    if (!letter || !def) continue;
    const labels = [...condition.values].map((v) => (typeof v === 'boolean' ? (v ? BOOLEAN_LABELS.yes : BOOLEAN_LABELS.no) : (def.options?.find((o) => o.id === v)?.label ?? v)));
    terms.push(outside(`$${letter}${row}`, labels));
  }
  if (!terms.length) return undefined;
  return terms.length === 1 ? terms[0] : `OR(${terms.join(',')})`;
}

/** A pre-filled unit's type as its label (the dropdown's words), from an id or a label. */
function typeLabel(level: CompiledLevel, type: string): string {
  const types = [...(level.structure?.unitTypes.values() ?? [])];
  return (types.find((t) => t.id === type) ?? types.find((t) => t.label.normalize('NFC').toLocaleLowerCase('vi') === type.normalize('NFC').toLocaleLowerCase('vi')))?.label ?? type;
}

/** A pre-filled attribute as the dropdown shows it (Có/Không, an option's label); undefined when it cannot be read. */
function attributeCellText(level: CompiledLevel, attribute: string, raw: unknown): { text: string; value?: boolean | string } | undefined {
  const def = level.structure?.attributes.get(attribute);
  if (!def || raw === undefined) return undefined;
  const read = readAttributeValue(def, raw, 'text');
  if (!('value' in read)) return { text: String(raw) };
  const text = def.type === 'boolean' ? (read.value ? BOOLEAN_LABELS.yes : BOOLEAN_LABELS.no) : (def.options?.find((o) => o.id === read.value)?.label ?? String(read.value));
  return { text, value: read.value };
}

const NA_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFBFBFBF' }, bgColor: { argb: 'FFBFBFBF' } };
const NOT_APPLICABLE_NOTE = 'không áp dụng';

function addDataSheet(workbook: ExcelJS.Workbook, level: CompiledLevel, columns: InputColumn[], units: UnitColumn[], rows: TemplateRows, options: TemplateOptions): void {
  const first = 3 + units.length;
  const sheet = workbook.addWorksheet(SHEETS.data, {
    views: [{ state: 'frozen', xSplit: first - 1, ySplit: rows.keys, topLeftCell: `${columnLetter(first)}${rows.firstData}`, activeCell: `${columnLetter(first)}${rows.firstData}` }],
  });
  const prefilled = options.units ?? [];
  const dataRows = prefilled.length || Math.max(1, options.emptyRows ?? 50);
  const lastRow = rows.firstData + dataRows - 1;

  // Widths first: header heights depend on them.
  const idWidth = Math.max(14, ...prefilled.map((u) => textWidth(u.id) + 2));
  const nameWidth = Math.min(50, Math.max(28, ...prefilled.map((u) => textWidth(u.name) + 2)));
  sheet.getColumn(1).width = idWidth;
  sheet.getColumn(2).width = nameWidth;
  units.forEach((column, i) => (sheet.getColumn(3 + i).width = Math.min(40, Math.max(16, ...unitColumnLabels(level, column).map((l) => textWidth(l) + 4), Math.ceil(textWidth(column.title) / 3) + 2))));
  const widths = columns.map(inputWidth);
  // A criterion whose columns are too narrow for its title gets them widened, so that its title takes about six lines.
  for (let i = 0; i < columns.length; ) {
    let j = i;
    while (j + 1 < columns.length && columns[j + 1]!.criterion === columns[i]!.criterion) j++;
    const span = widths.slice(i, j + 1).reduce((a, b) => a + b, 0);
    const needed = Math.ceil((textWidth(criterionTitle(columns[i]!)) * 1.15) / 6);
    if (span < needed) for (let k = i; k <= j; k++) widths[k] = Math.min(60, widths[k]! + Math.ceil((needed - span) / (j - i + 1)));
    i = j + 1;
  }
  widths.forEach((w, i) => {
    const col = sheet.getColumn(first + i);
    col.width = w;
    const numFmt = numFmtFor(columns[i]!.def);
    // The column's style is what Excel gives a cell typed below the prepared rows.
    if (numFmt) col.numFmt = numFmt;
  });

  const headerStyle = (cell: ExcelJS.Cell, bold: boolean) => {
    cell.font = { bold };
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.fill = HEADER_FILL;
    cell.border = THIN;
  };

  // The group rows, the criterion, the input label and what to type; id, name and the unit columns are merged down over them.
  const s = level.structure;
  const fixed: [string, string, string][] = [
    ['Mã đơn vị', 'Mã đơn vị (chữ không dấu, số, gạch ngang), ví dụ xa-dai-tam', 'id'],
    ['Tên đơn vị', 'Tên đầy đủ của đơn vị', 'name'],
    ...units.map((column): [string, string, string] => {
      if (column.kind === 'type') return [column.title, `Chọn loại của đơn vị trong danh sách:\n${[...s!.unitTypes.values()].map((t) => `- ${t.label}${t.description ? `: ${t.description}` : ''}`).join('\n')}\nCác tiêu chí không áp dụng cho loại đã chọn chuyển màu xám: để trống.`, column.key];
      const def = s!.attributes.get(column.attribute)!;
      return [column.title, `${def.label}${def.description ? `\n${def.description}` : ''}\n${def.type === 'boolean' ? 'Chọn Có hoặc Không.' : `Chọn một mức: ${(def.options ?? []).map((o) => o.label).join('; ')}.`}\nCác tiêu chí không áp dụng theo thuộc tính này chuyển màu xám: để trống.`, column.key];
    }),
  ];
  const top = rows.groups[0] ?? rows.criterion;
  fixed.forEach(([title, note, key], i) => {
    const cell = sheet.getCell(top, i + 1);
    cell.value = title;
    cell.note = note;
    headerStyle(cell, true);
    sheet.mergeCells(top, i + 1, rows.hint, i + 1);
    sheet.getCell(rows.keys, i + 1).value = key;
  });

  // Group rows: each group's printed number and name (and maximum), merged over the columns of its criteria.
  const chainOf = (column: InputColumn): CompiledGroup[] => [...(placeOf(level, column.criterion.id)?.groupChain ?? [])].reverse();
  rows.groups.forEach((row, depth) => {
    let lines = 1;
    for (let i = 0; i < columns.length; ) {
      const group = chainOf(columns[i]!)[depth];
      let j = i;
      while (j + 1 < columns.length && chainOf(columns[j + 1]!)[depth] === group) j++;
      const cell = sheet.getCell(row, first + i);
      headerStyle(cell, true);
      if (group) {
        const text = `${group.number}. ${group.name}${group.declaredMax !== undefined ? ` (tối đa ${formatPoints(group.declaredMax, 'vi')} điểm)` : ''}`;
        cell.value = text;
        lines = Math.max(lines, linesIn(text, widths.slice(i, j + 1).reduce((a, b) => a + b, 0), true));
      }
      for (let k = i + 1; k <= j; k++) headerStyle(sheet.getCell(row, first + k), true);
      if (j > i) sheet.mergeCells(row, first + i, row, first + j);
      i = j + 1;
    }
    sheet.getRow(row).height = heightFor(Math.min(lines, 6));
  });

  let criterionLines = 1;
  let labelLines = 1;
  let hintLines = 1;
  for (let i = 0; i < columns.length; ) {
    let j = i;
    while (j + 1 < columns.length && columns[j + 1]!.criterion === columns[i]!.criterion) j++;
    const column = columns[i]!;
    const cell = sheet.getCell(rows.criterion, first + i);
    cell.value = criterionTitle(column);
    const only = applicabilityText(level, column.criterion.id);
    cell.note = only ? `${criterionNote(column)}\n\nChỉ áp dụng cho đơn vị: ${only}. Đơn vị khác: không áp dụng (ô màu xám, để trống).` : criterionNote(column);
    headerStyle(cell, true);
    if (j > i) sheet.mergeCells(rows.criterion, first + i, rows.criterion, first + j);
    const span = widths.slice(i, j + 1).reduce((a, b) => a + b, 0);
    criterionLines = Math.max(criterionLines, linesIn(criterionTitle(column), span, true));
    i = j + 1;
  }
  columns.forEach((column, i) => {
    const c = first + i;
    const label = sheet.getCell(rows.input, c);
    label.value = labelOf(column);
    label.note = inputNote(column);
    headerStyle(label, false);
    labelLines = Math.max(labelLines, linesIn(labelOf(column), widths[i]!));
    const hint = sheet.getCell(rows.hint, c);
    const only = appliesOnlyPhrase(level, column.criterion.id);
    const hintText = only ? `${typeHint(column.def, column.part)}; ${only}` : typeHint(column.def, column.part);
    hint.value = hintText;
    headerStyle(hint, false);
    hint.font = { italic: true, color: { argb: 'FF595959' } };
    hintLines = Math.max(hintLines, linesIn(hintText, widths[i]!));
    sheet.getCell(rows.keys, c).value = column.key;
  });
  sheet.getRow(rows.criterion).height = heightFor(Math.min(criterionLines, 12));
  sheet.getRow(rows.input).height = heightFor(Math.min(labelLines, 12));
  sheet.getRow(rows.hint).height = heightFor(Math.min(hintLines, 8));
  const keysRow = sheet.getRow(rows.keys);
  keysRow.hidden = true;
  keysRow.font = { color: { argb: 'FF808080' }, size: 8 };

  // Data rows: units pre-filled, every input cell styled and validated.
  for (let r = rows.firstData; r <= lastRow; r++) {
    const unit = prefilled[r - rows.firstData];
    const id = sheet.getCell(r, 1);
    const name = sheet.getCell(r, 2);
    if (unit) {
      id.value = unit.id;
      name.value = fitCell(unit.name);
      id.fill = UNIT_FILL;
      name.fill = UNIT_FILL;
    }
    id.border = THIN;
    name.border = THIN;
    name.alignment = { wrapText: true, vertical: 'top' };
    // A pre-filled unit's type and attributes, as the dropdown words them.
    const known = new Map<string, boolean | string>();
    let knownType: string | undefined;
    units.forEach((column, i) => {
      const cell = sheet.getCell(r, 3 + i);
      cell.border = THIN;
      cell.alignment = { wrapText: true, vertical: 'top' };
      if (!unit) return;
      if (column.kind === 'type' && unit.type !== undefined) {
        cell.value = typeLabel(level, unit.type);
        knownType = [...s!.unitTypes.values()].find((t) => t.label === cell.value)?.id;
      } else if (column.kind === 'attribute' && unit.attributes && Object.prototype.hasOwnProperty.call(unit.attributes, column.attribute)) {
        const shown = attributeCellText(level, column.attribute, unit.attributes[column.attribute]);
        if (shown) {
          cell.value = shown.text;
          if (shown.value !== undefined) known.set(column.attribute, shown.value);
        }
      }
      if (cell.value !== null && cell.value !== undefined) cell.fill = UNIT_FILL;
    });
    columns.forEach((column, i) => {
      const cell = sheet.getCell(r, first + i);
      cell.border = THIN;
      const numFmt = numFmtFor(column.def);
      if (numFmt) cell.numFmt = numFmt;
      cell.alignment = column.def.type === 'choice' ? { wrapText: true, vertical: 'top' } : { vertical: 'top' };
      // Known already not to apply to this pre-filled unit: said on the cell itself.
      const place = placeOf(level, column.criterion.id);
      if (unit && isConditional(place) && knowsEnough(place!, knownType, known) && !appliesToUnit(place!, knownType, known)) {
        cell.note = `${NOT_APPLICABLE_NOTE}: tiêu chí ${column.criterion.number} ${appliesOnlyPhrase(level, column.criterion.id)}. Để trống ô này.`;
      }
    });
  }
  // exceljs has range validations (one rule per column, not one per cell) but does not declare them.
  const validations = (sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations;
  const unitLetter = new Map<string, string>();
  units.forEach((column, i) => {
    const letter = columnLetter(3 + i);
    unitLetter.set(column.key, letter);
    validations.add(`${letter}${rows.firstData}:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: true,
      formulae: [unitListName(column)],
      showInputMessage: true,
      showErrorMessage: true,
      errorStyle: 'stop',
      promptTitle: cap(column.title, 32),
      prompt: cap(`Chọn trong danh sách: ${unitColumnLabels(level, column).join('; ')}`, 255),
      errorTitle: cap(column.title, 32),
      error: cap(`Chọn một giá trị trong danh sách: ${unitColumnLabels(level, column).join('; ')}`, 255),
    } as ExcelJS.DataValidation);
  });
  columns.forEach((column, i) => {
    const letter = columnLetter(first + i);
    const rule = validationFor(column, `${letter}${rows.firstData}`);
    const only = applicabilityText(level, column.criterion.id);
    validations.add(`${letter}${rows.firstData}:${letter}${lastRow}`, only ? { ...rule, prompt: cap(`${rule.prompt ?? ''} — ô màu xám: ${NOT_APPLICABLE_NOTE}, để trống.`, 255) } : rule);
  });
  // Cells of a criterion that does not apply to the type or attributes picked on the row turn grey as soon as they are picked.
  for (let i = 0; i < columns.length; i++) {
    const place = placeOf(level, columns[i]!.criterion.id);
    if (!isConditional(place)) continue;
    const formula = notApplicableFormula(level, place!, unitLetter, rows.firstData);
    if (!formula) continue;
    const letter = columnLetter(first + i);
    sheet.addConditionalFormatting({ ref: `${letter}${rows.firstData}:${letter}${lastRow}`, rules: [{ type: 'expression', priority: 1, formulae: [formula], style: { fill: NA_FILL, font: { color: { argb: 'FF7F7F7F' } } } }] });
  }
  setUpPrinting(sheet, {
    title: `Mẫu số liệu năm ${level.year} — ${level.name}`,
    ...(level.doc.decision.managing_agency ? { agency: level.doc.decision.managing_agency } : {}),
    titleRows: `${top}:${rows.keys}`,
    titleColumns: `A:${columnLetter(first - 1)}`,
  });
  // Shade the input area's header cells of each criterion alternately, so groups read apart.
  let shade = false;
  for (let i = 0; i < columns.length; i++) {
    if (i > 0 && columns[i]!.criterion !== columns[i - 1]!.criterion) shade = !shade;
    if (shade) for (const row of [rows.input, rows.hint]) sheet.getCell(row, first + i).fill = INPUT_FILL;
  }
}

/** Whether what is known of a pre-filled unit decides a criterion's applicability. */
function knowsEnough(place: CriterionPlace, type: string | undefined, attributes: ReadonlyMap<string, boolean | string>): boolean {
  if (place.appliesTo && type === undefined) return false;
  return (place.appliesWhen ?? []).every((c) => attributes.has(c.attribute));
}

function appliesToUnit(place: CriterionPlace, type: string | undefined, attributes: ReadonlyMap<string, boolean | string>): boolean {
  if (place.appliesTo && !(type !== undefined && place.appliesTo.every((types) => types.has(type)))) return false;
  return (place.appliesWhen ?? []).every((c) => c.values.has(attributes.get(c.attribute)!));
}

function addGuideSheet(workbook: ExcelJS.Workbook, set: CriteriaSet, level: CompiledLevel, columns: InputColumn[], units: UnitColumn[], rows: TemplateRows, options: TemplateOptions): void {
  const sheet = workbook.addWorksheet(SHEETS.guide);
  // Chosen for A4 landscape at a readable scale (print.ts): 162 characters across.
  const widths = [6, 30, 9, 48, 34, 35];
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  const total = widths.reduce((a, b) => a + b, 0);
  const decision = level.doc.decision;
  const agency = decision.managing_agency ?? 'cơ quan chủ trì';
  let row = 1;
  const paragraph = (text: string, style: Partial<ExcelJS.Font> = {}) => {
    const cell = sheet.getCell(row, 1);
    cell.value = text;
    cell.font = style;
    cell.alignment = { wrapText: true, vertical: 'top' };
    sheet.mergeCells(row, 1, row, widths.length);
    sheet.getRow(row).height = heightFor(linesIn(text, total, style.bold === true));
    row++;
  };
  const draft = criteriaStatus(set) === 'draft';
  paragraph(draftTitle(`MẪU SỐ LIỆU CHẤM ĐIỂM THI ĐUA CHUYỂN ĐỔI SỐ NĂM ${set.year} — ${level.name.toUpperCase()}`, draft), { bold: true, size: 14, ...(draft ? { color: { argb: 'FFC00000' } } : {}) });
  if (draft) paragraph(`Căn cứ: dự thảo bộ tiêu chí năm ${set.year}, chưa ký ban hành; mẫu có thể thay đổi khi quyết định được ký.`);
  else paragraph(`Căn cứ: Quyết định số ${decision.number}${decision.date ? ` ngày ${formatDate(decision.date)}` : ''} của ${decision.issuer} ${lowerFirst(decision.title)}.`);
  if (level.doc.level.applies_to?.length) paragraph(`Áp dụng cho: ${level.doc.level.applies_to.join('; ')}.`);
  paragraph(
    options.deadline ? `Hạn gửi số liệu: ${formatDate(options.deadline)}, gửi về ${agency}.` : `Hạn gửi số liệu: theo văn bản đề nghị của ${agency}.`,
    { bold: true },
  );
  row++;
  paragraph('CÁCH ĐIỀN', { bold: true });
  const ratioColumns = columns.filter((c) => c.part === 'achieved');
  const steps = [
    `Điền vào trang "${SHEETS.data}", mỗi đơn vị một dòng, bắt đầu từ dòng ${rows.firstData}.${options.units?.length ? ' Mã và tên đơn vị đã được điền sẵn (ô màu vàng): không sửa mã đơn vị.' : ' Cột A ghi mã đơn vị (chữ không dấu, số, gạch ngang, ví dụ xa-dai-tam), cột B ghi tên đơn vị.'}`,
    ...(rows.groups.length ? [`Dòng ${rows.groups.map(String).join(', ')} ghi các nhóm tiêu chí (số thứ tự, tên và điểm tối đa của nhóm), trải trên các cột của tiêu chí trong nhóm.`] : []),
    `Mỗi cột là một số liệu của một tiêu chí. Dòng ${rows.criterion} ghi số thứ tự, tên tiêu chí và điểm chuẩn; di chuột vào ô tiêu đề để xem cách tính điểm và căn cứ tính điểm. Dòng ${rows.hint} ghi cách ghi số liệu của cột.`,
    ...units.map((column) =>
      column.kind === 'type'
        ? `Cột "${column.title}": chọn loại của đơn vị trong danh sách (${unitColumnLabels(level, column).join('; ')}). Một số tiêu chí chỉ áp dụng cho một số loại: khi đã chọn loại, ô của tiêu chí không áp dụng chuyển màu xám; để trống các ô đó (không áp dụng, không phải 0 điểm).`
        : `Cột "${column.title}": chọn ${unitColumnLabels(level, column).join(' hoặc ')}. Tiêu chí chỉ áp dụng khi đơn vị có thuộc tính này: ô chuyển màu xám khi không áp dụng; để trống các ô đó.`,
    ),
    'Tỉ lệ (%): ghi số phần trăm từ 0 đến 100, ví dụ 95,5 hoặc 95,5%.',
    `Ngày: ghi dạng ngày/tháng/năm, ví dụ 12/04/2023. Văn bản chưa ban hành: ghi "${columns.find((c) => c.def.type === 'date' && c.def.none_allowed)?.def.none_label ?? 'Chưa ban hành'}".`,
    ...(ratioColumns.length
      ? [`Số liệu dạng "số đạt/tổng số" (${ratioColumns.map((c) => `tiêu chí ${c.criterion.number}`).join(', ')}): ghi số đạt và tổng số vào hai cột liền nhau (số nguyên); tieuchi tự tính tỉ lệ. Không ghi dạng 3/4 trong một ô.`]
      : []),
    'Số lần, số lượng: ghi số nguyên không âm (0 nếu không có); số lẻ như 1,5 bị báo lỗi.',
    ...(columns.some((c) => c.def.type === 'boolean') ? [`Có/Không: ${YES_NO_RULE[0]!.toLowerCase()}${YES_NO_RULE.slice(1)}`] : []),
    'Mức đánh giá: bấm vào ô, chọn một mức trong danh sách thả xuống (mũi tên bên phải ô).',
    `Không để trống ô nào${units.length ? ' (trừ ô màu xám: không áp dụng cho đơn vị)' : ''}: ô trống được hiểu là "chưa báo cáo", không được tính là 0, và đơn vị sẽ chưa được xếp hạng cho đến khi bổ sung.`,
    `Không xóa, chèn hay đổi tên các trang; không sửa các dòng tiêu đề; không xóa các trang và dòng ẩn (máy dùng chúng để đọc số liệu). Có thể thêm cột ghi chú ở bên phải bảng.`,
    'Lưu tệp dưới dạng Excel (.xlsx) rồi gửi lại; tệp mở bằng Excel, LibreOffice Calc hay WPS đều được.',
  ];
  steps.forEach((text, i) => paragraph(`${i + 1}. ${text}`));
  row++;
  paragraph(`CÁC TIÊU CHÍ (${level.criteria.length} tiêu chí, tổng ${formatPoints(level.totalPoints.toNumber(), 'vi')} điểm)`, { bold: true });
  const header = ['Số TT', 'Tiêu chí', 'Điểm chuẩn', 'Cách tính', 'Căn cứ tính điểm', 'Số liệu cần điền'];
  header.forEach((text, i) => {
    const cell = sheet.getCell(row, i + 1);
    cell.value = text;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = THIN;
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  });
  row++;
  // Criteria under their groups (pillar, main index…), each group's heading once, with its maximum.
  const opened = new Set<string>();
  for (const criterion of level.criteria) {
    const chain = [...(placeOf(level, criterion.id)?.groupChain ?? [])].reverse();
    for (const group of chain) {
      if (opened.has(group.id)) continue;
      opened.add(group.id);
      const text = `${'   '.repeat(group.depth)}Nhóm ${group.number}. ${group.name}${group.declaredMax !== undefined ? ` (tối đa ${formatPoints(group.declaredMax, 'vi')} điểm)` : group.infoOnly ? ' (không tính điểm)' : ''}${applicabilityOfGroup(level, group)}`;
      const cell = sheet.getCell(row, 1);
      cell.value = text;
      cell.font = { bold: true };
      cell.fill = group.depth === 0 ? HEADER_FILL : INPUT_FILL;
      cell.border = THIN;
      cell.alignment = { wrapText: true, vertical: 'middle' };
      sheet.mergeCells(row, 1, row, widths.length);
      sheet.getRow(row).height = heightFor(linesIn(text, total, true));
      row++;
    }
    const inputs = Object.values(criterion.def.inputs).map((def) => `- ${def.label}`).join('\n');
    const only = appliesOnlyPhrase(level, criterion.id);
    const values: (string | number)[] = [criterion.number, only ? `${criterion.name}\n(${cap1(only)})` : criterion.name, criterion.maxPointsNumber, criterion.def.rule.trim(), criterion.def.evidence.trim(), inputs];
    let lines = 1;
    values.forEach((value, i) => {
      const cell = sheet.getCell(row, i + 1);
      cell.value = value;
      cell.border = THIN;
      cell.alignment = { wrapText: true, vertical: 'top', ...(i === 0 || i === 2 ? { horizontal: 'center' as const } : {}) };
      if (i === 2) cell.numFmt = pointsFormat(level.doc.scoring.rounding.decimals);
      if (typeof value === 'string') lines = Math.max(lines, linesIn(value, widths[i]!));
    });
    sheet.getRow(row).height = heightFor(Math.min(lines, 26));
    row++;
  }
  row++;
  paragraph(`Mẫu do tieuchi ${engineVersion()} tạo từ tệp tiêu chí ${basename(level.file)} (năm ${set.year}, cấp ${level.id}; SHA-256 ${level.sha256.slice(0, 16)}…).`, { italic: true, color: { argb: 'FF808080' } });
  setUpPrinting(sheet, { title: `Hướng dẫn điền mẫu số liệu năm ${set.year} — ${level.name}`, ...(decision.managing_agency ? { agency: decision.managing_agency } : {}) });
}

/** A group's own applicability, after its heading. */
function applicabilityOfGroup(level: CompiledLevel, group: CompiledGroup): string {
  const s = level.structure!;
  const parts: string[] = [];
  if (group.appliesTo) parts.push(`loại ${[...group.appliesTo].map((id) => s.unitTypes.get(id)?.label ?? id).join(' hoặc ')}`);
  if (group.appliesWhen?.length) parts.push(`khi ${appliesWhenText(levelSummaryStructure(level), Object.fromEntries(group.appliesWhen.map((c) => [c.attribute, [...c.values] as string[]])), 'vi')}`);
  if (!parts.length) return '';
  const text = parts.join('; ');
  return ` — chỉ áp dụng ${text.startsWith('khi ') ? text : `cho ${text}`}`;
}

/** First letter in capitals ("Chỉ áp dụng …"). */
const cap1 = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function lowerFirst(text: string): string {
  return text ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/** Build the template workbook of one level. */
export function buildTemplate(set: CriteriaSet, level: CompiledLevel, options: TemplateOptions = {}): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = `tieuchi ${engineVersion()}`;
  workbook.title = draftTitle(`Mẫu số liệu thi đua Chuyển đổi số năm ${set.year} — ${level.name}`, criteriaStatus(set) === 'draft');
  workbook.subject = level.doc.decision.number;
  workbook.company = level.doc.decision.managing_agency ?? '';
  const columns = inputColumns(level);
  const units = unitColumns(level);
  const rows = templateRows(level);
  addGuideSheet(workbook, set, level, columns, units, rows, options);
  addDataSheet(workbook, level, columns, units, rows, options);
  addListsSheet(workbook, level, columns, units);
  addMetaSheet(workbook, set, level, rows);
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
  return workbook;
}

/** The template as .xlsx bytes. */
export async function templateBytes(set: CriteriaSet, level: CompiledLevel, options: TemplateOptions = {}): Promise<Buffer> {
  return Buffer.from(await buildTemplate(set, level, options).xlsx.writeBuffer());
}
