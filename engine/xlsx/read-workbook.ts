/**
 * Read what units send back: a filled template (or a plain table laid out
 * like the CSV format) → Submission values, checking every cell.
 *
 * Each input cell is read the way people type (see cells.ts and readInput's
 * text mode). A cell that cannot be read is reported by its reference
 * ('Số liệu'!E7), the unit and the criterion, in Vietnamese; its unit gets
 * the other criteria scored and no total, and every other row scores.
 *
 * The submission keeps, for a readable cell, the value as read (a number, an
 * ISO date, an option id, achieved/total counts) and, for an unreadable one,
 * the cell's text, so that scoring marks that criterion as an error too; the
 * CLI keeps this reader's problem, which names the cell, in place of the
 * scorer's (see mergeReadProblems in cli/load.ts).
 *
 * Reading is bounded (limits.ts): size, parts, inflated size, rows, columns.
 */
import ExcelJS from 'exceljs';
import { readFile, stat } from 'node:fs/promises';
import type { CompiledCriterion, CompiledLevel } from '../compile/level.js';
import { isReadError, readInput } from '../compile/input-types.js';
import type { CriteriaSet } from '../criteria-set.js';
import type { ReadSubmissions } from '../load/submissions.js';
import type { InputDef, Submission } from '../model.js';
import { problem, type Localized, type Problem, type ProblemCode } from '../problems.js';
import { readCell, readYesNo, type CellRead } from './cells.js';
import { BOOLEAN_LABELS, cellReference, columnLetter, META, noneLabel, parseColumnKey, ROWS, SHEETS, TEMPLATE_FORMAT, TEMPLATE_FORMAT_VERSION, type ColumnKey } from './layout.js';
import { DEFAULT_WORKBOOK_LIMITS, IGNORED_SHEET_PARTS, readWorkbookParts, type WorkbookLimits } from './limits.js';
import { canonicalPackage } from './package.js';
import { appliesTo } from '../compile/structure.js';
import { readAttributeValue } from '../contract/unit-attributes.js';

/** structures (issue 11): the columns of a unit's type and attributes. */
interface UnitCells {
  type?: number;
  attributes: Map<string, number>;
}

/** Same rule as JSON and CSV submissions: letters, digits, dots, dashes, underscores. */
const UNIT_ID = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u;

/** Where the input values of one input are, in one sheet. */
interface InputCells {
  criterion: CompiledCriterion;
  inputId: string;
  def: InputDef;
  /** One column (any type; a ratio may be "3/4" in one cell) … */
  column?: number;
  /** … or a ratio's two columns. */
  achieved?: number;
  total?: number;
}

interface SheetContext {
  file: string;
  sheet: ExcelJS.Worksheet;
  date1904: boolean;
  problems: Problem[];
  limits: WorkbookLimits;
  /** Date inputs stored as spreadsheet dates, and typed as text day-first with a day over 12 (see dateOrderWarning). */
  dates: { typed: string[]; dayFirstText: string[] };
}

const at = (file: string, row: number, column: number) => ({ file, start: 0, end: 0, line: row, column });

function fileProblem(code: ProblemCode, file: string, message: Localized, hint?: Localized, severity: 'error' | 'warning' = 'error'): Problem {
  return problem(code, message, { file, severity, ...(hint ? { hint } : {}) });
}

/** Read an .xlsx workbook's submissions against a criteria set. Never throws on a bad file. */
export async function readSubmissionsXlsx(file: string, bytes: Buffer, set: CriteriaSet, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS): Promise<ReadSubmissions> {
  const zip = readWorkbookParts(bytes, limits);
  if (!zip.ok) {
    return {
      submissions: [],
      problems: [
        fileProblem(
          zip.kind === 'too-large' ? 'xlsx.too-large' : 'xlsx.unreadable',
          file,
          zip.message,
          zip.kind === 'too-large'
            ? { vi: 'Một tệp số liệu chỉ cần vài trăm dòng; xóa các trang, dòng, cột thừa hoặc tách tệp.', en: 'A data file needs a few hundred rows at most; remove extra sheets, rows or columns, or split the file.' }
            : undefined,
        ),
      ],
    };
  }
  const resave = {
    vi: 'Mở tệp bằng Excel, LibreOffice Calc hoặc WPS và lưu lại dưới dạng "Excel Workbook (.xlsx)", rồi gửi lại.',
    en: 'Open the file in Excel, LibreOffice Calc or WPS and save it as "Excel Workbook (.xlsx)", then send it again.',
  };
  const canonical = canonicalPackage(zip.parts);
  if (!canonical.ok) return { submissions: [], problems: [fileProblem('xlsx.unreadable', file, canonical.message, resave)] };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(canonical.bytes as unknown as ExcelJS.Buffer, { ignoreNodes: IGNORED_SHEET_PARTS });
  } catch {
    // The library's message is JavaScript (a property of undefined…): it says nothing to a user, so it is not shown.
    const by = canonical.application ? { vi: ` (tệp được lưu bằng ${canonical.application})`, en: ` (saved by ${canonical.application})` } : { vi: '', en: '' };
    return {
      submissions: [],
      problems: [
        fileProblem(
          'xlsx.unreadable',
          file,
          { vi: `Không đọc được nội dung bảng tính${by.vi}: các trang tính, chuỗi ký tự hoặc định dạng ô không theo cấu trúc .xlsx.`, en: `Cannot read the workbook's content${by.en}: its sheets, strings or cell styles do not follow the .xlsx structure.` },
          resave,
        ),
      ],
    };
  }
  if (workbook.worksheets.length > limits.maxSheets) {
    return { submissions: [], problems: [fileProblem('xlsx.too-large', file, { vi: `Bảng tính có ${workbook.worksheets.length} trang tính, vượt giới hạn ${limits.maxSheets}.`, en: `The workbook has ${workbook.worksheets.length} sheets, over the limit of ${limits.maxSheets}.` })] };
  }
  if (workbook.worksheets.length === 0) {
    return { submissions: [], problems: [fileProblem('xlsx.unreadable', file, { vi: 'Tệp không có trang tính nào (không phải bảng tính .xlsx).', en: 'The file has no worksheet (not an .xlsx workbook).' })] };
  }
  const date1904 = (workbook.properties as { date1904?: boolean } | undefined)?.date1904 === true;
  try {
    const meta = readMeta(workbook);
    if (meta[META.format] === TEMPLATE_FORMAT) return readTemplate(file, workbook, meta, set, date1904, limits);
    return readPlainTable(file, workbook, set, date1904, limits);
  } catch {
    // exceljs can still throw on content it parsed but cannot serve (a cell without its row…): this file is
    // refused in words, and the other files of the batch are scored. The fuzz test fails on this message.
    return { submissions: [], problems: [fileProblem('xlsx.unreadable', file, UNEXPECTED_CONTENT, resave)] };
  }
}

