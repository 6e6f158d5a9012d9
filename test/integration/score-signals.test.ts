/**
 * A long `tieuchi score` interrupted (SIGINT, SIGTERM) leaves no temporary
 * file and the old output intact; after a kill -9 its files are recognisable
 * and the next run removes them. Drives the CLI in its own process (TypeScript
 * through ts-node, so no build is needed).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticJson } from '../../scripts/synthetic.js';
import { criteria2023, repoRoot } from '../helpers/criteria.js';

const dir = mkdtempSync(join(tmpdir(), 'tieuchi-signals-'));
const input = join(dir, 'units.json');
writeSyntheticJson(criteria2023(), 60_000, input);

function startScore(out: string) {
  const child = spawn(process.execPath, ['--import', './scripts/ts-node-register.mjs', 'engine/cli/main.ts', 'score', '--criteria', 'criteria/2023', '--input', input, '--format', 'json', '--trace', '--out', out], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stderr: () => stderr };
}

/** Wait until the run has its temporary files (it is writing). */
async function untilTempFiles(folder: string): Promise<string[]> {
  for (let i = 0; i < 600; i++) {
    const temps = readdirSync(folder).filter((n) => n.startsWith('.tieuchi-'));
    if (temps.length >= 2) return temps;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the run never started writing');
}

describe('temporary files on interruption', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: no temporary file left, the old output intact`, async () => {
      const folder = mkdtempSync(join(dir, 'out-'));
      const out = join(folder, 'ket-qua.json');
      writeFileSync(out, '{"old": true}\n');
      const run = startScore(out);
      await untilTempFiles(folder);
      run.child.kill(signal);
      const { signal: got } = await run.exited;
      expect(got).toBe(signal);
      expect(readdirSync(folder)).toEqual(['ket-qua.json']);
      expect(readFileSync(out, 'utf8')).toBe('{"old": true}\n');
      expect(run.stderr()).not.toMatch(/^\s+at /m);
    }, 120_000);
  }

  it('kill -9: the files stay, are recognisably ours, and the next run removes them', async () => {
    const folder = mkdtempSync(join(dir, 'out-'));
    const out = join(folder, 'ket-qua.json');
    const run = startScore(out);
    const temps = await untilTempFiles(folder);
    run.child.kill('SIGKILL');
    await run.exited;
    expect(temps.every((n) => /^\.tieuchi-\d+-[0-9a-f]{12}\.[a-z-]+\.tmp$/.test(n))).toBe(true);
    expect(readdirSync(folder).filter((n) => n.startsWith('.tieuchi-')).length).toBeGreaterThan(0);
    const { cli } = await import('../helpers/cli.js');
    const next = await cli(['score', '--input', 'examples/2023', '--format', 'json', '--out', out]);
    expect(next.code).toBe(0);
    expect(readdirSync(folder)).toEqual(['ket-qua.json']);
  }, 120_000);
});
