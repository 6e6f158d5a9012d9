/**
 * The generated float functions (engine/evaluate/codegen.ts): every formula
 * of the criteria sets is generated, computes bit for bit what the per-node
 * closures compute (value, bound, deferral), and no text of a criteria file
 * ever becomes source. The random trees (test/random-formulas.test.ts and the
 * integration run) compare both on every operator as well.
 */
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileFormula, type Scope, type VarBinding } from '../engine/compile/formula.js';
import type { ValueType } from '../engine/compile/values.js';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { generateFloat } from '../engine/evaluate/codegen.js';
import { fastLevel } from '../engine/evaluate/fast.js';
import { buildFloat, floatRunner } from '../engine/evaluate/walker.js';
import { bound, UNCERTAIN } from '../engine/language/bounded.js';
import type { FormulaJson } from '../engine/model.js';
import { syntheticSubmissions } from '../scripts/synthetic.js';

function outcome(run: () => unknown): { value: unknown; bound: number } | 'UNCERTAIN' {
  try {
    const value = run();
    return { value, bound: typeof value === 'number' ? bound.err : 0 };
  } catch (err) {
    if (err !== UNCERTAIN) throw err;
    return 'UNCERTAIN';
  }
}

const here = (path: string) => new URL(`../${path}`, import.meta.url).pathname;
const structures = (name: string) => readdirSync(here(`examples/structures/${name}`)).filter((d) => /^\d{4}$/.test(d)).map((d) => `examples/structures/${name}/${d}`);
const sets = ['criteria/2023', 'examples/2024-draft/2024', 'examples/rounds/2025/criteria', 'test/fixtures/two-levels/2026', ...structures('dti'), ...structures('so-nganh'), ...structures('xa-phuong')].map(here);

describe('generated float functions', () => {
  const loaded = sets.map((dir) => ({ dir, set: loadCriteriaSet(dir).set })).filter((s) => s.set?.levels.length);

  it('load the criteria sets it checks', () => {
    expect(loaded.map((s) => s.dir)).toEqual(sets);
  });

  it.each(loaded.map((s) => [s.dir.split('/').slice(-2).join('/'), s.set!] as const))('%s: every formula is generated and agrees with its closures bit for bit on synthetic units', (_, set) => {
    let compared = 0;
    for (const level of set.levels) {
      const plan = fastLevel(level);
      const units = syntheticSubmissions({ ...set, levels: [level] }, 300, 11);
      level.criteria.forEach((criterion, i) => {
        const generated = generateFloat(criterion.formula);
        expect(generated, `${level.id}/${criterion.id}`).toBeDefined();
        // The fast path runs the generated function (named "formula"), not the closures.
        expect(floatRunner(criterion.formula).name, criterion.id).toBe('formula');
        const closures = buildFloat(criterion.formula);
        const fast = plan.criteria[i]!;
        for (const unit of units) {
          const given = unit.inputs[criterion.id] as Record<string, unknown> | undefined;
          if (!given) continue;
          const values = fast.values.slice();
          const errors = fast.errors.slice();
          if (!fast.inputs.every((input) => input.read(given[input.id], values, errors, input.slot))) continue;
          const a = outcome(() => generated!.run(values, errors));
          const b = outcome(() => closures(values, errors));
          if (typeof a === 'object' && typeof b === 'object') {
            expect(Object.is(a.value, b.value) && Object.is(a.bound, b.bound), `${criterion.id}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(true);
          } else expect(a, criterion.id).toEqual(b);
          compared++;
        }
      });
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('what becomes source', () => {
  const HOSTILE = "x'); globalThis.pwned = 1; ('";
  const types: Record<string, ValueType> = {
    k: { kind: 'choice', options: ['x', HOSTILE, '`${globalThis.pwned = 2}`'] },
    a: { kind: 'number', unit: 'percent' },
  };
  const bindings = new Map<string, VarBinding>();
  const scope: Scope = {
    resolve: (name) => {
      const type = types[name];
      if (!type) return undefined;
      let binding = bindings.get(name);
      if (!binding) bindings.set(name, (binding = { name, slot: bindings.size, source: 'input', type, label: name }));
      return binding;
    },
    names: () => Object.keys(types),
  };
  const compile = (formula: FormulaJson) => {
    const problems: string[] = [];
    const node = compileFormula(formula, scope, (code) => problems.push(code));
    expect(problems).toEqual([]);
    return node!;
  };

  it('choice options and lists are handed in by reference, never written as code', () => {
    const node = compile({ if: [{ or: [{ '==': [{ var: 'k' }, HOSTILE] }, { in: [{ var: 'k' }, ['`${globalThis.pwned = 2}`']] }] }, { '-': [{ var: 'a' }, -5] }, 0.1] });
    const generated = generateFloat(node)!;
    expect(generated).toBeDefined();
    expect(generated.source).not.toMatch(/pwned|['"`\\]/);
    expect(generated.constants).toContain(HOSTILE);
    expect(generated.source).toContain('(-5)'); // a negative literal, bracketed: "v[1] - (-5)"
    expect(generated.run(['x', 10], new Float64Array(2))).toBe(0.1);
    expect(generated.run([HOSTILE, 10], new Float64Array(2))).toBe(15);
    expect(bound.err).toBe(0);
    expect(generated.run(['`${globalThis.pwned = 2}`', 0.5], new Float64Array([0, 1e-16]))).toBe(5.5);
    expect(bound.err).toBeGreaterThan(1e-16);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('numeric literals are written as text that reads back as the same double', () => {
    const node = compile({ '+': [{ '*': [{ var: 'a' }, 1e-7] }, 123456789.123, 0.1, 9007199254740992] });
    const generated = generateFloat(node)!;
    for (const text of generated.source.match(/(?<![\w.])\d[\d.e+-]*/g) ?? []) expect(String(Number(text)), text).toBe(text);
    expect(generated.run([0, 3], new Float64Array(2))).toBe(buildFloat(node)([0, 3], new Float64Array(2)));
  });

  it('a node that cannot be generated leaves the formula on its closures, with the same result', () => {
    const binding: VarBinding = { name: 'a', slot: 0.5, source: 'input', type: { kind: 'number', unit: 'percent' }, label: 'a' };
    const odd: Scope = { resolve: (name) => (name === 'a' ? binding : undefined), names: () => ['a'] };
    const node = compileFormula({ '*': [{ var: 'a' }, 2] }, odd, () => undefined)!;
    expect(generateFloat(node)).toBeUndefined();
    const values: unknown[] = [];
    values[0.5 as unknown as number] = 4;
    expect(floatRunner(node).name).not.toBe('formula');
    expect(floatRunner(node)(values, new Float64Array(1))).toBe(8);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('a runtime that forbids code generation (EvalError) falls back to the closures', () => {
    vi.stubGlobal(
      'Function',
      class {
        constructor() {
          throw new EvalError('Code generation from strings disallowed for this context');
        }
      },
    );
    const node = compile({ '*': [{ var: 'a' }, 3] });
    expect(generateFloat(node)).toBeUndefined();
    expect(floatRunner(node).name).not.toBe('formula');
    expect(floatRunner(node)([0, 2], new Float64Array(2))).toBe(6);
  });
});