/** Said when reading a loaded workbook failed unexpectedly (see the catch above). */
export const UNEXPECTED_CONTENT: Localized = {
  vi: 'Không đọc được nội dung bảng tính: các trang tính hoặc ô có cấu trúc bất thường.',
  en: 'Cannot read the workbook: its sheets or cells have an unusual structure.',
};

/** Read a workbook file: its size is checked before a byte of it is read. */
export async function readWorkbookFile(path: string, file: string, set: CriteriaSet, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS): Promise<ReadSubmissions> {
  let bytes: Buffer;
  try {
    const size = (await stat(path)).size;
    if (size > limits.maxBytes) {
      return { submissions: [], problems: [fileProblem('xlsx.too-large', file, { vi: `Tệp quá lớn (${size} byte, tối đa ${limits.maxBytes}).`, en: `File too large (${size} bytes, at most ${limits.maxBytes}).` })] };
    }
    bytes = await readFile(path);
  } catch (err) {
    return { submissions: [], problems: [fileProblem('submission.unreadable', file, { vi: `Không đọc được "${file}": ${(err as Error).message}`, en: `Cannot read "${file}": ${(err as Error).message}` })] };
  }
  return readSubmissionsXlsx(file, bytes, set, limits);
}

/** A sheet by name as people see it: case, Unicode composition and outer spaces do not count (other programs change them). */
function sheetNamed(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  const fold = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase('vi');
  return workbook.getWorksheet(name) ?? workbook.worksheets.find((s) => fold(s.name) === fold(name));
}

/** Keys and values of a metadata sheet (column A → column B), in a map without a prototype. */
function metaOf(sheet: ExcelJS.Worksheet): Record<string, string> {
  const meta = Object.create(null) as Record<string, string>;
  for (let r = 1; r <= Math.min(sheet.rowCount, 100); r++) {
    const key = readCell(sheet.findCell(r, 1)?.value, undefined, undefined);
    const value = readCell(sheet.findCell(r, 2)?.value, undefined, undefined);
    if (key.kind === 'value' && value.kind === 'value') meta[String(key.raw)] = String(value.raw);
  }
  return meta;
}

/**
 * The hidden metadata sheet as key → value: by its name, or (renamed by
 * another program, or made visible) by what it holds.
 */
function readMeta(workbook: ExcelJS.Workbook): Record<string, string> {
  const named = sheetNamed(workbook, SHEETS.meta);
  if (named) return metaOf(named);
  for (const sheet of workbook.worksheets) {
    const first = readCell(sheet.findCell(1, 1)?.value, undefined, undefined);
    if (first.kind === 'value' && String(first.raw) === META.format) {
      const meta = metaOf(sheet);
      if (meta[META.format] === TEMPLATE_FORMAT) return meta;
    }
  }
  return Object.create(null) as Record<string, string>;
}

/** The cell keys of one row (the template's hidden row, or a plain table's header). */
function rowKeys(sheet: ExcelJS.Worksheet, row: number): Map<number, { text: string; key?: ColumnKey }> {
  const keys = new Map<number, { text: string; key?: ColumnKey }>();
  sheet.getRow(row).eachCell({ includeEmpty: false }, (cell, column) => {
    const read = readCell(cell.value, undefined, undefined);
    if (read.kind !== 'value') return;
    const text = String(read.raw).trim();
    const key = parseColumnKey(text);
    keys.set(column, { text, ...(key ? { key } : {}) });
  });
  return keys;
}

