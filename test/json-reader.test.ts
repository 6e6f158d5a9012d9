/** The bounded JSON reader: JSON.parse's values, plus limits, duplicate keys and positions; the fast path agrees with the careful one. */
import { describe, expect, it } from 'vitest';
import { JsonFailure, JsonValueReader, locateJsonPath, skipJsonValue } from '../engine/load/json-reader.js';
import { JsonEntryReader, type JsonEntry, type JsonEntryFailure } from '../engine/load/json-entries.js';
import { random } from '../scripts/synthetic.js';

const limits = { maxDepth: 8, maxStringLength: 50, maxKeyLength: 12 };

function outcome(read: () => { value: unknown; end: number }): unknown {
  try {
    const { value, end } = read();
    return { value, end };
  } catch (err) {
    if (!(err instanceof JsonFailure)) throw err;
    return { kind: err.kind, offset: err.offset };
  }
}

const cases: [string, unknown][] = [
  ['{"a": 1, "b": [true, false, null, "x\\n\\u00e9"], "c": {"d": -1.5e3}}', undefined],
  ['{"__proto__": {"polluted": 1}, "constructor": 2}', undefined],
  ['{"a": 1, "a": 2}', { kind: 'duplicate-key', offset: 9 }],
  ['{"a": {"b": 1, "c": {"b": 2, "b": 3}}}', { kind: 'duplicate-key', offset: 29 }],
  ['[[[[[[[[[1]]]]]]]]]', { kind: 'too-deep', offset: 8 }],
  [`"${'x'.repeat(51)}"`, { kind: 'too-long', offset: 0 }],
  [`{"${'k'.repeat(13)}": 1}`, { kind: 'too-long', offset: 1 }],
  ['{"a": 1,}', { kind: 'syntax', offset: 8 }],
  ['[1 2]', { kind: 'syntax', offset: 3 }],
  ['{"a": "\u0001"}', { kind: 'syntax', offset: 7 }],
  ['01', undefined],
  ['[1, {"b": tru}]', { kind: 'syntax', offset: 13 }],
];

