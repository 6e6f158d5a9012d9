/**
 * Random well-typed formula trees over every operator of the language, with
 * values and constants chosen to land on rounding boundaries and equalities;
 * each evaluated exactly, on bounded floats and by the BigInt reference, and
 * rounded in every mode. Used by test/random-formulas.test.ts (npm test) and
 * test/integration/random-formulas-large.test.ts.
 */
import { compileFormula, type Scope, type VarBinding } from '../../engine/compile/formula.js';
import { EvalFailure, type Value, type ValueType } from '../../engine/compile/values.js';
import { Rational, ROUNDING_MODES } from '../../engine/exact/rational.js';
import { roundFloat } from '../../engine/evaluate/fast.js';
import { buildExact, buildFloat } from '../../engine/evaluate/walker.js';
import { generateFloat } from '../../engine/evaluate/codegen.js';
import { bound, UNCERTAIN } from '../../engine/language/bounded.js';
import type { FormulaJson } from '../../engine/model.js';
import { random } from '../../scripts/synthetic.js';
import * as F from './exact-reference.js';
import { refEval, RefFailure, type RefValue } from './reference-eval.js';

const CONSTANTS = [0, 1, 2, 3, 4, 6, 10, 30, 95, 100, 0.5, 0.05, 0.1, 0.65, 2.5, 9.85, 1e-7, 7, 0.125, 1.2];
const RATES = [0, 100, 95, 90, 3.25, 4.75, 9.85, 98.5, 98.45, 0.65, 0.5, 33.35, 33.25, 12.5, 0.1, 0.2, 66.66, 1e-7, 50];
const DATES = ['2023-03-30', '2023-03-31', '2023-04-01', '2023-04-30', '2023-05-01', '2024-02-29', '2022-12-31'];
const OPTIONS = ['x', 'y', 'z'];

const NUMBER_OPS = ['+', '+3', '-', 'neg', '*', '/', 'min', 'max', 'if', 'if5', 'months_late'] as const;
const CONDITION_OPS = ['<', '<3', '<=', '<=3', '>', '>=', '==', '!=', '===', '!==', 'choice==', 'choice!=', 'null==', 'null!=', '!', 'and', 'or', 'in', 'date<='] as const;

export interface TreeStats {
  trees: number;
  operators: Map<string, number>;
  /** Values the float path proved (per mode), and those it left to the exact path. */
  floatDecided: number;
  /** Trees run through the generated float function (compared bit for bit with the closures). */
  generated: number;
  floatDeferred: number;
  failures: number;
  ties: number;
}

const BINDINGS: Record<string, ValueType> = {
  a: { kind: 'number', unit: 'percent' },
  b: { kind: 'number', unit: 'percent' },
  c: { kind: 'number', unit: 'count' },
  k: { kind: 'choice', options: OPTIONS },
  ok: { kind: 'boolean' },
  d: { kind: 'date', nullable: true },
  e: { kind: 'date', nullable: false },
  han: { kind: 'date', nullable: false },
};

/** The exact value of a double (not its shortest text): mantissa × 2^exponent. */
function exactDouble(x: number): F.Frac {
  if (x === 0) return F.frac(0n);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const exponent = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let e: number;
  if (exponent === 0) e = -1074;
  else {
    mantissa |= 1n << 52n;
    e = exponent - 1075;
  }
  return e >= 0 ? F.frac(sign * mantissa * (1n << BigInt(e))) : F.frac(sign * mantissa, 1n << BigInt(-e));
}

