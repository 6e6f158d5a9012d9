/** Ordering (< ≤ > ≥, numbers or dates) and equality (numbers, dates, choices, null). */
import { EvalFailure, isNumber, type Value, type ValueType } from '../../compile/values.js';
import { bound, compareAny, compareAnySource, sameAny, sameAnySource } from '../bounded.js';
import { defineOperator, expressions, type ExactRun, type FloatRun, type TypeComplaint } from '../operator.js';
import { complain, kindVi } from '../wording.js';

function compareValues(a: Value, b: Value): number {
  if (isNumber(a) && isNumber(b)) return a.compare(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new EvalFailure('eval.no-value', {
    vi: `không so sánh được ${JSON.stringify(a)} với ${JSON.stringify(b)}`,
    en: `cannot compare ${JSON.stringify(a)} with ${JSON.stringify(b)}`,
  });
}

function sameValue(a: Value, b: Value): boolean {
  if (isNumber(a) && isNumber(b)) return a.equals(b);
  return a === b;
}

/** The test on a comparison's −1/0/1 as a closure, and as source (the same relation against 0). */
type Relation = '< 0' | '<= 0' | '> 0' | '>= 0';

function ordering(name: '<' | '<=' | '>' | '>=', symbol: string, wording: { vi: string; en: string }, test: (c: number) => boolean, relation: Relation, meaning: { vi: string; en: string }) {
  const between = name === '<' || name === '<=';
  const rendering = { form: 'infix' as const, precedence: 3, symbol: { vi: symbol, en: symbol }, comparison: true };
  return defineOperator({
    name,
    group: 'comparison',
    arity: { min: 2, max: between ? 3 : 2 },
    argument: expressions,
    typeOf: (args: readonly ValueType[]) => {
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
    // Every argument is evaluated before comparing (one may fail), in both evaluations.
    exact: (args: readonly ExactRun[]) => {
      if (args.length === 2) {
        const [a, b] = args as [ExactRun, ExactRun];
        return (env) => test(compareValues(a(env), b(env)));
      }
      return (env) => {
        const values = args.map((run) => run(env));
        for (let i = 0; i + 1 < values.length; i++) if (!test(compareValues(values[i]!, values[i + 1]!))) return false;
        return true;
      };
    },
    float: (args: readonly FloatRun[]) => {
      if (args.length === 2) {
        const [a, b] = args as [FloatRun, FloatRun];
        return (values, errors) => {
          const x = a(values, errors);
          const ex = bound.err;
          const y = b(values, errors);
          return test(compareAny(x, ex, y, bound.err));
        };
      }
      const [a, b, c] = args as [FloatRun, FloatRun, FloatRun];
      return (values, errors) => {
        const x = a(values, errors);
        const ex = bound.err;
        const y = b(values, errors);
        const ey = bound.err;
        const z = c(values, errors);
        const ez = bound.err;
        return test(compareAny(x, ex, y, ey)) && test(compareAny(y, ey, z, ez));
      };
    },
    floatSource: (args, out) => {
      // Every argument first (as the closures do), then the comparisons in order; the second only when the first holds.
      const codes = args.map((arg) => arg.emit());
      const r = out.local();
      const first = compareAnySource(out, codes[0]!, codes[1]!);
      if (codes.length === 2) {
        out.line(`${r} = ${first} ${relation};`);
        return { value: r, error: '0' };
      }
      out.line(`${r} = ${first} ${relation};`);
      out.line(`if (${r}) {`);
      const second = compareAnySource(out, codes[1]!, codes[2]!);
      out.line(`${r} = ${second} ${relation};`);
      out.line('}');
      return { value: r, error: '0' };
    },
    wording,
    guide: { meaning, example: between ? `{"${name}": [0, {"var": "ty_le"}, 50]}` : `{"${name}": [{"var": "ty_le"}, {"var": "nguong"}]}` },
    math: rendering,
    explain: rendering,
  });
}

export const less = ordering('<', '<', { vi: 'nhỏ hơn', en: 'is less than' }, (c) => c < 0, '< 0', { vi: 'Nhỏ hơn (số hoặc ngày); ba đối số: nằm giữa, không kể hai đầu', en: 'Less than (numbers or dates); three arguments: strictly between' });
export const atMost = ordering('<=', '≤', { vi: 'nhỏ hơn hoặc bằng', en: 'is at most' }, (c) => c <= 0, '<= 0', { vi: 'Nhỏ hơn hoặc bằng; ba đối số: nằm giữa, kể cả hai đầu', en: 'At most; three arguments: between, ends included' });
export const greater = ordering('>', '>', { vi: 'lớn hơn', en: 'is greater than' }, (c) => c > 0, '> 0', { vi: 'Lớn hơn (số hoặc ngày)', en: 'Greater than (numbers or dates)' });
export const atLeast = ordering('>=', '≥', { vi: 'lớn hơn hoặc bằng', en: 'is at least' }, (c) => c >= 0, '>= 0', { vi: 'Lớn hơn hoặc bằng (số hoặc ngày)', en: 'At least (numbers or dates)' });

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
  return complain(`Không so sánh bằng được ${kindVi(a)} với ${kindVi(b)}.`, `Cannot test ${a.kind} for equality with ${b.kind}.`);
}

function equality(name: '==' | '!=' | '===' | '!==', negate: boolean, wording: { vi: string; en: string }, meaning: { vi: string; en: string }) {
  const symbol = negate ? '≠' : '=';
  const rendering = { form: 'infix' as const, precedence: 3, symbol: { vi: symbol, en: symbol }, comparison: true };
  return defineOperator({
    name,
    group: 'comparison',
    arity: { min: 2, max: 2 },
    argument: expressions,
    typeOf: (args: readonly ValueType[]) => comparable(args[0]!, args[1]!) ?? { kind: 'boolean' },
    exact: (args: readonly ExactRun[]) => {
      const [a, b] = args as [ExactRun, ExactRun];
      return (env) => sameValue(a(env), b(env)) !== negate;
    },
    float: (args: readonly FloatRun[]) => {
      const [a, b] = args as [FloatRun, FloatRun];
      return (values, errors) => {
        const x = a(values, errors);
        const ex = bound.err;
        const y = b(values, errors);
        return sameAny(x, ex, y, bound.err) !== negate;
      };
    },
    floatSource: ([a, b], out) => {
      const x = a!.emit();
      const y = b!.emit();
      const same = sameAnySource(out, x, y);
      if (!negate) return { value: same, error: '0' };
      const r = out.local();
      out.line(`${r} = !${same};`);
      return { value: r, error: '0' };
    },
    wording,
    guide: { meaning, example: negate ? `{"${name}": [{"var": "ngay_ban_hanh"}, null]}` : `{"${name}": [{"var": "muc_bo_tri"}, "dai_hoc"]}` },
    math: rendering,
    explain: rendering,
  });
}

export const equals = equality('==', false, { vi: 'bằng', en: 'equals' }, { vi: 'Bằng (số, ngày, mức lựa chọn, null = chưa ban hành)', en: 'Equals (numbers, dates, options, null = not issued)' });
export const differs = equality('!=', true, { vi: 'khác', en: 'differs from' }, { vi: 'Khác', en: 'Differs from' });
export const strictEquals = equality('===', false, { vi: 'bằng', en: 'equals' }, { vi: 'Như "=="', en: 'Same as "=="' });
export const strictDiffers = equality('!==', true, { vi: 'khác', en: 'differs from' }, { vi: 'Như "!="', en: 'Same as "!="' });
