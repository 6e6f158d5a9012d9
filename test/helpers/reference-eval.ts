/**
 * A reference evaluator of the formula language, written for the tests
 * without the engine's code: JSON-Logic over BigInt fractions
 * (exact-reference.ts), dates as ISO strings, months of lateness counted
 * by stepping whole months. Throws RefFailure where a formula has no value
 * (division by zero, a null date in arithmetic).
 */
import * as F from './exact-reference.js';

export type RefValue = F.Frac | boolean | string | null | readonly string[];

export class RefFailure extends Error {}

const isFrac = (v: RefValue): v is F.Frac => typeof v === 'object' && v !== null && !Array.isArray(v) && 'n' in (v as object);

function num(v: RefValue): F.Frac {
  if (!isFrac(v)) throw new RefFailure(`not a number: ${JSON.stringify(v)}`);
  return v;
}

function daysIn(year: number, month: number): number {
  return [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** The deadline moved by m months, on the same day or the month's last day. */
function plusMonths(iso: string, m: number): string {
  const [y, mo, d] = iso.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (mo - 1) + m;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, daysIn(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Every started month counts: 0 on or before the deadline, 1 up to one month late, and so on. */
export function refMonthsLate(done: string, deadline: string): number {
  if (done <= deadline) return 0;
  let months = 1;
  while (plusMonths(deadline, months) < done) months++;
  return months;
}

function compare(a: RefValue, b: RefValue): number {
  if (isFrac(a) && isFrac(b)) return F.cmp(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new RefFailure('cannot compare');
}

function same(a: RefValue, b: RefValue): boolean {
  if (isFrac(a) && isFrac(b)) return F.cmp(a, b) === 0;
  return a === b;
}

export function refEval(formula: unknown, env: Record<string, RefValue>): RefValue {
  if (typeof formula === 'number') return F.fromNumber(formula);
  if (formula === null || typeof formula === 'string' || typeof formula === 'boolean') return formula;
  if (Array.isArray(formula)) return formula as string[];
  const [op, raw] = Object.entries(formula as Record<string, unknown>)[0]!;
  const args = Array.isArray(raw) ? raw : [raw];
  const ev = (i: number) => refEval(args[i], env);
  switch (op) {
    case 'var':
      if (!Object.hasOwn(env, args[0] as string)) throw new Error(`unbound ${String(args[0])}`);
      return env[args[0] as string]!;
    case '+':
      return args.map((_, i) => num(ev(i))).reduce(F.add);
    case '-':
      return args.length === 1 ? F.sub(F.frac(0n), num(ev(0))) : F.sub(num(ev(0)), num(ev(1)));
    case '*':
      return args.map((_, i) => num(ev(i))).reduce(F.mul);
    case '/': {
      const a = num(ev(0));
      const b = num(ev(1));
      if (F.isZero(b)) throw new RefFailure('division by zero');
      return F.div(a, b);
    }
    case 'min':
      return args.map((_, i) => num(ev(i))).reduce((a, b) => (F.cmp(b, a) < 0 ? b : a));
    case 'max':
      return args.map((_, i) => num(ev(i))).reduce((a, b) => (F.cmp(b, a) > 0 ? b : a));
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const values = args.map((_, i) => ev(i));
      const ok = (c: number) => (op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0);
      for (let i = 0; i + 1 < values.length; i++) if (!ok(compare(values[i]!, values[i + 1]!))) return false;
      return true;
    }
    case '==':
    case '===':
      return same(ev(0), ev(1));
    case '!=':
    case '!==':
      return !same(ev(0), ev(1));
    case '!':
      return ev(0) !== true;
    case 'and':
      for (let i = 0; i < args.length; i++) if (ev(i) !== true) return false;
      return true;
    case 'or':
      for (let i = 0; i < args.length; i++) if (ev(i) === true) return true;
      return false;
    case 'if': {
      let i = 0;
      for (; i + 1 < args.length; i += 2) if (ev(i) === true) return ev(i + 1);
      return ev(i);
    }
    case 'in':
      return (ev(1) as string[]).includes(ev(0) as string);
    case 'months_late': {
      const done = ev(0);
      const deadline = ev(1);
      if (typeof done !== 'string' || typeof deadline !== 'string') throw new RefFailure('null date');
      return F.frac(BigInt(refMonthsLate(done, deadline)));
    }
    default:
      throw new Error(`the reference does not know ${op}`);
  }
}

/** A reported value as the reference reads it (JSON mode). */
export function refRead(type: string, raw: unknown, ifTotalZero?: number): RefValue {
  if (type === 'percent' || type === 'count') return F.fromNumber(raw as number);
  if (type === 'ratio') {
    const { achieved, total } = raw as { achieved: number; total: number };
    return total === 0 ? F.fromNumber(ifTotalZero!) : F.frac(BigInt(achieved) * 100n, BigInt(total));
  }
  return raw as RefValue;
}

/** The points of a formula's value: clamped to [0, max] when asked, then rounded. */
export function refPoints(value: F.Frac, max: F.Frac, clamp: boolean, decimals: number, mode: F.Mode): F.Frac {
  const clamped = !clamp ? value : F.cmp(value, F.frac(0n)) < 0 ? F.frac(0n) : F.cmp(value, max) > 0 ? max : value;
  return F.round(clamped, decimals, mode);
}
