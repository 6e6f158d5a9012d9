/** Formulas as readable math: precedence-aware parentheses, parameters by value, Vietnamese and English. */
import { describe, expect, it } from 'vitest';
import type { FormulaJson, InputDef, ParameterDef } from '../engine/model.js';
import { formulaMath } from '../engine/report/formula-math.js';

const inputs: Record<string, InputDef> = {
  ty_le: { type: 'percent', label: 'Tỉ lệ' },
  a: { type: 'count', label: 'A' },
  b: { type: 'count', label: 'B' },
  ngay: { type: 'date', label: 'Ngày ban hành', none_allowed: true, none_label: 'Chưa ban hành' },
  muc: { type: 'choice', label: 'Mức', options: [{ id: 'cao', label: 'Cao' }, { id: 'thap', label: 'Thấp' }] },
};
const parameters: Record<string, ParameterDef> = {
  nguong: { type: 'percent', value: 95, label: 'ngưỡng' },
  han: { type: 'date', value: '2023-03-31', label: 'hạn' },
  he_so: { type: 'number', value: 1.5, label: 'hệ số' },
};
const v = (name: string) => ({ var: name });

describe('formulaMath', () => {
  const cases: [string, FormulaJson, string, string][] = [
    ['the issue example', { min: [{ '*': [{ '/': [v('ty_le'), v('nguong')] }, v('max_points')] }, v('max_points')] }, 'min(tỉ lệ / 95 × 4; 4)', 'min(tỉ lệ / 95 × 4, 4)'],
    ['if / else, percent shown in a comparison', { if: [{ '>=': [v('ty_le'), v('nguong')] }, v('max_points'), 0] }, 'nếu tỉ lệ ≥ 95% thì 4, ngược lại 0', 'if tỉ lệ ≥ 95% then 4, otherwise 0'],
    ['chained if', { if: [{ '==': [v('muc'), 'cao'] }, 4, { '==': [v('muc'), 'thap'] }, 2, 0] }, 'nếu mức = «Cao» thì 4, ngược lại nếu mức = «Thấp» thì 2, ngược lại 0', 'if mức = «Cao» then 4, otherwise if mức = «Thấp» then 2, otherwise 0'],
    ['a sum inside a product is bracketed', { '*': [{ '+': [v('a'), v('b')] }, v('he_so')] }, '(a + b) × 1,5', '(a + b) × 1.5'],
    ['a product inside a sum is not', { '+': [{ '*': [v('a'), 2] }, v('b')] }, 'a × 2 + b', 'a × 2 + b'],
    ['right operand of − at the same level is bracketed', { '-': [v('max_points'), { '-': [v('a'), v('b')] }] }, '4 − (a − b)', '4 − (a − b)'],
    ['left operand of − is not', { '-': [{ '-': [v('max_points'), v('a')] }, v('b')] }, '4 − a − b', '4 − a − b'],
    ['division by a product is bracketed', { '/': [v('a'), { '*': [v('b'), 2] }] }, 'a / (b × 2)', 'a / (b × 2)'],
    ['dates, null as the none label, months late', { if: [{ '==': [v('ngay'), null] }, 0, { '-': [v('max_points'), { months_late: [v('ngay'), v('han')] }] }] }, 'nếu ngày ban hành = chưa ban hành thì 0, ngược lại 4 − số tháng trễ(ngày ban hành; 31/03/2023)', 'if ngày ban hành = chưa ban hành then 0, otherwise 4 − months_late(ngày ban hành, 31/03/2023)'],
    ['and / or / not, in', { or: [{ and: [{ '>': [v('a'), 1] }, { '!': [{ in: [v('muc'), ['cao']] }] }] }, { '<': [v('b'), 2] }] }, 'a > 1 và không (mức ∈ {«Cao»}) hoặc b < 2', 'a > 1 and not (mức ∈ {«Cao»}) or b < 2'],
    ['a nested if inside arithmetic is bracketed', { '*': [{ if: [{ '>': [v('a'), 1] }, 2, 1] }, v('max_points')] }, '(nếu a > 1 thì 2, ngược lại 1) × 4', '(if a > 1 then 2, otherwise 1) × 4'],
  ];
  it.each(cases)('%s', (_name, formula, vi, en) => {
    expect(formulaMath(formula, { inputs, parameters, maxPoints: 4 }, 'vi')).toBe(vi);
    expect(formulaMath(formula, { inputs, parameters, maxPoints: 4 }, 'en')).toBe(en);
  });

  it('uses ids for every input when one label is long, never a mix', () => {
    const long = { ...inputs, b: { type: 'count', label: 'Số lần nhập số liệu kỳ tháng không đúng thời gian quy định' } as InputDef };
    expect(formulaMath({ '+': [v('a'), v('b')] }, { inputs: long, parameters, maxPoints: 4 }, 'vi')).toBe('a + b');
    expect(formulaMath({ '+': [v('ty_le'), v('b')] }, { inputs: long, parameters, maxPoints: 4 }, 'vi')).toBe('ty_le + b');
    expect(formulaMath({ '+': [v('ty_le'), v('b')] }, { inputs: long, parameters, maxPoints: 4 }, 'vi', { inputNames: 'label' })).toContain('tỉ lệ + số lần nhập');
  });
});
