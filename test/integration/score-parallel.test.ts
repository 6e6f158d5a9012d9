/**
 * `tieuchi score` with worker threads writes the same bytes as without them:
 * CSV and JSON (with and without traces), stderr (every problem, located at
 * file:line:column in the same words), the exit code. The inputs are made to
 * cross every edge of the parallel path: small batches over several workers,
 * several files (JSON lists, a {"submissions": […]} wrapper, a single
 * submission, CSV), data errors, unknown levels, duplicates within a file and
 * across files, an id used at two levels, ties, envelope mistakes, entries that break a limit (depth,
 * string length, duplicate keys, "__proto__" keys), a syntax error in the
 * middle of a list (the file is withdrawn), text after the list, a byte-order
 * mark, CRLF line ends, pretty-printed entries, characters outside the BMP,
 * and bytes that are not UTF-8.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../engine/cli/run.js';
import { syntheticSubmissions } from '../../scripts/synthetic.js';
import { criteria2023, repoRoot } from '../helpers/criteria.js';

const dir = mkdtempSync(join(tmpdir(), 'tieuchi-parallel-'));
const set = criteria2023();
const units = syntheticSubmissions(set, 400, 99).map(({ mode: _m, ...u }) => u);

/** Units as the files carry them, with mistakes put in on purpose. */
function unitsWithMistakes(from: number, count: number): unknown[] {
  const list: unknown[] = units.slice(from, from + count).map((u) => structuredClone(u));
  const at = (i: number) => list[i] as { id: string; name: string; level: string; inputs: Record<string, Record<string, unknown>> };
  // A bad value and a missing one.
  const first = Object.keys(at(3).inputs)[0]!;
  at(3).inputs[first] = Object.fromEntries(Object.keys(at(3).inputs[first]!).map((k) => [k, 'không phải số']));
  delete at(5).inputs[Object.keys(at(5).inputs)[1]!];
  // An unknown level, a missing name, an unknown envelope key.
  at(7).level = 'ward';
  delete (at(9) as { name?: string }).name;
  (at(11) as unknown as Record<string, unknown>).extra = 1;
  // A tie: the same inputs under another id.
  list.splice(13, 0, { ...structuredClone(at(12)), id: `${at(12).id}-twin`, name: 'Đơn vị sinh đôi 😀 𝔘' });
  // A duplicate of a unit earlier in the same file.
  list.splice(20, 0, { ...structuredClone(at(2)), name: 'Bản nộp lần hai' });
  // "__proto__" and "constructor" as criterion ids.
  list.splice(25, 0, { id: `proto-${from}`, name: 'Nguyên mẫu', level: 'commune', inputs: { __proto__: { polluted: true }, constructor: { x: 1 } } });
  // Not an object.
  list.splice(27, 0, 42);
  // The id of a unit of another level (a unit belongs to one level: refused as a duplicate).
  list.splice(29, 0, { ...structuredClone(at(2)), id: at(1).id, name: 'Cùng mã, cấp khác' });
  return list;
}

function jsonList(entries: unknown[], options: { pretty?: boolean; crlf?: boolean; bom?: boolean } = {}): string {
  const body = entries.map((e) => JSON.stringify(e, null, options.pretty ? 2 : undefined)).join(',\n');
  const text = `[\n${body}\n]\n`;
  return (options.bom ? '\uFEFF' : '') + (options.crlf ? text.replace(/\n/g, '\r\n') : text);
}

/** Raw entries whose text breaks a limit: spliced into a list as text, since JSON.stringify cannot write them. */
function hostileEntries(tag: string): string[] {
  const deep = '{"a":'.repeat(20) + '1' + '}'.repeat(20);
  return [
    `{"id": "dup-key-${tag}", "name": "Khóa lặp", "level": "commune", "inputs": {}, "inputs": {}}`,
    `{"id": "deep-${tag}", "name": "Lồng sâu", "level": "commune", "inputs": {"x": ${deep}}}`,
    `{"id": "long-${tag}", "name": "${'dài '.repeat(400)}", "level": "commune", "inputs": {}}`,
    `{"id": "escape-${tag}", "name": "Tên có \\"ngoặc\\" và \\u0041 \\\\ \\n", "level": "commune", "inputs": {"k": {"x": "a\\u00e9"}}}`,
    `{"id": "deep-array-${tag}", "name": "Mảng", "level": "commune", "inputs": {"x": {"y": [[[[[[[[[[1]]]]]]]]]]}}}`,
  ];
}

function splice(text: string, at: number, entries: string[]): string {
  // After the at-th ",\n" of the list.
  let pos = 0;
  for (let i = 0; i < at; i++) pos = text.indexOf(',\n', pos) + 2;
  return text.slice(0, pos) + entries.map((e) => e + ',\n').join('') + text.slice(pos);
}

