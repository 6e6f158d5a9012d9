/**
 * Benchmark for issue 13: the results report, the what-if, and the web
 * pages under load.
 *   node --import ./scripts/ts-node-register.mjs scripts/bench-results.ts [--quick]
 *
 * - the HTML report for 3,300 synthetic units (the order of all communes of
 *   the new provinces): scoring plus building and rendering the report with
 *   its charts (target ≤ 3 s);
 * - a what-if over 3,300 units of one level: a threshold changed, the level
 *   recompiled from YAML and every unit scored under both versions, ranked
 *   and rendered as the page's results fragment (target ≤ 300 ms);
 * - pages of the web view at concurrency 20 on 127.0.0.1 (target p99 ≤ 100 ms), the service in a
 *   process of its own (its CPU time per request apart from the client's, its event-loop delay),
 *   then each page alone. BENCH_ACCEPT_ENCODING=identity makes the client ask for uncompressed
 *   pages (fetch asks for gzip by default, and decompressing costs the client, not the server).
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadCriteriaSet, type CriteriaSet } from '../engine/criteria-set.js';
import type { Submission } from '../engine/model.js';
import { buildResultsReport } from '../engine/report/html/report-model.js';
import { renderResultsReport } from '../engine/report/html/report-render.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { buildServer } from '../engine/serve/app.js';
import { syntheticSubmissions } from './synthetic.js';
import { loadPages } from './http-load.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const UNITS = 3_300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Median wall time, and median CPU time of this process (user + system), in ms. On a shared
 * machine the wall time includes waiting for a core; the CPU time is what the work itself costs.
 */
async function timed(fn: () => unknown | Promise<unknown>, repeat: number): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await fn();
    walls.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

const seconds = (t: { wall: number; cpu: number }) => `${(t.wall / 1000).toFixed(2)} s (CPU ${(t.cpu / 1000).toFixed(2)} s)`;

/** Units of one level only (the communes of a province), ids unique. */
function oneLevel(set: CriteriaSet, level: string, count: number): Submission[] {
  const only: CriteriaSet = { ...set, levels: set.levels.filter((l) => l.id === level) };
  return syntheticSubmissions(only, count, 13).map((s, i) => ({ ...s, id: `xa-${i}`, name: `Xã tổng hợp ${i}` }));
}

/** GETs at a fixed concurrency against loopback only; latency of each request. */
async function load(urls: string[], concurrency: number, requests: number): Promise<{ p50: number; p99: number; failures: number; perSecond: number }> {
  return loadWith(urls, concurrency, requests, {});
}

/**
 * The client asks as a browser does (`accept-encoding: gzip, deflate, br`, or
 * BENCH_ACCEPT_ENCODING) over node:http and reads the bytes without decompressing
 * them (scripts/http-load.ts): fetch spent 3–5× the server's CPU per page on the
 * same two cores, so it measured the client more than the service.
 */
async function loadWith(urls: string[], concurrency: number, requests: number, headers: Record<string, string>): Promise<{ p50: number; p99: number; failures: number; perSecond: number; notModified: number }> {
  const acceptEncoding = process.env.BENCH_ACCEPT_ENCODING ?? 'gzip, deflate, br';
  const result = await loadPages(urls, { 'accept-encoding': acceptEncoding, ...headers }, { concurrency, requests });
  return { p50: result.p50Ms, p99: result.p99Ms, failures: result.failures, perSecond: result.perSecond, notModified: result.statuses[304] ?? 0 };
}

/** The communes of the web benchmark: the same in the client and in the server process. */
function benchCommunes(set: CriteriaSet): Submission[] {
  return oneLevel(set, 'commune', UNITS);
}

