/**
 * Mutated submissions (JSON and CSV) through the library readers and
 * scoreSubmissions, and through the CLI's run() with captured streams:
 * byte flips, structure swaps, prototype keys at every level (keys, header
 * columns, ids, levels), deep nesting, huge values, wrong encodings,
 * duplicate keys. Deterministic (fixed seed), bounded in time. Asserts: no
 * exception, no stack trace in any output, no unit with a problem gets a
 * total (never a silent 0), the builtins untouched.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSubmissionsCsv, readSubmissionsJson } from '../engine/load/submissions.js';
import type { Submission } from '../engine/model.js';
import type { Problem } from '../engine/problems.js';
import { scoreSubmissions, type ScoreRun } from '../engine/scoring.js';
import { random, syntheticSubmissions } from '../scripts/synthetic.js';
import { cli } from './helpers/cli.js';
import { criteria2023, criteria2023Dir } from './helpers/criteria.js';

const SEED = 14_2023;
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const TRACE = /^\s+at |\b[A-Z][A-Za-z]*Error\b|^Error:|Cannot read propert|is not a function|undefined \(reading/m;

/** Own keys and their values (or accessors) of the builtins a pollution would touch. */
function snapshotBuiltins(): Map<string, unknown> {
  const snapshot = new Map<string, unknown>();
  const roots: [string, object][] = [
    ['Object', Object],
    ['Object.prototype', Object.prototype],
    ['Array.prototype', Array.prototype],
    ['Function.prototype', Function.prototype],
    ['String.prototype', String.prototype],
    ['JSON', JSON],
    ['globalThis', globalThis],
  ];
  for (const [name, root] of roots) {
    for (const key of Reflect.ownKeys(root)) {
      // Node installs some of its own state on globalThis lazily (Node 22: fetch's dispatcher,
      // Symbol(undici.globalDispatcher.1), the first time anything in the worker uses fetch).
      if (root === globalThis && typeof key === 'symbol' && /^(undici|nodejs)\./.test(key.description ?? '')) continue;
      const d = Object.getOwnPropertyDescriptor(root, key)!;
      snapshot.set(`${name}.${String(key)}`, 'value' in d ? d.value : [d.get, d.set]);
    }
    snapshot.set(`${name} [[Prototype]]`, Object.getPrototypeOf(root));
  }
  return snapshot;
}

function expectUntouched(before: Map<string, unknown>): void {
  const after = snapshotBuiltins();
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => {
    const a = before.get(k);
    const b = after.get(k);
    return Array.isArray(a) && Array.isArray(b) ? !Object.is(a[0], b[0]) || !Object.is(a[1], b[1]) : !Object.is(a, b);
  });
  expect(changed).toEqual([]);
}

function problemText(p: Problem): string {
  return `${p.message.vi}\n${p.message.en}\n${p.hint?.vi ?? ''}\n${p.hint?.en ?? ''}`;
}

/**
 * The run's invariants: a unit with any problem has no total; a total only with every
 * criterion scored; no message reads like a stack trace. Plain checks collected as
 * strings (one expect per test: expect() itself is too slow for 100,000 checks).
 */
const violations: string[] = [];
function checkRun(run: ScoreRun, label: string): void {
  for (const unit of run.units) {
    const problems = unit.problems.length + unit.criteria.reduce((n, c) => n + c.problems.length, 0);
    if (problems > 0 || unit.criteria.some((c) => c.status !== 'scored')) {
      if (unit.total !== undefined || unit.status === 'complete') violations.push(`${label}: ${unit.id} has problems but a total ${unit.total}`);
    } else if (unit.status !== 'complete' || typeof unit.total !== 'number') violations.push(`${label}: ${unit.id} has no problem and no total`);
    for (const c of unit.criteria) if (c.status === 'error' && c.points !== undefined) violations.push(`${label}: ${unit.id}/${c.id} is an error with points ${c.points}`);
  }
  for (const p of run.problems) checkProblem(p, label);
}

