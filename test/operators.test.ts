/**
 * The operator whitelist: what each operator computes, what it refuses at
 * compile time, and every json-logic-js pitfall the engine must not inherit.
 */
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { LANGUAGE } from '../engine/language/registry.js';
import { EvalFailure } from '../engine/compile/values.js';
import { Rational } from '../engine/exact/rational.js';
import type { FormulaJson, InputDef } from '../engine/model.js';
import { readFileSync } from 'node:fs';
import { compileWith } from './helpers/formula.js';

const inputs: Record<string, InputDef> = {
  a: { type: 'percent', label: 'a' },
  b: { type: 'percent', label: 'b' },
  n: { type: 'count', label: 'n' },
  yes: { type: 'boolean', label: 'yes' },
  level: { type: 'choice', label: 'level', options: [{ id: 'high', label: 'High' }, { id: 'low', label: 'Low' }] },
  issued: { type: 'date', label: 'issued', none_allowed: true },
  deadline: { type: 'date', label: 'deadline' },
};

const run = (formula: FormulaJson, values: Record<string, unknown> = {}) => {
  const compiled = compileWith(formula, inputs);
  expect(compiled.problems).toEqual([]);
  const value = compiled.run!(values);
  return value instanceof Rational ? value.toString() : value;
};

describe('operators evaluate on exact rationals', () => {
  it.each<[string, FormulaJson, Record<string, unknown>, unknown]>([
    ['sum', { '+': [0.1, 0.2] }, {}, '0.3'],
    ['n-ary sum', { '+': [1, 2, 3.5] }, {}, '6.5'],
    ['difference', { '-': [{ var: 'a' }, 2.5] }, { a: 10 }, '7.5'],
    ['negation', { '-': [3] }, {}, '-3'],
    ['product', { '*': [0.1, 3] }, {}, '0.3'],
    ['quotient exact', { '/': [{ var: 'a' }, 95] }, { a: 90 }, '18/19'],
    ['min', { min: [{ var: 'a' }, 4, 7] }, { a: 9 }, '4'],
    ['max', { max: [{ var: 'a' }, 0] }, { a: 3 }, '3'],
    ['< true', { '<': [{ var: 'a' }, 95] }, { a: 90 }, true],
    ['<= equal', { '<=': [95, { var: 'a' }] }, { a: 95 }, true],
    ['between (3-arg <)', { '<': [0, { var: 'a' }, 50] }, { a: 50 }, false],
    ['>', { '>': [{ var: 'n' }, 0] }, { n: 0 }, false],
    ['>= compares numerically, not as strings', { '>=': [{ var: 'a' }, { var: 'b' }] }, { a: 90, b: 100 }, false],
    ['== number', { '==': [{ var: 'a' }, 90] }, { a: 90.0 }, true],
    ['!= choice', { '!=': [{ var: 'level' }, 'high'] }, { level: 'low' }, true],
    ['=== choice', { '===': [{ var: 'level' }, 'high'] }, { level: 'high' }, true],
    ['! boolean', { '!': [{ var: 'yes' }] }, { yes: false }, true],
    ['and', { and: [{ var: 'yes' }, { '>': [{ var: 'a' }, 1] }] }, { yes: true, a: 2 }, true],
    ['or short-circuits', { or: [{ var: 'yes' }, { '>': [{ '/': [1, { var: 'a' }] }, 1] }] }, { yes: true, a: 0 }, true],
    ['if chain', { if: [{ '==': [{ var: 'level' }, 'high'] }, 5, { '==': [{ var: 'level' }, 'low'] }, 3, 0] }, { level: 'low' }, '3'],
    ['if takes else', { if: [{ var: 'yes' }, 1, 2] }, { yes: false }, '2'],
    ['in', { in: [{ var: 'level' }, ['high', 'low']] }, { level: 'low' }, true],
    ['months_late on time', { months_late: [{ var: 'issued' }, { var: 'deadline' }] }, { issued: '2023-03-31', deadline: '2023-03-31' }, '0'],
    ['months_late one day', { months_late: [{ var: 'issued' }, { var: 'deadline' }] }, { issued: '2023-04-01', deadline: '2023-03-31' }, '1'],
    ['null test on a none_allowed date', { '==': [{ var: 'issued' }, null] }, { issued: null }, true],
  ])('%s', (_name, formula, values, expected) => {
    expect(run(formula, values)).toEqual(expected);
  });
});

