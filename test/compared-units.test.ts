/**
 * A number literal compared with a percent reads in percent, in explanations and in the
 * math of diffs, for every comparison operator (one rule, engine/language/render.ts):
 * "66,6667% ≥ 100%", "tỉ lệ ≥ 100%", never "≥ 100". Arithmetic literals keep no unit
 * ("92 / 100 × 15"), and comparisons of counts keep none.
 */
import { describe, expect, it } from 'vitest';
import type { FormulaJson, InputDef, ParameterDef } from '../engine/model.js';
import { stepsOf } from '../engine/report/explain.js';
import { formulaMath } from '../engine/report/formula-math.js';
import { Rational } from '../engine/exact/rational.js';
import { compileWith } from './helpers/formula.js';
import { cli } from './helpers/cli.js';

const inputs: Record<string, InputDef> = {
  ty_le: { type: 'percent', label: 'Tỉ lệ' },
  dat: { type: 'ratio', label: 'Tổ hoạt động' },
  so: { type: 'count', label: 'Số lần' },
};
const parameters: Record<string, ParameterDef> = { nguong: { type: 'percent', value: 95, label: 'ngưỡng' } };
const v = (name: string) => ({ var: name });
// A ratio is read as its percent (2 of 3: 200/3 %), exact.
const values = { ty_le: 92, dat: Rational.from('200').div(Rational.from('3')), so: 4 };

// formula, explanation steps (vi), math (vi)
const cases: [string, FormulaJson, string, string][] = [
  ['≥ with a ratio', { if: [{ '>=': [v('dat'), 100] }, 10, 0] }, '66,6667% ≥ 100%: sai → 0', 'nếu tổ hoạt động ≥ 100% thì 10, ngược lại 0'],
  ['> with a percent', { if: [{ '>': [v('ty_le'), 90] }, 10, 0] }, '92% > 90%: đúng → 10', 'nếu tỉ lệ > 90% thì 10, ngược lại 0'],
  ['< with the literal first', { if: [{ '<': [50, v('ty_le')] }, 10, 0] }, '50% < 92%: đúng → 10', 'nếu 50% < tỉ lệ thì 10, ngược lại 0'],
  ['≤ between two literals (a chain)', { if: [{ '<=': [0, v('ty_le'), 100] }, 10, 0] }, '0% ≤ 92% ≤ 100%: đúng → 10', 'nếu 0% ≤ tỉ lệ ≤ 100% thì 10, ngược lại 0'],
  ['= with a percent', { if: [{ '==': [v('ty_le'), 100] }, 10, 0] }, 'Tỉ lệ: 92% ≠ 100% → 0', 'nếu tỉ lệ = 100% thì 10, ngược lại 0'],
  ['= with a percent, met', { if: [{ '==': [v('ty_le'), 92] }, 10, 0] }, 'Tỉ lệ: 92% → 10', 'nếu tỉ lệ = 92% thì 10, ngược lại 0'],
  ['≠ with a percent', { if: [{ '!=': [v('ty_le'), 0] }, 10, 0] }, 'Tỉ lệ: 92% ≠ 0% → 10', 'nếu tỉ lệ ≠ 0% thì 10, ngược lại 0'],
  ['≠ with a count', { if: [{ '!=': [v('so'), 0] }, 10, 0] }, 'Số lần: 4 ≠ 0 → 10', 'nếu số lần ≠ 0 thì 10, ngược lại 0'],
  ['a percent parameter keeps its own %', { if: [{ '>=': [v('ty_le'), v('nguong')] }, 10, 0] }, '92% ≥ 95%: sai → 0', 'nếu tỉ lệ ≥ 95% thì 10, ngược lại 0'],
  ['counts compared stay plain', { if: [{ '<=': [v('so'), 3] }, 10, 0] }, '4 ≤ 3: sai → 0', 'nếu số lần ≤ 3 thì 10, ngược lại 0'],
  ['arithmetic literals take no unit', { '*': [{ '/': [v('ty_le'), 100] }, 15] }, '92 / 100 × 15 = 13,8', 'tỉ lệ / 100 × 15'],
  // A difference of a percent and a plain number is plain (the type rules' commonUnit): no unit to give.
  ['a comparison of a percent minus a number', { if: [{ '>=': [{ '-': [v('ty_le'), 10] }, 80] }, 10, 0] }, '92 − 10 ≥ 80: đúng → 10', 'nếu tỉ lệ − 10 ≥ 80 thì 10, ngược lại 0'],
];

describe('a literal compared with a percent reads in percent', () => {
  it.each(cases)('%s', (_name, formula, explained, math) => {
    const compiled = compileWith(formula, inputs, { nguong: { type: { kind: 'number', unit: 'percent' }, value: Rational.from('95') } });
    expect(compiled.problems).toEqual([]);
    const { trace } = compiled.trace!(values);
    expect(stepsOf(trace, 'vi').join(' → ')).toBe(explained);
    expect(formulaMath(formula, { inputs, parameters, maxPoints: 10 }, 'vi')).toBe(math);
  });

  it('in tieuchi explain of the 2023 set: commune 11, every team active', async () => {
    const r = await cli(['explain', '--criteria', 'criteria/2023', '--input', 'examples/2023', '--unit', 'xa-dai-tam']);
    expect(r.stdout).toContain('Cách tính: 100% ≥ 100%: đúng → điểm chuẩn = 8');
    expect(r.stdout).not.toMatch(/% [≥≤<>=≠] \d+(,\d+)?(?!%)[: ]/);
  });
});
