/**
 * Authoring mistakes a new user met (issue 10, item 6), one fixture each in
 * test/fixtures/authoring/: each is diagnosed as what it is, with its code,
 * line and column, and the fix the hint describes makes the file valid.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { diffCriteriaSets } from '../engine/diff/compare.js';
import type { Problem, ProblemCode } from '../engine/problems.js';
import { MINIMAL } from './helpers/minimal.js';

const fixtures = fileURLToPath(new URL('./fixtures/authoring/', import.meta.url));

function load(text: string | Buffer): Problem[] {
  const file = join(mkdtempSync(join(tmpdir(), 'tieuchi-gap-')), 'f.yaml');
  writeFileSync(file, text);
  return loadCriteriaSet(file).problems;
}

const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

/** 1-based line and column of `snippet` in `text` (where the mistake is). */
function positionOf(text: string, snippet: string): { line: number; column: number } {
  const at = text.indexOf(snippet);
  if (at < 0) throw new Error(`snippet not found: ${snippet}`);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

interface Gap {
  fixture: string;
  code: ProblemCode;
  /** Where the problem must point: the start of this text in the fixture (after `skip` characters of it). */
  at: string;
  skip?: number;
  /** Words the hint must say. */
  hint: RegExp;
  /** The fix the hint describes, applied to the fixture's text. */
  fix: (text: string) => string;
}

const GAPS: Gap[] = [
  // Each fixture is the minimal file with one mistake planted.
  { fixture: 'indent-3-spaces.yaml', code: 'yaml.indentation', at: '   max_points', skip: 3, hint: /cột 5/, fix: (t) => t.replace('   max_points: 10', '    max_points: 10') },
  { fixture: 'dedented-label.yaml', code: 'yaml.indentation', at: 'label: Tỉ lệ\n', hint: /vào cột 9/, fix: (t) => t.replace('      label: Tỉ lệ\n', '        label: Tỉ lệ\n') },
  { fixture: 'comma-decimal-flow.yaml', code: 'yaml.comma-decimal', at: '59,5', hint: /Viết 59\.5/, fix: (t) => t.replace('59,5', '59.5') },
  { fixture: 'comma-decimal-points.yaml', code: 'yaml.comma-decimal', at: '7,2', hint: /Viết 7\.2/, fix: (t) => t.replace('7,2', '7.2') },
  { fixture: 'curly-quotes.yaml', code: 'yaml.curly-quote', at: '“1”', hint: /"1"/, fix: (t) => t.replace('“1”', '"1"') },
  { fixture: 'unquoted-comma.yaml', code: 'yaml.needs-quotes', at: 'tính trên hồ sơ', hint: /label: "Tỉ lệ, tính trên hồ sơ"/, fix: (t) => t.replace('label: Tỉ lệ, tính trên hồ sơ', 'label: "Tỉ lệ, tính trên hồ sơ"') },
];

describe('authoring gaps: code, line, column, and a hint that fixes it', () => {
  it.each(GAPS)('$fixture → $code', ({ fixture, code, at, skip = 0, hint, fix }) => {
    const text = readFileSync(join(fixtures, fixture), 'utf8');
    const { line, column } = positionOf(text, at);
    const problems = errors(load(text));
    // The diagnosis comes first, and is the only error: not a missing bracket, not a missing field.
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code, location: { line, column: column + skip } });
    expect(problems[0]!.hint!.vi).toMatch(hint);
    expect(problems[0]!.hint!.en.length).toBeGreaterThan(10);
    expect(errors(load(fix(text)))).toEqual([]);
  });

  it('a duplicate key names the line of its first occurrence', () => {
    const text = readFileSync(join(fixtures, 'duplicate-key.yaml'), 'utf8');
    const problems = errors(load(text));
    const first = positionOf(text, '    rule: ').line;
    const second = positionOf(text, '    rule: Điểm = điểm chuẩn').line;
    expect(second).toBeGreaterThan(first);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'yaml.duplicate-key', location: { line: second, column: 5 } });
    expect(problems[0]!.message.vi).toContain(`lần đầu ở dòng ${first}`);
    expect(problems[0]!.message.en).toContain(`first on line ${first}`);
  });

  it('a duplicate criterion id names the line of the first', () => {
    const text = readFileSync(join(fixtures, 'duplicate-id.yaml'), 'utf8');
    const problems = errors(load(text));
    const first = positionOf(text, '  - id: ty-le').line;
    const second = text.split('\n').lastIndexOf('  - id: ty-le') + 1;
    expect(problems.find((p) => p.code === 'criterion.duplicate-id')).toMatchObject({ location: { line: second, column: 9 } });
    expect(problems.find((p) => p.code === 'criterion.duplicate-id')!.message.vi).toContain(`(dòng ${first})`);
  });

  it('a file saved as Windows-1258 ("ANSI") is an error at its first non-UTF-8 byte, not a valid file with garbled text', () => {
    const problems = load(readFileSync(join(fixtures, 'windows-1258.yaml')));
    expect(problems).toHaveLength(1);
    // Line 4, "number: 1/QĐ-UBND": the first letter outside ASCII.
    expect(problems[0]).toMatchObject({ code: 'file.encoding', severity: 'error', location: { line: 4, column: 14 } });
    expect(problems[0]!.hint!.vi).toContain('UTF-8');
  });

  it('decomposed Vietnamese (NFD) reads as composed: valid, and no change in a diff', () => {
    const nfd = readFileSync(join(fixtures, 'decomposed-nfd.yaml'), 'utf8');
    expect(nfd).not.toBe(MINIMAL);
    expect(nfd.normalize('NFC')).toBe(MINIMAL);
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-nfc-'));
    writeFileSync(join(dir, 'nfc.yaml'), MINIMAL);
    writeFileSync(join(dir, 'nfd.yaml'), nfd);
    const a = loadCriteriaSet(join(dir, 'nfc.yaml'));
    const b = loadCriteriaSet(join(dir, 'nfd.yaml'));
    expect(errors(b.problems)).toEqual([]);
    expect(b.set!.levels[0]!.name).toBe('Đơn vị cấp tỉnh');
    const diff = diffCriteriaSets(a.set!, b.set!);
    expect(diff.counts).toMatchObject({ criteriaChanged: 0, parametersChanged: 0, levelsChanged: 0 });
  });

  it('a clean file gets no hint', () => {
    expect(load(MINIMAL)).toEqual([]);
  });
});

