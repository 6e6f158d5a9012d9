/**
 * tieuchi diff: the structured diff of two sets (every kind of change, on
 * fixtures), its text/Markdown/JSON renderings (golden files; regenerate with
 * UPDATE_GOLDEN=1), and the worked demo of the README (2023 vs the fictional
 * 2024 draft).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCriteriaSet, type CriteriaSet } from '../engine/criteria-set.js';
import { diffCriteriaSets } from '../engine/diff/compare.js';
import { cli } from './helpers/cli.js';
import { criteria2023 } from './helpers/criteria.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const goldenDir = here('./golden/diff');

function golden(name: string, actual: string): void {
  const file = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  // A missing golden file is a failure, never a silent first write: regenerate with UPDATE_GOLDEN=1.
  if (!existsSync(file)) throw new Error(`golden file ${name} is missing: run UPDATE_GOLDEN=1 npx vitest run test/diff.test.ts`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

function load(path: string): CriteriaSet {
  const { set, problems } = loadCriteriaSet(here(path));
  if (!set) throw new Error(problems.map((p) => `${p.code} ${p.message.en}`).join('\n'));
  return set;
}

describe('diffCriteriaSets on the fixtures (every kind of change)', () => {
  const diff = diffCriteriaSets(load('./fixtures/diff/old/2030'), load('./fixtures/diff/new/2031'));
  const a = diff.levels.find((l) => l.id === 'a')!;
  const changed = (id: string) => a.criteria.changed.find((c) => c.id === id)!;
  const kinds = (id: string) => changed(id).changes.map((c) => c.kind);

  it('levels added and removed, matched by id', () => {
    expect(diff.levelsRemoved.map((l) => l.id)).toEqual(['b']);
    expect(diff.levelsAdded.map((l) => l.id)).toEqual(['c']);
    expect(diff.levels.map((l) => l.id)).toEqual(['a']);
  });

  it('decision, level metadata, rounding policy and total points', () => {
    expect(diff.decision).toEqual([
      { field: 'decision.number', old: '1/QĐ-THU', new: '' },
      { field: 'decision.date', old: '2030-01-15', new: '' },
    ]);
    expect(a.metadata).toEqual([{ field: 'level.name', old: 'Cấp A', new: 'Cấp A (tên mới)' }]);
    expect(a.scoring).toEqual([{ field: 'scoring.rounding.decimals', old: 1, new: 2 }]);
    expect(a.totalPoints).toEqual({ old: 20, new: 22 });
  });

  it('a parameter change is listed once, with every criterion that reads it', () => {
    expect(a.parameters.changed).toHaveLength(1);
    expect(a.parameters.changed[0]).toMatchObject({ id: 'nguong', value: { old: 90, new: 80 }, usedBy: { old: ['ty-le-x', 'ty-le-y'], new: ['ty-le-x', 'ty-le-y'] } });
    for (const id of ['ty-le-x', 'ty-le-y']) expect(changed(id).changes).toContainEqual(expect.objectContaining({ kind: 'parameter', parameter: 'nguong', old: 90, new: 80 }));
  });

  it('criteria added, removed, renumbered, renamed; max points; text; inputs; formulas', () => {
    expect(a.criteria.added.map((c) => c.id)).toEqual(['moi']);
    expect(a.criteria.removed.map((c) => c.id)).toEqual(['bo-di']);
    expect(a.criteria.unchanged).toBe(0);
    expect(kinds('ty-le-x')).toEqual(['max_points', 'parameter']);
    expect(kinds('ty-le-y')).toEqual(['name', 'rule', 'evidence', 'parameter']);
    expect(kinds('giu-nguyen')).toEqual(['number']);
    expect(changed('giu-nguyen').formula).toBeUndefined();
    expect(kinds('doi-loai')).toEqual(['number', 'notes', 'input-removed', 'input-retyped', 'input-changed', 'input-added', 'formula']);
    expect(changed('doi-loai').changes).toContainEqual({ kind: 'input-retyped', input: 'so', label: 'Tỉ lệ việc đạt', old: 'count', new: 'percent' });
  });

  it('formulas are shown as readable math, old beside new, with parameters by value', () => {
    expect(changed('ty-le-x').formula!.old.vi).toBe('nếu tỉ lệ X ≥ 90% thì 5, ngược lại tỉ lệ X / 90 × 5');
    expect(changed('ty-le-x').formula!.new.vi).toBe('nếu tỉ lệ X ≥ 80% thì 6, ngược lại tỉ lệ X / 80 × 6');
    expect(changed('ty-le-y').formula!.new.en).toBe('min(tỉ lệ Y / 80 × 5, 5)');
  });

  it('--level limits the diff to one level', () => {
    const only = diffCriteriaSets(load('./fixtures/diff/old/2030'), load('./fixtures/diff/new/2031'), { level: 'b' });
    expect(only.levels).toEqual([]);
    expect(only.levelsRemoved.map((l) => l.id)).toEqual(['b']);
    expect(only.levelsAdded).toEqual([]);
  });

  it('a set compared with itself has no change, and counts its criteria', () => {
    const same = diffCriteriaSets(criteria2023(), criteria2023());
    expect(same.counts).toEqual({ levelsAdded: 0, levelsRemoved: 0, levelsChanged: 0, criteriaAdded: 0, criteriaRemoved: 0, criteriaChanged: 0, criteriaUnchanged: 45, parametersChanged: 0 });
  });
});

describe('tieuchi diff (golden outputs)', () => {
  const fixture = ['diff', 'test/fixtures/diff/old/2030', 'test/fixtures/diff/new/2031', '--impact', 'test/fixtures/diff/submissions.json'];
  for (const [name, args] of [
    ['fixture.txt', []],
    ['fixture.md', ['--format', 'md']],
    ['fixture.json', ['--format', 'json']],
    ['fixture.en.txt', ['--lang', 'en']],
  ] as const) {
    it(name, async () => {
      const r = await cli([...fixture, ...args]);
      expect(r.code).toBe(0);
      golden(name, r.stdout);
    });
  }

  it('the README demo: 2023 against the fictional 2024 draft, with impact on the example units', async () => {
    const args = ['diff', 'criteria/2023', 'examples/2024-draft/2024', '--impact', 'examples/2023', '--impact', 'examples/2024-draft/bo-sung-2024.json'];
    const text = await cli(args);
    expect(text.code).toBe(0);
    golden('demo.txt', text.stdout);
    golden('demo.md', (await cli([...args, '--format', 'md'])).stdout);
  });

  it('an unknown --level is a clear problem', async () => {
    const r = await cli(['diff', 'test/fixtures/diff/old/2030', 'test/fixtures/diff/new/2031', '--level', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('diff.unknown-level');
  });
});

describe('done: the 2024 draft names exactly its changes', () => {
  it('one threshold, two max points (one adjusting the total), one rename, one removed, one added, district dropped', async () => {
    const r = await cli(['diff', 'criteria/2023', 'examples/2024-draft/2024', '--format', 'json', '--impact', 'examples/2023', '--impact', 'examples/2024-draft/bo-sung-2024.json']);
    expect(r.code).toBe(0);
    const { diff, impact } = JSON.parse(r.stdout);
    expect(diff.levelsRemoved.map((l: { id: string }) => l.id)).toEqual(['district']);
    expect(diff.levelsAdded).toEqual([]);
    const [province, commune] = diff.levels;
    expect(province.parameters.changed.map((p: { id: string; value: unknown }) => [p.id, p.value])).toEqual([['nguong_thanh_toan_truc_tuyen', { old: 50, new: 45 }]]);
    expect(province.criteria.added.map((c: { id: string }) => c.id)).toEqual(['ky-nang-so-can-bo']);
    expect(province.criteria.removed.map((c: { id: string }) => c.id)).toEqual(['kiem-tra-tren-moi-truong-so']);
    const summary = (level: { criteria: { changed: { id: string; changes: { kind: string }[] }[] } }) => level.criteria.changed.map((c) => [c.id, c.changes.map((x) => x.kind)]);
    expect(summary(province)).toEqual([
      ['van-ban-dien-tu', ['max_points']],
      ['thanh-toan-truc-tuyen', ['parameter']],
      ['ngay-cds', ['max_points']],
    ]);
    expect(summary(commune)).toEqual([['vneid-nguoi-dan', ['name']]]);
    expect([province.metadata, province.scoring, province.totalPoints, commune.metadata, commune.scoring, commune.totalPoints]).toEqual([[], [], undefined, [], [], undefined]);
    expect(province.criteria.unchanged + commune.criteria.unchanged).toBe(25);

    const units = impact.levels[0].units.map((u: { id: string; old: { total?: number; rank?: number }; new: { total?: number; rank?: number } }) => [u.id, u.old.total, u.new.total, u.old.rank, u.new.rank]);
    expect(units).toEqual([
      ['so-noi-vu', 99.6, 99.5, 1, 1],
      ['so-y-te', 85.9, 92.3, 3, 2],
      ['so-tai-chinh', 86.4, 84.4, 2, 3],
      ['ban-qlda', 64.7, undefined, 4, undefined],
      ['so-xay-dung', undefined, undefined, undefined, undefined],
    ]);
    expect(impact.levels[0].units[3].missing).toEqual([expect.objectContaining({ criterion: 'ky-nang-so-can-bo', input: 'ty_le' })]);
  });
});