export function runRandomTrees(count: number, seed: number): { stats: TreeStats; mismatches: string[] } {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const stats: TreeStats = { trees: 0, operators: new Map(), floatDecided: 0, generated: 0, floatDeferred: 0, failures: 0, ties: 0 };
  const mismatches: string[] = [];
  const note = (op: string) => stats.operators.set(op, (stats.operators.get(op) ?? 0) + 1);

  function numberExpr(depth: number): FormulaJson {
    if (depth === 0 || next() < 0.2) {
      const r = next();
      if (r < 0.45) return { var: pick(['a', 'b', 'a']) };
      if (r < 0.55) return { var: 'c' };
      return pick(CONSTANTS);
    }
    const op = pick(NUMBER_OPS);
    const sub = () => numberExpr(depth - 1);
    switch (op) {
      case '+3':
        note('+');
        return { '+': [sub(), sub(), sub()] };
      case 'neg':
        note('-');
        return { '-': [sub()] };
      case 'if':
        note('if');
        return { if: [condition(depth - 1), sub(), sub()] };
      case 'if5':
        note('if');
        return { if: [condition(depth - 1), sub(), condition(depth - 1), sub(), sub()] };
      case 'months_late':
        note('months_late');
        note('var');
        return { months_late: [{ var: pick(['e', 'd']) }, { var: 'han' }] };
      default:
        note(op);
        return { [op]: [sub(), sub()] };
    }
  }

  function condition(depth: number): FormulaJson {
    const op = pick(CONDITION_OPS);
    const n = () => numberExpr(Math.max(0, depth - 1));
    const c = () => condition(Math.max(0, depth - 1));
    switch (op) {
      case '<3':
        note('<');
        return { '<': [n(), n(), n()] };
      case '<=3':
        note('<=');
        return { '<=': [n(), n(), n()] };
      case 'choice==':
        note('==');
        return { '==': [{ var: 'k' }, pick(OPTIONS)] };
      case 'choice!=':
        note('!=');
        return { '!=': [{ var: 'k' }, pick(OPTIONS)] };
      case 'null==':
        note('===');
        return { '===': [{ var: 'd' }, null] };
      case 'null!=':
        note('!==');
        return { '!==': [{ var: 'd' }, null] };
      case '!':
        note('!');
        return next() < 0.5 ? { '!': [{ var: 'ok' }] } : { '!': [c()] };
      case 'and':
      case 'or':
        note(op);
        return { [op]: [c(), c()] };
      case 'in':
        note('in');
        return { in: [{ var: 'k' }, OPTIONS.filter(() => next() < 0.6)] };
      case 'date<=':
        note('<=');
        return { '<=': [{ var: 'e' }, { var: 'han' }] };
      default:
        note(op);
        return { [op]: [n(), n()] };
    }
  }

  const bindings = new Map<string, VarBinding>();
  const scope: Scope = {
    resolve(name) {
      const type = BINDINGS[name];
      if (!type) return undefined;
      let binding = bindings.get(name);
      if (!binding) bindings.set(name, (binding = { name, slot: bindings.size, source: name === 'han' ? 'parameter' : 'input', type, label: name }));
      return binding;
    },
    names: () => Object.keys(BINDINGS),
  };
  // Slots are fixed once: every tree sees the same layout.
  for (const name of Object.keys(BINDINGS)) scope.resolve(name);

  for (let t = 0; t < count; t++) {
    const formula = numberExpr(1 + Math.floor(next() * 4));
    const problems: string[] = [];
    const node = compileFormula(formula, scope, (code, _path, message) => problems.push(`${code}: ${message.en}`));
    if (!node) {
      mismatches.push(`does not compile: ${JSON.stringify(formula)}: ${problems.join('; ')}`);
      continue;
    }
    stats.trees++;
    const raw = { a: pick(RATES), b: next() < 0.7 ? pick(RATES) : Math.round(next() * 1e6) / 1e4, c: Math.floor(next() * 5), k: pick(OPTIONS), ok: next() < 0.5, d: next() < 0.3 ? null : pick(DATES), e: pick(DATES), han: '2023-03-31' };
    const exactEnv: Value[] = [];
    const floatEnv: unknown[] = [];
    const errors = new Float64Array(bindings.size);
    const refEnv: Record<string, RefValue> = {};
    for (const [name, binding] of bindings) {
      const value = raw[name as keyof typeof raw];
      if (typeof value === 'number') {
        exactEnv[binding.slot] = Rational.fromNumber(value);
        floatEnv[binding.slot] = value;
        errors[binding.slot] = Number.isInteger(value) ? 0 : Math.abs(value) * 2 ** -52 + 1e-300;
        refEnv[name] = F.fromNumber(value);
      } else {
        exactEnv[binding.slot] = value as Value;
        floatEnv[binding.slot] = value;
        refEnv[name] = value as RefValue;
      }
    }

    let expected: F.Frac | undefined;
    try {
      expected = refEval(formula, refEnv) as F.Frac;
    } catch (err) {
      if (!(err instanceof RefFailure)) throw err;
    }
    let exact: Rational | undefined;
    try {
      exact = buildExact(node)(exactEnv) as Rational;
    } catch (err) {
      if (!(err instanceof EvalFailure)) throw err;
    }
    const where = () => `${JSON.stringify(formula)} with ${JSON.stringify(raw)}`;
    if (!expected) {
      stats.failures++;
      if (exact) mismatches.push(`exact gives ${exact.toFraction()} where the reference fails: ${where()}`);
    } else if (!exact || exact.toFraction() !== F.text(expected)) {
      mismatches.push(`exact gives ${exact?.toFraction()} not ${F.text(expected)}: ${where()}`);
      continue;
    }

    let float: number | undefined;
    let floatBound = 0;
    const closures = floatOutcome(() => buildFloat(node)(floatEnv, errors));
    if (closures.value !== undefined) {
      float = closures.value;
      floatBound = closures.bound;
    }
    // The generated function: the very same value, bound and deferrals as the closures.
    const generated = generateFloat(node);
    if (!generated) mismatches.push(`not generated: ${where()}`);
    else {
      stats.generated++;
      const outcome = floatOutcome(() => generated.run(floatEnv, errors));
      if (!sameOutcome(outcome, closures)) mismatches.push(`generated ${JSON.stringify(outcome)} but the closures ${JSON.stringify(closures)}: ${where()}\n${generated.source}`);
    }
    if (float !== undefined && !expected) {
      // The float path may compute a number where the exact one fails only if nothing decides on it; scoring checks validity first.
      continue;
    }
    if (float !== undefined && expected) {
      // The bound's promise, checked exactly: |F − X| ≤ E.
      const gap = F.sub(exactDouble(float), expected);
      const magnitude = gap.n < 0n ? F.frac(-gap.n, gap.d) : gap;
      if (F.cmp(magnitude, exactDouble(floatBound)) > 0) mismatches.push(`bound broken: ${float} ± ${floatBound} vs ${F.text(expected)}: ${where()}`);
    }
    if (!expected) continue;
    for (const decimals of [1, 2]) {
      for (const mode of ROUNDING_MODES) {
        const reference = F.round(expected, decimals, mode);
        const got = exact!.round(decimals, mode).toFraction();
        if (got !== F.text(reference)) mismatches.push(`exact rounds ${mode}/${decimals} to ${got} not ${F.text(reference)}: ${where()}`);
        const rest = F.sub(F.mul(expected, F.frac(10n ** BigInt(decimals))), F.frac(0n));
        if (rest.d === 2n) stats.ties++;
        if (float === undefined) continue;
        const decided = roundFloat(float, floatBound, 10 ** decimals, mode);
        if (decided === undefined) stats.floatDeferred++;
        else {
          stats.floatDecided++;
          if (F.text(F.fromNumber(decided)) !== F.text(reference)) mismatches.push(`float rounds ${mode}/${decimals} to ${decided} not ${F.text(reference)}: ${where()}`);
        }
      }
    }
  }
  return { stats, mismatches };
}

interface FloatOutcome {
  /** A finite number produced, with its bound. */
  value?: number;
  bound: number;
  /** Anything else: UNCERTAIN, or the non-number / non-finite value's text. */
  other?: string;
}

function floatOutcome(run: () => unknown): FloatOutcome {
  try {
    const value = run();
    if (typeof value === 'number' && Number.isFinite(value)) return { value, bound: bound.err };
    return { bound: 0, other: String(value) };
  } catch (err) {
    if (err !== UNCERTAIN) throw err;
    return { bound: 0, other: 'UNCERTAIN' };
  }
}

/** Bit for bit: Object.is tells −0 from 0 and NaN from NaN. */
function sameOutcome(a: FloatOutcome, b: FloatOutcome): boolean {
  return a.other === b.other && Object.is(a.value, b.value) && Object.is(a.bound, b.bound);
}
