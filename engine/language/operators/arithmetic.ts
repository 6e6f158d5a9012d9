/** + − × / min max on exact rationals, and on bounded floats for the fast path. */
import { EvalFailure, isNumber, type Value, type ValueType } from '../../compile/values.js';
import { Rational } from '../../exact/rational.js';
import { add, addSource, bound, divide, divideSource, multiply, multiplySource, subtract, subtractSource } from '../bounded.js';
import { defineOperator, expressions, type ExactRun, type FloatCode, type FloatRun, type FloatSink, type FloatSourceArg } from '../operator.js';
import { allNumbers, commonUnit } from '../wording.js';

export const num = (v: Value): Rational => {
  if (!isNumber(v)) {
    throw new EvalFailure('eval.no-value', {
      vi: `cần một số nhưng nhận được ${v === null ? 'giá trị trống (null)' : JSON.stringify(v)}`,
      en: `expected a number but got ${v === null ? 'null' : JSON.stringify(v)}`,
    });
  }
  return v;
};

type Fold = (a: number, ea: number, b: number, eb: number) => number;
type NumRun = (values: unknown[], errors: Float64Array) => number;

/**
 * The arguments of an arithmetic operator are type-checked numbers, and the
 * fast path only fills number slots with numbers, so they return numbers (a
 * non-number could only come from a bug, and would give NaN, which no
 * decision accepts as certain).
 */
const numeric = (run: FloatRun): NumRun => run as NumRun;

/** Left fold of exact values. */
function exactFold(args: readonly ExactRun[], fold: (a: Rational, b: Rational) => Rational): ExactRun {
  if (args.length === 2) {
    const [a, b] = args as [ExactRun, ExactRun];
    return (env) => fold(num(a(env)), num(b(env)));
  }
  return (env) => {
    let x = num(args[0]!(env));
    for (let i = 1; i < args.length; i++) x = fold(x, num(args[i]!(env)));
    return x;
  };
}

/** Left fold of bounded floats: each step's bound is set by the fold itself. */
function floatFold(args: readonly FloatRun[], fold: Fold): FloatRun {
  const runs = args.map(numeric);
  if (runs.length === 2) {
    const [a, b] = runs as [ReturnType<typeof numeric>, ReturnType<typeof numeric>];
    return (values, errors) => {
      const x = a(values, errors);
      const ex = bound.err;
      const y = b(values, errors);
      return fold(x, ex, y, bound.err);
    };
  }
  return (values, errors) => {
    let x = runs[0]!(values, errors);
    for (let i = 1; i < runs.length; i++) {
      const ex = bound.err;
      const y = runs[i]!(values, errors);
      x = fold(x, ex, y, bound.err);
    }
    return x;
  };
}

/** Left fold as source: arguments emitted in order, each step the fold's template. */
function sourceFold(args: readonly FloatSourceArg[], out: FloatSink, fold: (out: FloatSink, a: FloatCode, b: FloatCode) => FloatCode): FloatCode {
  let x = args[0]!.emit();
  for (let i = 1; i < args.length; i++) x = fold(out, x, args[i]!.emit());
  return x;
}

const numbersOf = (name: string, unit: (args: readonly ValueType[]) => ValueType) => (args: readonly ValueType[]) => {
  const bad = allNumbers(args, name);
  return bad.length ? bad : unit(args);
};

export const plus = defineOperator({
  name: '+',
  group: 'arithmetic',
  arity: { min: 1, max: Infinity },
  argument: expressions,
  typeOf: numbersOf('+', (args) => ({ kind: 'number', unit: commonUnit(args) })),
  exact: (args) => (args.length === 1 ? (env) => num(args[0]!(env)) : exactFold(args, (a, b) => a.add(b))),
  float: (args) => (args.length === 1 ? numeric(args[0]!) : floatFold(args, add)),
  floatSource: (args, out) => sourceFold(args, out, addSource),
  wording: { vi: 'cộng', en: 'plus' },
  guide: { meaning: { vi: 'Tổng các số', en: 'Sum of the numbers' }, example: '{"+": [{"var": "a"}, {"var": "b"}]}' },
  math: { form: 'infix', precedence: 4, symbol: { vi: '+', en: '+' }, associative: true },
  explain: { form: 'infix', precedence: 4, symbol: { vi: '+', en: '+' }, associative: true },
});

const minusMath = {
  form: 'custom' as const,
  precedence: 4,
  // Unary minus binds like "không"; the subtrahend is bracketed when it binds as loosely as "−".
  render: (args: readonly { text: string; precedence: number }[]) =>
    args.length === 1
      ? `−${args[0]!.precedence <= 6 ? `(${args[0]!.text})` : args[0]!.text}`
      : `${args[0]!.precedence < 4 ? `(${args[0]!.text})` : args[0]!.text} − ${args[1]!.precedence <= 4 ? `(${args[1]!.text})` : args[1]!.text}`,
};

export const minus = defineOperator({
  name: '-',
  group: 'arithmetic',
  arity: { min: 1, max: 2 },
  argument: expressions,
  typeOf: numbersOf('-', (args) => ({ kind: 'number', unit: commonUnit(args) })),
  exact: (args) => {
    const [a, b] = args as [ExactRun, ExactRun | undefined];
    return b ? (env) => num(a(env)).sub(num(b(env))) : (env) => num(a(env)).neg();
  },
  float: (args) => {
    const [a, b] = args.map(numeric) as [ReturnType<typeof numeric>, ReturnType<typeof numeric> | undefined];
    if (!b) return (values, errors) => -a(values, errors); // the bound is unchanged
    return (values, errors) => {
      const x = a(values, errors);
      const ex = bound.err;
      const y = b(values, errors);
      return subtract(x, ex, y, bound.err);
    };
  },
  floatSource: ([a, b], out) => {
    const x = a!.emit();
    if (!b) {
      const r = out.local();
      out.line(`${r} = -${x.value};`);
      return { value: r, error: x.error }; // the bound is unchanged
    }
    return subtractSource(out, x, b.emit());
  },
  wording: { vi: 'trừ', en: 'minus' },
  guide: { meaning: { vi: 'Hiệu hai số; một đối số: số đối', en: 'Difference; with one argument, the negation' }, example: '{"-": [{"var": "max_points"}, 1]}' },
  math: minusMath,
  explain: minusMath,
});

