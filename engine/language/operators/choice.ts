/** Membership of a choice in a list of options. */
import { defineOperator, type FloatRun } from '../operator.js';
import { complain } from '../wording.js';

export const among = defineOperator({
  name: 'in',
  group: 'choice',
  arity: { min: 2, max: 2 },
  // The second argument is a literal list of option ids, checked against the choice's options.
  argument: (index) => (index === 1 ? 'options' : 'expression'),
  typeOf: (args) => {
    const [needle, list] = args;
    if (needle?.kind !== 'choice' || list?.kind !== 'list') {
      return complain('"in" dùng dạng {"in": [{"var": "lua_chon"}, ["muc_a", "muc_b"]]}.', '"in" takes the form {"in": [{"var": "choice"}, ["option_a", "option_b"]]}.');
    }
    const unknown = list.items.filter((item) => !needle.options.includes(item));
    if (unknown.length) {
      return complain(
        `Không có mức ${unknown.map((u) => `"${u}"`).join(', ')} trong lựa chọn; các mức: ${needle.options.join(', ')}.`,
        `No option ${unknown.join(', ')}; options: ${needle.options.join(', ')}.`,
        1,
      );
    }
    return { kind: 'boolean' };
  },
  exact: ([needle, list]) => (env) => (list!(env) as readonly string[]).includes(needle!(env) as string),
  float: ([needle, list]: readonly FloatRun[]) => (values, errors) => (list!(values, errors) as readonly string[]).includes(needle!(values, errors) as string),
  floatSource: ([needle, list], out) => {
    const x = needle!.emit();
    const options = list!.emit();
    const r = out.local();
    out.line(`${r} = ${options.value}.includes(${x.value});`);
    return { value: r, error: '0' };
  },
  wording: { vi: 'thuộc', en: 'is one of' },
  guide: { meaning: { vi: 'Lựa chọn là một trong các mức liệt kê', en: 'The choice is one of the listed options' }, example: '{"in": [{"var": "muc_bo_tri"}, ["dai_hoc", "sau_dai_hoc"]]}' },
  math: { form: 'infix', precedence: 3, symbol: { vi: '∈', en: '∈' }, comparison: true },
  explain: { form: 'infix', precedence: 3, symbol: { vi: '∈', en: '∈' }, comparison: true },
});
