/**
 * The layout of a tieuchi data template, shared by the writer (template.ts)
 * and the reader (read-workbook.ts): sheet names, which row holds what, and
 * the machine-readable column keys.
 *
 * Reading never depends on header text people can edit. Each data column
 * carries its key ("id", "name", "<criterion>.<input>", and for a ratio
 * "<criterion>.<input>.achieved" / ".total") in a hidden row of the data
 * sheet, so a column moved or inserted by a user is still read right; a
 * hidden sheet records the year, the level and the criteria file's hash.
 *
 * No exceljs here: this module is also what the reader's tests and the
 * plain-table reader use.
 */
import { numberTypeHint } from '../language/inputs/number.js'; // structures (issue 11)
import type { CompiledCriterion, CompiledLevel } from '../compile/level.js';
import type { InputDef } from '../model.js';

/** The sheets of a template, in workbook order. */
export const SHEETS = {
  guide: 'Hướng dẫn',
  data: 'Số liệu',
  /** Hidden: the labels each dropdown offers. */
  lists: 'Danh mục',
  /** Very hidden: what the reader needs (year, level, rows). */
  meta: '_tieuchi',
} as const;

/** Rows of the data sheet (1-based). */
export const ROWS = {
  /** Criterion number, name and max points, merged over its columns. */
  criterion: 1,
  /** The input's label. */
  input: 2,
  /** What to type (a percentage, a date, a choice…). */
  hint: 3,
  /** Hidden: the column keys. */
  keys: 4,
  firstData: 5,
} as const;

export const TEMPLATE_FORMAT = 'tieuchi-template';
export const TEMPLATE_FORMAT_VERSION = 1;

/** Keys of the metadata sheet (column A), with their values in column B. */
export const META = {
  format: 'format',
  formatVersion: 'format_version',
  year: 'year',
  level: 'level',
  levelName: 'level_name',
  criteriaFile: 'criteria_file',
  criteriaSha256: 'criteria_sha256',
  decision: 'decision',
  dataSheet: 'data_sheet',
  keysRow: 'keys_row',
  firstDataRow: 'first_data_row',
  generatedBy: 'generated_by',
} as const;

export type RatioPart = 'achieved' | 'total';

/** What a data column holds. */
export type ColumnKey =
  | { kind: 'id' }
  | { kind: 'name' }
  | { kind: 'level' }
  | { kind: 'note' }
  /** structures (issue 11): the unit's type, and one column per unit attribute. */
  | { kind: 'type' }
  | { kind: 'attribute'; attribute: string }
  | { kind: 'input'; criterion: string; input: string; part?: RatioPart };

/** "ke-hoach-cds.ngay_ban_hanh_ke_hoach" → the input key; undefined when the text is no key. */
export function parseColumnKey(text: string): ColumnKey | undefined {
  const t = text.trim();
  if (t === 'id' || t === 'name' || t === 'level' || t === 'note' || t === 'type') return { kind: t };
  const attribute = /^attributes\.([a-z][a-z0-9_]{0,63})$/.exec(t);
  if (attribute) return { kind: 'attribute', attribute: attribute[1]! };
  const m = /^([a-z][a-z0-9-]*)\.([a-z][a-z0-9_]*)(?:\.(achieved|total))?$/.exec(t);
  if (!m) return undefined;
  return { kind: 'input', criterion: m[1]!, input: m[2]!, ...(m[3] ? { part: m[3] as RatioPart } : {}) };
}

export function columnKeyText(key: ColumnKey): string {
  if (key.kind === 'attribute') return `attributes.${key.attribute}`;
  if (key.kind !== 'input') return key.kind;
  return `${key.criterion}.${key.input}${key.part ? `.${key.part}` : ''}`;
}

/**
 * The rows of a level's data sheet: one header row per depth of its groups
 * (pillar, main index…) above the criterion row; a level without groups
 * keeps ROWS. The reader takes the key and first data rows from the
 * metadata sheet, so both layouts read alike.
 */
export interface TemplateRows {
  /** Group header rows, outermost first (empty without groups). */
  groups: number[];
  criterion: number;
  input: number;
  hint: number;
  keys: number;
  firstData: number;
}

