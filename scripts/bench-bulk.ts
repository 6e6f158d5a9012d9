/**
 * Benchmark for issue 9 item 4 (bulk runs stream): the compiled CLI, in its
 * own process at Node's default heap, on synthetic mixed-level units.
 *   1. 1,000,000 units, `tieuchi score --format csv --out`: wall time, peak RSS.
 *   2. 100,000 units, `tieuchi score --format json --trace --out`: wall, peak
 *      RSS, and whether the file (larger than any JS string) is valid JSON.
 * Both runs use worker threads as `tieuchi score` decides (one per core; the
 * figure says how many). The CSV run is repeated (--runs=N, default 3): the
 * best and the median are shown, with CPU time and the load average, since
 * the machine may be shared. With --reference, the 1M CSV run is done again
 * with one worker, without the direct reader (TIEUCHI_SCORE_DIRECT=0) and on
 * one thread (TIEUCHI_SCORE_WORKERS=0), each file compared byte for byte.
 * Needs `npm run build`. Run:
 *   node --import ./scripts/ts-node-register.mjs scripts/bench-bulk.ts [--quick] [--reference] [--runs=N]
 * (--quick: 100,000 and 10,000 units). Generating the data is outside the timings.
 * The machine's load average is shown with each figure: other work on the
 * machine stretches the wall time, the CPU time much less.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { writeSyntheticJson } from './synthetic.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/engine/cli/main.js');

/** Printed by the child on exit: its own peak resident set (KiB) and CPU time (µs), read by the parent. */
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\nTIEUCHI_MAXRSS_KB '+u.maxRSS+' CPU_US '+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

interface ChildRun {
  code: number | null;
  wallMs: number;
  maxRssMb: number;
  /** User + system CPU time of the child: on a shared machine, closer to the idle wall time than the wall time is. */
  cpuS: number;
  stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', REPORT_RSS, cli, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.length > 1_000_000) stderr = stderr.slice(-100_000);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      const kb = Number(/TIEUCHI_MAXRSS_KB (\d+)/.exec(stderr)?.[1] ?? NaN);
      const cpu = Number(/CPU_US (\d+)/.exec(stderr)?.[1] ?? NaN);
      resolve({ code, wallMs, maxRssMb: kb / 1024, cpuS: cpu / 1e6, stderr });
    });
  });
}

/**
 * Whether a file is one well-formed JSON value, read as a stream (the file
 * is larger than V8's longest string): strings closed and free of raw
 * control characters, brackets balanced and matched, nothing after the end.
 * Also counts the entries of the top-level "units" list.
 */
async function validJsonFile(path: string): Promise<{ valid: boolean; units: number; reason?: string }> {
  const closers: number[] = [];
  let inString = false;
  let escaped = false;
  let ended = false;
  let units = 0;
  let lastKey = '';
  let keyStart = -1;
  let keyText = '';
  let unitsDepth = -1;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          inString = false;
          if (keyStart >= 0) keyText = lastKey;
          keyStart = -1;
        } else if (c < 0x20) return { valid: false, units, reason: 'control character in a string' };
        else if (keyStart >= 0 && lastKey.length < 16) lastKey += String.fromCharCode(c);
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (ended) return { valid: false, units, reason: 'text after the end' };
      if (c === 0x22) {
        inString = true;
        keyStart = i;
        lastKey = '';
      } else if (c === 0x7b || c === 0x5b) {
        if (c === 0x5b && keyText === 'units' && closers.length === 1) unitsDepth = closers.length + 1;
        if (c === 0x7b && closers.length === unitsDepth) units++;
        closers.push(c === 0x7b ? 0x7d : 0x5d);
        keyText = '';
      } else if (c === 0x7d || c === 0x5d) {
        if (closers.pop() !== c) return { valid: false, units, reason: 'unmatched bracket' };
        if (closers.length === 0) ended = true;
        if (closers.length < unitsDepth) unitsDepth = -1;
      } else if (c !== 0x3a) keyText = c === 0x2c ? '' : keyText;
    }
  }
  if (inString || closers.length) return { valid: false, units, reason: 'the file ends in the middle' };
  return { valid: ended, units };
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The worker threads `tieuchi score` uses for a large JSON input (engine/cli/commands/score.ts: one per core, at most 8), unless TIEUCHI_SCORE_WORKERS says. */
function workersUsed(): string {
  const asked = process.env.TIEUCHI_SCORE_WORKERS;
  const n = asked !== undefined && /^\d{1,2}$/.test(asked) ? Number(asked) : availableParallelism() < 2 ? 0 : Math.min(availableParallelism(), 8);
  return n === 0 ? 'one thread' : `${n} worker threads`;
}

const load = () => `load ${loadavg()[0]!.toFixed(1)}`;

/** Best and median of repeated runs (the machine may be shared: the best is the least disturbed). */
function bestAndMedian(runs: ChildRun[]): { best: ChildRun; medianWall: number; medianCpu: number } {
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const cpu = runs.map((r) => r.cpuS).sort((a, b) => a - b);
  return { best: byWall[0]!, medianWall: byWall[Math.floor((byWall.length - 1) / 2)]!.wallMs, medianCpu: cpu[Math.floor((cpu.length - 1) / 2)]! };
}

