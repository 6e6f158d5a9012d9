/**
 * The web view's impact table (what-if and the diff between years) shows totals and changes
 * with the level file's own rounding.decimals, as the tables, CSV and explain do
 * (display-decimals.test.ts): 10,00 beside 9,47, not 10 beside 9,47. Through the web routes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { readSubmissionsJson } from '../engine/load/submissions.js';
import { buildServer } from '../engine/serve/app.js';
import { MINIMAL } from './helpers/minimal.js';

function setWithDecimals(decimals: number, year = 2023) {
  const dir = join(mkdtempSync(join(tmpdir(), 'tieuchi-web-decimals-')), String(year));
  mkdirSync(dir);
  const text = MINIMAL.replace('decimals: 1,', `decimals: ${decimals},`).replace('year: 2023', `year: ${year}`);
  expect(text).toContain(`decimals: ${decimals},`);
  writeFileSync(join(dir, 'province.yaml'), text);
  const loaded = loadCriteriaSet(dir);
  if (!loaded.set) throw new Error('the test set does not load');
  return loaded.set;
}

// 90 / 95 × 10 = 9,47 (2 decimals); 95 → 10,00; 96 → 10,00 (clamped).
const units = readSubmissionsJson(
  'units.json',
  JSON.stringify([
    { id: 'so-a', name: 'Sở A', level: 'province', inputs: { 'ty-le': { ty_le: 90 } } },
    { id: 'so-b', name: 'Sở B', level: 'province', inputs: { 'ty-le': { ty_le: 96 } } },
  ]),
).submissions;

const apps: { close(): Promise<unknown> }[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

/** Each impact row's cells after the unit: old rank, new rank, old total, new total, change. */
function cells(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of html.matchAll(/<tr[^>]*data-unit="([^"]+)"[^>]*>(.*?)<\/tr>/g)) out[m[1]!] = [...m[2]!.matchAll(/<td class="num[^"]*">(.*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim());
  return out;
}

describe('the web impact table uses the level file\'s decimals', () => {
  it.each([
    [2, { old: ['9,47', '10,00'], new: ['10,00', '10,00'], delta: '+0,53' }],
    [1, { old: ['9,5', '10,0'], new: ['10,0', '10,0'], delta: '+0,5' }],
  ])('what-if, decimals: %i', async (decimals, expected) => {
    const app = buildServer({ sets: [setWithDecimals(decimals)], web: { submissions: units, year: 2023 } });
    apps.push(app);
    // The threshold down to 90%: Sở A reaches the maximum.
    const response = await app.inject('/web/2023/province/what-if?p.nguong=90&partial=1');
    expect(response.statusCode).toBe(200);
    const rows = cells(response.body);
    expect(rows['so-a']!.slice(2)).toEqual([expected.old[0], expected.new[0], expected.delta]);
    expect(rows['so-b']!.slice(2)).toEqual([expected.old[1], expected.new[1], '0']);
  });

  it('the diff between two years, with the newer file\'s decimals', async () => {
    const app = buildServer({ sets: [setWithDecimals(2, 2023), setWithDecimals(2, 2024)], web: { submissions: units, year: 2023 } });
    apps.push(app);
    const response = await app.inject('/web/diff?from=2023&to=2024');
    expect(response.statusCode).toBe(200);
    const rows = cells(response.body);
    expect(rows['so-b']!.slice(2)).toEqual(['10,00', '10,00', '0']);
    expect(rows['so-a']!.slice(2)).toEqual(['9,47', '9,47', '0']);
  });
});
