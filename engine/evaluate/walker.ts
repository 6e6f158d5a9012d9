/**
 * The one evaluator: a walk over a compiled formula that builds a closure per
 * node from the operator's own evaluation facet (engine/language/operators).
 * Two numeric domains, one walk:
 * - exact: numbers are Rational; the reference, and what traces show;
 * - float: doubles with an error bound (language/bounded.ts), proven against
 *   the exact values and throwing UNCERTAIN when it cannot decide.
 * Tracing is a recorder handed to the same walk: it wraps each node's
 * closure to note the value produced (only the arguments actually
 * evaluated are noted, so if/and/or show the branch taken).
 *
 * Closures are built once per formula node and cached.
 */
import type { FormulaNode } from '../compile/formula.js';
import type { Value } from '../compile/values.js';
import { isRational } from '../exact/rational.js';
import { bound, constantError } from '../language/bounded.js';
import type { ExactRun, FloatRun } from '../language/operator.js';
import { generateFloat } from './codegen.js';

/** Notes values as the traced closures produce them. */
export interface Recorder {
  /** Before a node runs. */
  enter(): void;
  /** After it produced `value`. */
  leave(node: FormulaNode, value: Value): void;
  /** When it failed: the partial record is dropped. */
  abandon(): void;
}

function exactLiteral(node: FormulaNode): ExactRun {
  const value = node.literal as Value;
  return () => value;
}

function floatLiteral(node: FormulaNode): FloatRun {
  const literal = node.literal;
  if (isRational(literal)) {
    const value = literal.toNumber();
    // The literal is the rational of its shortest text, and the double is the one that text reads as: half an ulp apart.
    const error = literal.isInteger() && Number.isSafeInteger(value) ? 0 : constantError(value);
    return () => {
      bound.err = error;
      return value;
    };
  }
  return () => literal;
}

/** The exact closure of a node; with a recorder, every node's value is noted. */
export function buildExact(node: FormulaNode, recorder?: Recorder): ExactRun {
  const args = node.args.map((arg) => buildExact(arg, recorder));
  const run = node.operator ? node.operator.exact(args, node) : exactLiteral(node);
  if (!recorder) return run;
  return (env) => {
    recorder.enter();
    let value: Value;
    try {
      value = run(env);
    } catch (err) {
      recorder.abandon();
      throw err;
    }
    recorder.leave(node, value);
    return value;
  };
}

/** The bounded-float closure of a node (the reference for the generated code, and its fallback). */
export function buildFloat(node: FormulaNode): FloatRun {
  const args = node.args.map(buildFloat);
  return node.operator ? node.operator.float(args, node) : floatLiteral(node);
}

const exactRuns = new WeakMap<FormulaNode, ExactRun>();
const floatRuns = new WeakMap<FormulaNode, FloatRun>();

/** The exact closure of a formula, cached. */
export function exactRunner(node: FormulaNode): ExactRun {
  let run = exactRuns.get(node);
  if (!run) exactRuns.set(node, (run = buildExact(node)));
  return run;
}

/**
 * The bounded-float evaluation of a formula, cached: its generated function
 * (codegen.ts), or the closures when it cannot be generated.
 */
export function floatRunner(node: FormulaNode): FloatRun {
  let run = floatRuns.get(node);
  if (!run) floatRuns.set(node, (run = generateFloat(node)?.run ?? buildFloat(node)));
  return run;
}

/** Evaluate exactly (throws EvalFailure on a data problem). */
export function evaluateExact(node: FormulaNode, env: readonly Value[]): Value {
  return exactRunner(node)(env);
}
