/** Conditions: not, and, or (lazy), and the decision "if" (lazy: only the taken branch is evaluated). */
import type { ValueType } from '../../compile/values.js';
import { defineOperator, expressions, type ExactRun, type FloatRun, type FloatSourceArg, type RenderedArg, type TypeComplaint } from '../operator.js';
import { commonUnit, complain, kindVi } from '../wording.js';
import type { Lang } from '../../problems.js';

export const not = defineOperator({
  name: '!',
  group: 'logic',
  arity: { min: 1, max: 1 },
  argument: expressions,
  typeOf: (args) =>
    args[0]!.kind === 'boolean'
      ? { kind: 'boolean' }
      : complain(`"!" (phủ định) chỉ dùng với điều kiện đúng/sai; ở đây là ${kindVi(args[0]!)}.`, `"!" negates a true/false condition only; got ${args[0]!.kind}.`, 0),
  exact: ([a]) => (env) => a!(env) !== true,
  float: ([a]) => (values, errors) => a!(values, errors) !== true,
  floatSource: ([a], out) => {
    const x = a!.emit();
    const r = out.local();
    out.line(`${r} = ${x.value} !== true;`);
    return { value: r, error: '0' };
  },
  wording: { vi: 'không', en: 'not' },
  guide: { meaning: { vi: 'Phủ định một điều kiện', en: 'Negates a condition' }, example: '{"!": [{"var": "co_ke_hoach"}]}' },
  math: { form: 'prefix', precedence: 6, symbol: { vi: 'không', en: 'not' } },
  explain: { form: 'custom', precedence: 6, render: ([a], lang) => `${lang === 'vi' ? 'không' : 'not'} (${a!.text})` },
});

function junction(name: 'and' | 'or', precedence: number, wording: { vi: string; en: string }, meaning: { vi: string; en: string }) {
  const stopAt = name === 'or';
  const rendering = { form: 'infix' as const, precedence, symbol: wording, associative: true };
  return defineOperator({
    name,
    group: 'logic',
    arity: { min: 1, max: Infinity },
    argument: expressions,
    typeOf: (args: readonly ValueType[]) => {
      const bad = args.flatMap((t, i) =>
        t.kind === 'boolean' ? [] : complain(`"${name}" chỉ nối các điều kiện đúng/sai; đối số thứ ${i + 1} là ${kindVi(t)}.`, `"${name}" joins true/false conditions only; argument ${i + 1} is ${t.kind}.`, i),
      );
      return bad.length ? bad : { kind: 'boolean' };
    },
    // Lazy: stops at the first argument that decides.
    exact: (args: readonly ExactRun[]) => (env) => {
      for (const run of args) if ((run(env) === true) === stopAt) return stopAt;
      return !stopAt;
    },
    float: (args: readonly FloatRun[]) => (values, errors) => {
      for (const run of args) if ((run(values, errors) === true) === stopAt) return stopAt;
      return !stopAt;
    },
    floatSource: (args, out) => {
      // Each argument only when the ones before it did not decide.
      const r = out.local();
      out.line(`${r} = ${stopAt};`);
      for (const arg of args) {
        const x = arg.emit();
        out.line(`if (${x.value} ${stopAt ? '!==' : '==='} true) {`);
      }
      out.line(`${r} = ${!stopAt};`);
      for (let i = 0; i < args.length; i++) out.line('}');
      return { value: r, error: '0' };
    },
    wording,
    guide: { meaning, example: `{"${name}": [{">=": [{"var": "a"}, 50]}, {">=": [{"var": "b"}, 50]}]}` },
    math: rendering,
    explain: rendering,
  });
}

export const and = junction('and', 2, { vi: 'và', en: 'and' }, { vi: 'Mọi điều kiện đều đúng (dừng ở điều kiện sai đầu tiên)', en: 'All conditions hold (stops at the first false one)' });
export const or = junction('or', 1, { vi: 'hoặc', en: 'or' }, { vi: 'Có ít nhất một điều kiện đúng (dừng ở điều kiện đúng đầu tiên)', en: 'At least one condition holds (stops at the first true one)' });

const IF_WORDS = {
  vi: { if: 'nếu', then: 'thì', otherwise: 'ngược lại' },
  en: { if: 'if', then: 'then', otherwise: 'otherwise' },
} as const;

