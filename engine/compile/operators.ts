/**
 * The whitelist of JSON-Logic operators a formula may use: one entry per
 * operator, saying how it is typed, how it evaluates on exact decimals, how
 * it reads in Vietnamese and how it renders as math. Anything not in this
 * table is rejected when the criteria are validated.
 *
 * The table is ours, not json-logic-js's process-global one, so another
 * library registering operations cannot change how awards are computed.
 */
import { Decimal } from '../decimal.js';
import type { Localized } from '../problems.js';
import { monthsLate } from './dates.js';
import { EvalFailure, isDecimal, type NumberUnit, type Value, type ValueType } from './values.js';

export type OperatorName =
  | 'var'
  | '+'
  | '-'
  | '*'
  | '/'
  | 'min'
  | 'max'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | '==='
  | '!=='
  | '!'
  | 'and'
  | 'or'
  | 'if'
  | 'in'
  | 'months_late';

/** A type error found while compiling; the compiler adds the location. */
export interface TypeComplaint {
  argIndex?: number;
  message: Localized;
  /** Set when the complaint is a misspelt choice option rather than a type mismatch. */
  unknownOption?: true;
}

export interface OperatorSpec {
  name: OperatorName;
  minArgs: number;
  maxArgs: number;
  /** if/and/or evaluate their arguments lazily; the evaluators special-case them. */
  lazy?: boolean;
  /** The result type, or complaints about the argument types. */
  typeOf(args: readonly ValueType[]): ValueType | TypeComplaint[];
  /** Evaluate on already evaluated arguments (not used for lazy operators). */
  apply(args: readonly Value[]): Value;
  /** How the operator reads in a sentence. */
  reading: Localized;
  /** Binding strength for parenthesising rendered math (higher binds tighter). */
  precedence: number;
  /** Infix symbol when rendered as math, or undefined for function style. */
  symbol?: string;
}

const num = (v: Value): Decimal => {
  if (!isDecimal(v)) {
    throw new EvalFailure('eval.no-value', {
      vi: `cần một số nhưng nhận được ${v === null ? 'giá trị trống (null)' : JSON.stringify(v)}`,
      en: `expected a number but got ${v === null ? 'null' : JSON.stringify(v)}`,
    });
  }
  return v;
};

function complain(vi: string, en: string, argIndex?: number): TypeComplaint[] {
  return [{ message: { vi, en }, ...(argIndex === undefined ? {} : { argIndex }) }];
}

function allNumbers(args: readonly ValueType[], opName: string): TypeComplaint[] {
  const bad: TypeComplaint[] = [];
  args.forEach((t, i) => {
    if (t.kind !== 'number') {
      bad.push({
        argIndex: i,
        message: {
          vi: `Toán tử "${opName}" chỉ dùng với số; đối số thứ ${i + 1} là ${kindVi(t)}.`,
          en: `Operator "${opName}" takes numbers only; argument ${i + 1} is ${t.kind}.`,
        },
      });
    }
  });
  return bad;
}

function kindVi(t: ValueType): string {
  switch (t.kind) {
    case 'number':
      return 'số';
    case 'boolean':
      return 'giá trị đúng/sai';
    case 'choice':
      return 'một lựa chọn';
    case 'string':
      return 'chuỗi chữ';
    case 'date':
      return 'ngày';
    case 'null':
      return 'null';
    case 'list':
      return 'danh sách';
  }
}

/** The unit a sum or min/max keeps when all its numbers share one. */
function commonUnit(args: readonly ValueType[]): NumberUnit {
  const units = new Set(args.map((t) => (t.kind === 'number' ? t.unit : 'plain')));
  return units.size === 1 ? [...units][0]! : 'plain';
}

function arithmetic(name: '+' | '*', precedence: number, reading: Localized, fold: (a: Decimal, b: Decimal) => Decimal, unit: (args: readonly ValueType[]) => NumberUnit): OperatorSpec {
  return {
    name,
    minArgs: name === '+' ? 1 : 2,
    maxArgs: Infinity,
    typeOf: (args) => {
      const bad = allNumbers(args, name);
      return bad.length ? bad : { kind: 'number', unit: unit(args) };
    },
    apply: (args) => args.map(num).reduce(fold),
    reading,
    precedence,
    symbol: name === '*' ? '×' : '+',
  };
}