function readTemplate(file: string, workbook: ExcelJS.Workbook, meta: Record<string, string>, set: CriteriaSet, date1904: boolean, limits: WorkbookLimits): ReadSubmissions {
  const problems: Problem[] = [];
  const fail = (code: ProblemCode, message: Localized, hint?: Localized): ReadSubmissions => ({ submissions: [], problems: [...problems, fileProblem(code, file, message, hint)] });
  const version = Number(meta[META.formatVersion]);
  if (!(version >= 1 && version <= TEMPLATE_FORMAT_VERSION)) {
    return fail('xlsx.layout', { vi: `Mẫu số liệu có phiên bản định dạng ${meta[META.formatVersion]}, phiên bản tieuchi này chỉ đọc tới ${TEMPLATE_FORMAT_VERSION}.`, en: `The template's format version is ${meta[META.formatVersion]}; this tieuchi reads up to ${TEMPLATE_FORMAT_VERSION}.` }, {
      vi: 'Cập nhật tieuchi, hoặc tạo lại mẫu bằng phiên bản đang dùng.',
      en: 'Update tieuchi, or generate the template again with this version.',
    });
  }
  const year = Number(meta[META.year]);
  const levelId = meta[META.level] ?? '';
  const levelName = meta[META.levelName] ?? levelId;
  if (year !== set.year) {
    return fail(
      'xlsx.criteria-mismatch',
      {
        vi: `Bảng tính là mẫu số liệu năm ${meta[META.year]} (${levelName}), nhưng đang chấm theo bộ tiêu chí năm ${set.year}. Không chấm tệp này.`,
        en: `The workbook is a ${meta[META.year]} template (${levelId}), but the criteria used are those of ${set.year}. The file is not scored.`,
      },
      {
        vi: `Chấm bằng bộ tiêu chí năm ${meta[META.year]} (--criteria criteria/${meta[META.year]}), hoặc gửi đơn vị mẫu năm ${set.year}: tieuchi template --criteria criteria/${set.year} --level ${levelId}.`,
        en: `Score with the ${meta[META.year]} criteria (--criteria criteria/${meta[META.year]}), or send the unit the ${set.year} template.`,
      },
    );
  }
  const level = set.levels.find((l) => l.id === levelId);
  if (!level) {
    return fail(
      'xlsx.criteria-mismatch',
      { vi: `Bảng tính là mẫu số liệu cấp "${levelId}" (${levelName}), nhưng bộ tiêu chí năm ${set.year} không có cấp này. Không chấm tệp này.`, en: `The workbook is a template for level "${levelId}", which the ${set.year} criteria do not have. The file is not scored.` },
      { vi: `Các cấp năm ${set.year}: ${set.levels.map((l) => `${l.id} (${l.name})`).join(', ')}.`, en: `Levels in ${set.year}: ${set.levels.map((l) => l.id).join(', ')}.` },
    );
  }
  if (meta[META.criteriaSha256] && meta[META.criteriaSha256] !== level.sha256) {
    problems.push(
      fileProblem(
        'xlsx.template-outdated',
        file,
        {
          vi: `Mẫu được tạo từ một bản khác của tệp tiêu chí ${meta[META.criteriaFile] ?? ''} (tệp đã được sửa sau khi tạo mẫu). Số liệu vẫn được đọc theo mã cột.`,
          en: `The template was generated from another version of ${meta[META.criteriaFile] ?? 'the criteria file'} (edited since). Values are still read by column key.`,
        },
        { vi: 'Kiểm tra các cột thiếu hoặc thừa (nếu có, xem các lỗi bên dưới); lần sau tạo lại mẫu từ tệp tiêu chí hiện hành.', en: 'Check for missing or extra columns (reported below, if any); generate the template again next time.' },
        'warning',
      ),
    );
  }
  const keysRow = Number(meta[META.keysRow]) || ROWS.keys;
  const firstDataRow = Number(meta[META.firstDataRow]) || ROWS.firstData;
  const isDataSheet = (s: ExcelJS.Worksheet) => {
    const keys = [...rowKeys(s, keysRow).values()];
    return keys.some((k) => k.key?.kind === 'id') && keys.some((k) => k.key?.kind === 'name');
  };
  // By name first; a renamed data sheet is still found by its hidden key row.
  const named = sheetNamed(workbook, meta[META.dataSheet] ?? SHEETS.data);
  const sheet = named && isDataSheet(named) ? named : workbook.worksheets.find(isDataSheet);
  if (!sheet) {
    return fail(
      'xlsx.layout',
      { vi: `Không tìm thấy trang số liệu "${meta[META.dataSheet] ?? SHEETS.data}" với dòng mã cột (dòng ${keysRow}, ẩn).`, en: `No data sheet "${meta[META.dataSheet] ?? SHEETS.data}" with its column-key row (row ${keysRow}, hidden).` },
      { vi: 'Trang số liệu hoặc dòng ẩn chứa mã cột đã bị xóa; chép số liệu sang một mẫu mới (tieuchi template).', en: 'The data sheet or its hidden key row was deleted; copy the values into a new template.' },
    );
  }

  const context: SheetContext = { file, sheet, date1904, limits, problems, dates: { typed: [], dayFirstText: [] } };
  const keys = rowKeys(sheet, keysRow);
  let idColumn: number | undefined;
  let nameColumn: number | undefined;
  const byInput = new Map<string, InputCells>();
  const unitCells: UnitCells = { attributes: new Map() };
  for (const [column, { text, key }] of keys) {
    const letter = columnLetter(column);
    if (key?.kind === 'id') idColumn ??= column;
    else if (key?.kind === 'name') nameColumn ??= column;
    else if (key?.kind === 'type') unitCells.type ??= column;
    else if (key?.kind === 'attribute') {
      if (!unitCells.attributes.has(key.attribute)) unitCells.attributes.set(key.attribute, column);
    } else if (key?.kind === 'input') {
      const cells = inputCellsFor(level, key, column, byInput);
      if (typeof cells === 'string') {
        problems.push(
          problem(
            'xlsx.layout',
            { vi: `Cột ${letter} (mã "${text}") ${cells}; cột này không được đọc.`, en: `Column ${letter} (key "${text}"): ${cells === 'bị trùng' ? 'duplicate' : 'not in the criteria'}; it is not read.` },
            { location: at(file, keysRow, column), level: level.id, severity: 'warning' },
          ),
        );
      }
    }
  }
  for (const criterion of level.criteria) {
    for (const [inputId, def] of Object.entries(criterion.def.inputs)) {
      const cells = byInput.get(`${criterion.id}.${inputId}`);
      if (!cells || !isComplete(cells)) {
        problems.push(
          problem(
            'xlsx.layout',
            {
              vi: `Trang "${sheet.name}" thiếu cột số liệu "${def.label}" (${criterion.id}.${inputId}) của tiêu chí ${criterion.number}; mọi đơn vị trong tệp sẽ thiếu số liệu này.`,
              en: `Sheet "${sheet.name}" has no column for "${def.label}" (${criterion.id}.${inputId}) of criterion ${criterion.number}; every unit in the file lacks it.`,
            },
            { file, level: level.id, criterion: criterion.id, input: inputId, hint: { vi: 'Tạo lại mẫu từ bộ tiêu chí hiện hành (tieuchi template) và chép số liệu sang.', en: 'Generate the template again and copy the values over.' } },
          ),
        );
      }
    }
  }
  if (idColumn === undefined || nameColumn === undefined) {
    return fail('xlsx.layout', { vi: `Trang "${sheet.name}" thiếu cột mã đơn vị hoặc tên đơn vị.`, en: `Sheet "${sheet.name}" has no unit id or unit name column.` });
  }
  // A ratio with one of its two columns is reported above and read as missing for every unit.
  const inputs = [...byInput.values()].filter(isComplete);
  const submissions: Submission[] = [];
  for (const row of rowsFrom(sheet, firstDataRow)) {
    const submission = readUnitRow(context, row, idColumn, nameColumn, () => level, () => inputs, submissions.length, [], unitCells);
    if (submission) submissions.push(submission);
  }
  problems.push(...dateOrderWarning(context));
  return { submissions, problems };
}

