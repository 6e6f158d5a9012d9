/**
 * Benchmarks (not timed tests): prints the figures the issues ask for.
 *   npm run bench            all figures
 *   npm run bench -- --quick smaller samples
 * Requires `npm run build` (the shell figures run the compiled CLI).
 */
import { execFileSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { fileParseCache } from '../engine/load/parse-cache.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { benchmark as formulaBenchmark } from './bench-formulas.js';
import { benchmark as httpBenchmark } from './bench-http.js';
import { benchmark as bulkBenchmark } from './bench-bulk.js';
import { benchmark as resultsBenchmark } from './bench-results.js';
import type { Submission } from '../engine/model.js';
import { syntheticSubmissions } from './synthetic.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const criteriaDir = `${root}criteria/2023`;
const quick = process.argv.includes('--quick');

interface Row {
  figure: string;
  value: string;
  target: string;
}
const rows: Row[] = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => void, repeat: number): number {
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

// 1. Validating the 2023 set in-process (warm: the schema compiled once per process).
loadCriteriaSet(criteriaDir);
const validateMs = time(() => loadCriteriaSet(criteriaDir), quick ? 5 : 20);
rows.push({ figure: 'validate criteria/2023 in-process, parsing the YAML (median, warm)', value: `${validateMs.toFixed(1)} ms`, target: '≤ 50 ms' });
// The same with the CLI's parse cache: the YAML parser is most of the figure above.
const cacheDir = mkdtempSync(join(tmpdir(), 'tieuchi-bench-cache-'));
const cache = fileParseCache(cacheDir);
loadCriteriaSet(criteriaDir, { cache });
const cachedMs = time(() => loadCriteriaSet(criteriaDir, { cache }), quick ? 5 : 20);
rows.push({ figure: 'validate criteria/2023 in-process, with the parse cache (median, warm)', value: `${cachedMs.toFixed(1)} ms`, target: '≤ 50 ms' });

// 2. The CLI from a shell, cold start.
const cli = `${root}dist/engine/cli/main.js`;
/** Median wall time of the CLI as a new process; `cached` false runs it with the parse cache off (a first run). */
function shell(args: string[], cached = true): number {
  const env = { ...process.env, TIEUCHI_CACHE_DIR: join(cacheDir, 'cli'), ...(cached ? {} : { TIEUCHI_CACHE: 'off' }) };
  return time(() => {
    try {
      execFileSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'ignore', env });
    } catch {
      // score exits 0 even with data problems; any other failure shows in the time anyway
    }
  }, quick ? 3 : 7);
}
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
rows.push({ figure: '`tieuchi validate criteria/2023` (new process, first run: no parse cache)', value: seconds(shell(['validate', 'criteria/2023'], false)), target: '≤ 0.5 s (issue 3), ≤ 0.4 s (issue 6)' });
rows.push({ figure: '`tieuchi validate criteria/2023` (new process, parse cache filled)', value: seconds(shell(['validate', 'criteria/2023'])), target: '≤ 0.5 s (issue 3), ≤ 0.4 s (issue 6)' });
rows.push({ figure: '`tieuchi score` on examples/2023 (new process, first run: no parse cache)', value: seconds(shell(['score', '--input', 'examples/2023', '--format', 'json'], false)), target: '≤ 0.4 s' });
rows.push({ figure: '`tieuchi score` on examples/2023 (new process, parse cache filled)', value: seconds(shell(['score', '--input', 'examples/2023', '--format', 'json'])), target: '≤ 0.4 s' });

// 3. Scoring throughput.
const { set } = loadCriteriaSet(criteriaDir);
if (!set) throw new Error('criteria/2023 has errors');
const count = quick ? 10_000 : 100_000;
// Through JSON, as submissions arrive from files or HTTP (objects with the layout JSON.parse gives).
const submissions = JSON.parse(JSON.stringify(syntheticSubmissions(set, count))) as Submission[];
for (const trace of [false, true]) {
  const ms = time(() => scoreSubmissions(set, submissions, { trace }), trace || quick ? 1 : 5);
  rows.push({
    figure: `score ${count.toLocaleString('en')} synthetic units, 3 levels, ${trace ? 'with' : 'without'} traces`,
    value: `${(ms / 1000).toFixed(2)} s (${Math.round((count / ms) * 1000).toLocaleString('en')} units/s)`,
    target: trace ? '—' : '≤ 2 s (100,000 units)',
  });
}
{
  const ms = time(() => scoreSubmissions(set, submissions, { trace: false, fast: false }), 1);
  rows.push({ figure: `score ${count.toLocaleString('en')} units without traces, exact rationals only (no float fast path)`, value: `${(ms / 1000).toFixed(2)} s (${Math.round((count / ms) * 1000).toLocaleString('en')} units/s)`, target: '— (reference)' });
}

// 4. Per formula (json-logic-js, json-logic-engine build, hand-written, ours) and traced vs untraced per unit: scripts/bench-formulas.ts.
for (const row of await formulaBenchmark({ quick })) rows.push({ figure: row.figure, value: row.value, target: row.target ?? '—' });

// 5. HTTP: POST /score of one unit at concurrency 50, default and traced (scripts/bench-http.ts).
for (const row of await httpBenchmark({ quick })) rows.push({ figure: row.figure, value: row.value, target: row.target ?? '—' });

// 5b. Bulk runs through the CLI: 1,000,000 units to CSV and 100,000 traced to JSON, in a child
// process with the default heap, wall time, CPU time and peak RSS (scripts/bench-bulk.ts).
// TIEUCHI_BENCH_SKIP_BULK=1 leaves them out (they take minutes).
if (!process.env.TIEUCHI_BENCH_SKIP_BULK) for (const row of await bulkBenchmark({ quick })) rows.push({ figure: row.figure, value: row.value, target: row.target ?? '—' });

// 5c. Results people look at: the HTML report for 3,300 units, a what-if, the web pages (scripts/bench-results.ts).
for (const row of await resultsBenchmark({ quick })) rows.push({ figure: row.figure, value: row.value, target: row.target ?? '—' });

// 6. Issue 4's figure (diff + impact), from its own script.
try {
  const out = execFileSync(process.execPath, ['--import', './scripts/ts-node-register.mjs', 'scripts/bench-diff.ts', ...(quick ? ['--quick'] : [])], { cwd: root, encoding: 'utf8' });
  const row = out.split('\n').find((line) => line.startsWith('|') && !/^\|\s*-/.test(line) && !/figure/.test(line));
  const cells = row?.split('|').map((c) => c.trim()).filter(Boolean);
  if (cells && cells.length >= 2) rows.push({ figure: cells[0]!, value: cells[1]!, target: cells[2] ?? '—' });
} catch (err) {
  rows.push({ figure: 'diff + impact (scripts/bench-diff.ts)', value: `failed: ${(err as Error).message.split('\n')[0]}`, target: '—' });
}

const widths = [Math.max(...rows.map((r) => r.figure.length), 6), Math.max(...rows.map((r) => r.value.length), 5)];
console.log(`tieuchi ${JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}${quick ? ' (quick)' : ''}\n`);
console.log(`| ${'figure'.padEnd(widths[0]!)} | ${'value'.padEnd(widths[1]!)} | target |`);
console.log(`|${'-'.repeat(widths[0]! + 2)}|${'-'.repeat(widths[1]! + 2)}|--------|`);
for (const r of rows) console.log(`| ${r.figure.padEnd(widths[0]!)} | ${r.value.padEnd(widths[1]!)} | ${r.target} |`);