describe('JsonValueReader', () => {
  it.each(cases)('%s', (text, expected) => {
    const careful = outcome(() => new JsonValueReader(limits).read(text, 0, true));
    const fast = outcome(() => new JsonValueReader(limits).readFast(text, 0, true));
    if (expected === undefined) {
      // "01" is JSON.parse's error too; our reader reads the 0 and leaves the 1 (the caller refuses what follows).
      if (text !== '01') expect(careful).toEqual({ value: JSON.parse(text), end: text.length });
    } else expect(careful).toEqual(expected);
    expect(fast).toEqual(careful);
  });

  it('"__proto__" becomes an own property, never the prototype', () => {
    const { value } = new JsonValueReader(limits).read('{"__proto__": {"x": 1}}', 0, true) as { value: Record<string, unknown> };
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('text that ends mid-value is "incomplete" unless final', () => {
    for (const text of ['{"a": 1', '[1, 2', '"abc', '12', 'tr', '{"a": "\\']) {
      expect(outcome(() => new JsonValueReader(limits).read(text, 0, false))).toMatchObject({ kind: 'incomplete' });
      expect(outcome(() => new JsonValueReader(limits).readFast(text, 0, false))).toMatchObject({ kind: 'incomplete' });
    }
  });

  it('random byte flips: the fast path always agrees with the careful one', () => {
    const next = random(9);
    const base = JSON.stringify({ id: 'a', inputs: { c: { x: 1, y: [1, 2, { z: 'q' }] }, d: { w: true } } });
    for (let i = 0; i < 3000; i++) {
      const chars = [...base];
      for (let k = 0; k < 3; k++) chars[Math.floor(next() * chars.length)] = '{}[],:"\\ 1a'[Math.floor(next() * 11)]!;
      const text = chars.join('');
      expect(outcome(() => new JsonValueReader(limits).readFast(text, 0, true)), text).toEqual(outcome(() => new JsonValueReader(limits).read(text, 0, true)));
    }
  });

  it('skipJsonValue steps over any depth without recursing', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(skipJsonValue(deep + ',', 0, true)).toBe(deep.length);
  });

  it('locateJsonPath finds a value, or the deepest part of the path that exists', () => {
    const text = '{"inputs": {"a": {"x": 1, "y": "two"}}, "name": "n"}';
    const at = locateJsonPath(text, 0, ['inputs', 'a', 'y'], limits);
    expect(text.slice(at.start, at.end)).toBe('"two"');
    const missing = locateJsonPath(text, 0, ['inputs', 'a', 'z'], limits);
    expect(text.slice(missing.start, missing.end)).toBe('{"x": 1, "y": "two"}');
  });
});

describe('JsonEntryReader', () => {
  function entries(chunks: string[], entryLimits = { ...limits, maxEntryChars: 1000, maxEntries: 100 }) {
    const got: JsonEntry[] = [];
    const failures: (JsonEntryFailure & { fatal: boolean })[] = [];
    const reader = new JsonEntryReader(entryLimits, { entry: (e) => got.push(e), failure: (f, fatal) => failures.push({ ...f, fatal }) });
    for (const c of chunks) reader.push(c);
    reader.end();
    return { got, failures };
  }
  const text = '[\n  {"id": "a"},\n  {"id": "b", "x": [[[[[[[[1]]]]]]]]},\n  {"id": "c"}\n]';

  it('reads the same entries whatever the chunking, with positions', () => {
    const whole = entries([text]);
    for (const size of [1, 2, 3, 7, 16]) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      const split = entries(chunks);
      expect(split.got.map((e) => [e.index, e.value, e.position])).toEqual(whole.got.map((e) => [e.index, e.value, e.position]));
      expect(split.failures).toEqual(whole.failures);
    }
    expect(whole.got.map((e) => [(e.value as { id: string }).id, e.position.line, e.position.column])).toEqual([
      ['a', 2, 3],
      ['c', 4, 3],
    ]);
    expect(whole.failures).toEqual([expect.objectContaining({ index: 1, kind: 'too-deep', fatal: false, position: expect.objectContaining({ line: 3 }) })]);
  });

  it('{"submissions": [...]} streams; an object without it is one submission; a duplicate "submissions" is refused', () => {
    expect(entries(['{"v": 1, "submissions": [{"id": "a"}, {"id": "b"}]}']).got.map((e) => e.value)).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(entries(['{"id": "a", "level": "x"}']).got.map((e) => e.value)).toEqual([{ id: 'a', level: 'x' }]);
    expect(entries(['{"submissions": [], "submissions": []}']).failures[0]).toMatchObject({ kind: 'duplicate-key', fatal: true });
  });

  it('a syntax error ends the file, located; text after the end is refused', () => {
    expect(entries(['[{"id": "a"}, {"id": }]']).failures[0]).toMatchObject({ kind: 'syntax', fatal: true, position: { line: 1, column: 22 } });
    expect(entries(['[] []']).failures[0]).toMatchObject({ kind: 'syntax', fatal: true, position: { column: 4 } });
    expect(entries(['[{"id": "a"}']).failures[0]).toMatchObject({ kind: 'syntax', fatal: true });
  });

  it('too many entries, or an entry larger than the limit, stops the file', () => {
    expect(entries(['[1, 2, 3]'], { ...limits, maxEntryChars: 1000, maxEntries: 2 }).failures[0]).toMatchObject({ kind: 'too-many', fatal: true });
    expect(entries(['[' + '"x", '.repeat(10), '"' + 'y'.repeat(40)], { ...limits, maxEntryChars: 20, maxEntries: 100 }).failures[0]).toMatchObject({ kind: 'too-long', fatal: true });
  });
});