type CellLike = Pick<ExcelJS.Cell, 'value' | 'numFmt' | 'text'>;
const EMPTY_CELL: CellLike = { value: null, numFmt: '', text: '' };

/** The numbers of the rows a sheet has, from `first` on (absent rows are not visited). */
function rowsFrom(sheet: ExcelJS.Worksheet, first: number): number[] {
  const rows: number[] = [];
  sheet.eachRow({ includeEmpty: false }, (_row, number) => {
    if (number >= first) rows.push(number);
  });
  return rows;
}

/** One column, or both columns of a ratio. */
const isComplete = (cells: InputCells): boolean => cells.column !== undefined || (cells.achieved !== undefined && cells.total !== undefined);

/** Place a column key among a level's inputs; a string says why it does not fit. */
function inputCellsFor(level: CompiledLevel, key: Extract<ColumnKey, { kind: 'input' }>, column: number, byInput: Map<string, InputCells>): InputCells | string {
  const criterion = level.criteria.find((c) => c.id === key.criterion);
  const def = criterion && Object.hasOwn(criterion.def.inputs, key.input) ? criterion.def.inputs[key.input] : undefined;
  if (!criterion || !def) return `không có trong bộ tiêu chí cấp ${level.id} năm ${level.year}`;
  if (key.part && def.type !== 'ratio') return 'không có trong bộ tiêu chí (chỉ số liệu dạng số đạt/tổng số mới có hai cột)';
  const id = `${key.criterion}.${key.input}`;
  const cells = byInput.get(id) ?? { criterion, inputId: key.input, def };
  if (key.part === undefined) {
    if (cells.column !== undefined || cells.achieved !== undefined) return 'bị trùng';
    cells.column = column;
  } else {
    if (cells[key.part] !== undefined || cells.column !== undefined) return 'bị trùng';
    cells[key.part] = column;
  }
  byInput.set(id, cells);
  return cells;
}

/** A typed text shown in a message, cut short. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function cellText(read: CellRead): string {
  return read.kind === 'value' ? String(read.raw) : '';
}

/**
 * One unit's row: its id and name, then each input's cells read and checked.
 * Returns undefined for a blank row, or for a row whose unit cannot be named.
 */
