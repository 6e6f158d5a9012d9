/** Criteria YAML is untrusted: bounded sizes and aliases, no prototype tricks, duplicates caught. */
import { describe, expect, it } from 'vitest';
import { loadCriteriaFile } from '../engine/criteria-set.js';
import { DEFAULT_CRITERIA_LIMITS } from '../engine/validate/limits.js';
import { MINIMAL } from './helpers/minimal.js';
import { cli } from './helpers/cli.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

const FORMULA = `formula:\n      "*": [{ "/": [{ var: ty_le }, { var: nguong }] }, { var: max_points }]`;
const withFormula = (yaml: string) => MINIMAL.replace(FORMULA, `formula: ${yaml}`);
/** A formula of exactly `n` nested operations: max(max(…max(var, 1)…, 1), 1). */
const nested = (n: number) => {
  let f = '{ var: ty_le }';
  for (let i = 1; i < n; i++) f = `{ max: [${f}, 1] }`;
  return f;
};
/** A value nested exactly `n` levels below the root mapping's key (the root mapping is level 1). */
const deepYaml = (n: number, style: 'flow' | 'block') =>
  style === 'flow' ? `a: ${'['.repeat(n - 1)}x${']'.repeat(n - 1)}\n` : Array.from({ length: n }, (_, i) => `${' '.repeat(i)}${i === n - 1 ? 'k: x' : 'k:'}`).join('\n');

