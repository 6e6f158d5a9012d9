/** Points are shown with the criteria file's own rounding.decimals (issue 9, item 5): table, CSV, explain. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { MINIMAL } from './helpers/minimal.js';

function setWithDecimals(decimals: number): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tieuchi-decimals-')), '2023');
  mkdirSync(dir);
  const text = MINIMAL.replace('decimals: 1,', `decimals: ${decimals},`);
  expect(text).toContain(`decimals: ${decimals},`);
  writeFileSync(join(dir, 'province.yaml'), text);
  return dir;
}

describe('display honours rounding.decimals', () => {
  const input = join(mkdtempSync(join(tmpdir(), 'tieuchi-decimals-in-')), 'u.json');
  // 90 / 95 × 10 = 9.47368… → 9,47 with two decimals (9,5 with one); 95 → 10 → 10,00.
  writeFileSync(
    input,
    JSON.stringify([
      { id: 'so-a', name: 'Sở A', level: 'province', inputs: { 'ty-le': { ty_le: 90 } } },
      { id: 'so-b', name: 'Sở B', level: 'province', inputs: { 'ty-le': { ty_le: 95 } } },
    ]),
  );

  it('decimals: 2 shows 9,47 and 10,00 in the table, 9.47 and 10.00 in the CSV, 9,47 in explain', async () => {
    const criteria = setWithDecimals(2);
    const table = await cli(['score', '--criteria', criteria, '--input', input]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/so-a\s+Sở A\s+9,47\s+9,47\n/);
    expect(table.stdout).toMatch(/so-b\s+Sở B\s+10,00\s+10,00\n/);
    const csv = await cli(['score', '--criteria', criteria, '--input', input, '--format', 'csv']);
    expect(csv.stdout).toContain('province,2,so-a,Sở A,complete,9.47,9.47\n');
    expect(csv.stdout).toContain('province,1,so-b,Sở B,complete,10.00,10.00\n');
    const explain = await cli(['explain', '--criteria', criteria, '--input', input, '--unit', 'so-a']);
    expect(explain.stdout).toContain('Tổng điểm: 9,47 / 10');
    expect(explain.stdout).toContain('Điểm: 9,47 / 10');
  });

  it('decimals: 1 shows 9,5 and 10,0', async () => {
    const criteria = setWithDecimals(1);
    const table = await cli(['score', '--criteria', criteria, '--input', input]);
    expect(table.stdout).toMatch(/so-a\s+Sở A\s+9,5\s+9,5\n/);
    const csv = await cli(['score', '--criteria', criteria, '--input', input, '--format', 'csv']);
    expect(csv.stdout).toContain('province,1,so-b,Sở B,complete,10.0,10.0\n');
  });
});