describe('compile-time refusals', () => {
  it.each<[string, FormulaJson, string]>([
    ['unknown operator', { pow: [2, 3] }, 'formula.unknown-operator'],
    ['json-logic-js method not whitelisted', { substr: ['abc', 1] }, 'formula.unknown-operator'],
    ['var naming the prototype', { var: '__proto__' }, 'formula.unknown-var'],
    ['var naming constructor', { var: 'constructor' }, 'formula.unknown-var'],
    ['var walking a path', { var: 'a.toString' }, 'formula.unknown-var'],
    ['var with a default value', { var: ['a', 0] }, 'formula.arity'],
    ['var of the whole data', { var: '' }, 'formula.arity'],
    ['undeclared var', { var: 'rate' }, 'formula.unknown-var'],
    ['string arithmetic ("3abc" + 1)', { '+': ['3abc', 1] }, 'formula.type'],
    ['string comparison ("90%" >= "100%")', { '>=': ['90%', '100%'] }, 'formula.type'],
    ['number as a condition', { if: [{ var: 'a' }, 1, 0] }, 'formula.type'],
    ['if without else', { if: [{ var: 'yes' }, 1] }, 'formula.arity'],
    ['if with an even number of arguments', { if: [{ var: 'yes' }, 1, { var: 'yes' }, 2] }, 'formula.type'],
    ['branches of different types', { if: [{ var: 'yes' }, 1, true] }, 'formula.type'],
    ['misspelt option', { '==': [{ var: 'level' }, 'hihg'] }, 'formula.unknown-option'],
    ['in with an unknown option', { in: [{ var: 'level' }, ['high', 'mid']] }, 'formula.type'],
    ['comparing a nullable date by order', { '<': [{ var: 'issued' }, { var: 'deadline' }] }, 'formula.type'],
    ['null compared with a number', { '==': [{ var: 'a' }, null] }, 'formula.type'],
    ['too few arguments', { '/': [1] }, 'formula.arity'],
    ['two operators in one object', { '+': [1, 2], '-': [1, 2] } as FormulaJson, 'formula.arity'],
    ['list outside "in"', [1, 2], 'formula.type'],
    ['formula computing a boolean', { '>': [{ var: 'a' }, 1] }, 'formula.not-points'],
    ['formula computing a date', { var: 'deadline' }, 'formula.not-points'],
  ])('%s', (_name, formula, code) => {
    const compiled = compileWith(formula, inputs, {}, { mustBePoints: true });
    expect(compiled.problems.map((p) => p.code)).toContain(code);
    expect(compiled.run).toBeUndefined();
  });
});

describe('run-time failures are reported, never Infinity or a silent 0', () => {
  it('division by zero', () => {
    const compiled = compileWith({ '/': [{ var: 'a' }, { var: 'b' }] }, inputs);
    expect(() => compiled.run!({ a: 90, b: 0 })).toThrow(EvalFailure);
    try {
      compiled.run!({ a: 90, b: 0 });
    } catch (err) {
      expect((err as EvalFailure).code).toBe('eval.division-by-zero');
    }
  });
  it('months_late of a document never issued', () => {
    const compiled = compileWith({ months_late: [{ var: 'issued' }, { var: 'deadline' }] }, inputs);
    expect(() => compiled.run!({ issued: null, deadline: '2023-03-31' })).toThrow(/null/);
  });
});

describe('isolation from json-logic-js', () => {
  it('the schema enum lists exactly the operator table', () => {
    const schema = JSON.parse(readFileSync(new URL('../schemas/criteria-level.schema.json', import.meta.url), 'utf8'));
    expect([...schema.definitions.formula.propertyNames.enum].sort()).toEqual([...LANGUAGE.operatorNames].sort());
  });
  it("json-logic-js's pitfalls are real (so guarding them matters)", () => {
    expect(jsonLogic.apply({ '+': ['3abc', 1] })).toBe(4);
    expect(jsonLogic.apply({ '/': [1, 0] })).toBe(Infinity);
    expect(jsonLogic.apply({ '>=': ['90%', '100%'] })).toBe(true);
    expect(jsonLogic.apply({ var: 'missing' }, {})).toBe(null);
    expect(typeof jsonLogic.apply({ var: '__proto__' }, {})).toBe('object');
  });
  it('an operation another library adds to json-logic-js does not reach our formulas', () => {
    jsonLogic.add_operation('tieuchi_test_op', () => 42);
    try {
      expect(compileWith({ tieuchi_test_op: [] } as FormulaJson, inputs).problems.map((p) => p.code)).toEqual(['formula.unknown-operator']);
    } finally {
      jsonLogic.rm_operation('tieuchi_test_op');
    }
  });
});