const files = {
  // A plain list, with hostile entries in the middle and a UTF-8 byte-order mark.
  'a-list.json': splice(jsonList(unitsWithMistakes(0, 150), { bom: true }), 60, hostileEntries('a')),
  // Pretty-printed, CRLF: entries over several lines.
  'b-pretty.json': jsonList(unitsWithMistakes(150, 60), { pretty: true, crlf: true }),
  // The {"submissions": […]} wrapper and a single submission: left to the single-threaded reader.
  'c-wrapper.json': JSON.stringify({ submissions: units.slice(210, 230) }, null, 2),
  'd-single.json': JSON.stringify(units[230], null, 2),
  // A syntax error in the middle of the list: the whole file is withdrawn, its problems kept.
  'e-broken.json': jsonList(units.slice(231, 280)).replace(/\},\n(\{"id":"don-vi-260")/, '}\n$1'),
  // An entry that is not JSON inside (found by a worker), and units after it.
  'f-bad-entry.json': jsonList(units.slice(280, 320)).replace('"level":"commune"', '"level":commune'),
  // Text after the list.
  'g-trailing.json': jsonList(units.slice(320, 330)) + 'thừa',
  // A CSV file with a unit already given in a JSON file.
  'h-units.csv': readFileSync(join(repoRoot, 'examples/2023/commune.csv'), 'utf8'),
  // Duplicates across files: units of a-list.json again.
  'i-again.json': jsonList([...units.slice(0, 5), ...units.slice(330, 360)]),
  // An empty list.
  'j-empty.json': '[]',
};
for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
// Bytes that are not UTF-8 inside a name, in a list that is otherwise fine.
const latin1 = Buffer.from(jsonList(units.slice(360, 380)), 'utf8');
const broken = Buffer.concat([latin1.subarray(0, 3000), Buffer.from([0xff, 0xfe]), latin1.subarray(3000)]);
writeFileSync(join(dir, 'k-not-utf8.json'), broken);
copyFileSync(join(dir, 'a-list.json'), join(dir, 'l-copy.json'));

async function score(args: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await run(['score', '--criteria', 'criteria/2023', '--now', '2024-01-31T00:00:00Z', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: repoRoot,
    env: { ...process.env, ...env },
  });
  return { code, stdout, stderr };
}

const SINGLE = { TIEUCHI_SCORE_WORKERS: '0' };
// Batches of a few entries, over two workers: every answer crosses threads, in turn.
const PARALLEL = { TIEUCHI_SCORE_WORKERS: '2', TIEUCHI_SCORE_BATCH_BYTES: '3000' };

describe('tieuchi score: worker threads give the same bytes', () => {
  const input = ['--input', dir];
  for (const format of [['--format', 'csv'], ['--format', 'json'], ['--format', 'json', '--trace']]) {
    it(format.join(' '), async () => {
      const single = await score([...input, ...format], SINGLE);
      const parallel = await score([...input, ...format], PARALLEL);
      expect(single.stdout.length).toBeGreaterThan(10_000);
      expect(parallel.stdout).toBe(single.stdout);
      expect(parallel.stderr).toBe(single.stderr);
      expect(parallel.code).toBe(single.code);
      // What the inputs were made to show is there.
      for (const word of ['submission.duplicate-unit', 'submission.unknown-level', 'submission.duplicate-key', 'submission.too-deep', 'submission.too-long', 'submission.unreadable']) {
        if (format[1] === 'json') expect(single.stdout).toContain(word);
      }
      // Problems are located (in JSON output, as locations; otherwise file:line:column on stderr).
      const located = format[1] === 'json' ? single.stdout : single.stderr;
      expect(located).toContain('mỗi đơn vị chỉ thuộc một cấp');
      expect(located).toMatch(format[1] === 'json' ? /"file": "[^"]*e-broken\.json",\s+"start": \d+,\s+"end": \d+,\s+"line": \d+/ : /e-broken\.json:\d+:\d+/);
      expect(located).toMatch(format[1] === 'json' ? /"file": "[^"]*b-pretty\.json",\s+"start": \d+,\s+"end": \d+,\s+"line": \d+/ : /b-pretty\.json:\d+:\d+/);
    }, 60_000);
  }
  it('each file on its own, to --out (atomic, the same file)', async () => {
    for (const name of [...Object.keys(files), 'k-not-utf8.json']) {
      const outSingle = join(dir, `${name}.single.json`);
      const outParallel = join(dir, `${name}.parallel.json`);
      const single = await score(['--input', join(dir, name), '--format', 'json', '--out', outSingle], SINGLE);
      const parallel = await score(['--input', join(dir, name), '--format', 'json', '--out', outParallel], PARALLEL);
      expect(parallel.code, name).toBe(single.code);
      expect(parallel.stderr.replace(outParallel, 'OUT').replace(/\.parallel\.json/g, 'OUT'), name).toBe(single.stderr.replace(outSingle, 'OUT').replace(/\.single\.json/g, 'OUT'));
      expect(readFileSync(outParallel, 'utf8'), name).toBe(readFileSync(outSingle, 'utf8'));
    }
  }, 120_000);
});