function readUnitRow(
  context: SheetContext,
  row: number,
  idColumn: number,
  nameColumn: number,
  levelOf: () => CompiledLevel | string | undefined,
  inputsOf: (level: CompiledLevel) => InputCells[],
  index: number,
  extraColumns: { column: number; key: Extract<ColumnKey, { kind: 'input' }> }[] = [],
  unitCells: UnitCells = { attributes: new Map() },
): Submission | undefined {
  const { file, sheet, problems } = context;
  // findCell, not getCell: reading never creates cells (a sheet declaring row 19,999 is walked by the rows it has).
  const cell = (column: number): CellLike => sheet.findCell(row, column) ?? EMPTY_CELL;
  const idRead = readCell(cell(idColumn).value, undefined, undefined);
  const nameRead = readCell(cell(nameColumn).value, undefined, undefined);
  const level = levelOf();
  const inputs = typeof level === 'object' ? inputsOf(level) : [];
  const usedColumns = inputs.flatMap((i) => [i.column, i.achieved, i.total]).filter((c): c is number => c !== undefined);
  const hasData = [...usedColumns, ...extraColumns.map((e) => e.column)].some((c) => readCell(cell(c).value, undefined, undefined).kind !== 'empty');
  // A row without any value is skipped: a blank row, or another unit's pre-filled row left for it to fill.
  // A named unit is still mentioned, so that no unit drops out of the results without a word.
  if (!hasData) {
    const named = cellText(idRead);
    if (UNIT_ID.test(named)) {
      problems.push(
        problem(
          'xlsx.unit-without-data',
          {
            vi: `Dòng ${row}: đơn vị "${named}" chưa có số liệu nào trong tệp này nên không được chấm từ tệp này.`,
            en: `Row ${row}: unit "${named}" has no data in this file, so it is not scored from this file.`,
          },
          {
            severity: 'warning',
            location: at(file, row, idColumn),
            unit: named,
            hint: {
              vi: 'Bình thường nếu đơn vị gửi số liệu bằng tệp khác; nếu không, đơn vị cần điền số liệu vào dòng này.',
              en: 'Expected if the unit reports in another file; otherwise it must fill in this row.',
            },
          },
        ),
      );
    }
    return undefined;
  }

  const id = cellText(idRead);
  const ref = (column: number) => cellReference(sheet.name, row, column);
  if (!UNIT_ID.test(id)) {
    problems.push(
      problem(
        'submission.shape',
        id === ''
          ? { vi: `Ô ${ref(idColumn)}: dòng ${row} có số liệu nhưng thiếu mã đơn vị; dòng này không được chấm.`, en: `Cell ${ref(idColumn)}: row ${row} has data but no unit id; the row is not scored.` }
          : { vi: `Ô ${ref(idColumn)}: mã đơn vị "${id}" không hợp lệ; dòng này không được chấm.`, en: `Cell ${ref(idColumn)}: invalid unit id "${id}"; the row is not scored.` },
        { location: at(file, row, idColumn), hint: { vi: 'Mã đơn vị gồm chữ, số, dấu chấm, gạch ngang, gạch dưới; ví dụ: xa-dai-tam.', en: 'A unit id is letters, digits, dots, dashes, underscores; e.g. xa-dai-tam.' } },
      ),
    );
    return undefined;
  }
  const name = cellText(nameRead);
  if (name.length > context.limits.maxNameChars) {
    problems.push(
      problem(
        'submission.shape',
        { vi: `Ô ${ref(nameColumn)}: tên đơn vị "${id}" dài ${name.length} ký tự, vượt giới hạn ${context.limits.maxNameChars}; dòng này không được chấm.`, en: `Cell ${ref(nameColumn)}: the name of unit "${id}" is ${name.length} characters long, over the limit of ${context.limits.maxNameChars}; the row is not scored.` },
        { location: at(file, row, nameColumn), unit: id, hint: { vi: 'Ghi tên đầy đủ của đơn vị, không chép cả đoạn văn bản vào ô.', en: 'Write the unit\'s full name only.' } },
      ),
    );
    return undefined;
  }
  if (name === '') {
    problems.push(problem('submission.shape', { vi: `Ô ${ref(nameColumn)}: thiếu tên đơn vị "${id}"; dòng này không được chấm.`, en: `Cell ${ref(nameColumn)}: unit "${id}" has no name; the row is not scored.` }, { location: at(file, row, nameColumn), unit: id }));
    return undefined;
  }
  if (typeof level !== 'object') {
    // Plain table with an unknown or missing level: scoring reports it for the unit.
    return { id, name, level: level ?? '', inputs: Object.create(null) as Submission['inputs'], mode: 'text', origin: { file, index, line: row } };
  }

  // Keys come from the file (a plain table's headers): maps without a prototype, so "constructor.assign" is only a key.
  const values = Object.create(null) as Record<string, Record<string, unknown>>;
  const blockOf = (criterion: string) => (values[criterion] ??= Object.create(null) as Record<string, unknown>);
  const columns = Object.create(null) as Record<string, number>;
  // structures (issue 11): the unit's type (a label from the dropdown, or an id) and its attributes, as typed;
  // scoring checks them. A criterion that does not apply to what the row states is not asked for: its empty
  // cells (greyed in the template) are no missing data.
  const structure = level.structure;
  let type: string | undefined;
  if (unitCells.type !== undefined) {
    columns.type = unitCells.type;
    const typed = cellText(readCell(cell(unitCells.type).value, undefined, undefined)).trim();
    if (typed !== '') {
      const fold = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase('vi').replace(/\s+/g, ' ');
      const known = [...(structure?.unitTypes.values() ?? [])];
      type = (known.find((t) => t.id === typed) ?? known.find((t) => fold(t.label) === fold(typed)))?.id ?? typed;
    }
  }
  const attributes = Object.create(null) as Record<string, unknown>;
  const attributesRead = new Map<string, boolean | string>();
  for (const [attribute, column] of unitCells.attributes) {
    columns[`attributes.${attribute}`] = column;
    const typed = readCell(cell(column).value, undefined, undefined);
    if (typed.kind !== 'value') continue;
    attributes[attribute] = typeof typed.raw === 'string' ? typed.raw.trim() : typed.raw;
    const def = structure?.attributes.get(attribute);
    const read = def ? readAttributeValue(def, attributes[attribute], 'text') : undefined;
    if (read && 'value' in read) attributesRead.set(attribute, read.value);
  }
  // Not known (no type picked, an attribute left blank): the cell is asked for, as it may well apply.
  const applies = (c: InputCells) => {
    const place = structure?.shaped ? structure.places.get(c.criterion.id) : undefined;
    if (!place) return true;
    if ((place.appliesTo && (type === undefined || !structure!.unitTypes.has(type))) || place.appliesWhen?.some((w) => !attributesRead.has(w.attribute))) return true;
    return appliesTo(place, type, attributesRead);
  };
  const put = (c: InputCells, value: unknown) => (blockOf(c.criterion.id)[c.inputId] = value);
  const where = (c: InputCells, column: number) => ({ location: at(file, row, column), level: level.id, unit: id, criterion: c.criterion.id, input: c.inputId });
  const prefix = (c: InputCells, reference: string, message: Localized): Localized => ({
    vi: `Ô ${reference} (đơn vị ${id}, tiêu chí ${c.criterion.number}): ${message.vi}`,
    en: `Cell ${reference} (unit ${id}, criterion ${c.criterion.number}): ${message.en}`,
  });
  const missing = (c: InputCells, column: number, what: Localized) => {
    const none = c.def.type === 'date' && c.def.none_allowed;
    problems.push(
      problem('submission.missing-input', prefix(c, ref(column), what), {
        ...where(c, column),
        hint: none
          ? { vi: `Ghi ngày, hoặc "${noneLabel(c.def)}" nếu chưa có; ô trống không được tính.`, en: `Write the date, or "${noneLabel(c.def)}" if there is none; an empty cell is not scored.` }
          : { vi: 'Bổ sung số liệu; ô trống là "chưa báo cáo", không được tính là 0.', en: 'Fill it in; an empty cell means "not reported" and is never taken as 0.' },
      }),
    );
  };
  const empty = (c: InputCells, part?: Localized): Localized => ({
    vi: `ô trống, thiếu số liệu "${c.def.label}"${part ? ` (${part.vi})` : ''}.`,
    en: `empty cell, missing "${c.def.label}"${part ? ` (${part.en})` : ''}.`,
  });
  const cellProblem = (c: InputCells, column: number, read: Extract<CellRead, { kind: 'error' }>) => {
    problems.push(problem('xlsx.cell-error', prefix(c, ref(column), { vi: `${read.message.vi}.`, en: `${read.message.en}.` }), { ...where(c, column), ...(read.hint ? { hint: read.hint } : {}) }));
  };
  // An unreadable cell goes to scoring as its error code (#N/A, #DIV/0!) or #VALUE!: text no input type
  // accepts, so that the criterion is refused there too. Never the cell's text, which may read as a value
  // ("x" is yes in scoring's text mode, a date cell's 25/12/1899 is a date, an error cell may hold "3").
  const shown = (column: number): string => {
    const value = cell(column).value as unknown;
    const record = typeof value === 'object' && value !== null ? (value as { error?: unknown; result?: unknown }) : undefined;
    const result = typeof record?.result === 'object' && record.result !== null ? (record.result as { error?: unknown }) : undefined;
    const error = record?.error ?? result?.error;
    return typeof error === 'string' && /^#[A-Z0-9/!?]{1,10}$/.test(error) ? error : '#VALUE!';
  };

  for (const c of inputs) {
    if (c.column !== undefined) {
      columns[`${c.criterion.id}.${c.inputId}`] = c.column;
      const read = readCell(cell(c.column).value, cell(c.column).numFmt, c.def, context.date1904);
      if (c.def.type === 'date') noteDateCell(context, ref(c.column), cell(c.column).value, read);
      if (read.kind === 'empty') {
        if (applies(c)) missing(c, c.column, empty(c));
        continue;
      }
      if (read.kind === 'error') {
        cellProblem(c, c.column, read);
        put(c, shown(c.column));
        continue;
      }
      if (c.def.type === 'boolean') {
        const yes = readYesNo(read.raw);
        if (yes === undefined) {
          const typed = String(read.raw);
          problems.push(
            problem(
              'submission.bad-value',
              prefix(c, ref(c.column), {
                vi: `"${c.def.label}" chỉ nhận "${BOOLEAN_LABELS.yes}" hoặc "${BOOLEAN_LABELS.no}", nhận được "${clip(typed)}".`,
                en: `"${c.def.label}" takes "${BOOLEAN_LABELS.yes}" (yes) or "${BOOLEAN_LABELS.no}" (no) only, got "${clip(typed)}".`,
              }),
              { ...where(c, c.column), hint: { vi: 'Chọn Có hoặc Không trong danh sách của ô (có dấu hoặc không dấu, chữ hoa hay thường đều được).', en: 'Pick Có or Không from the cell\'s list (with or without diacritics, any case).' } },
            ),
          );
          // Quoted, so that scoring refuses it too rather than reading "x" or "1" as yes.
          put(c, `“${typed}”`);
        } else put(c, yes);
        continue;
      }
      const result = readInput(c.def, read.raw, 'text');
      if (isReadError(result)) {
        problems.push(problem(result.code, prefix(c, ref(c.column), result.message), { ...where(c, c.column), ...(result.hint ? { hint: result.hint } : {}) }));
        put(c, read.raw);
      } else put(c, result.reported);
      continue;
    }
    // A ratio in two columns: each part is a count, then achieved ≤ total.
    const achievedColumn = c.achieved!;
    const totalColumn = c.total!;
    columns[`${c.criterion.id}.${c.inputId}`] = achievedColumn;
    const countOf = (part: string): InputDef => ({ type: 'count', label: `${c.def.label} (${part})` });
    const achieved = readCell(cell(achievedColumn).value, cell(achievedColumn).numFmt, countOf('số đạt'), context.date1904);
    const total = readCell(cell(totalColumn).value, cell(totalColumn).numFmt, countOf('tổng số'), context.date1904);
    const parts: [CellRead, number, Localized][] = [
      [achieved, achievedColumn, { vi: 'số đạt', en: 'achieved' }],
      [total, totalColumn, { vi: 'tổng số', en: 'total' }],
    ];
    if (achieved.kind === 'empty' && total.kind === 'empty') {
      if (!applies(c)) continue;
      const range = `${ref(achievedColumn)}:${ref(totalColumn).split('!')[1]}`;
      problems.push(
        problem('submission.missing-input', prefix(c, range, { vi: `hai ô trống, thiếu số liệu "${c.def.label}" (số đạt và tổng số).`, en: `both cells empty, missing "${c.def.label}" (achieved and total).` }), {
          ...where(c, achievedColumn),
          hint: { vi: 'Ghi số đạt và tổng số (số nguyên); ô trống không được tính là 0.', en: 'Write the achieved and total counts; an empty cell is never taken as 0.' },
        }),
      );
      continue;
    }
    let bad = false;
    const raw: Record<string, unknown> = {};
    for (const [read, column, part] of parts) {
      const key = column === achievedColumn ? 'achieved' : 'total';
      if (read.kind === 'empty') {
        missing(c, column, empty(c, part));
        bad = true;
      } else if (read.kind === 'error') {
        cellProblem(c, column, read);
        raw[key] = shown(column);
        bad = true;
      } else {
        raw[key] = read.raw;
        const count = readInput(countOf(part.vi), read.raw, 'text');
        if (isReadError(count)) {
          problems.push(problem(count.code, prefix(c, ref(column), count.message), { ...where(c, column), ...(count.hint ? { hint: count.hint } : {}) }));
          bad = true;
        }
      }
    }
    if (bad) {
      put(c, raw);
      continue;
    }
    const result = readInput(c.def, raw, 'text');
    if (isReadError(result)) {
      const range = `${ref(achievedColumn)}:${ref(totalColumn).split('!')[1]}`;
      problems.push(problem(result.code, prefix(c, range, result.message), { ...where(c, achievedColumn), ...(result.hint ? { hint: result.hint } : {}) }));
      put(c, raw);
    } else put(c, result.reported);
  }
  // Plain tables: a filled cell of another level's column is passed on, so scoring names it.
  for (const { column, key } of extraColumns) {
    const read = readCell(cell(column).value, cell(column).numFmt, undefined, context.date1904);
    if (read.kind !== 'value') continue;
    const block = blockOf(key.criterion);
    if (key.part) {
      const parts = Object.hasOwn(block, key.input) && typeof block[key.input] === 'object' && block[key.input] !== null ? (block[key.input] as Record<string, unknown>) : (block[key.input] = Object.create(null) as Record<string, unknown>);
      (parts as Record<string, unknown>)[key.part] = read.raw;
    } else block[key.input] = read.raw;
  }
  return {
    id,
    name,
    level: level.id,
    inputs: values,
    mode: 'text',
    ...(type !== undefined ? { type } : {}),
    ...(Object.keys(attributes).length ? { attributes } : {}),
    origin: { file, index, line: row, columns },
  };
}

