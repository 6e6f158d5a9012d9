/**
 * bulk (issue 9): the parallel CSV run's direct reader (engine/load/json-direct.ts,
 * engine/cli/parallel/direct-score.ts) is only a shortcut. For every entry it
 * accepts, the usual way (readEntryText → the envelope check → the scoring
 * session → csvUnitRow) must give a complete unit without a problem, the same
 * id, name, total, row bytes and text length; everything else it must leave to
 * the usual way. Entries: synthetic units of every level, and each of them
 * altered in ways that keep or change what they mean.
 */
import { describe, expect, it } from 'vitest';
import { DirectCsvScorer } from '../engine/cli/parallel/direct-score.js';
import { CompleteCsvRows, UnitRows } from '../engine/cli/score-rows.js';
import { DirectEntryReader, keyBytes } from '../engine/load/json-direct.js';
import { readEntryText } from '../engine/load/json-entries.js';
import { JsonValueReader } from '../engine/load/json-reader.js';
import { DEFAULT_SUBMISSION_LIMITS, submitJsonEntry } from '../engine/load/submissions.js';
import type { Submission } from '../engine/model.js';
import type { Problem } from '../engine/problems.js';
import { createScoringSession } from '../engine/scoring.js';
import { syntheticSubmissions } from '../scripts/synthetic.js';
import { criteria2023 } from './helpers/criteria.js';

const set = criteria2023();
const session = createScoringSession(set, { trace: false });
const levels = session.levels();
const rows = new UnitRows(set, levels, { format: 'csv', trace: false, lang: 'vi' });
const limits = DEFAULT_SUBMISSION_LIMITS;
const readLimits = { maxDepth: limits.maxDepth, maxStringLength: limits.maxStringLength, maxKeyLength: limits.maxKeyLength };
const reader = new JsonValueReader(readLimits);
const direct = DirectCsvScorer.create(set, levels, limits.maxNameLength)!;

/** The usual way: the row of a complete unit without problems, else undefined. */
function usual(text: string): { id: string; name: string; total: number; row: string } | undefined {
  const outcome = readEntryText(text, { offset: 0, line: 1, column: 1 }, 0, reader, readLimits);
  if (outcome === 'stop' || 'failure' in outcome) return undefined;
  const problems: Problem[] = [];
  let submission: Submission | undefined;
  submitJsonEntry('f.json', outcome.entry, { problem: (p) => problems.push(p), submission: (s) => (submission = s) }, limits);
  if (!submission || problems.length) return undefined;
  const scored = session.score(submission);
  if (!('unit' in scored)) return undefined;
  session.forget(submission.level, submission.id);
  const unit = scored.unit;
  if (unit.status !== 'complete' || unit.problems.length || unit.criteria.some((c) => c.problems.length)) return undefined;
  return { id: unit.id, name: unit.name, total: unit.total!, row: rows.row(unit) };
}

/** Checks one entry; returns whether the direct reader took it. */
function check(text: string): boolean {
  const bytes = Buffer.from(text, 'utf8');
  const took = direct.score(bytes, 0, bytes.length);
  const expected = usual(text);
  if (took) {
    expect(expected, text).toBeDefined();
    expect({ id: direct.id, name: direct.name, total: direct.total, row: direct.row }, text).toEqual(expected);
    expect(Object.is(direct.total, expected!.total), text).toBe(true);
    expect(direct.chars, text).toBe(text.length);
  }
  return took;
}

const units = syntheticSubmissions(set, 600, 7).map(({ mode: _m, ...u }) => u);

