/** How a condition on a yes/no input reads in an explanation: a statement about the input, never "có: có". */
import { describe, expect, it } from 'vitest';
import type { InputDef } from '../engine/model.js';
import { stepsOf } from '../engine/report/explain.js';
import { compileWith } from './helpers/formula.js';

const inputs: Record<string, InputDef> = { co_ke_hoach: { type: 'boolean', label: 'Đã ban hành kế hoạch' } };

describe('a yes/no input tested on its own', () => {
  it.each([
    [true, 'Đã ban hành kế hoạch: có → 15'],
    [false, 'Đã ban hành kế hoạch: không → 0'],
  ])('%s reads "%s"', (value, explained) => {
    const compiled = compileWith({ if: [{ var: 'co_ke_hoach' }, 15, 0] }, inputs);
    expect(compiled.problems).toEqual([]);
    expect(stepsOf(compiled.trace!({ co_ke_hoach: value }).trace, 'vi').join(' → ')).toBe(explained);
  });

  it('in English too', () => {
    const compiled = compileWith({ if: [{ var: 'co_ke_hoach' }, 15, 0] }, inputs);
    expect(stepsOf(compiled.trace!({ co_ke_hoach: true }).trace, 'en').join(' → ')).toBe('Đã ban hành kế hoạch: yes → 15');
  });
});

describe('a yes/no input compared with true or false', () => {
  it.each([
    [{ '==': [{ var: 'co_ke_hoach' }, true] }, false, 'Đã ban hành kế hoạch: không → 0'],
    [{ '==': [{ var: 'co_ke_hoach' }, true] }, true, 'Đã ban hành kế hoạch: có → 15'],
    [{ '!=': [{ var: 'co_ke_hoach' }, false] }, false, 'Đã ban hành kế hoạch: không → 0'],
  ])('%j with %s reads "%s", never "(không phải đúng)"', (condition, value, explained) => {
    const compiled = compileWith({ if: [condition, 15, 0] }, inputs);
    expect(compiled.problems).toEqual([]);
    expect(stepsOf(compiled.trace!({ co_ke_hoach: value }).trace, 'vi').join(' → ')).toBe(explained);
  });
});
