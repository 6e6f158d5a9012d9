/** Criteria YAML is untrusted: bounded sizes and aliases, no prototype tricks, duplicates caught. */
import { describe, expect, it } from 'vitest';
import { loadCriteriaFile } from '../engine/criteria-set.js';
import { MINIMAL } from './helpers/minimal.js';

const load = (text: string, limits?: { maxBytes: number; maxAliasCount: number }) => loadCriteriaFile({ file: 'x.yaml', text }, limits ? { limits } : {});
const codes = (text: string) => load(text).problems.map((p) => p.code);

describe('untrusted YAML', () => {
  it('the minimal file is valid', () => {
    expect(load(MINIMAL).problems).toEqual([]);
  });
  it('an alias bomb is stopped', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    expect(codes(bomb)).toEqual(['yaml.alias-limit']);
  });
  it('an oversized file is refused before parsing', () => {
    expect(load(MINIMAL, { maxBytes: 100, maxAliasCount: 100 }).problems.map((p) => p.code)).toEqual(['file.too-large']);
  });
  it('a duplicate key is an error at its line (YAML would keep the last silently)', () => {
    const problems = load(MINIMAL.replace('total_points: 10\n', 'total_points: 10\ntotal_points: 20\n')).problems;
    expect(problems[0]).toMatchObject({ code: 'yaml.duplicate-key', location: { line: 12, column: 1 } });
  });
  it('a syntax error is located', () => {
    const problems = load(MINIMAL.replace('  id: province\n', '  id: province\n    name: [\n')).problems;
    expect(problems[0]!.code).toBe('yaml.syntax');
    expect(problems[0]!.location!.line).toBeGreaterThanOrEqual(9);
    expect(problems[0]!.location!.line).toBeLessThanOrEqual(11);
  });
  it('{var: __proto__} is refused at validation, at its position', () => {
    const problems = load(MINIMAL.replace('{ var: nguong }] }', '{ var: __proto__ }] }')).problems.filter((p) => p.severity === 'error');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'formula.unknown-var', criterion: 'ty-le', location: { line: 31 } });
  });
  it.each(['constructor', 'toString', 'hasOwnProperty', 'ty_le.length'])('{var: %s} is refused', (name) => {
    expect(codes(MINIMAL.replace('{ var: nguong }] }', `{ var: "${name}" }] }`))).toContain('formula.unknown-var');
  });
  it('a __proto__ parameter name is refused by the schema', () => {
    expect(codes(MINIMAL.replace('  nguong:\n', '  __proto__:\n'))).toContain('schema.pattern');
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });
  it('a __proto__ key in an example is an unknown input, and pollutes nothing', () => {
    const problems = load(MINIMAL.replace('inputs: { ty_le: 95 }', 'inputs: { ty_le: 95, __proto__: { polluted: 1 } }')).problems;
    expect(problems.map((p) => p.code)).toEqual(['example.bad-input']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('a JSON-Logic operation outside the whitelist is refused by name', () => {
    const problems = load(MINIMAL.replace('"*": [', '"pow": [')).problems;
    expect(problems.map((p) => p.code)).toContain('formula.unknown-operator');
    expect(problems[0]!.hint!.vi).toContain('Các toán tử được phép');
  });
});