/** "nếu a thì x, ngược lại nếu b thì y, ngược lại z"; a nested decision is bracketed so its "ngược lại" cannot be mistaken for ours. */
function renderIf(args: readonly RenderedArg[], lang: Lang): string {
  const words = IF_WORDS[lang];
  const branch = (arg: RenderedArg) => (arg.op === 'if' ? `(${arg.text})` : arg.text);
  const parts: string[] = [];
  let i = 0;
  for (; i + 1 < args.length; i += 2) parts.push(`${i === 0 ? '' : `${words.otherwise} `}${words.if} ${args[i]!.text} ${words.then} ${branch(args[i + 1]!)}`);
  if (i < args.length) parts.push(`${words.otherwise} ${branch(args[i]!)}`);
  return parts.join(', ');
}

export const decision = defineOperator({
  name: 'if',
  group: 'logic',
  arity: { min: 3, max: 41 },
  argument: expressions,
  typeOf: (args) => {
    const complaints: TypeComplaint[] = [];
    if (args.length % 2 === 0) {
      return complain(
        '"if" cần số đối số lẻ: [điều kiện, giá trị, ..., giá trị còn lại]. Thiếu giá trị cho trường hợp còn lại.',
        '"if" needs an odd number of arguments: [condition, value, ..., otherwise]. The "otherwise" value is missing.',
      );
    }
    for (let i = 0; i < args.length - 1; i += 2) {
      if (args[i]!.kind !== 'boolean') {
        complaints.push(
          ...complain(
            `Điều kiện thứ ${i / 2 + 1} của "if" phải là một phép so sánh đúng/sai, ở đây là ${kindVi(args[i]!)}.`,
            `Condition ${i / 2 + 1} of "if" must be a true/false comparison, got ${args[i]!.kind}.`,
            i,
          ),
        );
      }
    }
    const results = args.filter((_, i) => i % 2 === 1 || i === args.length - 1);
    const kinds = new Set(results.map((t) => t.kind));
    if (kinds.size > 1) {
      complaints.push(
        ...complain(`Các nhánh của "if" phải cùng loại; ở đây có ${[...new Set(results.map(kindVi))].join(', ')}.`, `All branches of "if" must have one type; got ${[...kinds].join(', ')}.`),
      );
    }
    if (complaints.length) return complaints;
    const first = results[0]!;
    return first.kind === 'number' ? { kind: 'number', unit: commonUnit(results) } : first;
  },
  exact: (args) => {
    if (args.length === 3) {
      const [c, a, b] = args as [ExactRun, ExactRun, ExactRun];
      return (env) => (c(env) === true ? a(env) : b(env));
    }
    return (env) => {
      let i = 0;
      for (; i + 1 < args.length; i += 2) if (args[i]!(env) === true) return args[i + 1]!(env);
      return args[i]!(env);
    };
  },
  float: (args) => {
    if (args.length === 3) {
      const [c, a, b] = args as [FloatRun, FloatRun, FloatRun];
      return (values, errors) => (c(values, errors) === true ? a(values, errors) : b(values, errors));
    }
    return (values, errors) => {
      let i = 0;
      for (; i + 1 < args.length; i += 2) if (args[i]!(values, errors) === true) return args[i + 1]!(values, errors);
      return args[i]!(values, errors);
    };
  },
  floatSource: (args, out, node) => {
    // Only the taken branch is emitted into its block; a number carries its bound out.
    const numeric = node.type.kind === 'number';
    const r = out.local();
    const e = numeric ? out.local() : '0';
    const take = (arg: FloatSourceArg) => {
      const x = arg.emit();
      out.line(`${r} = ${x.value};`);
      if (numeric) out.line(`${e} = ${x.error};`);
    };
    let i = 0;
    for (; i + 1 < args.length; i += 2) {
      const condition = args[i]!.emit();
      out.line(`if (${condition.value} === true) {`);
      take(args[i + 1]!);
      out.line('} else {');
    }
    take(args[i]!);
    for (let j = 0; j + 1 < args.length; j += 2) out.line('}');
    return { value: r, error: e };
  },
  wording: { vi: 'nếu', en: 'if' },
  guide: {
    meaning: { vi: 'Nếu điều kiện đúng thì giá trị thứ nhất, ngược lại (nếu …) giá trị sau; số đối số lẻ', en: 'If the condition holds the first value, otherwise (if …) the next; an odd number of arguments' },
    example: '{"if": [{">=": [{"var": "ty_le"}, 95]}, {"var": "max_points"}, 0]}',
  },
  math: { form: 'custom', precedence: 0, render: renderIf },
  explain: { form: 'custom', precedence: 0, render: renderIf, valueOnly: true },
});
