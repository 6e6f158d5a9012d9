/**
 * Evaluation that records how a value was reached: the exact walker
 * (walker.ts) with a recorder. The trace is plain data shaped like the
 * formula tree (serialisable to JSON); turning it into a sentence is the
 * report stage's job.
 */
import type { FormulaNode } from '../compile/formula.js';
import { isNumber, type NumberUnit, type Value } from '../compile/values.js';
import type { ExactRun } from '../language/operator.js';
import type { JsonValue } from '../model.js';
import { buildExact, type Recorder } from './walker.js';

export interface TraceNode {
  /** Operator name, or 'var' / 'literal'. */
  op: string;
  /** The value this node produced (numbers as the nearest JSON number). */
  value: JsonValue;
  /** The exact value when the JSON number does not carry it: decimal text ("0.1000000000000000055" never appears), or a fraction ("72/19"). */
  exact?: string;
  /** For 'var': the name, where it came from and its Vietnamese label. */
  name?: string;
  source?: 'input' | 'parameter' | 'max_points';
  label?: string;
  /** How a number reads: percent, points, months... */
  unit?: NumberUnit;
  /** For a choice: the chosen option's label. */
  display?: string;
  /** The arguments that were evaluated, in order (if/and/or skip the rest). */
  args?: TraceNode[];
  /** For 'if': which element of args gave the result. */
  taken?: number;
}

export type ChoiceLabels = (inputName: string, optionId: string) => string | undefined;

export function jsonOf(value: Value): { value: JsonValue; exact?: string } {
  if (isNumber(value)) {
    const n = value.toNumber() + 0;
    const exact = value.toString();
    return String(n) === exact ? { value: n } : { value: n, exact };
  }
  if (Array.isArray(value)) return { value: [...(value as string[])] };
  return { value: value as JsonValue };
}

const EQUALITIES = new Set(['==', '!=', '===', '!==']);

/** Builds the trace tree while the traced closures run. */
class TraceRecorder implements Recorder {
  private stack: TraceNode[][] = [];
  constructor(private readonly choiceLabel: ChoiceLabels | undefined) {}

  reset(): void {
    this.stack = [[]];
  }

  enter(): void {
    this.stack.push([]);
  }

  abandon(): void {
    this.stack.pop();
  }

  leave(node: FormulaNode, value: Value): void {
    const args = this.stack.pop()!;
    const trace: TraceNode = { op: node.op, value: null };
    if (isNumber(value)) {
      const n = value.toNumber() + 0;
      trace.value = n;
      const exact = value.toString();
      if (String(n) !== exact) trace.exact = exact;
    } else trace.value = Array.isArray(value) ? [...(value as string[])] : (value as JsonValue);
    const binding = node.binding;
    if (binding) {
      trace.name = binding.name;
      trace.source = binding.source;
      trace.label = binding.label;
    }
    if (node.type.kind === 'number') trace.unit = node.type.unit;
    if (binding?.type.kind === 'choice' && typeof value === 'string') {
      const display = this.choiceLabel?.(binding.name, value);
      if (display) trace.display = display;
    }
    if (node.operator && node.op !== 'var') {
      trace.args = args;
      if (node.op === 'if') trace.taken = args.length - 1;
      if (EQUALITIES.has(node.op)) this.labelChoiceLiteral(node, args);
    }
    this.stack[this.stack.length - 1]!.push(trace);
  }

  /** In "choice == option", show the option's label for the literal too. */
  private labelChoiceLiteral(node: FormulaNode, args: TraceNode[]): void {
    const choice = node.args.find((a) => a.binding && a.type.kind === 'choice');
    if (!choice || !this.choiceLabel) return;
    for (const trace of args) {
      if (trace.op === 'literal' && typeof trace.value === 'string') {
        const display = this.choiceLabel(choice.binding!.name, trace.value);
        if (display) trace.display = display;
      }
    }
  }

  result(): TraceNode {
    return this.stack[0]![0]!;
  }
}

/** A formula's traced evaluator: the exact walker with a recorder, built once and reused. */
export interface TracedRunner {
  (env: readonly Value[]): { value: Value; trace: TraceNode };
}

export function tracedRunner(node: FormulaNode, choiceLabel?: ChoiceLabels): TracedRunner {
  const recorder = new TraceRecorder(choiceLabel);
  const run: ExactRun = buildExact(node, recorder);
  return (env) => {
    recorder.reset();
    const value = run(env);
    return { value, trace: recorder.result() };
  };
}

/** Evaluate with a trace (builds the traced closures; scoring caches them per criterion). Throws EvalFailure where the untraced evaluation would. */
export function evaluateTraced(node: FormulaNode, env: readonly Value[], choiceLabel?: ChoiceLabels): { value: Value; trace: TraceNode } {
  return tracedRunner(node, choiceLabel)(env);
}