describe('the JSON Schema types a parameter value by its declared type (VS Code underlines 98% and 9,5)', () => {
  const valueLine = positionOf(MINIMAL, '    value: 95').line;
  it.each([
    ['value: 98%', 'schema.type', /Bỏ dấu %/],
    ['value: 9,5', 'yaml.comma-decimal', /Viết 9\.5/],
    ['value: "95"', 'schema.type', undefined],
  ] as const)('%s → %s', (to, code, hint) => {
    const problems = errors(load(MINIMAL.replace('value: 95', to)));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code, location: { line: valueLine, column: 12 } });
    if (hint) expect(problems[0]!.hint!.vi).toMatch(hint);
  });
  it('a date parameter must be a quoted YYYY-MM-DD', () => {
    const text = MINIMAL.replace('    type: percent\n    value: 95', '    type: date\n    value: 15/12/2023');
    expect(errors(load(text))[0]).toMatchObject({ code: 'schema.pattern', location: { line: valueLine, column: 12 } });
  });
  it('the schema file says so, for the editor', () => {
    const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../schemas/criteria-level.schema.json', import.meta.url)), 'utf8'));
    const rule = schema.definitions.parameter.allOf[0];
    expect(rule.if.properties.type.const).toBe('date');
    expect(rule.then.properties.value.type).toBe('string');
    expect(rule.else.properties.value.type).toBe('number');
  });
});