export async function benchmark(options: { quick?: boolean; reference?: boolean; runs?: number } = {}): Promise<{ figure: string; value: string; target?: string }[]> {
  if (!existsSync(cli)) throw new Error('run `npm run build` first (the benchmark runs the compiled CLI)');
  const { set } = loadCriteriaSet(join(root, 'criteria/2023'));
  if (!set) throw new Error('criteria/2023 has errors');
  const big = options.quick ? 100_000 : 1_000_000;
  const traced = options.quick ? 10_000 : 100_000;
  const repeat = Math.max(1, options.runs ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'tieuchi-bench-bulk-'));
  const rows: { figure: string; value: string; target?: string }[] = [];
  try {
    const input = join(dir, `units-${big}.json`);
    const bytes = writeSyntheticJson(set, big, input);
    const csvOut = join(dir, 'ket-qua.csv');
    const args = ['score', '--criteria', 'criteria/2023', '--input', input, '--format', 'csv', '--out', csvOut, '--now', '2024-01-01T00:00:00Z'];
    /** `repeat` runs with `env`; the figure's text: best and median wall, CPU, RSS, load. */
    const measured = async (env: NodeJS.ProcessEnv = {}) => {
      const before = load();
      const runs: ChildRun[] = [];
      for (let i = 0; i < repeat; i++) {
        const run = await runCli(args, env);
        if (run.code !== 0) throw new Error(`score --format csv failed (${run.code}): ${run.stderr.slice(-2000)}`);
        runs.push(run);
      }
      const { best, medianWall, medianCpu } = bestAndMedian(runs);
      const rss = Math.max(...runs.map((r) => r.maxRssMb));
      return `${(best.wallMs / 1000).toFixed(1)} s wall best, ${(medianWall / 1000).toFixed(1)} s median of ${repeat} (CPU ${best.cpuS.toFixed(1)} s best run, ${medianCpu.toFixed(1)} s median), peak RSS ${rss.toFixed(0)} MB (${(statSync(csvOut).size / 1e6).toFixed(0)} MB CSV; ${before} before, ${load()} after)`;
    };
    const hashOf = async () => sha256(csvOut);
    const csvValue = await measured();
    const csvHash = await hashOf();
    rows.push({
      figure: `${big.toLocaleString('en')} mixed-level units (${(bytes / 1e6).toFixed(0)} MB JSON) → \`tieuchi score --format csv --out\`, default heap, ${workersUsed()}`,
      value: csvValue,
      target: big === 1_000_000 ? '≤ 20 s, ≤ 1 GB' : '—',
    });
    if (options.reference) {
      // The same run with one worker, and with the direct reader off (every entry parsed and scored the usual way): same bytes, other costs.
      for (const [label, env] of [
        ['the same, one worker thread (TIEUCHI_SCORE_WORKERS=1)', { TIEUCHI_SCORE_WORKERS: '1' }],
        ['the same, without the direct reader (TIEUCHI_SCORE_DIRECT=0)', { TIEUCHI_SCORE_DIRECT: '0' }],
        ['the same, on one thread (TIEUCHI_SCORE_WORKERS=0)', { TIEUCHI_SCORE_WORKERS: '0' }],
      ] as const) {
        const value = await measured(env);
        const same = (await hashOf()) === csvHash;
        rows.push({ figure: label, value: `${value}; ${same ? 'the same bytes' : 'DIFFERENT BYTES'}`, target: '— (reference)' });
      }
    }
    rmSync(csvOut, { force: true });
    rmSync(input, { force: true });

    const tracedInput = join(dir, `units-${traced}.json`);
    writeSyntheticJson(set, traced, tracedInput, 7);
    const jsonOut = join(dir, 'ket-qua.json');
    const jsonLoad = load();
    const json = await runCli(['score', '--criteria', 'criteria/2023', '--input', tracedInput, '--format', 'json', '--trace', '--out', jsonOut, '--now', '2024-01-01T00:00:00Z']);
    if (json.code !== 0) throw new Error(`score --format json --trace failed (${json.code}): ${json.stderr.slice(-2000)}`);
    const check = await validJsonFile(jsonOut);
    rows.push({
      figure: `${traced.toLocaleString('en')} units → \`tieuchi score --format json --trace --out\`, default heap, ${workersUsed()}`,
      value: `${(json.wallMs / 1000).toFixed(1)} s wall (${json.cpuS.toFixed(1)} s CPU), peak RSS ${json.maxRssMb.toFixed(0)} MB, ${(statSync(jsonOut).size / 1e9).toFixed(2)} GB, ${check.valid && check.units === traced ? `valid JSON, ${check.units.toLocaleString('en')} units` : `INVALID (${check.reason ?? `${check.units} units`})`} (${jsonLoad} before, ${load()} after)`,
      target: 'a valid file',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const runsArg = process.argv.find((a) => a.startsWith('--runs='));
  const rows = await benchmark({ quick: process.argv.includes('--quick'), reference: process.argv.includes('--reference'), ...(runsArg ? { runs: Number(runsArg.slice('--runs='.length)) } : {}) });
  console.log('| figure | value | target |\n|---|---|---|');
  for (const r of rows) console.log(`| ${r.figure} | ${r.value} | ${r.target ?? '—'} |`);
}