/** Start the web view in a child process (this script with --serve-child); its CPU time on request. */
async function startServer(): Promise<{ base: string; cpu(): Promise<number>; delay(): Promise<{ p99: number; max: number }>; stop(): void }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (ms: number) => void>();
  const delays = new Map<number, (d: { p99: number; max: number }) => void>();
  let asked = 0;
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench-results: the server process exited (${code})`)));
    child.on('message', (m: { port?: number; cpu?: number; id?: number; delay?: { p99: number; max: number } }) => {
      if (m.port !== undefined) resolve(m.port);
      if (m.delay !== undefined && m.id !== undefined) delays.get(m.id)?.(m.delay);
      if (m.cpu !== undefined && m.id !== undefined) waiting.get(m.id)?.(m.cpu);
    });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    cpu: () =>
      new Promise((resolve) => {
        const id = ++asked;
        waiting.set(id, resolve);
        child.send({ cpu: id });
      }),
    delay: () =>
      new Promise((resolve) => {
        const id = ++asked;
        delays.set(id, resolve);
        child.send({ delay: id });
      }),
    stop: () => {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}

/** The server process: listens on loopback, reports its port, answers CPU questions (user + system, ms). */
async function serveChild(): Promise<void> {
  const set = loadCriteriaSet(`${root}criteria/2023`).set!;
  const app = buildServer({ sets: [set], web: { submissions: benchCommunes(set), year: set.year } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  process.on('message', (m: { cpu?: number; delay?: number }) => {
    const used = process.cpuUsage();
    if (m.cpu !== undefined) process.send!({ id: m.cpu, cpu: (used.user + used.system) / 1000 });
    if (m.delay !== undefined) {
      process.send!({ id: m.delay, delay: { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 } });
      delay.reset();
    }
  });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
}

export async function benchmark(options: { quick?: boolean } = {}): Promise<{ figure: string; value: string; target?: string }[]> {
  const quick = options.quick ?? false;
  const set = loadCriteriaSet(`${root}criteria/2023`).set;
  if (!set) throw new Error('criteria/2023 has errors');
  const rows: { figure: string; value: string; target?: string }[] = [];

  // 1. The report: 3,300 units over the three levels (1,100 each), scored then rendered.
  const mixed = syntheticSubmissions(set, UNITS, 2023);
  let bytes = 0;
  const reportMs = await timed(() => {
    const run = scoreSubmissions(set, mixed, { trace: false });
    bytes = renderResultsReport(buildResultsReport(set, run), 'vi').length;
  }, quick ? 1 : 3);
  rows.push({ figure: `HTML results report, ${UNITS.toLocaleString('en')} synthetic units (score + charts + tables; ${(bytes / 1e6).toFixed(1)} MB)`, value: seconds(reportMs), target: '≤ 3 s' });
  // The same units all in one level (3,300 communes), for the largest tables and charts.
  const communes = benchCommunes(set);
  const oneLevelMs = await timed(() => {
    const run = scoreSubmissions(set, communes, { trace: false });
    bytes = renderResultsReport(buildResultsReport(set, run), 'vi').length;
  }, quick ? 1 : 3);
  rows.push({ figure: `HTML results report, ${UNITS.toLocaleString('en')} communes in one level (${(bytes / 1e6).toFixed(1)} MB)`, value: seconds(oneLevelMs), target: '≤ 3 s' });

  // 2. and 3. The web view with those communes as its data.
  // The service runs in a process of its own, so that its CPU time is measured apart from the
  // client's (on a shared machine both compete for the same cores).
  const server = await startServer();
  try {
    const base = server.base;
    const commune = set.levels.find((l) => l.id === 'commune')!;
    const parameter = [...commune.parameters.values()].find((p) => p.def.type === 'percent')!;
    let threshold = Number(parameter.def.value);
    // The baseline (the rules in force) is scored once, on the first what-if of the level.
    await (await fetch(`${base}/web/2023/commune/what-if?partial=1`)).arrayBuffer();
    // A new value each time, so no answer comes from the what-if cache.
    const whatIfServer = await server.cpu();
    const whatIfMs = await timed(async () => {
      threshold = threshold > 50 ? threshold - 0.5 : threshold + 0.5;
      const response = await fetch(`${base}/web/2023/commune/what-if?p.${parameter.id}=${threshold}&partial=1`);
      const text = await response.text();
      if (!response.ok || !text.includes('data-new-rank')) throw new Error(`what-if failed: ${response.status}`);
    }, quick ? 3 : 9);
    const whatIfServerMs = ((await server.cpu()) - whatIfServer) / (quick ? 3 : 9);
    rows.push({ figure: `what-if over ${UNITS.toLocaleString('en')} communes (${parameter.id} changed: recompile, rescore what it moves against the kept baseline, rank, HTML of the first page of units, over HTTP)`, value: `${whatIfMs.wall.toFixed(0)} ms (server CPU ${whatIfServerMs.toFixed(0)} ms)`, target: '≤ 300 ms' });

    const pages = ['/web', '/web/2023', '/web/2023/province', '/web/2023/commune', '/web/2023/results', '/web/2023/results/commune/xa-7', `/web/2023/commune/what-if?p.${parameter.id}=${Number(parameter.def.value) - 5}`].map((p) => base + p);
    // Warm: each page computed once (the results of a year, a what-if), then served from memory.
    for (const url of pages) await (await fetch(url)).arrayBuffer();
    const requests = quick ? 400 : 2_000;
    await server.delay(); // from here on
    const cpu = process.cpuUsage();
    const serverBefore = await server.cpu();
    const result = await load(pages, 20, requests);
    const used = process.cpuUsage(cpu);
    const cpuPerRequest = (used.user + used.system) / 1000 / requests;
    const serverPerRequest = ((await server.cpu()) - serverBefore) / requests;
    const loopDelay = await server.delay();
    rows.push({ figure: `web pages at concurrency 20 (7 pages incl. results of ${UNITS.toLocaleString('en')} units; ${result.perSecond.toFixed(0)} req/s, ${result.failures} failed)`, value: `p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms (CPU per request: server ${serverPerRequest.toFixed(2)} ms, client ${cpuPerRequest.toFixed(2)} ms)`, target: 'p99 ≤ 100 ms' });
    // Whether the server itself ever held requests back (a long task on its event loop), or the tail is the shared machine's.
    rows.push({ figure: '  server event-loop delay during that load (the server never blocks longer than this)', value: `p99 ${loopDelay.p99.toFixed(1)} ms, max ${loopDelay.max.toFixed(1)} ms` });
    // Each page alone, to see which one costs what: its size as sent (fetch asks for gzip/br) and as HTML.
    if (!quick) {
      for (const url of pages) {
        const response = await fetch(url);
        const html = Buffer.byteLength(await response.text());
        const sent = Number(response.headers.get('content-length') ?? html);
        const before = await server.cpu();
        const alone = await load([url], 20, 300);
        const spent = (await server.cpu()) - before;
        const path = url.slice(base.length).replace(/\?.*/, '?…');
        rows.push({ figure: `  page ${path} alone at concurrency 20 (${(html / 1e3).toFixed(0)} kB HTML, ${(sent / 1e3).toFixed(0)} kB sent as ${response.headers.get('content-encoding') ?? 'identity'})`, value: `p50 ${alone.p50.toFixed(1)} ms, p99 ${alone.p99.toFixed(1)} ms (server CPU ${(spent / 300).toFixed(2)} ms per request)`, target: 'p99 ≤ 100 ms' });
      }
      // A browser that has the page already asks with its entity tag: 304, nothing sent.
      const url = pages[4]!;
      const etag = (await fetch(url)).headers.get('etag') ?? '';
      const before = await server.cpu();
      const repeat = await loadWith([url], 20, 600, { 'if-none-match': etag });
      const spent = (await server.cpu()) - before;
      rows.push({ figure: `  results page repeated with If-None-Match (${repeat.notModified} of 600 answered 304)`, value: `p50 ${repeat.p50.toFixed(1)} ms, p99 ${repeat.p99.toFixed(1)} ms (server CPU ${(spent / 600).toFixed(2)} ms per request)`, target: 'p99 ≤ 100 ms' });
    }
  } finally {
    server.stop();
  }
  return rows;
}

if (process.argv.includes('--serve-child')) {
  await serveChild();
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchmark({ quick: process.argv.includes('--quick') });
  console.log('| figure | value | target |\n|---|---|---|');
  for (const row of rows) console.log(`| ${row.figure} | ${row.value} | ${row.target ?? ''} |`);
}
