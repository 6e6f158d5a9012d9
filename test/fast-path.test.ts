/**
 * The float fast path (engine/evaluate/fast.ts) must give exactly what exact
 * decimal evaluation gives: every criterion's points, raw value, clamping,
 * inputs and problems, for every unit. Differential tests: score the same
 * units with the fast path and with decimals only, and compare the JSON.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { CriteriaSet } from '../engine/criteria-set.js';
import { compileLevel } from '../engine/compile/level.js';
import { DEFAULT_YAML_LIMITS, locator, parseYaml } from '../engine/load/yaml-source.js';
import { validateAgainstSchema } from '../engine/validate/schema.js';
import { fastLevel, scoreFast } from '../engine/evaluate/fast.js';
import { isIsoDate } from '../engine/language/inputs/date.js';
import { parseIsoDate } from '../engine/compile/dates.js';
import type { FormulaJson, Submission } from '../engine/model.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { random, syntheticSubmissions } from '../scripts/synthetic.js';
import { criteria2023, provinceInputs } from './helpers/criteria.js';
import { bothWays } from './helpers/differential.js';

describe('fast path = decimal path on the 2023 criteria', () => {
  // 3,000 units here; test/integration/fast-path-large.test.ts compares 40,000.
  it('3,000 synthetic units, three levels, identical JSON', () => {
    const set = criteria2023();
    for (const seed of [1, 2023]) {
      const submissions = JSON.parse(JSON.stringify(syntheticSubmissions(set, 1_500, seed))) as Submission[];
      const { fast, exact } = bothWays(set, submissions);
      expect(fast.length).toBe(1_500);
      for (let i = 0; i < fast.length; i++) if (fast[i] !== exact[i]) expect(fast[i]).toBe(exact[i]);
    }
  }, 120_000);

  it('the rounding traps', () => {
    const set = criteria2023();
    const unit = (id: string, overrides: Record<string, Record<string, unknown>>): Submission => ({ id, name: id, level: 'province', inputs: provinceInputs(overrides), mode: 'json' });
    const cases: [string, Record<string, Record<string, unknown>>, string, number][] = [
      ['98.5% of 10 → 9,9 (floats say 9,8)', { 'van-ban-dien-tu': { ty_le: 98.5 } }, 'van-ban-dien-tu', 9.9],
      ['90/95 × 4 → 3,8', { 'dvc-toan-trinh': { ty_le: 90 } }, 'dvc-toan-trinh', 3.8],
      ['91.4375/95 × 4 = 3.85 exactly → 3,9', { 'dvc-toan-trinh': { ty_le: 91.4375 } }, 'dvc-toan-trinh', 3.9],
      ['1.1875/95 × 4 = 0.05 exactly → 0,1', { 'dvc-toan-trinh': { ty_le: 1.1875 } }, 'dvc-toan-trinh', 0.1],
      ['1.1874/95 × 4 just below 0.05 → 0', { 'dvc-toan-trinh': { ty_le: 1.1874 } }, 'dvc-toan-trinh', 0],
    ];
    const submissions = cases.map(([, overrides], i) => unit(`u${i}`, overrides));
    const { fast, exact } = bothWays(set, submissions);
    expect(fast).toEqual(exact);
    const run = scoreSubmissions(set, submissions, { trace: false });
    cases.forEach(([title, , criterion, points], i) => {
      expect(run.units[i]!.criteria.find((c) => c.id === criterion)!.points, title).toBe(points);
    });
  });

  it('a score on a rounding boundary is left to the decimal path', () => {
    const set = criteria2023();
    const level = set.levels.find((l) => l.id === 'province')!;
    const plan = fastLevel(level);
    const index = level.criteria.findIndex((c) => c.id === 'van-ban-dien-tu');
    expect(scoreFast(plan.criteria[index]!, { ty_le: 98.5 }, plan)).toBeUndefined();
    expect(scoreFast(plan.criteria[index]!, { ty_le: 98.4 }, plan)?.points).toBe(9.8);
  });

  it('without traces both paths give the same object (no raw: it belongs to the trace); with traces the exact raw', () => {
    const set = criteria2023();
    const submissions: Submission[] = [{ id: 'a', name: 'A', level: 'province', inputs: provinceInputs({ 'dvc-toan-trinh': { ty_le: 90 } }), mode: 'json' }];
    const pick = (run: ReturnType<typeof scoreSubmissions>) => run.units[0]!.criteria.find((c) => c.id === 'dvc-toan-trinh')!;
    const fast = pick(scoreSubmissions(set, submissions, { trace: false }));
    const exact = pick(scoreSubmissions(set, submissions, { trace: false, fast: false }));
    expect(fast).toEqual(exact);
    expect(fast.raw).toBeUndefined();
    expect(Object.keys(fast)).toEqual(Object.keys(exact));
    expect(pick(scoreSubmissions(set, submissions, { trace: true })).raw).toMatch(/^3\.789473684/);
  });

  it('invalid values fall back and are reported exactly as before', () => {
    const set = criteria2023();
    const bad: Submission[] = [
      { id: 'a', name: 'A', level: 'province', inputs: provinceInputs({ 'dvc-toan-trinh': { ty_le: 120 } }), mode: 'json' },
      { id: 'b', name: 'B', level: 'province', inputs: provinceInputs({ 'dvc-toan-trinh': { ty_le: '90' } }), mode: 'json' },
      { id: 'c', name: 'C', level: 'province', inputs: provinceInputs({ 'cap-do-attt': { he_thong_duoc_phe_duyet: { achieved: 3, total: 2 } } }), mode: 'json' },
      { id: 'd', name: 'D', level: 'province', inputs: provinceInputs({ 'dvc-toan-trinh': { ty_le: 90, thua: 1 } }), mode: 'json' },
      { id: 'e', name: 'E', level: 'province', inputs: provinceInputs({ 'ke-hoach-cds': { ngay_ban_hanh_ke_hoach: ' 2023-02-15 ' } }), mode: 'json' },
      { id: 'f', name: 'F', level: 'province', inputs: provinceInputs({ 'ke-hoach-cds': { ngay_ban_hanh_ke_hoach: '2023-02-30' } }), mode: 'json' },
      { id: 'g', name: 'G', level: 'province', inputs: { ...provinceInputs(), 'khong-co': {} }, mode: 'json' },
      { id: 'h', name: 'H', level: 'province', inputs: provinceInputs({ 'dvc-toan-trinh': { ty_le: -0 } }), mode: 'json' },
    ];
    const { fast, exact } = bothWays(set, bad);
    expect(fast).toEqual(exact);
  });
});

describe('fast path = decimal path on random formulas', () => {
  const modes = ['half_up', 'half_even', 'down', 'up'] as const;
  const next = random(6);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const constants = [0, 1, 2, 3, 0.5, 0.1, 0.05, 95, 100, 7, 2.5, 1.2, 1e-7];

  function numberExpr(depth: number): FormulaJson {
    if (depth === 0 || next() < 0.25) {
      const r = next();
      if (r < 0.35) return { var: pick(['a', 'b']) };
      if (r < 0.5) return { var: 'c' };
      if (r < 0.6) return { var: 'r' };
      if (r < 0.7) return { var: 'max_points' };
      return pick(constants);
    }
    const op = pick(['+', '-', '*', '/', 'min', 'max', 'if', 'neg', '+3']);
    if (op === 'if') return { if: [condition(depth - 1), numberExpr(depth - 1), numberExpr(depth - 1)] };
    if (op === 'neg') return { '-': [numberExpr(depth - 1)] };
    if (op === '+3') return { '+': [numberExpr(depth - 1), numberExpr(depth - 1), numberExpr(depth - 1)] };
    return { [op]: [numberExpr(depth - 1), numberExpr(depth - 1)] };
  }
  function condition(depth: number): FormulaJson {
    const r = next();
    if (r < 0.1) return { '==': [{ var: 'k' }, pick(['x', 'y', 'z'])] };
    if (r < 0.2) return { var: 'ok' };
    if (r < 0.25) return { and: [condition(0), condition(0)] };
    if (r < 0.3) return { '!': [condition(0)] };
    if (r < 0.35) return { '==': [numberExpr(depth), numberExpr(depth)] };
    if (r < 0.4) return { '<': [numberExpr(depth), numberExpr(depth), numberExpr(depth)] };
    return { [pick(['<', '<=', '>', '>='])]: [numberExpr(depth), numberExpr(depth)] };
  }

  function levelYaml(mode: (typeof modes)[number], decimals: number, clamp: boolean, formulas: FormulaJson[]): string {
    return stringify({
      format_version: 1,
      year: 2023,
      decision: { number: '1/QĐ-UBND', date: '2023-10-05', issuer: 'UBND', title: 'Thử' },
      level: { id: 'province', name: 'Cấp tỉnh' },
      total_points: formulas.length * 4,
      scoring: { clamp_to_max: clamp, rounding: { decimals, mode }, total: 'sum_of_rounded' },
      criteria: formulas.map((formula, i) => ({
        id: `tc-${i}`,
        number: String(i + 1),
        name: `Tiêu chí ${i + 1}`,
        max_points: 4,
        rule: '-',
        evidence: '-',
        inputs: {
          a: { type: 'percent', label: 'a' },
          b: { type: 'percent', label: 'b' },
          c: { type: 'count', label: 'c' },
          r: { type: 'ratio', label: 'r', if_total_zero: 100 },
          k: { type: 'choice', label: 'k', options: [{ id: 'x', label: 'X' }, { id: 'y', label: 'Y' }, { id: 'z', label: 'Z' }] },
          ok: { type: 'boolean', label: 'ok' },
        },
        formula,
        examples: [{ inputs: { a: 1, b: 1, c: 1, r: { achieved: 1, total: 1 }, k: 'x', ok: true }, points: 0 }],
      })),
    });
  }

  // Values that land on rounding boundaries and equalities as often as possible.
  const percents = [0, 100, 95, 90, 98.5, 98.45, 98.55, 0.5, 0.05, 33.35, 33.25, 91.4375, 1.1875, 50, 12.5, 0.1, 0.2, 0.3, 99.99, 66.66, 1e-7];

  function unit(i: number, criteria: number): Submission {
    const value = () => (next() < 0.6 ? pick(percents) : Math.round(next() * 1e6) / 1e4);
    const inputs: Record<string, unknown> = {};
    for (let c = 0; c < criteria; c++) {
      const total = Math.floor(next() * 8);
      inputs[`tc-${c}`] = { a: value(), b: value(), c: Math.floor(next() * 5), r: { achieved: Math.floor(next() * (total + 1)), total }, k: pick(['x', 'y', 'z']), ok: next() < 0.5 };
    }
    return { id: `u${i}`, name: `U${i}`, level: 'province', inputs, mode: 'json' };
  }

  it.each(modes.flatMap((mode) => [0, 1, 2].flatMap((decimals) => [true, false].map((clamp) => [mode, decimals, clamp] as const))))('%s, %d decimals, clamp %s', (mode, decimals, clamp) => {
    const formulas = Array.from({ length: 12 }, () => numberExpr(3));
    // Compiled directly: the set-level checks would rightly refuse formulas that can divide by zero or leave [0, max].
    const parsed = parseYaml('fuzz.yaml', levelYaml(mode, decimals, clamp, formulas), DEFAULT_YAML_LIMITS);
    const validated = validateAgainstSchema(parsed.value, parsed.source!);
    expect(validated.problems).toEqual([]);
    const compiled = compileLevel(validated.doc!, parsed.source!, locator(parsed.source!), 'sha');
    expect(compiled.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const set: CriteriaSet = { dir: 'fuzz', year: 2023, levels: [compiled.level!] };
    const submissions = Array.from({ length: 400 }, (_, i) => unit(i, formulas.length));
    const { fast, exact } = bothWays(set, submissions);
    for (let i = 0; i < fast.length; i++) if (fast[i] !== exact[i]) expect(fast[i]).toBe(exact[i]);
  });
});

describe('isIsoDate agrees with parseIsoDate', () => {
  it.each(['2023-02-28', '2023-02-29', '2024-02-29', '1900-02-29', '2000-02-29', '0000-02-29', '0004-02-29', '2023-13-01', '2023-00-10', '2023-04-31', '2023-4-01', '2023/04/01', ' 2023-04-01', '20230-4-01', '2023-12-31', 'abcd-ef-gh'])('%s', (text) => {
    expect(isIsoDate(text)).toBe(parseIsoDate(text) !== undefined);
  });
});
