/**
 * Shared by test/fuzz-criteria*.test.ts (split in two files so that vitest runs the 10,000
 * cases on both cores). Fuzzing the criteria reader: 10,000 mutated criteria files (byte flips,
 * line swaps, prototype keys at every level, deep nesting, cyclic aliases,
 * huge values, wrong encodings), from two small valid level files and the
 * 2023 commune file, through loadCriteriaTexts; a sample of them through the CLI
 * (`tieuchi validate`, with its parse cache). Whatever the input: no
 * exception, no stack trace in any message or output, every problem a
 * documented code with both languages, and JavaScript's builtins untouched.
 * Seeded, so a failure names a case that can be replayed.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { loadCriteriaTexts } from '../../engine/criteria-set.js';
import type { Problem } from '../../engine/problems.js';
import { repoRoot } from './criteria.js';
import { MINIMAL } from './minimal.js';
import { random } from '../../scripts/synthetic.js';

const SMALL = readFileSync(`${repoRoot}test/fixtures/two-levels/2026/commune.yaml`, 'utf8');
const LARGE = readFileSync(`${repoRoot}criteria/2023/commune.yaml`, 'utf8');
export const CASES = 10_000;
/** Of which: mutations of the 2023 commune file (50 ms each when they still parse) and runs through the CLI. */
const LARGE_CASES = 40;
export const CLI_CASES = 60;