function checkProblem(p: Problem, label: string): void {
  if (TRACE.test(problemText(p))) violations.push(`${label}: ${p.code} reads like a trace: ${problemText(p).slice(0, 300)}`);
}

type Mutator = (text: string, next: () => number) => string;

const pick = <T>(list: readonly T[], next: () => number): T => list[Math.floor(next() * list.length)]!;

function deep(depth: number, open = '['): string {
  const close = open === '[' ? ']' : '}';
  const inner = open === '[' ? '1' : '"a":1';
  return open === '[' ? open.repeat(depth) + inner + close.repeat(depth) : '{"a":'.repeat(depth - 1) + '{' + inner + '}'.repeat(depth);
}

/** Replace one JSON value (after a colon) with something hostile. */
const hostileValues: ((next: () => number) => string)[] = [
  (next) => deep(5 + Math.floor(next() * 5000)),
  (next) => deep(5 + Math.floor(next() * 200), '{'),
  () => JSON.stringify('x'.repeat(5000)),
  () => '1e999',
  () => '-0',
  () => '"=HYPERLINK(\\"http://x\\")"',
  () => 'null',
  () => '[]',
  () => '{}',
  () => '"\\u001b[31m"',
  (next) => `{"${pick(PROTO_KEYS, next)}": {"${pick(PROTO_KEYS, next)}": 1}}`,
  () => '"2023-02-30"',
  () => '"\\ud800"',
  () => '12345678901234567890123456789',
];

const jsonMutators: Mutator[] = [
  // byte flips
  (text, next) => {
    const chars = [...text];
    for (let i = 0, n = 1 + Math.floor(next() * 4); i < n; i++) chars[Math.floor(next() * chars.length)] = pick(['{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', 'é', '\n', '0', 'x'], next);
    return chars.join('');
  },
  // truncation
  (text, next) => text.slice(0, Math.floor(next() * text.length)),
  // a value replaced
  (text, next) => {
    const colons = [...text.matchAll(/:(?=[^:]*$)|:/g)].map((m) => m.index!);
    const at = pick(colons, next);
    const end = text.slice(at + 1).search(/[,}\]]/);
    return text.slice(0, at + 1) + pick(hostileValues, next)(next) + text.slice(at + 1 + Math.max(end, 0));
  },
  // a key replaced by a prototype key (any level: envelope, inputs, criterion, input)
  (text, next) => {
    const keys = [...text.matchAll(/"([a-z_][a-z0-9_-]*)":/g)];
    const k = pick(keys, next);
    return text.slice(0, k.index!) + `"${pick(PROTO_KEYS, next)}":` + text.slice(k.index! + k[0].length);
  },
  // a duplicate key
  (text, next) => {
    const keys = [...text.matchAll(/"([a-z_][a-z0-9_-]*)":/g)];
    const k = pick(keys, next);
    return text.slice(0, k.index!) + `"${k[1]}": 1, ` + text.slice(k.index!);
  },
  // structure swaps
  (text, next) => {
    const a = Math.floor(next() * text.length);
    const b = Math.floor(next() * text.length);
    const [from, to] = a < b ? [a, b] : [b, a];
    const len = Math.floor(next() * 40);
    return text.slice(0, from) + text.slice(to, to + len) + text.slice(from + len, to) + text.slice(from, from + len) + text.slice(to + len);
  },
  // ids and levels from the prototype, or hostile
  (text, next) => text.replace(/"(id|level)":"[^"]*"/, (_, key: string) => `"${key}":"${pick([...PROTO_KEYS, '', 'x'.repeat(200), 'a\u0000b', '=1+1'], next)}"`),
  // wrapper with extra or duplicate submissions
  (text, next) => (next() < 0.5 ? `{"submissions": ${text}, "submissions": []}` : `{"x": 1, "submissions": ${text}, "__proto__": {"polluted": 1}}`),
];

