/**
 * bulk (issue 9): a unit belongs to one level (as in a round's register). The
 * same id submitted at two levels in one run is one unit submitted twice: the
 * first is scored, the second refused with a located Vietnamese problem that
 * names both levels — in the library, the CLI (one thread; the worker path in
 * test/integration/score-parallel.test.ts) and over HTTP.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../engine/cli/run.js';
import { buildServer } from '../engine/serve/app.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { syntheticSubmissions } from '../scripts/synthetic.js';
import { criteria2023, repoRoot } from './helpers/criteria.js';

const set = criteria2023();
const [province, district, commune] = syntheticSubmissions(set, 3, 5).map(({ mode: _m, ...u }) => u);
/** The district unit under the province unit's id; then the same unit in its own level again. */
const twin = { ...district!, id: province!.id, name: 'Cùng mã, cấp khác' };
const again = { ...province!, name: 'Cùng mã, cùng cấp' };
const list = [province!, commune!, twin, again];

describe('the same unit id at two levels', () => {
  it('library: the first is scored, the second refused naming both levels', () => {
    const result = scoreSubmissions(set, list.map((u) => ({ ...u, mode: 'json' as const })));
    expect(result.units.map((u) => [u.id, u.level])).toEqual([
      [province!.id, 'province'],
      [commune!.id, 'commune'],
    ]);
    expect(result.rejected.map((r) => r.level)).toEqual(['district', 'province']);
    const [other, same] = result.rejected.map((r) => r.problems[0]!);
    expect(other).toMatchObject({ code: 'submission.duplicate-unit', unit: province!.id, level: 'district' });
    expect(other!.message.vi).toBe(`Đơn vị "${province!.id}" đã có số liệu ở cấp ${set.levels.find((l) => l.id === 'province')!.name}; bộ số liệu ghi cấp ${set.levels.find((l) => l.id === 'district')!.name} bị bỏ qua (mỗi đơn vị chỉ thuộc một cấp).`);
    expect(other!.hint?.vi).toContain('một cấp');
    // Within one level: the words it always had.
    expect(same!.message.vi).toContain('có hai bộ số liệu ở cấp');
  });

  it('CLI: refused and located at file:line:column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-dup-levels-'));
    const file = join(dir, 'units.json');
    writeFileSync(file, '[\n' + list.map((u) => JSON.stringify(u)).join(',\n') + '\n]\n');
    let stdout = '';
    let stderr = '';
    const code = await run(['score', '--criteria', 'criteria/2023', '--input', file, '--format', 'csv', '--now', '2024-01-31T00:00:00Z'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: repoRoot,
      env: { ...process.env, TIEUCHI_SCORE_WORKERS: '0' },
    });
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(3); // the header and two units
    expect(stderr).toMatch(new RegExp(`units\\.json:4:1[^\\n]*\\n?[^]*đã có số liệu ở cấp`));
    expect(stderr).toContain('mỗi đơn vị chỉ thuộc một cấp');
    expect(stderr).toContain('có hai bộ số liệu ở cấp');
  });

  it('HTTP POST /score: the same refusal', async () => {
    const app = buildServer({ sets: [set] });
    try {
      const response = await app.inject({ method: 'POST', url: '/score', payload: { submissions: list } });
      const body = response.json() as { units: { id: string; level: string }[]; rejected: { level: string; problems: { code: string; message: { vi: string } }[] }[] };
      expect(body.units.map((u) => u.level)).toEqual(['province', 'commune']);
      expect(body.rejected.map((r) => r.level)).toEqual(['district', 'province']);
      expect(body.rejected[0]!.problems[0]!.code).toBe('submission.duplicate-unit');
      expect(body.rejected[0]!.problems[0]!.message.vi).toContain('mỗi đơn vị chỉ thuộc một cấp');
    } finally {
      await app.close();
    }
  });
});