function ordering(name: '<' | '<=' | '>' | '>=', symbol: string, reading: Localized, test: (c: number) => boolean): OperatorSpec {
  const between = name === '<' || name === '<=';
  return {
    name,
    minArgs: 2,
    maxArgs: between ? 3 : 2,
    typeOf: (args) => {
      const kinds = new Set(args.map((t) => t.kind));
      if (kinds.size === 1 && (kinds.has('number') || kinds.has('date'))) {
        if (kinds.has('date') && args.some((t) => t.kind === 'date' && t.nullable)) {
          return complain(
            `So sánh "${name}" với một ngày có thể trống (chưa ban hành): kiểm tra null trước, ví dụ {"if": [{"==": [{"var": "ngay"}, null]}, 0, ...]}.`,
            `Comparing "${name}" with a date that may be null: test for null first.`,
          );
        }
        return { kind: 'boolean' };
      }
      return complain(
        `Toán tử "${name}" so sánh hai số hoặc hai ngày; ở đây là ${args.map(kindVi).join(' và ')}.`,
        `Operator "${name}" compares two numbers or two dates; got ${args.map((t) => t.kind).join(' and ')}.`,
      );
    },
    apply: (args) => {
      for (let i = 0; i + 1 < args.length; i++) {
        if (!test(compareValues(args[i]!, args[i + 1]!))) return false;
      }
      return true;
    },
    reading,
    precedence: 3,
    symbol,
  };
}

