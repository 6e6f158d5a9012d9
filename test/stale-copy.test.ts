/**
 * A stale copy of last year: dates still in the old year, printed text that
 * still cites an old number. Warnings, located, naming what to move.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStaleCopy, numbersIn, shiftDateToYear } from '../engine/check/stale-copy.js';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { cli } from './helpers/cli.js';
import { criteria2023Dir, repoRoot } from './helpers/criteria.js';
import { MINIMAL } from './helpers/minimal.js';

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'tieuchi-stale-'));
  cpSync(criteria2023Dir, join(root, 'criteria', '2023'), { recursive: true });
  cpSync(join(repoRoot, 'schemas'), join(root, 'schemas'), { recursive: true });
  return root;
}

describe('dates', () => {
  it('a 2025 draft copied with --keep-dates: validate warns about every 2023 date left in it, each at its line', async () => {
    const root = project();
    expect((await cli(['new-year', '2025', '--from', '2023', '--keep-dates'], root)).code).toBe(0);
    const dir = join(root, 'criteria', '2025');
    const { problems } = loadCriteriaSet(dir, { displayPath: (p) => p.slice(dir.length + 1) });
    const warned = new Set(problems.filter((p) => p.code === 'stale.date-outside-year').map((p) => `${p.location!.file}:${p.location!.line}:${p.location!.column}`));
    // Every "2023-…" or "2024-…" date in the files (all before 2025), found by text.
    const expected = new Set<string>();
    for (const name of readdirSync(dir)) {
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*#/.test(line)) return;
          for (const m of line.matchAll(/"(2023|2024)-\d\d-\d\d"/g)) expected.add(`${name}:${i + 1}:${m.index! + 1}`);
        });
    }
    expect(expected.size).toBeGreaterThan(50);
    expect(warned).toEqual(expected);
    expect(problems.every((p) => p.severity === 'warning')).toBe(true);
  }, 60_000);

  it('a deadline declared cross_year (a report due in January) is not flagged, nor the examples that follow it', () => {
    const text = MINIMAL.replace('    type: percent\n    value: 95\n    label: ngưỡng\n', '    type: percent\n    value: 95\n    label: ngưỡng\n  han:\n    type: date\n    value: "2024-01-15"\n    label: hạn báo cáo\n');
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-cross-'));
    writeFileSync(join(dir, 'f.yaml'), text);
    const flagged = loadCriteriaSet(join(dir, 'f.yaml')).problems.filter((p) => p.code === 'stale.date-outside-year');
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.hint!.vi).toContain('cross_year: true');
    writeFileSync(join(dir, 'f.yaml'), text.replace('    value: "2024-01-15"\n', '    value: "2024-01-15"\n    cross_year: true\n'));
    expect(loadCriteriaSet(join(dir, 'f.yaml')).problems.filter((p) => p.code === 'stale.date-outside-year')).toEqual([]);
  });

  it.each([
    ['2023-03-31', 2025, '2025-03-31'],
    ['2024-02-29', 2025, '2025-02-28'],
    ['2023-12-15', 2024, '2024-12-15'],
  ])('shiftDateToYear(%s, %i) = %s', (from, year, to) => expect(shiftDateToYear(from, year)).toBe(to));
});

describe('printed text linked to its parameter (printed_in)', () => {
  it('a threshold changed from 95 to 98 without its text: a warning on each text, naming both lines', () => {
    const file = join(criteria2023Dir, 'province.yaml');
    const text = readFileSync(file, 'utf8');
    const changed = text.replace('  nguong_dvc_toan_trinh:\n    type: percent\n    value: 95', '  nguong_dvc_toan_trinh:\n    type: percent\n    value: 98');
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-text-'));
    writeFileSync(join(dir, 'province.yaml'), changed);
    const warnings = loadCriteriaSet(join(dir, 'province.yaml')).problems.filter((p) => p.code === 'stale.text-number');
    const lines = changed.split('\n');
    const valueLine = lines.indexOf('    value: 98') + 1;
    const nameLine = lines.findIndex((l, i) => l === '    name: >-' && lines[i + 1]!.includes('95% thủ tục hành chính')) + 1;
    const ruleLine = lines.findIndex((l, i) => l === '    rule: |-' && lines[i + 1]!.includes('Đạt >=95%')) + 1;
    expect(warnings.map((w) => [w.criterion, w.location!.line])).toEqual([
      ['dvc-toan-trinh', nameLine],
      ['dvc-toan-trinh', ruleLine],
    ]);
    expect(warnings[0]!.message.vi).toBe(`Tham số "nguong_dvc_toan_trinh" là 98% (dòng ${valueLine}) nhưng tên của tiêu chí 3 (dòng ${nameLine}) không ghi 98%; chữ in đang ghi 95%.`);
    expect(warnings[1]!.message.vi).toContain(`(dòng ${valueLine})`);
    expect(warnings[1]!.message.vi).toContain(`cách tính của tiêu chí 3 (dòng ${ruleLine})`);
    // Fixing the text as the hint says clears them.
    const fixed = changed.replace('      95% thủ tục hành chính', '      98% thủ tục hành chính').replace('Đạt >=95%', 'Đạt >=98%');
    writeFileSync(join(dir, 'province.yaml'), fixed);
    expect(loadCriteriaSet(join(dir, 'province.yaml')).problems.filter((p) => p.code === 'stale.text-number')).toEqual([]);
  });

  it('criteria/2023 is linked where its text prints its parameters, and clean', () => {
    const { set, problems } = loadCriteriaSet(criteria2023Dir);
    expect(problems).toEqual([]);
    const linked = set!.levels.flatMap((l) => Object.entries(l.doc.parameters ?? {}).filter(([, p]) => p.printed_in?.length).map(([id]) => `${l.id}.${id}`));
    expect(linked).toEqual(expect.arrayContaining(['province.nguong_dvc_toan_trinh', 'province.nguong_thanh_toan_truc_tuyen', 'district.nguong_ho_so_cong_viec_tren_mang', 'commune.nguong_app_cong_dan_nguoi_dan']));
    expect(linked.length).toBeGreaterThanOrEqual(30);
  });

  it('printed_in naming a criterion that does not exist is an error', () => {
    const set = loadCriteriaSet(criteria2023Dir).set!;
    const level = set.levels[0]!;
    const doc = structuredClone(level.doc);
    doc.parameters!.nguong_dvc_toan_trinh!.printed_in = ['khong-co.name'];
    expect(checkStaleCopy(doc, level.locate).map((p) => [p.code, p.severity])).toEqual([['parameter.printed-in-unknown', 'error']]);
  });

  it('numbers as printed: "01" is 1, "3,8" is 3.8, "95%" keeps its sign', () => {
    expect(numbersIn('trừ 01 điểm/tháng; 90/95*4 = 3,8; Đạt >=95%').map((n) => [n.value, n.text])).toEqual([
      [1, '01'],
      [90, '90'],
      [95, '95'],
      [4, '4'],
      [3.8, '3,8'],
      [95, '95%'],
    ]);
  });
});
