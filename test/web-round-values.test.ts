/**
 * The web view's what-if with round values (issues 11 and 13): the values the
 * department supplies once per round are what the results and the what-if
 * score with, and the user may change one in the form like a parameter. The
 * new totals and ranks must be those `tieuchi diff --impact` gives with the
 * changed value in a round-values file (and `tieuchi score --round-values`
 * for the new side). The file is read again when it changes while the
 * service runs.
 */
import { copyFileSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCriteriaSet, type CriteriaSet } from '../engine/criteria-set.js';
import { readSubmissionsJson } from '../engine/load/submissions.js';
import { buildServer } from '../engine/serve/app.js';
import { roundValuesFile } from '../engine/serve/web/round-values.js';
import { cli } from './helpers/cli.js';
import { repoRoot } from './helpers/criteria.js';

const example = join(repoRoot, 'examples', 'structures', 'xa-phuong');
const set: CriteriaSet = loadCriteriaSet(join(example, '2025')).set!;
const units = readSubmissionsJson('units.json', readFileSync(join(example, 'units.json'), 'utf8')).submissions;
const dir = mkdtempSync(join(tmpdir(), 'tieuchi-web-rv-'));
const apps: { close(): Promise<unknown> }[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

function server(file: string | undefined, optional = false) {
  const app = buildServer({ sets: [set], web: { submissions: units, year: 2025, ...(file ? { roundValues: roundValuesFile(file, { optional }) } : {}) } });
  apps.push(app);
  return app;
}

/** The impact rows a page shows: unit, old rank, new rank, new total. */
function rows(html: string): [string, number | null, number | null, number | null][] {
  return [...html.matchAll(/data-unit="([^"]+)" data-old-rank="(\d*)" data-new-rank="(\d*)">.*?<td class="num">[^<]*<\/td><td class="num">([^<]*)<\/td>/g)].map((m) => [m[1]!, m[2] ? Number(m[2]) : null, m[3] ? Number(m[3]) : null, m[4] === '—' ? null : Number(m[4]!.replace(',', '.'))]);
}

describe('what-if with round values', () => {
  it('shows each round value the level declares in the form, with the value in force', async () => {
    const app = server(join(example, 'round-values-2025.yaml'));
    const response = await app.inject('/web/2025/commune/what-if');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Giá trị của đợt chấm');
    expect(response.body).toMatch(/<label for="r-muc_tieu_tai_khoan">mục tiêu số tài khoản định danh điện tử trên 1\.000 dân của tỉnh \(tài khoản\/1\.000 dân\)/);
    expect(response.body).toContain('name="r.muc_tieu_tai_khoan" value="550"');
    expect(response.body).toContain('Đang dùng: 550 tài khoản/1.000 dân');
    expect(response.body).toContain('round-values-2025.yaml');
  });

  for (const value of [400, 720.5]) {
    it(`a round value changed to ${value} gives the ranks and totals of diff --impact and score --round-values`, async () => {
      const changed = join(dir, `rv-${value}.yaml`);
      writeFileSync(changed, `year: 2025\nvalues:\n  muc_tieu_tai_khoan: ${value}\n`);
      const diff = await cli(['diff', join(example, '2025'), join(example, '2025'), '--impact', join(example, 'units.json'), '--round-values', join(example, 'round-values-2025.yaml'), '--round-values', changed, '--format', 'json']);
      expect(diff.code, diff.stderr).toBe(0);
      const impact = JSON.parse(diff.stdout).impact.levels.find((l: { id: string }) => l.id === 'commune').units;
      const expected = impact.map((u: any) => [u.id, u.old.rank ?? null, u.new.rank ?? null, u.new.total ?? null]);
      // The change moves totals: a what-if that ignored the value would fail here.
      expect(impact.filter((u: any) => u.old.total !== u.new.total).length).toBeGreaterThan(5);

      const app = server(join(example, 'round-values-2025.yaml'));
      const response = await app.inject(`/web/2025/commune/what-if?r.muc_tieu_tai_khoan=${String(value).replace('.', ',')}&partial=1`);
      expect(response.statusCode).toBe(200);
      expect(rows(response.body)).toEqual(expected);
      expect(response.body).toContain(`Giá trị của đợt «mục tiêu số tài khoản định danh điện tử trên 1.000 dân của tỉnh»: 550 → ${String(value).replace('.', ',')}`);

      // The new side is what score --round-values gives with the changed file.
      const score = await cli(['score', '--criteria', join(example, '2025'), '--input', join(example, 'units.json'), '--round-values', changed, '--format', 'json']);
      expect(score.code, score.stderr).toBe(0);
      const scored = JSON.parse(score.stdout);
      const byId = new Map<string, { total?: number; rank?: number }>((scored.units ?? scored.results ?? scored).map((u: any) => [u.id, u]));
      for (const [id, , rank, total] of rows(response.body)) {
        expect(byId.get(id)?.total ?? null, id).toBe(total);
        expect(byId.get(id)?.rank ?? null, id).toBe(rank);
      }
    });
  }

  it('refuses a round value outside its declared bounds, on the form, scoring nothing', async () => {
    const app = server(join(example, 'round-values-2025.yaml'));
    for (const bad of ['0', 'abc', '1e9']) {
      const response = await app.inject(`/web/2025/commune/what-if?r.muc_tieu_tai_khoan=${encodeURIComponent(bad)}`);
      expect(response.statusCode, bad).toBe(400);
      expect(response.body).toContain(`mục tiêu số tài khoản định danh điện tử trên 1.000 dân của tỉnh: cần một số trong khoảng 1 – +∞, nhận được &quot;${bad}&quot;.`);
      expect(response.body).toContain('aria-invalid="true"');
      expect(rows(response.body)).toEqual([]);
    }
    // A name the level does not declare is ignored, never evaluated.
    const other = await app.inject('/web/2025/commune/what-if?r.__proto__=1&r.khong_co=5&partial=1');
    expect(other.statusCode).toBe(200);
    expect(other.body).toContain('Chưa thay đổi gì');
  });

  it('without a round-values file, says so; a value typed in scores the criteria that read it', async () => {
    const app = server(join(dir, 'round-values.yaml'), true);
    const page = await app.inject('/web/2025/commune/what-if');
    expect(page.body).toContain('Máy chủ chưa có tệp giá trị của đợt');
    expect(page.body).toContain('Đang dùng: chưa có');
    const noValue = rows(page.body);
    expect(noValue.every(([, oldRank]) => oldRank === null)).toBe(true);
    const typed = await app.inject('/web/2025/commune/what-if?r.muc_tieu_tai_khoan=550&partial=1');
    expect(typed.body).toContain('chưa có → 550');
    const withValue = rows(typed.body);
    expect(withValue.some(([, , newRank]) => newRank !== null)).toBe(true);
  });

  it('reads the file again when it changes while the service runs: new results, new entity tag', async () => {
    const file = join(dir, 'live.yaml');
    copyFileSync(join(example, 'round-values-2025.yaml'), file);
    const app = server(file);
    const first = await app.inject('/web/2025/results');
    const again = await app.inject({ url: '/web/2025/results', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    writeFileSync(file, 'year: 2025\nvalues:\n  muc_tieu_tai_khoan: 900\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    const changed = await app.inject({ url: '/web/2025/results', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(changed.body).not.toBe(first.body);
    const form = await app.inject('/web/2025/commune/what-if');
    expect(form.body).toContain('name="r.muc_tieu_tai_khoan" value="900"');
  });
});

describe('tieuchi serve: --round-values and --round for the web view', () => {
  async function serve(options: Record<string, unknown>) {
    const { serveCommand } = await import('../engine/cli/commands/serve.js');
    const { EventEmitter } = await import('node:events');
    const signals = new EventEmitter();
    let stderr = '';
    const io = { stdout: () => {}, stderr: (t: string) => (stderr += t), cwd: repoRoot };
    const done = serveCommand({ port: '0', host: '127.0.0.1', ...options }, io, 'vi', signals);
    for (let i = 0; i < 400 && !/đang phục vụ tại (\S+)/.test(stderr) && !stderr.includes('✗') && !stderr.includes('lỗi'); i++) await new Promise((r) => setTimeout(r, 25));
    const address = /đang phục vụ tại (\S+) /.exec(stderr)?.[1];
    return { address, stderr: () => stderr, stop: async () => (signals.emit('SIGTERM'), done), done };
  }

  it('a round-values file that does not exist is a usage error, said in Vietnamese', async () => {
    const run = await serve({ criteria: [join(example, '2025')], input: [join(example, 'units.json')], roundValues: join(dir, 'khong-co.yaml') });
    expect(await run.done).toBe(2);
    expect(run.stderr()).toContain('Không có tệp giá trị của đợt');
  });

  it('--round-values: the what-if form shows the value in force, over HTTP', async () => {
    const run = await serve({ criteria: [join(example, '2025')], input: [join(example, 'units.json')], roundValues: join(example, 'round-values-2025.yaml') });
    expect(run.address, run.stderr()).toBeDefined();
    const page = await fetch(`${run.address}/web/2025/commune/what-if`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="r.muc_tieu_tai_khoan" value="550"');
    expect(await run.stop()).toBe(0);
  });

  it("--round DIR without --input: /web shows the round's received data", async () => {
    const { scratchRound2023 } = await import('./helpers/round.js');
    const roundDir = scratchRound2023();
    const run = await serve({ criteria: ['criteria/2023'], round: roundDir });
    expect(run.address, run.stderr()).toBeDefined();
    const results = await (await fetch(`${run.address}/web/2023/results`)).text();
    expect(results).toContain('Phường 1');
    expect(results).toContain('received/');
    expect(await run.stop()).toBe(0);
  });
});