function compareValues(a: Value, b: Value): number {
  if (isDecimal(a) && isDecimal(b)) return a.comparedTo(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new EvalFailure('eval.no-value', {
    vi: `không so sánh được ${JSON.stringify(a)} với ${JSON.stringify(b)}`,
    en: `cannot compare ${JSON.stringify(a)} with ${JSON.stringify(b)}`,
  });
}

function sameValue(a: Value, b: Value): boolean {
  if (isDecimal(a) && isDecimal(b)) return a.equals(b);
  return a === b;
}

/** Can a value of type a be tested for equality with one of type b? */
function comparable(a: ValueType, b: ValueType): TypeComplaint[] | undefined {
  if (a.kind === 'null' || b.kind === 'null') {
    const other = a.kind === 'null' ? b : a;
    if (other.kind === 'date' && other.nullable) return undefined;
    if (other.kind === 'null') return undefined;
    return complain(
      `Chỉ so sánh với null những ngày được phép trống (none_allowed: true); ở đây là ${kindVi(other)}.`,
      `Only dates declared none_allowed can be compared with null; got ${other.kind}.`,
    );
  }
  if (a.kind === 'choice' || b.kind === 'choice') {
    const choice = (a.kind === 'choice' ? a : b) as Extract<ValueType, { kind: 'choice' }>;
    const other = a.kind === 'choice' ? b : a;
    if (other.kind === 'string' && other.literal !== undefined) {
      if (choice.options.includes(other.literal)) return undefined;
      return complain(
        `"${other.literal}" không phải là một mức của lựa chọn; các mức: ${choice.options.join(', ')}.`,
        `"${other.literal}" is not an option; options: ${choice.options.join(', ')}.`,
        a.kind === 'choice' ? 1 : 0,
      ).map((c): TypeComplaint => ({ ...c, unknownOption: true }));
    }
    if (other.kind === 'choice') return undefined;
  }
  if (a.kind === b.kind && a.kind !== 'list') return undefined;
  return complain(
    `Không so sánh bằng được ${kindVi(a)} với ${kindVi(b)}.`,
    `Cannot test ${a.kind} for equality with ${b.kind}.`,
  );
}

function equality(name: '==' | '!=' | '===' | '!==', negate: boolean, reading: Localized): OperatorSpec {
  return {
    name,
    minArgs: 2,
    maxArgs: 2,
    typeOf: (args) => comparable(args[0]!, args[1]!) ?? { kind: 'boolean' },
    apply: (args) => sameValue(args[0]!, args[1]!) !== negate,
    reading,
    precedence: 3,
    symbol: negate ? '≠' : '=',
  };
}

function logical(name: 'and' | 'or', reading: Localized, precedence: number, symbol: string): OperatorSpec {
  return {
    name,
    minArgs: 1,
    maxArgs: Infinity,
    lazy: true,
    typeOf: (args) => {
      const bad = args.flatMap((t, i) =>
        t.kind === 'boolean'
          ? []
          : complain(
              `"${name}" chỉ nối các điều kiện đúng/sai; đối số thứ ${i + 1} là ${kindVi(t)}.`,
              `"${name}" joins true/false conditions only; argument ${i + 1} is ${t.kind}.`,
              i,
            ),
      );
      return bad.length ? bad : { kind: 'boolean' };
    },
    apply: () => {
      throw new Error(`${name} is lazy`);
    },
    reading,
    precedence,
    symbol,
  };
}

const SPECS: OperatorSpec[] = [
  {
    name: 'var',
    minArgs: 1,
    maxArgs: 1,
    // Resolved by the compiler against declared inputs and parameters.
    typeOf: () => complain('var được trình biên dịch xử lý', 'var is resolved by the compiler'),
    apply: () => {
      throw new Error('var is compiled to a slot');
    },
    reading: { vi: 'giá trị của', en: 'value of' },
    precedence: 9,
  },
  arithmetic('+', 4, { vi: 'cộng', en: 'plus' }, (a, b) => a.plus(b), commonUnit),
  {
    name: '-',
    minArgs: 1,
    maxArgs: 2,
    typeOf: (args) => {
      const bad = allNumbers(args, '-');
      return bad.length ? bad : { kind: 'number', unit: commonUnit(args) };
    },
    apply: (args) => (args.length === 1 ? num(args[0]!).negated() : num(args[0]!).minus(num(args[1]!))),
    reading: { vi: 'trừ', en: 'minus' },
    precedence: 4,
    symbol: '−',
  },
  arithmetic('*', 5, { vi: 'nhân', en: 'times' }, (a, b) => a.times(b), (args) => {
    const units = args.map((t) => (t.kind === 'number' ? t.unit : 'plain')).filter((u) => u !== 'plain');
    return units.length === 1 ? units[0]! : 'plain';
  }),
  {
    name: '/',
    minArgs: 2,
    maxArgs: 2,
    typeOf: (args) => {
      const bad = allNumbers(args, '/');
      return bad.length ? bad : { kind: 'number', unit: 'plain' };
    },
    apply: (args) => {
      const divisor = num(args[1]!);
      if (divisor.isZero()) {
        throw new EvalFailure('eval.division-by-zero', {
          vi: `chia cho 0 (${num(args[0]!).toString()} / 0)`,
          en: `division by zero (${num(args[0]!).toString()} / 0)`,
        });
      }
      return num(args[0]!).dividedBy(divisor);
    },
    reading: { vi: 'chia', en: 'divided by' },
    precedence: 5,
    symbol: '/',
  },
  {
    name: 'min',
    minArgs: 1,
    maxArgs: Infinity,
    typeOf: (args) => {
      const bad = allNumbers(args, 'min');
      return bad.length ? bad : { kind: 'number', unit: commonUnit(args) };
    },
    apply: (args) => Decimal.min(...args.map(num)),
    reading: { vi: 'nhỏ nhất của', en: 'least of' },
    precedence: 9,
  },
  {
    name: 'max',
    minArgs: 1,
    maxArgs: Infinity,
    typeOf: (args) => {
      const bad = allNumbers(args, 'max');
      return bad.length ? bad : { kind: 'number', unit: commonUnit(args) };
    },
    apply: (args) => Decimal.max(...args.map(num)),
    reading: { vi: 'lớn nhất của', en: 'greatest of' },
    precedence: 9,
  },
  ordering('<', '<', { vi: 'nhỏ hơn', en: 'is less than' }, (c) => c < 0),
  ordering('<=', '≤', { vi: 'nhỏ hơn hoặc bằng', en: 'is at most' }, (c) => c <= 0),
  ordering('>', '>', { vi: 'lớn hơn', en: 'is greater than' }, (c) => c > 0),
  ordering('>=', '≥', { vi: 'lớn hơn hoặc bằng', en: 'is at least' }, (c) => c >= 0),
  equality('==', false, { vi: 'bằng', en: 'equals' }),
  equality('!=', true, { vi: 'khác', en: 'differs from' }),
  equality('===', false, { vi: 'bằng', en: 'equals' }),
  equality('!==', true, { vi: 'khác', en: 'differs from' }),
  {
    name: '!',
    minArgs: 1,
    maxArgs: 1,
    typeOf: (args) =>
      args[0]!.kind === 'boolean'
        ? { kind: 'boolean' }
        : complain(`"!" (phủ định) chỉ dùng với điều kiện đúng/sai; ở đây là ${kindVi(args[0]!)}.`, `"!" negates a true/false condition only; got ${args[0]!.kind}.`, 0),
    apply: (args) => args[0] !== true,
    reading: { vi: 'không', en: 'not' },
    precedence: 6,
    symbol: 'không ',
  },
  logical('and', { vi: 'và', en: 'and' }, 2, 'và'),
  logical('or', { vi: 'hoặc', en: 'or' }, 1, 'hoặc'),
  {
    name: 'if',
    minArgs: 3,
    maxArgs: 41,
    lazy: true,
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
          ...complain(
            `Các nhánh của "if" phải cùng loại; ở đây có ${[...new Set(results.map(kindVi))].join(', ')}.`,
            `All branches of "if" must have one type; got ${[...kinds].join(', ')}.`,
          ),
        );
      }
      if (complaints.length) return complaints;
      const first = results[0]!;
      return first.kind === 'number' ? { kind: 'number', unit: commonUnit(results) } : first;
    },
    apply: () => {
      throw new Error('if is lazy');
    },
    reading: { vi: 'nếu', en: 'if' },
    precedence: 0,
  },
  {
    name: 'in',
    minArgs: 2,
    maxArgs: 2,
    typeOf: (args) => {
      const [needle, list] = args as [ValueType, ValueType];
      if (needle.kind !== 'choice' || list.kind !== 'list') {
        return complain(
          '"in" dùng dạng {"in": [{"var": "lua_chon"}, ["muc_a", "muc_b"]]}.',
          '"in" takes the form {"in": [{"var": "choice"}, ["option_a", "option_b"]]}.',
        );
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
    apply: (args) => (args[1] as readonly string[]).includes(args[0] as string),
    reading: { vi: 'thuộc', en: 'is one of' },
    precedence: 3,
    symbol: '∈',
  },
  {
    name: 'months_late',
    minArgs: 2,
    maxArgs: 2,
    typeOf: (args) => {
      if (args.every((t) => t.kind === 'date')) return { kind: 'number', unit: 'months' };
      return complain(
        '"months_late" cần hai ngày: [ngày thực hiện, hạn chót].',
        '"months_late" takes two dates: [date done, deadline].',
      );
    },
    apply: (args) => {
      const [done, deadline] = args;
      if (typeof done !== 'string' || typeof deadline !== 'string') {
        throw new EvalFailure('eval.no-value', {
          vi: 'không tính được số tháng trễ vì văn bản chưa có ngày ban hành (null); công thức cần xử lý trường hợp chưa ban hành trước',
          en: 'cannot count months late of a document with no date (null); the formula must handle "not issued" first',
        });
      }
      return new Decimal(monthsLate(done, deadline));
    },
    reading: { vi: 'số tháng trễ', en: 'months late' },
    precedence: 9,
  },
];

export const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map(SPECS.map((s) => [s.name, s]));

export const OPERATOR_NAMES: readonly string[] = SPECS.map((s) => s.name);
