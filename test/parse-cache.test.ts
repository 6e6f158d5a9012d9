/** The CLI's parse cache is invisible: a cached run gives the same value, warnings and located problems. */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCriteriaFile } from '../engine/criteria-set.js';
import { fileParseCache, jsonSafe } from '../engine/load/parse-cache.js';
import { parseYaml } from '../engine/load/yaml-source.js';
import { cli } from './helpers/cli.js';
import { MINIMAL } from './helpers/minimal.js';

const saved = { dir: process.env.TIEUCHI_CACHE_DIR, off: process.env.TIEUCHI_CACHE };
afterEach(() => {
  process.env.TIEUCHI_CACHE_DIR = saved.dir;
  process.env.TIEUCHI_CACHE = saved.off;
  if (saved.dir === undefined) delete process.env.TIEUCHI_CACHE_DIR;
  if (saved.off === undefined) delete process.env.TIEUCHI_CACHE;
});

describe('parse cache', () => {
  it('a second parse comes from the cache, with the same value and warnings, and positions on demand', () => {
    const cache = fileParseCache(mkdtempSync(join(tmpdir(), 'tieuchi-cache-')))!;
    // An unquoted "yes" gives a warning, which must come back from the cache too.
    const text = MINIMAL.replace('    evidence: Báo cáo', '    evidence: yes');
    const first = parseYaml('a.yaml', text, undefined, cache);
    const second = parseYaml('b.yaml', text, undefined, cache);
    expect(second.value).toEqual(first.value);
    expect(second.problems.map((p) => ({ ...p, location: { ...p.location!, file: 'a.yaml' } }))).toEqual(first.problems);
    expect(second.problems[0]!.location!.file).toBe('b.yaml');
    expect(second.source!.doc.get('year')).toBe(2023);
  });

  it('later stages still locate their problems on a cached parse', () => {
    const cache = fileParseCache(mkdtempSync(join(tmpdir(), 'tieuchi-cache-')))!;
    const text = MINIMAL.replace('    max_points: 10\n', '    max_point: 10\n');
    const cold = loadCriteriaFile({ file: 'x.yaml', text }).problems;
    loadCriteriaFile({ file: 'x.yaml', text }, { cache });
    const warm = loadCriteriaFile({ file: 'x.yaml', text }, { cache }).problems;
    expect(warm).toEqual(cold);
    expect(warm.find((p) => p.code === 'schema.unknown-key')!.location!.line).toBe(25);
  });

  it('files with errors, and values JSON cannot carry, are not cached', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tieuchi-cache-'));
    const cache = fileParseCache(dir)!;
    parseYaml('x.yaml', 'a: [1, 2\n', undefined, cache);
    parseYaml('x.yaml', 'a: .inf\n', undefined, cache);
    expect(readdirSync(dir)).toEqual([]);
    expect(jsonSafe({ a: [1, 'x', null, true] })).toBe(true);
    expect(jsonSafe({ a: -0 })).toBe(false);
  });

  it('TIEUCHI_CACHE=off switches it off', () => {
    process.env.TIEUCHI_CACHE = 'off';
    expect(fileParseCache('/nonexistent')).toBeUndefined();
  });

  it('tieuchi validate prints the same with and without the cache', async () => {
    process.env.TIEUCHI_CACHE_DIR = mkdtempSync(join(tmpdir(), 'tieuchi-cache-'));
    const withoutCache = await (async () => {
      process.env.TIEUCHI_CACHE = 'off';
      const r = await cli(['validate', 'test/fixtures/two-levels/2026']);
      delete process.env.TIEUCHI_CACHE;
      return r;
    })();
    const fill = await cli(['validate', 'test/fixtures/two-levels/2026']);
    const cached = await cli(['validate', 'test/fixtures/two-levels/2026']);
    expect(readdirSync(process.env.TIEUCHI_CACHE_DIR).length).toBe(2);
    expect(fill).toEqual(withoutCache);
    expect(cached).toEqual(withoutCache);
    expect(cached.stderr).toContain('decision.unfilled');
  });
});
