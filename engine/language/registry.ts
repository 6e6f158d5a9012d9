/**
 * The formula language: every operator and every input type, from their own
 * modules. Adding an operator is one module in operators/ and its line here;
 * the compiler's whitelist, the JSON Schema's operator list
 * (`npm run gen:schema`), the staff guide's table, the explanations and the
 * math of diffs all read this registry.
 */
import type { InputType } from '../model.js';
import type { InputTypeDefinition } from './input-type.js';
import type { OperatorDefinition } from './operator.js';
import { divided, max, min, minus, plus, times } from './operators/arithmetic.js';
import { among } from './operators/choice.js';
import { atLeast, atMost, differs, equals, greater, less, strictDiffers, strictEquals } from './operators/comparison.js';
import { lateMonths } from './operators/dates.js';
import { and, decision, not, or } from './operators/logic.js';
import { reference } from './operators/reference.js';
import { percent } from './inputs/percent.js';
import { ratio } from './inputs/ratio.js';
import { count } from './inputs/count.js';
import { date } from './inputs/date.js';
import { choice } from './inputs/choice.js';
import { boolean } from './inputs/boolean.js';
import { number } from './inputs/number.js';

export interface Registry {
  operators: ReadonlyMap<string, OperatorDefinition>;
  /** Operator names in the order of the guide and the schema. */
  operatorNames: readonly string[];
  inputTypes: ReadonlyMap<string, InputTypeDefinition>;
  inputTypeNames: readonly string[];
}

/** Build a registry from definitions (tests build one with an extra operator). */
export function buildRegistry(operators: readonly OperatorDefinition[], inputTypes: readonly InputTypeDefinition[]): Registry {
  const byName = new Map<string, OperatorDefinition>();
  for (const op of operators) {
    if (byName.has(op.name)) throw new Error(`tieuchi bug: operator ${op.name} defined twice`);
    byName.set(op.name, op);
  }
  const types = new Map<string, InputTypeDefinition>();
  for (const t of inputTypes) {
    if (types.has(t.name)) throw new Error(`tieuchi bug: input type ${t.name} defined twice`);
    types.set(t.name, t);
  }
  return { operators: byName, operatorNames: [...byName.keys()], inputTypes: types, inputTypeNames: [...types.keys()] };
}

export const OPERATOR_DEFINITIONS: readonly OperatorDefinition[] = [
  reference,
  plus,
  minus,
  times,
  divided,
  min,
  max,
  less,
  atMost,
  greater,
  atLeast,
  equals,
  differs,
  strictEquals,
  strictDiffers,
  not,
  and,
  or,
  decision,
  among,
  lateMonths,
];

/** One definition per input type the schema allows (model.ts InputType): a missing one fails typecheck. */
export const INPUT_TYPE_DEFINITIONS: { readonly [T in InputType]: InputTypeDefinition<T> } = { percent, ratio, count, date, choice, boolean, number };

export const LANGUAGE: Registry = buildRegistry(OPERATOR_DEFINITIONS, Object.values(INPUT_TYPE_DEFINITIONS));

export function inputTypeOf<T extends InputType>(type: T): InputTypeDefinition<T> {
  return INPUT_TYPE_DEFINITIONS[type] as InputTypeDefinition<T>;
}
