/**
 * The HTML report's statistics table shows the lowest and highest points as the totals are
 * shown, with the level file's own rounding.decimals (10,00 and 9,474, not 10 and 9,47);
 * mean, median and spread are statistics, with two decimals.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { MINIMAL } from './helpers/minimal.js';

const input = join(mkdtempSync(join(tmpdir(), 'tieuchi-stats-in-')), 'u.json');
// 90 / 95 × 10 = 9,4736… → 9,47 (2 decimals), 9,474 (3), 9,5 (1); 96 → 10 (clamped).
writeFileSync(
  input,
  JSON.stringify([
    { id: 'so-a', name: 'Sở A', level: 'province', inputs: { 'ty-le': { ty_le: 90 } } },
    { id: 'so-b', name: 'Sở B', level: 'province', inputs: { 'ty-le': { ty_le: 96 } } },
  ]),
);

function setWithDecimals(decimals: number): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tieuchi-stats-')), '2023');
  mkdirSync(dir);
  const text = MINIMAL.replace('decimals: 1,', `decimals: ${decimals},`);
  expect(text).toContain(`decimals: ${decimals},`);
  writeFileSync(join(dir, 'province.yaml'), text);
  return dir;
}

/** The statistics row of criterion 1: max points, units, mean, share, median, lowest, highest, sd, full, zero. */
function statsRow(html: string): string[] {
  const table = /<table class="stats">([\s\S]*?)<\/table>/.exec(html)?.[1];
  expect(table, 'the statistics table').toBeDefined();
  const row = /<tr[^>]*><td class="num">1<\/td>([\s\S]*?)<\/tr>/.exec(table!)?.[1];
  expect(row, 'the row of criterion 1').toBeDefined();
  return [...row!.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]!);
}

describe('the report\'s statistics table', () => {
  it.each([
    [1, '9,5', '10,0'],
    [2, '9,47', '10,00'],
    [3, '9,474', '10,000'],
  ])('decimals: %i shows the lowest %s and the highest %s', async (decimals, lowest, highest) => {
    const r = await cli(['report', '--criteria', setWithDecimals(decimals), '--input', input]);
    expect(r.code, r.stderr).toBe(0);
    const cells = statsRow(r.stdout);
    expect(cells[5]).toBe(lowest);
    expect(cells[6]).toBe(highest);
    expect(cells[1]).toBe('2');
  });
});
