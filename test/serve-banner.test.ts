/**
 * `tieuchi serve` start-up as staff see it: only the Vietnamese banner (address, what to
 * open, how to stop), no Fastify JSON line; with --log, JSON lines on stderr for operators.
 * The same in its own process: test/integration/serve-start.test.ts.
 */
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serveCommand, type ServeOptions } from '../engine/cli/commands/serve.js';
import type { Lang } from '../engine/problems.js';
import { repoRoot } from './helpers/criteria.js';

async function serveOnce(options: Partial<ServeOptions>, lang: Lang, visit: (address: string) => Promise<void> = async () => {}) {
  const signals = new EventEmitter();
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), cwd: repoRoot };
  const done = serveCommand({ port: '0', host: '127.0.0.1', criteria: ['criteria/2023'], ...options }, io, lang, signals);
  for (let i = 0; i < 400 && !/Ctrl\+C/.test(stderr) && !stderr.includes('✗'); i++) await new Promise((r) => setTimeout(r, 25));
  const address = /(?:tại|on) (http:\/\/127\.0\.0\.1:\d+) /.exec(stderr)?.[1];
  try {
    expect(address, stderr).toBeDefined();
    await visit(address!);
  } finally {
    signals.emit('SIGTERM');
  }
  expect(await done).toBe(0);
  return { stdout, stderr: stderr.replaceAll(address!, 'ADDR') };
}

describe('tieuchi serve prints a banner, not a log', () => {
  it('shows the Vietnamese banner only: where, what to open, how to stop', async () => {
    const { stdout, stderr } = await serveOnce({}, 'vi', async (address) => {
      expect((await fetch(`${address}/criteria`)).status).toBe(200);
    });
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'tieuchi đang phục vụ tại ADDR (năm: 2023)',
        '  Giao diện web: ADDR/web',
        '  Tài liệu API:  ADDR/docs (ADDR/openapi.json)',
        'Nhấn Ctrl+C để dừng.',
        'Đang dừng: chờ các yêu cầu đang xử lý xong…',
        '',
      ].join('\n'),
    );
  });

  it('names the round when one is served, in English with --lang en', async () => {
    const { stderr } = await serveOnce({ round: 'examples/rounds/2023', criteria: ['criteria/2023'] }, 'en');
    expect(stderr.split('\n').slice(0, 5)).toEqual(['tieuchi listening on ADDR (years: 2023)', '  Web view:          ADDR/web', '  Assessment round:  ADDR/round', '  API documentation: ADDR/docs (ADDR/openapi.json)', 'Press Ctrl+C to stop.']);
  });

  it('--log writes Fastify\'s lines, requests included, as JSON on stderr and nothing on stdout', async () => {
    const { stdout, stderr } = await serveOnce({ log: true }, 'vi', async (address) => {
      await fetch(`${address}/criteria`);
    });
    expect(stdout).toBe('');
    const json = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string; url?: string; statusCode?: number });
    expect(json.some((l) => l.msg.startsWith('Server listening'))).toBe(true);
    // One line per request, when it is answered (app.ts OneLinePerRequest).
    expect(json.some((l) => l.msg === 'request completed' && l.url === '/criteria' && l.statusCode === 200)).toBe(true);
    expect(stderr).toContain('Nhật ký yêu cầu (JSON) ghi ra stderr.');
  });

  it('a port already in use is said in words, with what to do: exit 2, no stack trace', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      let stderr = '';
      const io = { stdout: () => {}, stderr: (t: string) => (stderr += t), cwd: repoRoot };
      const code = await serveCommand({ port: String(port), host: '127.0.0.1', criteria: ['criteria/2023'] }, io, 'vi', new EventEmitter());
      expect(code).toBe(2);
      expect(stderr).toContain(`lỗi  cli.usage\n  Cổng ${port} trên 127.0.0.1 đang được một chương trình khác dùng (có thể là một tieuchi serve khác).\n  → Chọn cổng khác, ví dụ --port ${port + 1}, hoặc dừng chương trình kia.`);
      expect(stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
