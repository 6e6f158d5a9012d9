/**
 * The parallel score's reading (json-split.ts cuts a file into entries,
 * batch-entries.ts reads them, the single-threaded reader takes over where
 * the fast path stops) hands over exactly what the single-threaded reader
 * does: the same submissions (values, origins, located paths), the same
 * problems (words, line, column, offsets), the same "file read to its end".
 * Run in-process over hostile and randomly damaged files; the worker threads
 * themselves are covered by test/integration/score-parallel.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readBatchEntries } from '../engine/cli/parallel/batch-entries.js';
import { JsonListSplitter, type EntryBatch } from '../engine/cli/parallel/json-split.js';
import { JsonValueReader } from '../engine/load/json-reader.js';
import { DEFAULT_SUBMISSION_LIMITS, jsonSubmissionReader, type SubmissionLimits, type SubmissionSink } from '../engine/load/submissions.js';
import type { Submission } from '../engine/model.js';
import { random } from '../scripts/synthetic.js';

/** What a reader hands over, as text: each submission (with where its values are) and each problem. */
function recorder(): { sink: SubmissionSink; events: string[] } {
  const events: string[] = [];
  const describe = (s: Submission) => {
    const { locate, ...origin } = s.origin!;
    const paths: (string | number)[][] = [[], ['inputs'], ...Object.keys(s.inputs).flatMap((c) => [['inputs', c], ...Object.keys((s.inputs[c] ?? {}) as object).map((i) => ['inputs', c, i])])];
    return JSON.stringify({ ...s, origin, located: paths.map((p) => locate!(p)) });
  };
  return { events, sink: { submission: (s) => events.push('S ' + describe(s)), problem: (p) => events.push('P ' + JSON.stringify(p)) } };
}

const FILE = 'don-vi.json';

function chunksOf(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

function single(text: string, limits: SubmissionLimits, chunk: number): string[] {
  const { sink, events } = recorder();
  const reader = jsonSubmissionReader(FILE, sink, limits);
  for (const c of chunksOf(text, chunk)) reader.push(c);
  events.push(`complete ${reader.end()}`);
  return events;
}

function parallel(text: string, limits: SubmissionLimits, chunk: number, byteChunk: number, batchBytes: number): { events: string[]; fastEntries: number } {
  const { sink, events } = recorder();
  const batches: EntryBatch[] = [];
  const splitter = new JsonListSplitter({ maxEntryChars: limits.maxEntryChars, maxEntries: limits.maxUnitsPerFile, maxDepth: limits.maxDepth, maxStringLength: limits.maxStringLength, maxKeyLength: limits.maxKeyLength }, (b) => batches.push(b), batchBytes);
  const bytes = Buffer.from(text, 'utf8');
  let going = true;
  for (let i = 0; i < bytes.length && going; i += byteChunk) going = splitter.push(bytes.subarray(i, i + byteChunk));
  if (going) splitter.end();
  const readLimits = { maxDepth: limits.maxDepth, maxStringLength: limits.maxStringLength, maxKeyLength: limits.maxKeyLength };
  const reader = new JsonValueReader(readLimits);
  let stoppedAt: number | undefined;
  let fastEntries = 0;
  for (const batch of batches) {
    const { processed, stop } = readBatchEntries(batch, FILE, limits, reader, readLimits, { entry: () => fastEntries++, ...sink });
    if (stop) {
      stoppedAt = batch.firstIndex + processed;
      break;
    }
  }
  stoppedAt ??= splitter.stopped;
  if (stoppedAt === undefined) events.push('complete true');
  else {
    const rest = jsonSubmissionReader(FILE, sink, limits, stoppedAt);
    for (const c of chunksOf(text, chunk)) rest.push(c);
    events.push(`complete ${rest.end()}`);
  }
  return { events, fastEntries };
}

const unit = (i: number, extra = '') => `{"id": "dv-${i}", "name": "Đơn vị ${i} ${extra}", "level": "commune", "inputs": {"ke-hoach": {"ngay": "2023-0${1 + (i % 9)}-01", "ty_le": ${i * 1.5}}, "nhan-su": {"muc": "dai_hoc"}}}`;
const list = (entries: string[], sep = ',\n') => `[\n${entries.join(sep)}\n]\n`;
const units = (n: number, extra = '') => Array.from({ length: n }, (_, i) => unit(i, extra));

const cases: [string, string][] = [
  ['a plain list', list(units(40))],
  ['an empty list', '[]'],
  ['white space only', '  \n '],
  ['nothing', ''],
  ['a byte-order mark', '\uFEFF' + list(units(5))],
  ['white space before the byte-order mark', ' \uFEFF' + list(units(5))],
  ['CRLF, tabs, pretty-printed', list(units(8).map((u) => JSON.stringify(JSON.parse(u), null, '\t')), ',\r\n').replace(/\n/g, '\r\n')],
  ['characters outside the BMP and combining marks', list(units(10, '😀 𝔘 Ạ̀ ﷽'))],
  ['the wrapper', `{"submissions": ${list(units(6))}}`],
  ['one submission', unit(1)],
  ['a missing comma', list(units(10)).replace('}},\n{"id": "dv-6"', '}}\n{"id": "dv-6"')],
  ['a trailing comma', list(units(4), ',\n') .replace(/\n\]\n$/, ',\n]\n')],
  ['text after the list', list(units(4)) + 'x'],
  ['a second list', list(units(2)) + '[]'],
  ['the file ends inside an entry', list(units(5)).slice(0, -30)],
  ['the file ends after a comma', list(units(3)).replace(/\n\]\n$/, ',\n')],
  ['an entry that is a number', list([...units(3), '42', ...units(2)])],
  ['an entry that is a list', list([...units(3), '[1, 2]', ...units(2)])],
  ['an entry that is a string', list([...units(3), '"x"', ...units(2)])],
  ['a bad literal inside an entry', list([...units(3), unit(3).replace('"commune"', 'commune'), ...units(2)])],
  ['a control character in a string', list([...units(3), unit(3).replace('Đơn vị', 'Đơn\u0001vị'), ...units(2)])],
  ['a raw line break in a string', list([...units(3), unit(3).replace('Đơn vị', 'Đơn\nvị'), ...units(2)])],
  ['unbalanced brackets', list([...units(3), unit(3).replace('}}}', '}]}'), ...units(2)])],
  ['a duplicate key', list([...units(3), unit(3).replace('"level"', '"name": "lại", "level"'), ...units(2)])],
  ['a duplicate key deep inside', list([...units(3), unit(3).replace('"muc": "dai_hoc"', '"muc": "dai_hoc", "muc": "khong"'), ...units(2)])],
  ['nested too deep', list([...units(3), unit(3).replace('"dai_hoc"', '{"a":'.repeat(12) + '1' + '}'.repeat(12)), ...units(2)])],
  ['nested very deep', list([...units(3), unit(3).replace('"dai_hoc"', '['.repeat(50_000) + ']'.repeat(50_000)), ...units(2)])],
  ['a string too long', list([...units(3), unit(3, 'x'.repeat(1200)), ...units(2)])],
  ['a string too long with escapes', list([...units(3), unit(3, '\\u0041'.repeat(180)), ...units(2)])],
  ['a key too long', list([...units(3), unit(3).replace('"ke-hoach"', `"${'k'.repeat(150)}"`), ...units(2)])],
  ['escapes of every kind', list([...units(3), unit(3, '\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00'), ...units(2)])],
  ['a bad escape', list([...units(3), unit(3, '\\x'), ...units(2)])],
  ['__proto__ and constructor keys', list([...units(3), unit(3).replace('"nhan-su"', '"__proto__"').replace('"ke-hoach"', '"constructor"'), '{"__proto__": {"id": "x"}, "id": "p", "name": "p", "level": "commune", "inputs": {}}', ...units(2)])],
  ['a number too long', list([...units(3), unit(3).replace('"ty_le": 4.5', `"ty_le": 4.${'5'.repeat(1200)}`), ...units(2)])],
  ['envelope mistakes', list(['{"id": "", "name": "x", "level": "commune", "inputs": {}}', '{"id": "a", "level": "commune", "inputs": {}}', '{"id": "b", "name": "b", "level": "commune", "inputs": [], "extra": 1}', '{}', ...units(2)])],
  ['an entry larger than the entry limit', list([...units(3), unit(3, 'y'.repeat(900)), ...units(2)])],
];

