/** Compile and run a formula against ad-hoc inputs, the way a criterion would. */
import { compileExpression, compileFormula, type Scope, type VarBinding } from '../../engine/compile/formula.js';
import { valueTypeOf } from '../../engine/compile/input-types.js';
import type { Value, ValueType } from '../../engine/compile/values.js';
import { Rational } from '../../engine/exact/rational.js';
import { exactRunner } from '../../engine/evaluate/walker.js';
import type { FormulaJson, InputDef } from '../../engine/model.js';
import type { ProblemCode } from '../../engine/problems.js';
import { evaluateTraced } from '../../engine/evaluate/trace.js';

export interface Compiled {
  problems: { code: ProblemCode; path: (string | number)[]; message: string }[];
  run?: (values: Record<string, unknown>) => Value;
  trace?: (values: Record<string, unknown>) => ReturnType<typeof evaluateTraced>;
}

export function compileWith(
  formula: FormulaJson,
  inputs: Record<string, InputDef>,
  parameters: Record<string, { type: ValueType; value: Value }> = {},
  { mustBePoints = false } = {},
): Compiled {
  const bindings: VarBinding[] = [];
  const scope: Scope = {
    resolve(name) {
      const existing = bindings.find((b) => b.name === name);
      if (existing) return existing;
      const input = Object.hasOwn(inputs, name) ? inputs[name] : undefined;
      const parameter = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
      if (!input && !parameter) return undefined;
      const binding: VarBinding = {
        name,
        slot: bindings.length,
        source: input ? 'input' : 'parameter',
        type: input ? valueTypeOf(input) : parameter!.type,
        label: input?.label ?? name,
      };
      bindings.push(binding);
      return binding;
    },
    names: () => [...Object.keys(inputs), ...Object.keys(parameters)],
  };
  const problems: Compiled['problems'] = [];
  const node = (mustBePoints ? compileFormula : compileExpression)(formula, scope, (code, path, message) => problems.push({ code, path, message: message.en }));
  if (!node) return { problems };
  const env = (values: Record<string, unknown>): Value[] =>
    bindings.map((b) => {
      if (b.source === 'parameter') return parameters[b.name]!.value;
      const v = values[b.name];
      return typeof v === 'number' ? Rational.fromNumber(v) : (v as Value);
    });
  return { problems, run: (values) => exactRunner(node)(env(values)), trace: (values) => evaluateTraced(node, env(values)) };
}