describe('direct reader of the parallel CSV run', () => {
  it('takes most synthetic units, each exactly as the usual way scores it', () => {
    let took = 0;
    for (const u of units) if (check(JSON.stringify(u))) took++;
    // Units with a criterion on a rounding boundary are the exact path's (a few per cent).
    expect(took).toBeGreaterThan(units.length * 0.85);
  });

  it('reads white space, other number spellings, non-ASCII names as the usual way does', () => {
    let took = 0;
    for (const u of units.slice(0, 120)) {
      const spellings = [
        JSON.stringify(u, null, 2),
        JSON.stringify(u, null, '\t').replace(/\n/g, '\r\n'),
        JSON.stringify(u).replace(/:(\d+)\.(\d+)/g, ':$1.$20'),
        JSON.stringify(u).replace(/:(\d+)([,}])/g, ':$1.0$2'),
        JSON.stringify(u).replace(/:(\d+)\.(\d+)/g, ':$1.$2E0'),
        JSON.stringify(u).replace(/:0([,}])/g, ':-0$1'),
        JSON.stringify({ ...u, name: `  ${u.name} 😀 𝔘  ` }),
        JSON.stringify({ ...u, name: 'Plain ASCII name' }),
      ];
      for (const text of spellings) if (check(text)) took++;
    }
    expect(took).toBeGreaterThan(120 * 8 * 0.8);
  });

  it('leaves every other shape to the usual way, which finds the problem', () => {
    const u = units[0]!;
    const base = JSON.stringify(u);
    const first = Object.keys(u.inputs)[0]!;
    const block = u.inputs[first] as Record<string, unknown>;
    const firstInput = Object.keys(block)[0]!;
    const entries = [
      base.replace('"name":', '"name":"x","name":'), // a key repeated
      base.replace('"inputs":', '"note":"ghi chú","inputs":'), // a key it does not read (allowed)
      base.replace('"inputs":', '"extra":1,"inputs":'), // an unknown key
      base.replace('"name":"', '"name":"\\u0110'), // an escape
      JSON.stringify({ ...u, name: '   ' }),
      JSON.stringify({ ...u, name: 'x'.repeat(limits.maxNameLength + 1) }),
      JSON.stringify({ ...u, id: '-dau-gach' }),
      JSON.stringify({ ...u, id: 'đơn-vị' }),
      JSON.stringify({ ...u, id: 'x'.repeat(101) }),
      JSON.stringify({ ...u, level: 'ward' }),
      JSON.stringify({ ...u, type: 'x' }),
      JSON.stringify({ inputs: u.inputs, id: u.id, name: u.name, level: u.level }), // level after inputs
      JSON.stringify({ ...u, inputs: { ...u.inputs, khac: { x: 1 } } }),
      JSON.stringify({ ...u, inputs: Object.fromEntries(Object.entries(u.inputs).slice(1)) }),
      JSON.stringify({ ...u, inputs: Object.fromEntries(Object.entries(u.inputs).reverse()) }),
      JSON.stringify({ ...u, inputs: { ...u.inputs, [first]: { ...block, [firstInput]: 'không phải số' } } }),
      JSON.stringify({ ...u, inputs: { ...u.inputs, [first]: { ...block, thua: 1 } } }),
      JSON.stringify({ ...u, inputs: { ...u.inputs, [first]: {} } }),
      JSON.stringify({ ...u, inputs: { ...u.inputs, [first]: [1] } }),
      JSON.stringify({ ...u, inputs: { ...u.inputs, [first]: null } }),
      base.replace(/:(\d+)\.(\d+)/, ':0$1.$2'), // a leading zero: not JSON
      base.replace(/:(\d+)\.(\d+)/, ':$1.'), // not JSON
      base.replace(/:(\d+)\.(\d+)/, ':1e400'),
      base.replace(/:(true|false)/, ':tru'),
      base.replace(/:(true|false)/, ':"$1"'),
      base.replace(/:(true|false)/, ':1'),
      base.replace(/\}$/, ',}'),
      base.replace(/\}$/, '} '),
      base + 'x',
      base.slice(0, -1),
    ];
    for (const text of entries) {
      expect(text).not.toBe(base);
      expect(check(text), text).toBe(false);
    }
  });

  it('ratio values: the same object as JSON.parse makes, or the usual way', () => {
    const commune = units.find((x) => JSON.stringify(x).includes('"achieved"'))!;
    const base = JSON.stringify(commune);
    expect(check(base.replace(/"achieved":(\d+),"total":(\d+)/, '"achieved" : $1 , "total" : $2'))).toBe(check(base));
    for (const text of [
      base.replace(/"achieved":(\d+),"total":(\d+)/, '"total":$2,"achieved":$1'),
      base.replace(/"achieved":(\d+),"total":(\d+)/, '"achieved":$1,"achieved":$1,"total":$2'),
      base.replace(/"achieved":(\d+),"total":(\d+)/, '"__proto__":{},"achieved":$1,"total":$2'),
      base.replace(/"achieved":(\d+),"total":(\d+)/, '"achieved":$1,"total":{"x":$2}'),
      base.replace(/"achieved":(\d+),"total":(\d+)/, '"achieved":$1.5,"total":$2'),
    ]) {
      expect(text).not.toBe(base);
      expect(check(text), text).toBe(false);
    }
  });

  it('formats points as csvUnitRow does, whatever the value', () => {
    const level = levels[0]!;
    const formatter = new CompleteCsvRows([level], level.criteria.map((c) => c.id), [1]);
    for (const value of [0, -0, 0.1, 0.25, 1.05, 2.675, 12.3, 1e15, 123456789.1, -3.4]) {
      const points = level.criteria.map(() => value);
      const row = formatter.row(0, 'u', 'Tên', value, points);
      expect(row).toBe(`u,Tên,complete,${value.toFixed(1)}${points.map((p) => ',' + p.toFixed(1)).join('')}\n`);
      // Twice: the second from the cache.
      expect(formatter.row(0, 'u', 'Tên', value, points)).toBe(row);
    }
  });

  it('reads every value as JSON.parse does (numbers to the last bit)', () => {
    const plan = { id: keyBytes('l'), enabled: true, criteria: [{ key: keyBytes('c'), inputs: [keyBytes('x')] }] };
    const one = new DirectEntryReader([plan], 300);
    let seed = 12345;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join('');
    const texts = ['0', '-0', '0.0', '-0.0', '1', '100', '0.1', '0.3', '2.675', '9007199254740991', '9007199254740993', '123456789012345678901234567890', '1e5', '1E-7', '-2.5e+3', '0.000001', '1.7976931348623157e308', '5e-324', '"2023-01-05"', '"Đà Nẵng 😀"', 'true', 'false', 'null', '{"achieved":3,"total":4}', '{}', '{"a":"b","c":null}'];
    for (let i = 0; i < 20_000; i++) {
      const whole = next() < 0.3 ? '0' : String(1 + Math.floor(next() * 9)) + digits(Math.floor(next() * 17));
      const fraction = next() < 0.2 ? '' : '.' + digits(1 + Math.floor(next() * 24));
      const exponent = next() < 0.9 ? '' : `e${next() < 0.5 ? '-' : ''}${Math.floor(next() * 30)}`;
      texts.push(`${next() < 0.2 ? '-' : ''}${whole}${fraction}${exponent}`);
    }
    for (const value of texts) {
      const entry = `{"id":"u","name":"N","level":"l","inputs":{"c":{"x":${value}}}}`;
      const bytes = Buffer.from(entry, 'utf8');
      expect(one.read(bytes, 0, bytes.length), entry).toBe(true);
      const parsed = (JSON.parse(entry) as { inputs: { c: { x: unknown } } }).inputs.c.x;
      if (typeof parsed === 'number') expect(Object.is(one.values[0], parsed), value).toBe(true);
      else expect(one.values[0], value).toEqual(parsed);
      expect(one.chars).toBe(entry.length);
    }
  });
});
