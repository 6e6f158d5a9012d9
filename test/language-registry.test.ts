/**
 * The formula language is its registry: the schema's operator list, the
 * staff guide's tables, the compiler, both evaluations, traces, explanations
 * and the math of diffs all follow it. Adding an operator is one module and
 * its line in the registry: a test-only operator shows every place picks it up.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFormula, type Scope, type VarBinding } from '../engine/compile/formula.js';
import { Rational } from '../engine/exact/rational.js';
import { buildExact, buildFloat } from '../engine/evaluate/walker.js';
import { tracedRunner } from '../engine/evaluate/trace.js';
import { bound } from '../engine/language/bounded.js';
import { inputTypeTable, operatorTable, withLanguage, withLanguageTables } from '../engine/language/docs.js';
import { defineOperator, expressions } from '../engine/language/operator.js';
import { num } from '../engine/language/operators/arithmetic.js';
import { buildRegistry, INPUT_TYPE_DEFINITIONS, LANGUAGE, OPERATOR_DEFINITIONS } from '../engine/language/registry.js';
import { allNumbers } from '../engine/language/wording.js';
import type { FormulaJson } from '../engine/model.js';
import { stepsOf } from '../engine/report/explain.js';
import { formulaMath } from '../engine/report/formula-math.js';
import { generated } from '../scripts/gen-language.js';

/** |x|: the test-only operator, one definition like any module of engine/language/operators. */
const absolute = defineOperator({
  name: 'abs',
  group: 'arithmetic',
  arity: { min: 1, max: 1 },
  argument: expressions,
  typeOf: (args) => {
    const bad = allNumbers(args, 'abs');
    return bad.length ? bad : args[0]!;
  },
  exact: ([a]) => (env) => {
    const v = num(a!(env));
    return v.isNegative() ? v.neg() : v;
  },
  float: ([a]) => (values, errors) => Math.abs(a!(values, errors) as number), // |x| keeps x's bound
  floatSource: ([a], out) => {
    const x = a!.emit();
    const r = out.local();
    out.line(`${r} = Math.abs(${x.value});`);
    return { value: r, error: x.error };
  },
  wording: { vi: 'trị tuyệt đối của', en: 'absolute value of' },
  guide: { meaning: { vi: 'Trị tuyệt đối', en: 'Absolute value' }, example: '{"abs": [{"-": [{"var": "ty_le"}, 50]}]}' },
  math: { form: 'function', name: { vi: 'trị tuyệt đối', en: 'abs' } },
  explain: { form: 'function', name: { vi: 'trị tuyệt đối', en: 'abs' }, ownStep: true },
});

const extended = buildRegistry([...OPERATOR_DEFINITIONS, absolute], Object.values(INPUT_TYPE_DEFINITIONS));

function compileWith(formula: FormulaJson, registry = extended) {
  const binding: VarBinding = { name: 'ty_le', slot: 0, source: 'input', type: { kind: 'number', unit: 'percent' }, label: 'Tỉ lệ' };
  const scope: Scope = { resolve: (name) => (name === 'ty_le' ? binding : undefined), names: () => ['ty_le'] };
  const problems: string[] = [];
  const node = compileFormula(formula, scope, (code) => problems.push(code), registry);
  return { node, problems };
}

describe('the committed files follow the registry', () => {
  it.each(generated().map((g) => [g.file.split('/').slice(-2).join('/'), g] as const))('%s is up to date (npm run gen:schema)', (_, g) => {
    expect(g.current).toBe(g.expected);
  });

  it('the schema lists exactly the registry operators and input types', () => {
    const schema = JSON.parse(readFileSync(new URL('../schemas/criteria-level.schema.json', import.meta.url), 'utf8'));
    expect(schema.definitions.formula.propertyNames.enum).toEqual([...LANGUAGE.operatorNames]);
    expect(schema.definitions.input.properties.type.enum).toEqual([...LANGUAGE.inputTypeNames]);
  });
});

describe('a new operator, added as one definition', () => {
  const formula: FormulaJson = { '*': [{ abs: [{ '-': [{ var: 'ty_le' }, 50] }] }, 0.1] };

  it('is unknown to the default language', () => {
    expect(compileWith(formula, LANGUAGE).problems).toEqual(['formula.unknown-operator']);
  });

  it('appears in the schema and both guide tables', () => {
    const schema = JSON.parse(readFileSync(new URL('../schemas/criteria-level.schema.json', import.meta.url), 'utf8'));
    const updated = withLanguage(schema, extended) as { definitions: { formula: { propertyNames: { enum: string[] }; errorMessage: string } } };
    expect(updated.definitions.formula.propertyNames.enum).toContain('abs');
    expect(updated.definitions.formula.errorMessage).toContain(' abs.');
    expect(operatorTable(extended)).toContain('| Số học | `abs` | 1 | Trị tuyệt đối |');
    expect(operatorTable(LANGUAGE)).not.toContain('`abs`');
    const guide = readFileSync(new URL('../docs/huong-dan-bien-soan.md', import.meta.url), 'utf8');
    expect(withLanguageTables(guide, extended)).toContain('`abs`');
    expect(inputTypeTable(extended)).toBe(inputTypeTable(LANGUAGE));
  });

  it('compiles, type-checks and evaluates exactly and on bounded floats', () => {
    const { node, problems } = compileWith(formula);
    expect(problems).toEqual([]);
    expect(String(buildExact(node!)([Rational.from('12.5')]))).toBe('3.75');
    expect(buildFloat(node!)([12.5], new Float64Array([0]))).toBe(3.75);
    expect(bound.err).toBeGreaterThan(0); // 0.1 is not a double: the bound says so
    expect(compileWith({ abs: [true] }).problems).toEqual(['formula.type']);
  });

  it('is traced, explained and rendered as math', () => {
    const { node } = compileWith(formula);
    const { trace } = tracedRunner(node!)([Rational.from('12.5')]);
    expect(trace.args![0]!.op).toBe('abs');
    expect(stepsOf(trace, 'vi', extended).join(' → ')).toBe('trị tuyệt đối(12,5 − 50) = 37,5 → 37,5 × 0,1 = 3,75');
    const context = { inputs: { ty_le: { type: 'percent' as const, label: 'Tỉ lệ' } }, parameters: {}, maxPoints: 10 };
    expect(formulaMath(formula, context, 'vi', { language: extended })).toBe('trị tuyệt đối(tỉ lệ − 50) × 0,1');
    expect(formulaMath(formula, context, 'en', { language: extended })).toBe('abs(tỉ lệ − 50) × 0.1');
  });
});
