/**
 * HTTP speed (issue 9): POST /score of one province unit at concurrency 50,
 * against `tieuchi serve` (dist/, so run `npm run build` first) in its own
 * process, the load generator in this one. The default answer (no traces)
 * and ?trace=true (exact values, traces, Vietnamese explanations).
 *
 *   node --import ./scripts/ts-node-register.mjs scripts/bench-http.ts [--quick]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTest } from './http-load.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** A complete province submission (the 2023 example unit's inputs). */
async function provinceUnit(): Promise<string> {
  const { provinceInputs } = await import('../test/helpers/criteria.js');
  return JSON.stringify({ id: 'so-tai-chinh', name: 'Sở Tài chính', level: 'province', inputs: provinceInputs() });
}

export async function benchmark(options: { quick?: boolean } = {}): Promise<{ figure: string; value: string; target?: string }[]> {
  const cli = join(root, 'dist/engine/cli/main.js');
  if (!existsSync(cli)) throw new Error('bench-http: run `npm run build` first (dist/engine/cli/main.js is missing)');
  const server = spawn(process.execPath, [cli, 'serve', '--port', '0', '--criteria', 'criteria/2023', '--lang', 'en'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      server.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
        if (match) resolve(match[1]!);
      });
      server.on('exit', () => reject(new Error(`tieuchi serve exited: ${seen}`)));
    });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: await provinceUnit() };
    const requests = options.quick ? 3000 : 10_000;
    const rows: { figure: string; value: string; target?: string }[] = [];
    for (const [label, query, target] of [
      ['default (no traces)', '', '≥ 2,500 req/s'],
      ['?trace=true (traces and explanations)', '?trace=true', undefined],
    ] as const) {
      await loadTest(`${url}/score${query}`, init, { concurrency: 50, requests: 1000 }); // warm-up
      const result = await loadTest(`${url}/score${query}`, init, { concurrency: 50, requests });
      rows.push({
        figure: `HTTP POST /score, one unit, concurrency 50, ${result.requests} requests, ${label}`,
        value: `${Math.round(result.perSecond).toLocaleString('en')} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms${result.failures ? `, ${result.failures} failed (${JSON.stringify(result.statuses)})` : ''}`,
        ...(target ? { target } : {}),
      });
    }
    return rows;
  } finally {
    server.kill('SIGTERM');
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchmark({ quick: process.argv.includes('--quick') });
  console.log('| figure | value | target |\n|---|---|---|');
  for (const row of rows) console.log(`| ${row.figure} | ${row.value} | ${row.target ?? '—'} |`);
}