/** The seeded generator of the synthetic data (mulberry32), with helpers to pick mutations. */
function rng(seed: number) {
  const next = random(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf'];
const YAML_CHARS = [':', '-', '[', ']', '{', '}', '&', '*', '!', '#', '"', "'", '\n', ' ', '\t', '|', '>', '%', '@', '`', '?', ',', '0', '9', '.', 'e', '\\', '\u0000', '\uFEFF', '\uD800', 'ệ', '\r'];

/** Lines of the form `<indent>key: ...`, with their key and indentation. */
function keyLines(lines: string[]) {
  return lines.flatMap((line, index) => {
    const m = /^(\s*(?:- )?)([A-Za-z_][\w-]*):(\s|$)/.exec(line);
    return m ? [{ index, prefix: m[1]!, key: m[2]! }] : [];
  });
}

const MUTATIONS: Record<string, (text: string, r: Rng) => string> = {
  byteFlip(text, r) {
    const chars = [...text];
    for (let k = 1 + r.int(4); k > 0; k--) chars[r.int(chars.length)] = r.next() < 0.8 ? r.pick(YAML_CHARS) : String.fromCharCode(r.int(0x3000));
    return chars.join('');
  },
  deleteRange(text, r) {
    const at = r.int(text.length);
    return text.slice(0, at) + text.slice(at + 1 + r.int(40));
  },
  swapLines(text, r) {
    const lines = text.split('\n');
    const a = r.int(lines.length);
    const b = r.int(lines.length);
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    return lines.join('\n');
  },
  duplicateOrDropLine(text, r) {
    const lines = text.split('\n');
    const at = r.int(lines.length);
    if (r.next() < 0.5) lines.splice(at, 0, lines[at]!);
    else lines.splice(at, 1);
    return lines.join('\n');
  },
  reindent(text, r) {
    const lines = text.split('\n');
    const at = r.int(lines.length);
    lines[at] = r.next() < 0.5 ? ` ${lines[at]}` : lines[at]!.replace(/^ {1,2}/, '');
    return lines.join('\n');
  },
  /** A prototype name as a key, at any level: replacing a key, or added beside one. */
  protoKey(text, r) {
    const lines = text.split('\n');
    const keys = keyLines(lines);
    if (keys.length === 0) return `${PROTO[0]}: 1\n${text}`;
    const { index, prefix, key } = r.pick(keys);
    const name = r.pick(PROTO);
    if (r.next() < 0.5) lines[index] = lines[index]!.replace(`${key}:`, `${name}:`);
    else lines.splice(index + 1, 0, `${prefix.replace('- ', '  ')}${name}: ${r.pick(['{ polluted: 1 }', '1', '[1, 2]', '{ toString: 1, valueOf: 2 }', 'null'])}`);
    return lines.join('\n');
  },
  /** A prototype name as an id, an input or parameter name, a var, a choice option. */
  protoValue(text, r) {
    const name = r.pick(PROTO);
    const targets = [/(\bid: )[\w-]+/g, /(\bvar: )[\w.]+/g, /(\binputs:\s*\{\s*)\w+/g, /(^\s{6})(\w+)(?=: \{ type)/gm, /(\blevel: )\w+/g];
    const re = r.pick(targets);
    const matches = [...text.matchAll(re)];
    if (matches.length === 0) return text.replace(/\bid: [\w-]+/, `id: ${name}`);
    const m = r.pick(matches);
    return text.slice(0, m.index) + m[1] + name + text.slice(m.index! + m[0].length);
  },
  deepNesting(text, r) {
    const depth = r.pick([20, 30, 40, 63, 64, 65, 100, 450, 5000]);
    const kind = r.int(3);
    let formula = '{ var: ty_le }';
    if (kind === 0) for (let i = 1; i < depth; i++) formula = `{ max: [${formula}, 1] }`;
    else if (kind === 1) formula = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    else formula = `${'{ "+": ['.repeat(depth)}1${'] }'.repeat(depth)}`;
    return text.replace(/formula: .*/, `formula: ${formula}`);
  },
  cyclicAlias(text, r) {
    const forms = ['formula: &f { max: [*f, 1] }', 'formula: &f { "+": [{ "*": [*f, 2] }, 1] }', 'formula: &f [*f]', 'formula: &a { if: [true, &b { min: [*a, *b] }, 0] }'];
    if (r.next() < 0.5) return text.replace(/formula: .*/, r.pick(forms));
    // An anchor on a mapping, and its alias somewhere below.
    const lines = text.split('\n');
    const keys = keyLines(lines).filter((k) => lines[k.index]!.trimEnd().endsWith(':'));
    if (keys.length === 0) return `a: &x [*x]\n${text}`;
    const target = r.pick(keys);
    lines[target.index] = `${lines[target.index]} &x`;
    const below = keyLines(lines).filter((k) => k.index > target.index && k.prefix.length > target.prefix.length);
    const at = below.length ? r.pick(below) : target;
    lines.splice(at.index + 1, 0, `${at.prefix.replace('- ', '  ')}again: *x`);
    return lines.join('\n');
  },
  hugeValue(text, r) {
    const huge = r.pick([
      () => `name: ${'Đ'.repeat(501 + r.int(20_000))}`,
      () => `rule: "${'x'.repeat(5_001)}"`,
      () => 'max_points: 1e400',
      () => 'max_points: -0',
      () => 'max_points: .nan',
      () => 'total_points: .inf',
      () => `max_points: ${'9'.repeat(400)}`,
      () => `evidence: [${Array.from({ length: 500 }, (_, i) => i).join(', ')}]`,
    ])();
    const key = huge.split(':')[0]!;
    return text.replace(new RegExp(`\\b${key}: .*`), huge);
  },
  wrongEncoding(text, r) {
    const bytes = Buffer.from(text, 'utf8');
    return r.pick([
      () => bytes.toString('latin1'),
      () => Buffer.from(text, 'utf16le').toString('utf8'),
      () => `\uFEFF${text}`,
      () => text.replace(/ệ/g, '\uFFFD'),
      () => text.slice(0, r.int(text.length)) + '\u0000' + text.slice(r.int(text.length)),
      () => bytes.subarray(0, r.int(bytes.length)).toString('utf8'),
    ])();
  },
  tags(text, r) {
    const tag = r.pick(['!!js/function', '!!python/object:os.system', '!foo', '!!binary', '!<tag:example.com,2026:x>', '!!set', '!!omap']);
    const lines = text.split('\n');
    const keys = keyLines(lines);
    if (keys.length === 0) return `${tag} ${text}`;
    const { index } = r.pick(keys);
    lines[index] = lines[index]!.replace(/: (\S)/, `: ${tag} $1`);
    return lines.join('\n');
  },
};
const NAMES = Object.keys(MUTATIONS);

export function mutate(seed: number): { text: string; how: string[] } {
  const r = rng(seed);
  // Half from the one-criterion file of the other tests (cheap, so that 10,000 fit in seconds), half from a real two-criteria level.
  let text = seed % Math.floor(CASES / LARGE_CASES) === 0 ? LARGE : seed % 2 ? MINIMAL : SMALL;
  const how: string[] = [];
  for (let k = 1 + r.int(3); k > 0; k--) {
    const name = r.pick(NAMES);
    how.push(name);
    text = MUTATIONS[name]!(text, r);
  }
  return { text, how };
}

/** Own properties of the builtins a prototype attack would reach, by identity of value, getter and setter. */
export function builtinsSnapshot(): string[] {
  const targets = { Object, 'Object.prototype': Object.prototype, 'Array.prototype': Array.prototype, 'Function.prototype': Function.prototype, 'String.prototype': String.prototype, JSON, Math };
  const ids = new Map<unknown, number>();
  const id = (v: unknown) => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return `${typeof v}:${String(v)}`;
    if (!ids.has(v)) ids.set(v, ids.size);
    return `ref${ids.get(v)}`;
  };
  // Identities are numbered in a fixed order, so equal snapshots mean the very same objects.
  return Object.entries(targets).flatMap(([name, target]) =>
    Reflect.ownKeys(target).map((key) => {
      const d = Object.getOwnPropertyDescriptor(target, key)!;
      return `${name}.${String(key)} ${id(d.value)} ${id(d.get)} ${id(d.set)} ${d.writable} ${d.enumerable} ${d.configurable}`;
    }),
  );
}
export const BUILTINS = { Object, ObjectPrototype: Object.prototype, ArrayPrototype: Array.prototype, FunctionPrototype: Function.prototype, entries: Object.entries, assign: Object.assign };

export const STACK = /\n\s+at |\bat [\w.<>]+ \(|\.(ts|js):\d+:\d+|Maximum call stack|RangeError|TypeError|ReferenceError/;
const CODES = new Set(
  [...readFileSync(`${repoRoot}engine/problems.ts`, 'utf8').matchAll(/\| '([a-z0-9.-]+)'/g)].map((m) => m[1]!),
);

export function checkProblems(problems: Problem[], context: string) {
  for (const p of problems) {
    if (!CODES.has(p.code)) throw new Error(`${context}: unknown code ${p.code}`);
    if (typeof p.message?.vi !== 'string' || typeof p.message?.en !== 'string' || !p.message.vi || !p.message.en) throw new Error(`${context}: message missing`);
    const text = `${p.message.vi}\n${p.message.en}\n${p.hint?.vi ?? ''}\n${p.hint?.en ?? ''}`;
    if (STACK.test(text)) throw new Error(`${context}: stack trace in ${p.code}: ${text.slice(0, 300)}`);
  }
}


/** Seeds from..to through loadCriteriaTexts: problems, never an exception, builtins untouched. */
export function fuzzCriteriaSeeds(from: number, to: number, before: string[]): void {
  const seen = new Set<string>();
  let refused = 0;
  for (let seed = from; seed <= to; seed++) {
    const { text, how } = mutate(seed);
    const context = `seed ${seed} (${how.join(' + ')})`;
    let result: ReturnType<typeof loadCriteriaTexts>;
    try {
      // Every tenth file runs the whole pipeline, with the authoring checks (domain search, the
      // criteria's own examples); the others stop after compiling, where every guard has run.
      const full = seed % 10 === 0;
      result = loadCriteriaTexts('fuzz', [{ file: 'commune.yaml', text }], { checkDomains: full, checkExamples: full });
    } catch (err) {
      throw new Error(`${context}: threw ${String(err)}`);
    }
    checkProblems(result.problems, context);
    if (!result.set) refused++;
    for (const p of result.problems) seen.add(p.code);
    if (({} as Record<string, unknown>).polluted !== undefined) throw new Error(`${context}: Object.prototype polluted`);
  }
  // The mutations reach every guard, and most files are refused (each with problems).
  expect(refused).toBeGreaterThan((to - from + 1) / 2);
  expect([...seen]).toEqual(expect.arrayContaining(['yaml.syntax', 'yaml.alias-cycle', 'yaml.unknown-tag', 'yaml.too-deep', 'formula.too-deep', 'schema.too-long', 'schema.unknown-key']));
  expect(builtinsSnapshot()).toEqual(before);
  expect({ Object, ObjectPrototype: Object.prototype, ArrayPrototype: Array.prototype, FunctionPrototype: Function.prototype, entries: Object.entries, assign: Object.assign }).toEqual(BUILTINS);
}
