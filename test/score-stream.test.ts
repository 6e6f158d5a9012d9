/**
 * The streamed `tieuchi score` writes what the in-memory renderers write for
 * the same run (table, CSV, JSON), so the library and the CLI agree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToJson } from '../engine/cli/commands/score.js';
import { readSubmissionsCsv, readSubmissionsJson } from '../engine/load/submissions.js';
import { rankingCsv, rankingText } from '../engine/report/tables.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { cli } from './helpers/cli.js';
import { criteria2023, repoRoot } from './helpers/criteria.js';

const now = new Date('2024-01-31T00:00:00Z');
const examples = join(repoRoot, 'examples/2023');

function inMemoryRun() {
  const set = criteria2023();
  const reads = [
    readSubmissionsCsv('examples/2023/commune.csv', readFileSync(join(examples, 'commune.csv'), 'utf8')),
    readSubmissionsJson('examples/2023/district.json', readFileSync(join(examples, 'district.json'), 'utf8')),
    readSubmissionsJson('examples/2023/province.json', readFileSync(join(examples, 'province.json'), 'utf8')),
  ];
  return { set, run: scoreSubmissions(set, reads.flatMap((r) => r.submissions), { now }) };
}

describe('streamed score output = in-memory renderers', () => {
  it('table', async () => {
    const { run } = inMemoryRun();
    const r = await cli(['score', '--input', 'examples/2023', '--now', now.toISOString()]);
    expect(r.stdout).toBe(rankingText(run, 'vi') + '\n');
  });
  it('table in English', async () => {
    const { run } = inMemoryRun();
    const r = await cli(['score', '--input', 'examples/2023', '--lang', 'en', '--now', now.toISOString()]);
    expect(r.stdout).toBe(rankingText(run, 'en') + '\n');
  });
  it('CSV', async () => {
    const { run } = inMemoryRun();
    const r = await cli(['score', '--input', 'examples/2023', '--format', 'csv', '--now', now.toISOString()]);
    expect(r.stdout).toBe(rankingCsv(run));
  });
  it('JSON, with and without traces (problems in the order found)', async () => {
    const { set, run } = inMemoryRun();
    for (const trace of [false, true]) {
      const r = await cli(['score', '--input', 'examples/2023', '--format', 'json', '--now', now.toISOString(), ...(trace ? ['--trace'] : [])]);
      const streamed = JSON.parse(r.stdout);
      const memory = JSON.parse(runToJson(set, scoreSubmissions(set, inMemoryRunSubmissions(), { now, trace }), 'vi', trace));
      const byCode = (ps: { code: string; unit?: string }[]) => ps.map((p) => `${p.code} ${p.unit ?? ''}`).sort();
      expect(byCode(streamed.problems)).toEqual(byCode(memory.problems));
      expect({ ...streamed, problems: [] }).toEqual({ ...memory, problems: [] });
      // Text identical too, apart from the order of the problems.
      if (!trace) expect(r.stdout.slice(0, r.stdout.indexOf('"rejected"'))).toBe(JSON.stringify({ ...memory, rejected: undefined, problems: undefined, provenance: undefined }, null, 2).slice(0, -2).replace(/\n}$/, '') + ',\n  ');
    }
    expect(run.units.length).toBeGreaterThan(0);
  });
});

function inMemoryRunSubmissions() {
  return [
    ...readSubmissionsCsv('examples/2023/commune.csv', readFileSync(join(examples, 'commune.csv'), 'utf8')).submissions,
    ...readSubmissionsJson('examples/2023/district.json', readFileSync(join(examples, 'district.json'), 'utf8')).submissions,
    ...readSubmissionsJson('examples/2023/province.json', readFileSync(join(examples, 'province.json'), 'utf8')).submissions,
  ];
}