function csvOf(units: ReturnType<typeof syntheticSubmissions>): string {
  const columns: string[] = [];
  for (const u of units) {
    for (const [criterion, inputs] of Object.entries(u.inputs)) {
      for (const [input, value] of Object.entries(inputs as Record<string, unknown>)) {
        const names = value !== null && typeof value === 'object' ? [`${criterion}.${input}.achieved`, `${criterion}.${input}.total`] : [`${criterion}.${input}`];
        for (const n of names) if (!columns.includes(n)) columns.push(n);
      }
    }
  }
  const cell = (u: (typeof units)[number], column: string): string => {
    const [criterion, input, part] = column.split('.') as [string, string, string | undefined];
    const v = ((u.inputs[criterion] as Record<string, unknown> | undefined) ?? {})[input];
    if (v === undefined) return '';
    if (part) return String((v as Record<string, unknown>)[part]);
    return v === null ? 'Chưa có' : v === true ? 'Có' : v === false ? 'Không' : String(v);
  };
  return [['id', 'name', 'level', ...columns].join(','), ...units.map((u) => [u.id, u.name, u.level, ...columns.map((c) => cell(u, c))].join(','))].join('\n') + '\n';
}

const csvMutators: Mutator[] = [
  jsonMutators[0]!,
  jsonMutators[1]!,
  // a header column replaced by a prototype path
  (text, next) => {
    const [header, ...rows] = text.split('\n');
    const cols = header!.split(',');
    const i = 3 + Math.floor(next() * (cols.length - 3));
    cols[i] = pick([`${pick(PROTO_KEYS, next)}.${pick(PROTO_KEYS, next)}`, `constructor.assign`, `__proto__.x`, `prototype.y`, `dvc-toan-trinh.${pick(PROTO_KEYS, next)}`, cols[3]!, 'x'.repeat(500)], next);
    return [cols.join(','), ...rows].join('\n');
  },
  // a cell replaced
  (text, next) => {
    const lines = text.split('\n');
    const r = 1 + Math.floor(next() * (lines.length - 2));
    const cells = lines[r]!.split(',');
    cells[Math.floor(next() * cells.length)] = pick(['__proto__', 'constructor', '=cmd|"/c calc"!A1', '"', 'x'.repeat(3000), '-1', '1e999', '\u001b[2J', '', ';'], next);
    lines[r] = cells.join(',');
    return lines.join('\n');
  },
  // delimiter swap, extra column, missing column
  (text, next) => (next() < 0.5 ? text.replace(/,/g, ';') : text.replace('\n', ',extra\n')),
  // the first column renamed (id missing) or ids from the prototype
  (text, next) => text.replace(/\n[^,\n]*/, `\n${pick(PROTO_KEYS, next)}`),
];

/** Text in another encoding: UTF-16 (with or without BOM) or Latin-1 bytes read as UTF-8. */
function wrongEncoding(text: string, next: () => number): string {
  const r = next();
  if (r < 0.33) return Buffer.from('\uFEFF' + text, 'utf16le').toString('utf8');
  if (r < 0.66) return Buffer.from(text, 'latin1').toString('utf8');
  return '\uFEFF\uFEFF' + text;
}

