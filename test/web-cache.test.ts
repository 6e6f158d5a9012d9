/**
 * The web view's pages as sent (issue 13's speed target): cached, tagged,
 * compressed, paged. A repeat with the entity tag costs a 304; gzip and
 * Brotli bodies are the same HTML; a results page of hundreds of units shows
 * one page of rows with keyboard page links; the what-if's table pages the
 * same way and keeps the form's values in its links; a round's web data
 * follows the files the round receives.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { roundRoutes, roundWebData } from '../engine/round/serve.js';
import { buildServer } from '../engine/serve/app.js';
import { negotiateEncoding } from '../engine/serve/web/page-cache.js';
import { PAGE_ROWS } from '../engine/serve/web/pages.js';
import { pageWindow } from '../engine/report/html/report-render.js';
import { syntheticSubmissions } from '../scripts/synthetic.js';
import { repoRoot } from './helpers/criteria.js';
import { round, scratchRound2023 } from './helpers/round.js';
import { join } from 'node:path';

const set = loadCriteriaSet(join(repoRoot, 'criteria', '2023')).set!;
const commune = set.levels.find((l) => l.id === 'commune')!;
const UNITS = 250;
const communes = syntheticSubmissions({ ...set, levels: [commune] }, UNITS, 31).map((s, i) => ({ ...s, id: `xa-${i}`, name: `Xã thử ${i}` }));
const app = buildServer({ sets: [set], web: { submissions: communes, year: 2023 } });
afterAll(async () => app.close());

const rankCells = (html: string, table: string) => {
  const body = html.slice(html.indexOf(`<table class="${table}"`));
  return [...body.slice(0, body.indexOf('</table>')).matchAll(/<tr><td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
};

describe('web pages: caching and compression', () => {
  it('negotiates the encoding: Brotli, then gzip, never one refused with q=0', () => {
    const table: [string | undefined, string][] = [
      [undefined, 'identity'],
      ['', 'identity'],
      ['gzip, deflate', 'gzip'],
      ['gzip, deflate, br', 'br'],
      ['br;q=0, gzip', 'gzip'],
      ['br;q=0, gzip;q=0', 'identity'],
      ['*', 'br'],
      ['*;q=0', 'identity'],
      ['identity', 'identity'],
      ['GZIP', 'gzip'],
    ];
    for (const [header, expected] of table) expect(negotiateEncoding(header), String(header)).toBe(expected);
  });

  it('tags each page, answers a repeat with 304, and says how to cache it', async () => {
    for (const url of ['/web', '/web/2023', '/web/2023/commune', '/web/2023/results', '/web/2023/results/commune/xa-3', '/web/2023/commune/what-if?p.nguong_ho_so_cong_viec_tren_mang=55']) {
      const first = await app.inject(url);
      expect(first.statusCode, url).toBe(200);
      const etag = String(first.headers.etag);
      expect(etag, url).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
      expect(first.headers['cache-control']).toBe('no-cache');
      expect(first.headers.vary).toBe('Accept-Encoding');
      expect(first.headers['content-security-policy']).toContain("default-src 'none'");
      const repeat = await app.inject({ url, headers: { 'if-none-match': etag } });
      expect(repeat.statusCode, url).toBe(304);
      expect(repeat.rawPayload.length).toBe(0);
      // Another tag (an old version of the page) gets the page.
      const stale = await app.inject({ url, headers: { 'if-none-match': 'W/"old"' } });
      expect(stale.statusCode).toBe(200);
      expect(stale.body).toBe(first.body);
    }
  });

  it('sends gzip or Brotli when asked, the same HTML once decompressed', async () => {
    const plain = await app.inject('/web/2023/results');
    const gz = await app.inject({ url: '/web/2023/results', headers: { 'accept-encoding': 'gzip' } });
    const br = await app.inject({ url: '/web/2023/results', headers: { 'accept-encoding': 'gzip, br' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    expect(gz.headers.etag).toBe(plain.headers.etag);
    // Error pages are compressed and tagged too, but never answered 304.
    const missing = await app.inject({ url: '/web/1999', headers: { 'accept-encoding': 'gzip' } });
    expect(missing.statusCode).toBe(404);
    expect(gunzipSync(missing.rawPayload).toString('utf8')).toContain('Không có bộ tiêu chí năm 1999');
    expect((await app.inject({ url: '/web/1999', headers: { 'if-none-match': String(missing.headers.etag) } })).statusCode).toBe(404);
  });
});

describe('web pages: paged tables', () => {
  it('shows one page of the ranking and heat map, with page links to the rest', async () => {
    const first = await app.inject('/web/2023/results');
    const top = rankCells(first.body, 'ranking');
    expect(top.length).toBe(PAGE_ROWS);
    expect(top[0]).toBe(1);
    expect(top.every((r, i) => i === 0 || r >= top[i - 1]!)).toBe(true);
    expect(first.body).toContain(`Đơn vị 1–${PAGE_ROWS} trong ${UNITS} (trang 1/3).`);
    expect(first.body).toContain(`<nav class="pages no-print" aria-label="Xếp hạng — ${commune.name}: các trang"><ul><li><a href="/web/2023/results#level--commune-ranking" aria-current="page"><span class="sr-only">Trang </span>1</a></li>`);
    expect(first.body).toContain('href="/web/2023/results?level=commune&amp;page=2#level--commune-ranking"');
    const third = await app.inject('/web/2023/results?level=commune&page=3');
    const ranks = rankCells(third.body, 'ranking');
    expect(ranks.length).toBe(UNITS - 2 * PAGE_ROWS);
    expect(ranks[0]).toBeGreaterThan(2 * PAGE_ROWS - 5); // ties share a rank
    expect(third.body).toContain(`Đơn vị 201–${UNITS} trong ${UNITS} (trang 3/3).`);
    expect(third.body).toContain('aria-current="page"><span class="sr-only">Trang </span>3</a>');
    // The charts are the same on every page (they cover every unit).
    const svg = (html: string) => html.match(/<svg[\s\S]*?<\/svg>/g);
    expect(svg(third.body)).toEqual(svg(first.body));
    // Out of range or nonsense: the nearest page, never an error.
    expect(rankCells((await app.inject('/web/2023/results?level=commune&page=99')).body, 'ranking')).toEqual(ranks);
    expect(rankCells((await app.inject('/web/2023/results?level=commune&page=-1')).body, 'ranking')).toEqual(rankCells(first.body, 'ranking'));
    expect((await app.inject('/web/2023/results?level=nowhere&page=2')).body).toBe(first.body);
    // English too.
    expect((await app.inject('/web/2023/results?level=commune&page=2&lang=en')).body).toContain(`Units 101–200 of ${UNITS} (page 2 of 3).`);
  });

  it('pages the what-if table, the links keeping the change', async () => {
    const change = 'p.nguong_ho_so_cong_viec_tren_mang=55';
    const one = await app.inject(`/web/2023/commune/what-if?${change}&partial=1`);
    const two = await app.inject(`/web/2023/commune/what-if?${change}&page=2&partial=1`);
    const units = (html: string) => [...html.matchAll(/data-unit="([^"]+)" data-old-rank="\d*" data-new-rank="(\d*)"/g)].map((m) => [m[1], Number(m[2])] as const);
    expect(units(one.body).length).toBe(PAGE_ROWS);
    expect(units(two.body).length).toBe(PAGE_ROWS);
    expect(new Set([...units(one.body), ...units(two.body)].map(([id]) => id)).size).toBe(2 * PAGE_ROWS);
    expect(units(one.body).at(-1)![1]).toBeLessThanOrEqual(units(two.body)[0]![1]);
    expect(one.body).toContain(`${UNITS} đơn vị;`);
    expect(one.body).toContain('href="/web/2023/commune/what-if?p.nguong_ho_so_cong_viec_tren_mang=55&amp;page=2"');
    const full = await app.inject(`/web/2023/commune/what-if?${change}&page=3`);
    expect(full.body).toContain('value="55"');
    expect(units(full.body).length).toBe(UNITS - 2 * PAGE_ROWS);
  });

  it('links the first, the last and the pages near the current one', () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(pageWindow(10, 33)).toEqual([1, '…', 7, 8, 9, 10, 11, 12, 13, '…', 33]);
    expect(pageWindow(33, 33)).toEqual([1, '…', 30, 31, 32, 33]);
  });
});

describe("web pages: a round's data", () => {
  it('follows the files the round receives: a new file gives new results', async () => {
    const dir = scratchRound2023();
    const r = round(dir);
    const roundApp = buildServer({ sets: [set], plugins: [roundRoutes({ round: r })], web: { source: roundWebData(r) } });
    try {
      const before = await roundApp.inject('/web/2023/results');
      expect(before.statusCode).toBe(200);
      expect(before.body).toContain('Phường 1');
      const sheet = await roundApp.inject('/web/2023/results/commune/phuong-1');
      expect(sheet.statusCode).toBe(200);
      // The department sends a corrected rate for phường 1 (hash-named, journaled, never overwriting).
      const { receiveFile } = await import('../engine/round/received.js');
      const unit = before.body.match(/<a href="\/web\/2023\/results\/commune\/phuong-1">/);
      expect(unit).not.toBeNull();
      const data = { id: 'phuong-1', name: 'Phường 1', level: 'commune', inputs: {} as Record<string, Record<string, number>> };
      const criterion = commune.criteria.find((c) => Object.values(c.def.inputs).some((i) => i.type === 'percent'))!;
      const input = Object.entries(criterion.def.inputs).find(([, i]) => i.type === 'percent')![0];
      data.inputs[criterion.id] = { [input]: 0 };
      const stored = receiveFile(r, r.config.department.id, Buffer.from(JSON.stringify(data)), 'json', { now: new Date('2023-12-01T03:00:00Z'), by: 'test' });
      expect(stored.ok).toBe(true);
      const after = await roundApp.inject({ url: '/web/2023/results', headers: { 'if-none-match': String(before.headers.etag) } });
      expect(after.statusCode).toBe(200);
      expect(after.body).not.toBe(before.body);
      const again = await roundApp.inject({ url: '/web/2023/results', headers: { 'if-none-match': String(after.headers.etag) } });
      expect(again.statusCode).toBe(304);
    } finally {
      await roundApp.close();
    }
  });
});
