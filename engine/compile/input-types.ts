/**
 * The input types units report, through the language registry
 * (engine/language/inputs/, one module per type): their formula type, and
 * how a reported value is read and checked.
 *
 * Two reading modes: `json` is strict (numbers are JSON numbers, dates ISO
 * strings), for other tools; `text` accepts what people type in a CSV or a
 * spreadsheet cell ("95,5%", "10/02/2023", a choice's Vietnamese label).
 */
import { inputTypeOf } from '../language/registry.js';
import type { InputDef, ReadMode } from '../model.js';
import type { InputReadResult } from '../language/input-type.js';
import type { ValueType } from './values.js';

export type { InputReadError, InputReadResult, ReadInput } from '../language/input-type.js';
export { foldText, isReadError } from '../language/inputs/common.js';

export function valueTypeOf(def: InputDef): ValueType {
  return inputTypeOf(def.type).valueType(def);
}

/** Read one reported value for one declared input. */
export function readInput(def: InputDef, raw: unknown, mode: ReadMode): InputReadResult {
  return inputTypeOf(def.type).read(def, raw, mode);
}