function noteDateCell(context: SheetContext, reference: string, value: unknown, read: CellRead): void {
  if (value instanceof Date) context.dates.typed.push(reference);
  else if (read.kind === 'value' && typeof read.raw === 'string') {
    // Only a real date that a month-first reading could not take: 15/02/2023, not the typo 31/11/2023.
    const m = /^(\d{1,2})[/.-]\d{1,2}[/.-]\d{4}$/.exec(read.raw);
    if (m && Number(m[1]) > 12 && !isReadError(readInput({ type: 'date', label: '' }, read.raw, 'text'))) context.dates.dayFirstText.push(reference);
  }
}

/**
 * Spreadsheet dates next to day-first text that the spreadsheet did not take
 * as a date ("15/02/2023" kept as text, while "10/12/2023" became a date) is
 * the mark of a sheet read month-first (a US locale): "10/12/2023" was then
 * stored as 12 October. The values cannot be told apart afterwards, so warn.
 */
function dateOrderWarning(context: SheetContext): Problem[] {
  const { typed, dayFirstText } = context.dates;
  if (typed.length === 0 || dayFirstText.length === 0) return [];
  const sample = (refs: string[]) => refs.slice(0, 5).join(', ') + (refs.length > 5 ? ', …' : '');
  return [
    problem(
      'xlsx.date-order',
      {
        vi: `Có thể bảng tính đã đọc ngày theo kiểu tháng/ngày (Mỹ): có ngày được lưu dạng ngày (${sample(typed)}) trong khi ngày ghi dạng ngày/tháng với ngày lớn hơn 12 vẫn là chữ (${sample(dayFirstText)}). Khi đó 10/12/2023 đã bị lưu thành ngày 12 tháng 10.`,
        en: `The spreadsheet may have read dates month-first (US style): some date cells are spreadsheet dates (${sample(typed)}) while day-first text with a day over 12 stayed text (${sample(dayFirstText)}). Then 10/12/2023 was stored as 12 October.`,
      },
      {
        file: context.file,
        severity: 'warning',
        hint: { vi: 'Kiểm tra lại các ngày trên; mở tệp CSV bằng ngôn ngữ Tiếng Việt (ngày/tháng/năm), hoặc dùng mẫu do tieuchi template tạo.', en: 'Check the dates above; open the CSV with a Vietnamese (day/month/year) locale, or use the template made by tieuchi template.' },
      },
    ),
  ];
}

