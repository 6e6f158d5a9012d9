/**
 * Evaluation that records how a value was reached. The trace is plain data
 * shaped like the formula tree (serialisable to JSON); turning it into a
 * sentence is the report stage's job.
 */
import type { FormulaNode } from '../compile/formula.js';
import { isDecimal, type NumberUnit, type Value } from '../compile/values.js';
import type { JsonValue } from '../model.js';

export interface TraceNode {
  /** Operator name, or 'var' / 'literal'. */
  op: string;
  /** The value this node produced (numbers as JSON numbers). */
  value: JsonValue;
  /** Exact decimal text when the JSON number cannot carry every digit. */
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
  if (isDecimal(value)) {
    const n = value.toNumber();
    const exact = value.toString();
    return String(n) === exact ? { value: n } : { value: n, exact };
  }
  if (Array.isArray(value)) return { value: [...(value as string[])] };
  return { value: value as JsonValue };
}

/** Evaluate with a trace. Throws EvalFailure exactly where the fast path would. */
export function evaluateTraced(node: FormulaNode, env: readonly Value[], choiceLabel?: ChoiceLabels): { value: Value; trace: TraceNode } {
  switch (node.op) {
    case 'literal': {
      const value = node.literal!;
      return { value, trace: { op: 'literal', ...jsonOf(value), ...(node.type.kind === 'number' ? { unit: node.type.unit } : {}) } };
    }
    case 'var': {
      const binding = node.binding!;
      const value = env[binding.slot] as Value;
      const trace: TraceNode = { op: 'var', ...jsonOf(value), name: binding.name, source: binding.source, label: binding.label };
      if (binding.type.kind === 'number') trace.unit = binding.type.unit;
      if (binding.type.kind === 'choice' && typeof value === 'string') {
        const display = choiceLabel?.(binding.name, value);
        if (display) trace.display = display;
      }
      return { value, trace };
    }
    case 'if': {
      const args: TraceNode[] = [];
      let i = 0;
      for (; i + 1 < node.args.length; i += 2) {
        const condition = evaluateTraced(node.args[i]!, env, choiceLabel);
        args.push(condition.trace);
        if (condition.value === true) break;
      }
      const branch = evaluateTraced(node.args[i + 1 < node.args.length ? i + 1 : i]!, env, choiceLabel);
      args.push(branch.trace);
      return { value: branch.value, trace: withUnit({ op: 'if', ...jsonOf(branch.value), args, taken: args.length - 1 }, node) };
    }
    case 'and':
    case 'or': {
      const args: TraceNode[] = [];
      const stopAt = node.op === 'or';
      let result = !stopAt;
      for (const arg of node.args) {
        const evaluated = evaluateTraced(arg, env, choiceLabel);
        args.push(evaluated.trace);
        if ((evaluated.value === true) === stopAt) {
          result = stopAt;
          break;
        }
      }
      return { value: result, trace: { op: node.op, value: result, args } };
    }
    default: {
      const evaluated = node.args.map((arg) => evaluateTraced(arg, env, choiceLabel));
      labelChoiceLiteral(node, evaluated.map((e) => e.trace), choiceLabel);
      const value = node.spec!.apply(evaluated.map((e) => e.value));
      return { value, trace: withUnit({ op: node.op, ...jsonOf(value), args: evaluated.map((e) => e.trace) }, node) };
    }
  }
}

/** In "choice == option", show the option's label for the literal too. */
function labelChoiceLiteral(node: FormulaNode, args: TraceNode[], choiceLabel?: ChoiceLabels): void {
  if (!choiceLabel || !['==', '!=', '===', '!=='].includes(node.op)) return;
  const choice = node.args.find((a) => a.op === 'var' && a.type.kind === 'choice');
  if (!choice) return;
  for (const trace of args) {
    if (trace.op === 'literal' && typeof trace.value === 'string') {
      const display = choiceLabel(choice.binding!.name, trace.value);
      if (display) trace.display = display;
    }
  }
}

function withUnit(trace: TraceNode, node: FormulaNode): TraceNode {
  if (node.type.kind === 'number') trace.unit = node.type.unit;
  return trace;
}
