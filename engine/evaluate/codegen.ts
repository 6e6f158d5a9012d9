/**
 * The walker's bounded-float domain as one generated function per formula:
 * each operator's `floatSource` facet (engine/language/operators) writes its
 * node's statements, and the generator assembles them with `new Function`.
 * The closures of walker.ts do the same work through a call and a global
 * bound write per node; the generated function keeps values and bounds in
 * locals and writes the bound once, at the end (4–10× faster on the
 * arithmetic formulas, docs/benchmarks.md).
 *
 * Why this is safe with untrusted criteria files: nothing from the YAML is
 * ever source text. Inputs are `v[slot]` / `e[slot]` with a compiler-assigned
 * integer slot; a numeric literal is `String(n)` of a finite double, checked
 * to read back as the same double; every other literal (choice options,
 * lists, null) and every helper is handed in by reference as `k[i]`; all the
 * rest is the operator modules' template text. As a last guard, code holding
 * a quote, a backtick or a backslash — the only ways to write a string — is
 * refused. Anything refused, or a runtime that forbids code generation, runs
 * on the closures instead: same results, only slower.
 *
 * The generated code computes exactly what the closures compute, value and
 * bound (the templates in language/bounded.ts mirror its functions line by
 * line; test/codegen.test.ts compares both, bit for bit, on the conformance
 * table and on random trees), so the proof of bounded.ts holds for it.
 */
import type { FormulaNode } from '../compile/formula.js';
import { isRational } from '../exact/rational.js';
import { bound, constantError, SAFE, TINY, U, UNCERTAIN } from '../language/bounded.js';
import type { FloatCode, FloatRun, FloatSink } from '../language/operator.js';

class Refusal extends Error {}

/** Source text the generator accepts: no way to write a string or an escape in it. */
const SAFE_SOURCE = /^[A-Za-z0-9_$\s.,;:()[\]{}=!<>+\-*/%&|?]*$/;

/** The generated function's source and what it is handed (for tests and for reading). */
export interface GeneratedFloat {
  source: string;
  constants: readonly unknown[];
  run: FloatRun;
}

/** A finite double as source text that reads back as the very same double. */
function numberSource(value: number): string {
  if (!Number.isFinite(value)) throw new Refusal(`not finite: ${value}`);
  const text = String(value === 0 ? 0 : value);
  if (Number(text) !== value) throw new Refusal(`no exact text for ${value}`);
  return value < 0 ? `(${text})` : text;
}

/** Generate the source of a formula's float evaluation, or undefined when some node cannot be generated. */
export function floatSource(root: FormulaNode): { source: string; constants: unknown[] } | undefined {
  const lines: string[] = [];
  const constants: unknown[] = [];
  let locals = 0;
  const sink: FloatSink = {
    local: () => `t${locals++}`,
    line: (statement) => {
      lines.push(statement);
    },
    constant: (value) => {
      let index = constants.indexOf(value);
      if (index < 0) index = constants.push(value) - 1;
      return `k[${index}]`;
    },
    uncertain: 'throw UNCERTAIN;',
    refuse: (why) => {
      throw new Refusal(why);
    },
  };
  const emit = (node: FormulaNode): FloatCode => {
    if (node.operator) return node.operator.floatSource(node.args.map((arg) => ({ type: arg.type, emit: () => emit(arg) })), sink, node);
    const literal = node.literal;
    if (isRational(literal)) {
      const value = literal.toNumber();
      // As the closures' literal: the rational of its shortest text, half an ulp from the double (0 for safe integers).
      const error = literal.isInteger() && Number.isSafeInteger(value) ? 0 : constantError(value);
      return { value: numberSource(value), error: numberSource(error) };
    }
    return { value: sink.constant(literal), error: '0' };
  };
  let result: FloatCode;
  try {
    result = emit(root);
  } catch (err) {
    if (err instanceof Refusal) return undefined;
    throw err;
  }
  const declarations = locals ? `let ${Array.from({ length: locals }, (_, i) => `t${i}`).join(', ')};\n` : '';
  const finish = root.type.kind === 'number' ? `bound.err = ${result.error};\n` : '';
  const source = `${declarations}${lines.join('\n')}\n${finish}return ${result.value};`;
  if (!SAFE_SOURCE.test(source)) return undefined;
  return { source, constants };
}

/** The generated float function of a formula, or undefined (the caller uses the closures). */
export function generateFloat(root: FormulaNode): GeneratedFloat | undefined {
  const generated = floatSource(root);
  if (!generated) return undefined;
  let run: FloatRun;
  try {
    // The outer function binds the helpers once; the inner one is the formula: (v, e) => value, its bound in bound.err.
    const factory = new Function('bound', 'U', 'TINY', 'SAFE', 'UNCERTAIN', 'NUMBER', 'STRING', 'k', `'use strict';\nreturn function formula(v, e) {\n${generated.source}\n};`) as (
      ...helpers: unknown[]
    ) => FloatRun;
    run = factory(bound, U, TINY, SAFE, UNCERTAIN, 'number', 'string', generated.constants);
  } catch (err) {
    // A runtime started with --disallow-code-generation-from-strings: the closures serve. A syntax error is a generator bug.
    if (err instanceof EvalError) return undefined;
    throw err;
  }
  return { source: generated.source, constants: generated.constants, run };
}