/**
 * A workbook that is not a tieuchi template: the first sheet whose first row
 * has the CSV format's columns (id, name, level, <criterion>.<input>…), for
 * example examples/2023/commune.csv saved as .xlsx.
 */
function readPlainTable(file: string, workbook: ExcelJS.Workbook, set: CriteriaSet, date1904: boolean, limits: WorkbookLimits): ReadSubmissions {
  const problems: Problem[] = [];
  const headerRow = 1;
  const sheet = workbook.worksheets.find((s) => {
    const keys = [...rowKeys(s, headerRow).values()].map((k) => k.key?.kind);
    return keys.includes('id') && keys.includes('name') && keys.includes('level');
  });
  if (!sheet) {
    return {
      submissions: [],
      problems: [
        fileProblem(
          'xlsx.layout',
          file,
          {
            vi: 'Không nhận ra bảng tính: đây không phải mẫu số liệu do tieuchi tạo (thiếu trang ẩn _tieuchi), và không trang nào có dòng tiêu đề id, name, level, <mã_tiêu_chí>.<mã_số_liệu> như tệp CSV.',
            en: 'Unrecognised workbook: not a tieuchi template (no hidden _tieuchi sheet), and no sheet has a header row id, name, level, <criterion>.<input> as in the CSV format.',
          },
          { vi: 'Gửi đơn vị mẫu do "tieuchi template" tạo và chấm tệp đơn vị gửi lại.', en: 'Send units the template made by "tieuchi template" and score what they send back.' },
        ),
      ],
    };
  }
  const keys = rowKeys(sheet, headerRow);
  const column = (kind: 'id' | 'name' | 'level') => [...keys].find(([, k]) => k.key?.kind === kind)![0];
  const inputKeys: { column: number; key: Extract<ColumnKey, { kind: 'input' }> }[] = [];
  const unitCells: UnitCells = { attributes: new Map() };
  for (const [c, { text, key }] of keys) {
    if (key?.kind === 'input') inputKeys.push({ column: c, key });
    else if (key?.kind === 'type') unitCells.type ??= c;
    else if (key?.kind === 'attribute') {
      if (!unitCells.attributes.has(key.attribute)) unitCells.attributes.set(key.attribute, c);
    } else if (!key) {
      problems.push(
        problem(
          'xlsx.layout',
          { vi: `Cột có tiêu đề "${text}" không phải dạng mã_tiêu_chí.mã_số_liệu; cột này không được đọc.`, en: `Column headed "${text}" is not criterion.input; it is not read.` },
          { location: at(file, headerRow, c), severity: 'warning' },
        ),
      );
    }
  }
  // Per level: the columns that are its inputs, and the filled columns that are not.
  const perLevel = new Map<string, { inputs: InputCells[]; extra: typeof inputKeys }>();
  const forLevel = (level: CompiledLevel) => {
    let entry = perLevel.get(level.id);
    if (!entry) {
      const byInput = new Map<string, InputCells>();
      const extra: typeof inputKeys = [];
      for (const k of inputKeys) if (typeof inputCellsFor(level, k.key, k.column, byInput) === 'string') extra.push(k);
      entry = { inputs: [...byInput.values()].filter(isComplete), extra };
      perLevel.set(level.id, entry);
    }
    return entry;
  };
  const context: SheetContext = { file, sheet, date1904, limits, problems, dates: { typed: [], dayFirstText: [] } };
  const submissions: Submission[] = [];
  const levelColumn = column('level');
  for (const row of rowsFrom(sheet, headerRow + 1)) {
    const levelText = cellText(readCell(sheet.findCell(row, levelColumn)?.value, undefined, undefined));
    const level = set.levels.find((l) => l.id === levelText);
    const submission = readUnitRow(
      context,
      row,
      column('id'),
      column('name'),
      () => level ?? levelText,
      (l) => forLevel(l).inputs,
      submissions.length,
      // An unknown level still counts its filled cells, so the row is reported rather than skipped.
      level ? forLevel(level).extra : inputKeys,
      unitCells,
    );
    if (submission) submissions.push(submission);
  }
  problems.push(...dateOrderWarning(context));
  return { submissions, problems };
}
