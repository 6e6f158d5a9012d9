/** tieuchi new-year: a copy of last year's set, year set, decision blank, everything else byte for byte. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { newYearText } from '../engine/diff/new-year.js';
import { cli } from './helpers/cli.js';
import { criteria2023Dir, repoRoot } from './helpers/criteria.js';

/** A scratch project: criteria/2023 and schemas/, as in a clone. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'tieuchi-new-year-'));
  cpSync(criteria2023Dir, join(root, 'criteria', '2023'), { recursive: true });
  cpSync(join(repoRoot, 'schemas'), join(root, 'schemas'), { recursive: true });
  return root;
}

describe('newYearText', () => {
  it('with --keep-dates, changes only the year, the decision status, number and date, and notes the draft in the header', () => {
    const text = readFileSync(join(criteria2023Dir, 'province.yaml'), 'utf8');
    const { text: out, problems, changes } = newYearText('province.yaml', text, { year: 2024, source: 'criteria/2023/province.yaml', keepDates: true });
    expect(changes).toEqual([]);
    expect(problems).toEqual([]);
    const before = text.split('\n');
    const after = out!.split('\n');
    const added = after.length - before.length;
    expect(added).toBe(3);
    // Apart from the 3 header lines, the only lines that differ are year, number and date.
    const rest = [after[0], ...after.slice(1 + added)];
    const differing = before.map((line, i) => [line, rest[i]]).filter(([a, b]) => a !== b);
    expect(differing).toEqual([
      ['year: 2023', 'year: 2024'],
      ['  status: signed', '  status: draft'],
      ['  number: 2435/QĐ-UBND', '  number: ""'],
      ['  date: "2023-10-05"', '  date: ""'],
    ]);
    expect(after[2]).toContain('BẢN NHÁP năm 2024');
  });

  it('moves every date by the years between the sets (deadlines and examples), reports each with its line, and the examples still pass', () => {
    const text = readFileSync(join(criteria2023Dir, 'province.yaml'), 'utf8');
    const { text: out, changes } = newYearText('province.yaml', text, { year: 2025, fromYear: 2023, source: 'criteria/2023/province.yaml' });
    expect(changes.filter((c) => c.kind === 'parameter').map((c) => [c.what, c.old, c.new])).toEqual([
      ['parameters.han_ban_hanh_ke_hoach', '2023-03-31', '2025-03-31'],
      ['parameters.han_bao_cao_ket_qua', '2023-12-15', '2025-12-15'],
    ]);
    const lines = out!.split('\n');
    for (const c of changes) expect(lines[c.line - 1]).toContain(c.new);
    // The late example in January of the next year moves with the rest.
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'example', criterion: 'ke-hoach-cds', old: '2024-01-20', new: '2026-01-20' }));
    expect(out).not.toMatch(/"2023-\d\d-\d\d"/);
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-moved-'));
    mkdirSync(join(dir, '2025'));
    writeFileSync(join(dir, '2025', 'province.yaml'), out!);
    const loaded = loadCriteriaSet(join(dir, '2025'));
    // Examples pass (lateness keeps its meaning) and nothing is stale: only the blank decision is flagged.
    expect(loaded.problems.map((p) => p.code)).toEqual(['decision.unfilled']);
  });

  it('29 February moves to 28 February in a common year', () => {
    const text = 'year: 2024\ndecision: { number: "", date: "", issuer: A, title: B }\nparameters:\n  han: { type: date, value: "2024-02-29", label: h }\n';
    expect(newYearText('f.yaml', text, { year: 2025, source: 'f' }).text).toContain('value: "2025-02-28"');
  });

  it('works on flow mappings too, and re-aims $schema', () => {
    const text = '# yaml-language-server: $schema=../../schemas/x.json\nyear: 2023\ndecision: { number: "1/QĐ", date: "2023-01-02", issuer: A, title: B }\n';
    const { text: out } = newYearText('f.yaml', text, { year: 2024, source: 'f.yaml', schemaPath: () => '../../../schemas/x.json' });
    expect(out).toContain('$schema=../../../schemas/x.json\n');
    expect(out).toContain('year: 2024\ndecision: { number: "", date: "", issuer: A, title: B }\n');
  });

  it('reports a file it cannot edit', () => {
    expect(newYearText('f.yaml', 'decision: {}\n', { year: 2024, source: 'f' }).problems[0]!.code).toBe('new-year.edit-failed');
  });
});

describe('tieuchi new-year', () => {
  it('creates criteria/2024 from 2023: same ids, validates (with the decision flagged as unfilled), lists what is left', async () => {
    const root = project();
    const r = await cli(['new-year', '2024', '--from', '2023'], root);
    expect(r.code).toBe(0);
    expect(readdirSync(join(root, 'criteria', '2024')).sort()).toEqual(['commune.yaml', 'district.yaml', 'province.yaml']);
    expect(r.stdout).toContain('Đã tạo criteria/2024 (năm 2024, DỰ THẢO) từ criteria/2023');
    expect(r.stdout).toContain('hạn han_ban_hanh_ke_hoach: 31/03/2023 → 31/03/2024');
    expect(r.stderr).toContain('decision.unfilled');
    const { set, problems } = loadCriteriaSet(join(root, 'criteria', '2024'));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const old = loadCriteriaSet(criteria2023Dir).set!;
    expect(set!.year).toBe(2024);
    expect(set!.levels.map((l) => l.criteria.map((c) => c.id))).toEqual(old.levels.map((l) => l.criteria.map((c) => c.id)));
    expect(set!.levels.every((l) => l.doc.decision.number === '' && l.doc.decision.date === '')).toBe(true);
    const diff = await cli(['diff', 'criteria/2023', 'criteria/2024', '--format', 'json'], root);
    // Only the deadlines moved: the criteria reading them change, nothing is added or removed.
    const counts = JSON.parse(diff.stdout).diff.counts;
    expect(counts).toMatchObject({ criteriaAdded: 0, criteriaRemoved: 0, parametersChanged: 10 }); // 2 + 4 + 4 date parameters
    expect(counts.criteriaChanged + counts.criteriaUnchanged).toBe(45);
    const kept = await cli(['new-year', '2024', '--from', '2023', '--keep-dates', '--out', 'kept/2024'], root);
    expect(kept.code).toBe(0);
    expect(kept.stderr).toContain('stale.date-outside-year');
    const same = await cli(['diff', 'criteria/2023', 'kept/2024', '--format', 'json'], root);
    expect(JSON.parse(same.stdout).diff.counts).toMatchObject({ criteriaChanged: 0, criteriaAdded: 0, criteriaRemoved: 0, criteriaUnchanged: 45 });
  });

  it('--out elsewhere keeps the $schema line pointing at the schema', async () => {
    const root = project();
    const r = await cli(['new-year', '2024', '--out', 'drafts/2024'], root);
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, 'drafts', '2024', 'commune.yaml'), 'utf8').split('\n', 1)[0]).toBe('# yaml-language-server: $schema=../../schemas/criteria-level.schema.json');
  });

  it('refuses a target folder that exists, and writes nothing', async () => {
    const root = project();
    mkdirSync(join(root, 'criteria', '2024'));
    writeFileSync(join(root, 'criteria', '2024', 'mine.yaml'), 'x: 1\n');
    const r = await cli(['new-year', '2024'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('new-year.target-exists');
    expect(readdirSync(join(root, 'criteria', '2024'))).toEqual(['mine.yaml']);
  });

  it('refuses a source with errors, and a bad year', async () => {
    const root = project();
    const file = join(root, 'criteria', '2023', 'province.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('max_points: 4\n', 'max_point: 4\n'));
    const r = await cli(['new-year', '2024'], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('schema.unknown-key');
    expect(existsSync(join(root, 'criteria', '2024'))).toBe(false);
    expect((await cli(['new-year', '24'], root)).code).toBe(2);
  });
});
