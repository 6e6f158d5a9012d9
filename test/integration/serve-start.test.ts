/**
 * `tieuchi serve` in its own process, as staff start it: stdout stays empty (Fastify's logger
 * writes to file descriptor 1 by default, which an in-process test cannot see), stderr holds
 * the Vietnamese banner only; --log adds JSON lines on stderr. Bounded, on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/criteria.js';

async function startAndStop(extra: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, ['--import', './scripts/ts-node-register.mjs', 'engine/cli/main.ts', 'serve', '--port', '0', '--host', '127.0.0.1', '--criteria', 'criteria/2023', ...extra], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', TIEUCHI_LANG: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in 60 s: ${stderr}`)), 60_000);
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const found = /đang phục vụ tại (\S+) [\s\S]*Ctrl\+C/.exec(stderr);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
  });
  expect((await fetch(`${address}/criteria`)).status).toBe(200);
  child.kill('SIGTERM');
  const code = await exited;
  return { stdout, stderr, code };
}

describe('tieuchi serve in its own process', () => {
  it('prints the banner only: nothing on stdout, no JSON on stderr', async () => {
    const { stdout, stderr, code } = await startAndStop([]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).not.toContain('{');
    expect(stderr).toMatch(/^tieuchi đang phục vụ tại http:\/\/127\.0\.0\.1:\d+ \(năm: 2023\)\n {2}Giao diện web: .*\/web\n {2}Tài liệu API: {2}.*\/docs .*\nNhấn Ctrl\+C để dừng\.\n/);
  }, 120_000);

  it('--log: JSON lines on stderr, stdout still empty', async () => {
    const { stdout, stderr, code } = await startAndStop(['--log']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^Server listening/), 'request completed']));
  }, 120_000);
});