export const times = defineOperator({
  name: '*',
  group: 'arithmetic',
  arity: { min: 2, max: Infinity },
  argument: expressions,
  typeOf: numbersOf('*', (args) => {
    const units = args.map((t) => (t.kind === 'number' ? t.unit : 'plain')).filter((u) => u !== 'plain');
    return { kind: 'number', unit: units.length === 1 ? units[0]! : 'plain' };
  }),
  exact: (args) => exactFold(args, (a, b) => a.mul(b)),
  float: (args) => floatFold(args, multiply),
  floatSource: (args, out) => sourceFold(args, out, multiplySource),
  wording: { vi: 'nhân', en: 'times' },
  guide: { meaning: { vi: 'Tích các số', en: 'Product of the numbers' }, example: '{"*": [{"/": [{"var": "ty_le"}, 95]}, 4]}' },
  math: { form: 'infix', precedence: 5, symbol: { vi: '×', en: '×' }, associative: true },
  explain: { form: 'infix', precedence: 5, symbol: { vi: '×', en: '×' }, associative: true },
});

export const divided = defineOperator({
  name: '/',
  group: 'arithmetic',
  arity: { min: 2, max: 2 },
  argument: expressions,
  typeOf: numbersOf('/', () => ({ kind: 'number', unit: 'plain' })),
  exact: (args) => {
    const [a, b] = args as [ExactRun, ExactRun];
    return (env) => {
      const dividend = num(a(env));
      const divisor = num(b(env));
      if (divisor.isZero()) {
        throw new EvalFailure('eval.division-by-zero', {
          vi: `chia cho 0 (${dividend.toString()} / 0)`,
          en: `division by zero (${dividend.toString()} / 0)`,
        });
      }
      return dividend.div(divisor);
    };
  },
  float: (args) => floatFold(args, divide),
  floatSource: (args, out) => sourceFold(args, out, divideSource),
  wording: { vi: 'chia', en: 'divided by' },
  guide: { meaning: { vi: 'Thương hai số; chia cho 0 là lỗi số liệu, không bao giờ ra 0', en: 'Quotient; dividing by 0 is a data error, never 0' }, example: '{"/": [{"var": "ty_le"}, 30]}' },
  math: { form: 'infix', precedence: 5, symbol: { vi: '/', en: '/' } },
  explain: { form: 'infix', precedence: 5, symbol: { vi: '/', en: '/' } },
});

function extremum(name: 'min' | 'max', pick: (a: Rational, b: Rational) => Rational, pickFloat: (a: number, b: number) => number, words: { vi: string; en: string }, meaning: { vi: string; en: string }, example: string) {
  return defineOperator({
    name,
    group: 'arithmetic',
    arity: { min: 1, max: Infinity },
    argument: expressions,
    typeOf: numbersOf(name, (args) => ({ kind: 'number', unit: commonUnit(args) })),
    exact: (args) => (args.length === 1 ? (env) => num(args[0]!(env)) : exactFold(args, pick)),
    float: (args) => {
      // |min(F) − min(X)| ≤ the largest bound.
      const runs = args.map(numeric);
      return (values, errors) => {
        let x = runs[0]!(values, errors);
        let largest = bound.err;
        for (let i = 1; i < runs.length; i++) {
          const y = runs[i]!(values, errors);
          if (bound.err > largest) largest = bound.err;
          x = pickFloat(x, y);
        }
        bound.err = largest;
        return x;
      };
    },
    floatSource: (args, out) => {
      const first = args[0]!.emit();
      if (args.length === 1) return first;
      const x = out.local();
      const largest = out.local();
      out.line(`${x} = ${first.value};`);
      out.line(`${largest} = ${first.error};`);
      for (let i = 1; i < args.length; i++) {
        const y = args[i]!.emit();
        out.line(`if (${y.error} > ${largest}) ${largest} = ${y.error};`);
        out.line(`${x} = Math.${name}(${x}, ${y.value});`);
      }
      return { value: x, error: largest };
    },
    wording: words,
    guide: { meaning, example },
    math: { form: 'function', name: { vi: name, en: name } },
    explain: { form: 'function', name: { vi: name === 'min' ? 'nhỏ nhất' : 'lớn nhất', en: name }, ownStep: true },
  });
}

export const min = extremum('min', (a, b) => (b.compare(a) < 0 ? b : a), Math.min, { vi: 'nhỏ nhất của', en: 'least of' }, { vi: 'Số nhỏ nhất (ví dụ để không vượt điểm chuẩn)', en: 'The least number (e.g. capping at the maximum)' }, '{"min": [{"var": "max_points"}, {"*": [{"var": "so_luong"}, 0.5]}]}');
export const max = extremum('max', (a, b) => (b.compare(a) > 0 ? b : a), Math.max, { vi: 'lớn nhất của', en: 'greatest of' }, { vi: 'Số lớn nhất (ví dụ để không xuống dưới 0)', en: 'The greatest number (e.g. a floor at 0)' }, '{"max": [0, {"-": [{"var": "max_points"}, {"var": "so_lan_tre"}]}]}');
