/** "var": a declared input, a parameter of the file, or max_points. The compiler resolves the name to a slot. */
import { bound } from '../bounded.js';
import { defineOperator } from '../operator.js';
import { complain } from '../wording.js';

export const reference = defineOperator({
  name: 'var',
  group: 'reference',
  arity: { min: 1, max: 1 },
  argument: () => 'name',
  // Typed by the compiler from the declaration the name resolves to.
  typeOf: () => complain('var được trình biên dịch xử lý', 'var is resolved by the compiler'),
  exact: (_, node) => {
    const slot = node.binding!.slot;
    return (env) => env[slot]!;
  },
  float: (_, node) => {
    const slot = node.binding!.slot;
    return (values, errors) => {
      bound.err = errors[slot]!;
      return values[slot];
    };
  },
  floatSource: (_, out, node) => {
    const slot = node.binding!.slot;
    // A slot is an index the compiler assigned; anything but a small integer is refused (the closures then run).
    if (!Number.isSafeInteger(slot) || slot < 0) out.refuse(`slot ${slot}`);
    return { value: `v[${slot}]`, error: `e[${slot}]` };
  },
  wording: { vi: 'giá trị của', en: 'value of' },
  guide: {
    meaning: { vi: 'Giá trị của một số liệu của tiêu chí, một tham số của tệp, hoặc max_points (điểm chuẩn); không có giá trị mặc định', en: 'A criterion input, a file parameter, or max_points; no defaults' },
    example: '{"var": "ty_le"}',
  },
  math: { form: 'reference' },
  explain: { form: 'reference' },
});

