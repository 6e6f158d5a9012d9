/**
 * Levels are data: a set with only two levels (after the 2025 reform: no
 * district level, Cần Thơ city, Sở KH&CN) loads and scores with no code change.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { readSubmissionsJson } from '../engine/load/submissions.js';
import { scoreSubmissions } from '../engine/scoring.js';

const dir = fileURLToPath(new URL('./fixtures/two-levels/2026', import.meta.url));
const submissionsFile = fileURLToPath(new URL('./fixtures/two-levels/submissions.json', import.meta.url));

describe('a two-level set (2026 fixture)', () => {
  const { set, problems } = loadCriteriaSet(dir);
  it('loads with no error', () => {
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(set!.levels.map((l) => l.id)).toEqual(['city', 'commune']);
    expect(set!.levels[0]!.doc.decision.managing_agency).toBe('Sở Khoa học và Công nghệ');
  });
  it('scores and ranks per level; a unit of the abolished district level is rejected by name', () => {
    const read = readSubmissionsJson('submissions.json', readFileSync(submissionsFile, 'utf8'));
    const run = scoreSubmissions(set!, read.submissions);
    expect(run.units.map((u) => [u.level, u.id, u.total, u.rank])).toEqual([
      ['city', 'so-khcn', 99.2, 2],
      ['city', 'so-tai-chinh', 100, 1],
      ['commune', 'phuong-mot', 96.5, 1],
    ]);
    expect(run.rejected[0]!.problems[0]).toMatchObject({ code: 'submission.unknown-level', level: 'district' });
    expect(run.rejected[0]!.problems[0]!.hint!.vi).toContain('city');
  });
});