const SMALL: SubmissionLimits = { ...DEFAULT_SUBMISSION_LIMITS, maxEntryChars: 2000, maxUnitsPerFile: 30 };

describe('parallel reading = single-threaded reading', () => {
  for (const [name, text] of cases) {
    it(name, () => {
      for (const limits of [DEFAULT_SUBMISSION_LIMITS, SMALL]) {
        const expected = single(text, limits, limits === SMALL ? 700 : 1 << 20);
        for (const [byteChunk, batchBytes] of [[1 << 22, 1 << 20], [7, 1], [331, 600]] as const) {
          const got = parallel(text, limits, limits === SMALL ? 700 : 1 << 20, byteChunk, batchBytes);
          expect(got.events).toEqual(expected);
        }
      }
    });
  }

  it('the fast path reads the plain lists itself (the fallback is for what it cannot vouch for)', () => {
    expect(parallel(list(units(40)), DEFAULT_SUBMISSION_LIMITS, 1 << 20, 1000, 2000).fastEntries).toBe(40);
    expect(parallel(list([...units(3), unit(3).replace('"level"', '"name": "lại", "level"'), ...units(2)]), DEFAULT_SUBMISSION_LIMITS, 1 << 20, 1000, 2000).fastEntries).toBe(6);
    expect(parallel(`{"submissions": ${list(units(6))}}`, DEFAULT_SUBMISSION_LIMITS, 1 << 20, 1000, 2000).fastEntries).toBe(0);
  });

  it('bytes that are not UTF-8 are left to the single-threaded reader', () => {
    const bytes = Buffer.from(list(units(10)), 'utf8');
    const broken = Buffer.concat([bytes.subarray(0, 400), Buffer.from([0xff, 0xc3]), bytes.subarray(400)]);
    const text = broken.toString('utf8');
    const batches: EntryBatch[] = [];
    const splitter = new JsonListSplitter({ maxEntryChars: 1 << 20, maxEntries: 100, maxDepth: 8, maxStringLength: 1000, maxKeyLength: 100 }, (b) => batches.push(b), 100);
    splitter.push(broken);
    splitter.end();
    expect(splitter.stopped).toBeGreaterThan(0);
    expect(batches.reduce((n, b) => n + b.count, 0)).toBe(splitter.stopped);
    expect(text).toContain('\uFFFD');
  });

  it('randomly damaged files', () => {
    const next = random(9);
    const base = list(units(30, 'Ạ 😀'));
    for (let round = 0; round < 300; round++) {
      const chars = [...base];
      for (let flips = 1 + Math.floor(next() * 3); flips > 0; flips--) {
        const at = Math.floor(next() * chars.length);
        chars[at] = '{}[],:"\\ \n0a'[Math.floor(next() * 13)]!;
      }
      const text = chars.join('');
      const expected = single(text, SMALL, 500);
      const got = parallel(text, SMALL, 500, 1 + Math.floor(next() * 900), 1 + Math.floor(next() * 3000));
      expect(got.events, text).toEqual(expected);
    }
  });
});
