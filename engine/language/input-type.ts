/**
 * What an input type is (percent, ratio, count, date, choice, boolean, number):
 * its formula type, how a reported value is read (strict JSON, or text as
 * people type it in CSV and spreadsheets), the fast path's reading, its
 * submission-schema fragment, its spreadsheet validation and its wording.
 * Every facet is required.
 */
import type { Value, ValueType } from '../compile/values.js';
import type { InputDef, JsonValue, ReadMode } from '../model.js';
import type { Localized } from '../problems.js';

/** A reported value once read: what formulas see, and what explanations show. */
export interface ReadInput {
  value: Value;
  /** The value as JSON, normalised (a ratio keeps its counts). */
  reported: JsonValue;
}

export interface InputReadError {
  code: 'submission.bad-value' | 'submission.out-of-range';
  message: Localized;
  hint?: Localized;
}

export type InputReadResult = ReadInput | InputReadError;

/**
 * The fast path's reading of one JSON value: writes the double and its error
 * bound into the slot (when the formula reads it, slot ≥ 0) and returns true,
 * or returns false when the value is not plainly valid (the exact reading
 * then says why). Must accept only what `read` accepts in JSON mode, and
 * give the double of the value `read` gives.
 */
export type FloatReader = (raw: unknown, values: unknown[], errors: Float64Array, slot: number) => boolean;

export type JsonSchema = Record<string, unknown>;

/** A spreadsheet cell's data validation (exceljs' DataValidation without its title and prompt). */
export interface SpreadsheetRule {
  type: 'decimal' | 'whole' | 'date' | 'list' | 'custom';
  operator?: 'between' | 'greaterThanOrEqual' | 'lessThanOrEqual';
  formulae: (number | string | Date)[];
  errorTitle: string;
  error: string;
}

/** What the template knows about the cell a rule is for. */
export interface SpreadsheetCell {
  /** Address of the first cell of the range ("E7"), for custom formulas. */
  topLeft: string;
  /** Workbook name of the column's dropdown list (choice, boolean). */
  listName: string;
  /** Which column of a two-column input (ratio). */
  part?: 'achieved' | 'total';
  /** Accepted dates, ISO, and their Excel serial numbers. */
  dates: { from: string; to: string; fromSerial: number; toSerial: number };
}

export interface InputTypeDefinition<Name extends string = string> {
  name: Name;
  /** The formula type of an input declared with this type. */
  valueType(def: InputDef): ValueType;
  /** Read one reported value. */
  read(def: InputDef, raw: unknown, mode: ReadMode): InputReadResult;
  /** The fast path's reader for one declared input. */
  floatReader(def: InputDef): FloatReader;
  /** The JSON Schema of a reported value, and a sentence describing it (Vietnamese). */
  schema(def: InputDef): { schema: JsonSchema; note?: string };
  /** The spreadsheet validation of its cells. */
  spreadsheet(def: InputDef, cell: SpreadsheetCell): SpreadsheetRule;
  /** For the guide and the schema's description: its meaning, how it is written in JSON and as text. */
  wording: { meaning: Localized; json: string; text: string };
}

export function defineInputType<const Name extends string>(definition: InputTypeDefinition<Name>): InputTypeDefinition<Name> {
  return definition;
}