describe('fuzzing submissions (issue 14)', () => {
  it('≥ 10,000 mutated JSON and CSV submissions through the library: no exception, no trace, no silent 0, builtins untouched', () => {
    const set = criteria2023();
    const next = random(SEED);
    const before = snapshotBuiltins();
    const base = syntheticSubmissions(set, 60, SEED).map(({ mode: _m, ...s }) => s);
    let submissions = 0;
    let scored = 0;
    for (let round = 0; round < 300; round++) {
      const units = base.slice(Math.floor(next() * 50)).slice(0, 1 + Math.floor(next() * 12));
      const asCsv = next() < 0.35;
      let text = asCsv ? csvOf(units as never) : JSON.stringify(units);
      const mutators = asCsv ? csvMutators : jsonMutators;
      for (let i = 0, n = 1 + Math.floor(next() * 2); i < n; i++) text = pick(mutators, next)(text, next);
      if (next() < 0.05) text = wrongEncoding(text, next);
      const label = `round ${round} (${asCsv ? 'csv' : 'json'})`;
      let run: ScoreRun;
      try {
        const read = asCsv ? readSubmissionsCsv('fuzz.csv', text) : readSubmissionsJson('fuzz.json', text);
        for (const p of read.problems) checkProblem(p, label);
        run = scoreSubmissions(set, read.submissions, { trace: next() < 0.2 });
      } catch (err) {
        throw new Error(`${label}: ${(err as Error).message}\n${text.slice(0, 500)}`);
      }
      checkRun(run, label);
      submissions += units.length;
      scored += run.units.filter((u) => u.status === 'complete').length;
    }
    expectUntouched(before);
    expect(violations).toEqual([]);
    expect(submissions).toBeGreaterThanOrEqual(1500);
    // The mutations leave some units intact: the fuzzer must not only produce garbage.
    expect(scored).toBeGreaterThan(100);
  }, 60_000);

  it('≥ 10,000 mutated submissions as single units, every one read and checked alone', () => {
    const set = criteria2023();
    const next = random(SEED + 1);
    const before = snapshotBuiltins();
    const base = syntheticSubmissions(set, 30, SEED + 1).map(({ mode: _m, ...s }) => JSON.stringify(s));
    let count = 0;
    let batch: Submission[] = [];
    for (let i = 0; i < 10_000; i++) {
      // A unique id each, so a batch scores them all (a repeated id would be refused as a duplicate).
      let text = pick(base, next).replace(/"id":"[^"]*"/, `"id":"u${i}"`);
      text = pick(jsonMutators.slice(2, 5), next)(text, next);
      const read = readSubmissionsJson('one.json', text);
      for (const p of read.problems) checkProblem(p, `single ${i}`);
      batch.push(...read.submissions);
      count++;
      if (batch.length >= 200 || i === 9_999) {
        checkRun(scoreSubmissions(set, batch, { trace: false }), `singles up to ${i}`);
        batch = [];
      }
    }
    expectUntouched(before);
    expect(violations).toEqual([]);
    expect(count).toBe(10_000);
  }, 60_000);

  it('through the CLI with captured streams: exit 0 or 1, no trace on stdout or stderr, builtins untouched', async () => {
    const set = criteria2023();
    const next = random(SEED + 2);
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-fuzz-'));
    const before = snapshotBuiltins();
    const base = syntheticSubmissions(set, 400, SEED + 2).map(({ mode: _m, ...s }) => s);
    for (let round = 0; round < 6; round++) {
      const files: string[] = [];
      for (let f = 0; f < 3; f++) {
        const units = base.slice(f * 100, f * 100 + 100 + Math.floor(next() * 30));
        const asCsv = f === 2;
        // Each unit mutated alone (so most of the file stays readable), then sometimes the file as a whole.
        let text = asCsv ? csvOf(units as never) : '[' + units.map((u) => (next() < 0.3 ? pick(jsonMutators.slice(2, 5), next)(JSON.stringify(u), next) : JSON.stringify(u))).join(',\n') + ']';
        if (asCsv) for (let i = 0; i < 20; i++) text = csvMutators[3]!(text, next);
        if (next() < 0.25) text = pick(asCsv ? csvMutators : jsonMutators, next)(text, next);
        const path = join(dir, `r${round}-${f}.${asCsv ? 'csv' : 'json'}`);
        writeFileSync(path, text);
        files.push(path);
      }
      const format = pick(['table', 'json', 'csv'], next);
      const r = await cli(['score', '--criteria', criteria2023Dir, ...files.flatMap((p) => ['--input', p]), '--format', format, '--now', '2024-01-01T00:00:00Z'], dir);
      const label = `cli round ${round} (${format})`;
      expect([0, 1], label).toContain(r.code);
      expect(r.stderr, label).not.toMatch(TRACE);
      expect(r.stdout, label).not.toMatch(/^\s+at /m);
      if (format === 'json') {
        const out = JSON.parse(r.stdout) as ScoreRun;
        checkRun(out, label);
      }
    }
    expectUntouched(before);
    expect(violations).toEqual([]);
  }, 60_000);
});