export function templateRows(level: CompiledLevel): TemplateRows {
  const depth = groupDepth(level);
  return { groups: Array.from({ length: depth }, (_, i) => i + 1), criterion: ROWS.criterion + depth, input: ROWS.input + depth, hint: ROWS.hint + depth, keys: ROWS.keys + depth, firstData: ROWS.firstData + depth };
}

/** How many group rows a level's criteria sit under (the longest chain of groups). */
export function groupDepth(level: CompiledLevel): number {
  let depth = 0;
  for (const place of level.structure?.places.values() ?? []) depth = Math.max(depth, place.groupChain.length);
  return depth;
}

/** The unit columns after id and name: the unit's type, then each attribute (structures, issue 11). */
export type UnitColumn = { kind: 'type'; key: 'type'; title: string } | { kind: 'attribute'; key: string; title: string; attribute: string };

export function unitColumns(level: CompiledLevel): UnitColumn[] {
  const columns: UnitColumn[] = [];
  if (level.structure?.unitTypes.size) columns.push({ kind: 'type', key: 'type', title: 'Loại đơn vị' });
  for (const def of level.structure?.attributes.values() ?? []) columns.push({ kind: 'attribute', key: `attributes.${def.id}`, title: def.label, attribute: def.id });
  return columns;
}

/** One input column of a level's template. A ratio takes two: achieved, then total. */
export interface InputColumn {
  key: string;
  criterion: CompiledCriterion;
  inputId: string;
  def: InputDef;
  part?: RatioPart;
}

/** The input columns of a level, in the order of the criteria and their inputs. */
export function inputColumns(level: CompiledLevel): InputColumn[] {
  const columns: InputColumn[] = [];
  for (const criterion of level.criteria) {
    for (const [inputId, def] of Object.entries(criterion.def.inputs)) {
      const base = `${criterion.id}.${inputId}`;
      if (def.type === 'ratio') {
        columns.push({ key: `${base}.achieved`, criterion, inputId, def, part: 'achieved' });
        columns.push({ key: `${base}.total`, criterion, inputId, def, part: 'total' });
      } else columns.push({ key: base, criterion, inputId, def });
    }
  }
  return columns;
}

/** 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A cell as Excel writes it, so it can be pasted into the Name Box: 'Số liệu'!E7. */
export function cellReference(sheet: string, row: number, column: number): string {
  const name = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return `${name}!${columnLetter(column)}${row}`;
}

/** What people type in a column of this input, said briefly (row 3 of the data sheet). */
export function typeHint(def: InputDef, part?: RatioPart): string {
  switch (def.type) {
    case 'percent':
      return 'Tỉ lệ %, từ 0 đến 100';
    case 'ratio':
      return part === 'total' ? 'Tổng số (số nguyên ≥ 0)' : 'Số đạt (số nguyên ≥ 0)';
    case 'count':
      return def.max !== undefined ? `Số nguyên từ 0 đến ${def.max}` : 'Số nguyên ≥ 0';
    case 'date':
      return def.none_allowed ? `Ngày dd/mm/yyyy, hoặc "${noneLabel(def)}"` : 'Ngày dd/mm/yyyy';
    case 'choice':
      return 'Chọn trong danh sách';
    case 'boolean':
      return 'Có / Không';
    case 'number': // structures (issue 11)
      return numberTypeHint(def);
  }
}

export function noneLabel(def: InputDef): string {
  return def.none_label ?? 'Chưa có';
}

/**
 * Yes/no as the template's dropdown offers them. The reader takes these
 * two words only (with or without diacritics, in any case: cells.ts
 * readYesNo); the template's validation, its notes and its guide say so.
 */
export const BOOLEAN_LABELS = { yes: 'Có', no: 'Không' } as const;

/** What a yes/no cell takes, said to the people filling it in. */
export const YES_NO_RULE = 'Chỉ ghi "Có" hoặc "Không" (có dấu hoặc không dấu, chữ hoa hay thường đều được); các cách ghi khác như x, 1, đạt, yes không được nhận.';

/** The number format that shows points with the criteria file's own decimals: 1 → "0.0", 2 → "0.00", 0 → "0". */
export function pointsFormat(decimals: number): string {
  const places = Math.max(0, Math.min(10, Math.trunc(decimals)));
  return places === 0 ? '0' : `0.${'0'.repeat(places)}`;
}