describe('hostile YAML: refused as located problems, never by the stack', () => {
  it.each([
    ['formula: &f { max: [*f, 1] }', 'self-referential formula'],
    ['&f { max: [{ min: [*f] }, 1] }', 'alias two levels down'],
  ])('an alias inside its own anchor (%s) is yaml.alias-cycle at the alias', (yaml) => {
    const text = yaml.startsWith('formula') ? MINIMAL.replace(FORMULA, yaml) : withFormula(yaml);
    const problems = load(text).problems;
    expect(problems.map((p) => p.code)).toEqual(['yaml.alias-cycle']);
    expect(problems[0]!.location).toMatchObject({ line: 30 });
    expect(problems[0]!.message.vi).toContain('*f');
  });

  it('an alias to an earlier, finished anchor is still fine', () => {
    const text = MINIMAL.replace('  ty_le: { type: percent, label: Tỉ lệ }', '  ty_le: &pct { type: percent, label: Tỉ lệ }').replace('inputs: { ty_le: 95 }', 'inputs: { ty_le: 95 }');
    expect(load(text).problems).toEqual([]);
  });

  it('through the CLI (with its parse cache, twice): exit 1, a located message, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-cycle-'));
    const file = join(dir, 'province.yaml');
    writeFileSync(file, MINIMAL.replace(FORMULA, 'formula: &f { max: [*f, 1] }'));
    for (let i = 0; i < 2; i++) {
      const result = await cli(['validate', file, '--format', 'json']);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).sets[0].problems.map((p: { code: string }) => p.code)).toEqual(["yaml.alias-cycle"]);
      expect(result.stdout + result.stderr).not.toMatch(/\bat .+:\d+:\d+\)?$|RangeError|alias-limit/m);
    }
  });

  it.each([
    ['!!js/function "function () { return 1 }"', '!!js/function'],
    ['!!python/object:os.system x', '!!python/object:os.system'],
    ['!ghi-chu Tiêu chí thử', '!ghi-chu'],
    ['!!binary aGk=', '!!binary'],
    ['! Tiêu chí thử', '!'],
  ])('the tag in title: %s is yaml.unknown-tag, located', (value, tag) => {
    const problems = load(MINIMAL.replace('title: Tiêu chí thử', `title: ${value}`)).problems;
    expect(problems.map((p) => p.code)).toEqual(['yaml.unknown-tag']);
    expect(problems[0]!.message.en).toContain(`"${tag}"`);
    expect(problems[0]!.location).toMatchObject({ line: 7 });
  });

  it('core tags that only restate the value (!!str, !!int) are accepted', () => {
    expect(load(MINIMAL.replace('title: Tiêu chí thử', 'title: !!str Tiêu chí thử').replace('total_points: 10', 'total_points: !!int 10')).problems).toEqual([]);
  });

  it.each(['flow', 'block'] as const)('%s nesting: 64 levels parse, 65 are yaml.too-deep (whatever the JIT)', (style) => {
    expect(codes(deepYaml(64, style))).not.toContain('yaml.too-deep');
    const problems = load(deepYaml(65, style)).problems;
    expect(problems.map((p) => p.code)).toEqual(['yaml.too-deep']);
    expect(problems[0]!.location!.line).toBeGreaterThanOrEqual(1);
  });

  it('a file of more than 50,000 tokens is refused while parsing (file.too-large), located where it crossed the limit', () => {
    const problems = load(`${MINIMAL}notes: [${'0,'.repeat(30_000)}]\n`).problems;
    expect(problems.map((p) => p.code)).toEqual(['file.too-large']);
    expect(problems[0]!.location!.line).toBe(34);
    expect(problems[0]!.message.en).toContain('50000');
    expect(codes(`${MINIMAL}notes: [${'0,'.repeat(10_000)}]\n`)).not.toContain('file.too-large');
  });

  it('a collection as a key is refused (yaml would stringify it)', () => {
    expect(codes(MINIMAL.replace('title: Tiêu chí thử', '? [a, b]\n  : x\n  title: Tiêu chí thử'))).toEqual(['yaml.syntax']);
  });

  it('a 1 MiB line of [ is refused in milliseconds, not parsed', () => {
    const start = performance.now();
    expect(codes(`a: ${'['.repeat(1024 * 1024 - 10)}`)).toEqual(['yaml.too-deep']);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it(`formulas: ${DEFAULT_CRITERIA_LIMITS.maxFormulaDepth} nested operations are accepted, one more is formula.too-deep at the operation`, () => {
    const max = DEFAULT_CRITERIA_LIMITS.maxFormulaDepth;
    expect(codes(withFormula(nested(max))).filter((c) => c.startsWith('formula.too') || c.startsWith('yaml.'))).toEqual([]);
    const problems = load(withFormula(nested(max + 1))).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'formula.too-deep', criterion: 'ty-le', location: { line: 30 } });
    // The innermost operation, where the limit is crossed.
    expect(problems[0]!.location!.column).toBeGreaterThan(150);
  });

  it.each([50, 450, 5000])('a %i-deep formula gives the same answer in every run', (n) => {
    const answers = new Set(Array.from({ length: 3 }, () => codes(withFormula(nested(n))).join()));
    expect([...answers]).toEqual([n * 2 + 5 > 64 ? 'yaml.too-deep' : 'formula.too-deep']);
  });

  it('names and labels over 500 characters, other texts over 5,000, are schema.too-long at their key', () => {
    expect(codes(MINIMAL.replace('name: Tỉ lệ\n', `name: ${'ệ'.repeat(500)}\n`))).toEqual([]);
    const name = load(MINIMAL.replace('name: Tỉ lệ\n', `name: ${'ệ'.repeat(501)}\n`)).problems;
    expect(name).toMatchObject([{ code: 'schema.too-long', location: { line: 24 } }]);
    expect(codes(MINIMAL.replace('label: Tỉ lệ }', `label: ${'x'.repeat(501)} }`))).toEqual(['schema.too-long']);
    expect(codes(MINIMAL.replace('evidence: Báo cáo', `evidence: ${'x'.repeat(5000)}`))).toEqual([]);
    expect(codes(MINIMAL.replace('evidence: Báo cáo', `evidence: ${'x'.repeat(5001)}`))).toEqual(['schema.too-long']);
    // A string literal inside a formula is bounded too.
    expect(codes(withFormula(`{ "==": [{ var: ty_le }, "${'y'.repeat(5001)}"] }`))).toContain('schema.too-long');
  });
});
