/**
 * Checked by `npm run typecheck` (not a vitest file): an operator or input
 * type definition missing a facet does not compile. If defineOperator or
 * defineInputType stopped requiring every facet, the @ts-expect-error lines
 * below would be unused errors and typecheck would fail.
 */
import { defineInputType } from '../engine/language/input-type.js';
import { defineOperator, expressions } from '../engine/language/operator.js';
import type { InputType } from '../engine/model.js';
import type { InputTypeDefinition } from '../engine/language/input-type.js';

// An operator left without its bounded-float evaluation (the crash of issue 9): a compile error.
// @ts-expect-error float is missing
export const halfDone = defineOperator({
  name: 'half_done',
  group: 'arithmetic',
  arity: { min: 1, max: 1 },
  argument: expressions,
  typeOf: () => ({ kind: 'number', unit: 'plain' }),
  exact: ([a]) => a!,
  wording: { vi: 'nửa', en: 'half' },
  guide: { meaning: { vi: 'Nửa', en: 'Half' }, example: '{"half_done": [1]}' },
  math: { form: 'function', name: { vi: 'nửa', en: 'half' } },
  explain: { form: 'function', name: { vi: 'nửa', en: 'half' } },
});

// An input type without its spreadsheet validation: a compile error.
// @ts-expect-error spreadsheet is missing
export const halfType = defineInputType({
  name: 'half_type',
  valueType: () => ({ kind: 'boolean' }),
  read: () => ({ value: true, reported: true }),
  floatReader: () => () => false,
  schema: () => ({ schema: { type: 'boolean' } }),
  wording: { meaning: { vi: 'nửa', en: 'half' }, json: '', text: '' },
});

// The registry needs one definition per input type of the criteria schema: leaving one out is a compile error.
// @ts-expect-error boolean is missing
export const incomplete: { readonly [T in InputType]: InputTypeDefinition<T> } = { percent: undefined!, ratio: undefined!, count: undefined!, date: undefined!, choice: undefined! };

// An operator with its float closures but without their generated source: a compile error too.
// @ts-expect-error floatSource is missing
export const noSource = defineOperator({
  name: 'no_source',
  group: 'arithmetic',
  arity: { min: 1, max: 1 },
  argument: expressions,
  typeOf: () => ({ kind: 'number', unit: 'plain' }),
  exact: ([a]) => a!,
  float: ([a]) => a!,
  wording: { vi: 'nửa', en: 'half' },
  guide: { meaning: { vi: 'Nửa', en: 'Half' }, example: '{"no_source": [1]}' },
  math: { form: 'function', name: { vi: 'nửa', en: 'half' } },
  explain: { form: 'function', name: { vi: 'nửa', en: 'half' } },
});
