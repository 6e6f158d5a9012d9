/**
 * A reader that stops early (`tieuchi score --format json | head`) closes the pipe: the CLI stops
 * quietly, with no unhandled EPIPE and no stack trace. Drives the CLI in its own process.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/criteria.js';

function firstBytesThenClose(args: string[]): Promise<{ code: number | null; stderr: string; got: number }> {
  const child = spawn(process.execPath, ['--import', './scripts/ts-node-register.mjs', 'engine/cli/main.ts', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
  });
  let stderr = '';
  let got = 0;
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // Read one chunk, then close our end, as `head -c 50` does.
  child.stdout.once('data', (c: Buffer) => {
    got = c.length;
    child.stdout.destroy();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, got })));
}

describe('the CLI writing into a pipe its reader closed', () => {
  it.each([
    [['score', '--criteria', 'criteria/2023', '--input', 'examples/2023', '--format', 'json', '--trace']],
    [['round', 'score', 'examples/rounds/2023', '--format', 'json']],
  ])('%j: stops quietly, no stack trace', async (args) => {
    const { code, stderr, got } = await firstBytesThenClose(args);
    expect(got).toBeGreaterThan(0);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect([0, 1]).toContain(code);
  }, 120_000);
});
