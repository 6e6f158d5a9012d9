/**
 * One table of formula cases — every operator, dates, ratios, choices, edge
 * values, near-ties — run through every evaluation path: exact, the
 * bounded-float fast path, traced, CSV text, submissions with shuffled key
 * order, and the explanation; each compared with the exact-fraction
 * reference of test/helpers (BigInt, written apart from the engine), under
 * every rounding mode, one and two decimals, with and without clamping.
 */
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileLevel, type CompiledLevel } from '../engine/compile/level.js';
import type { CriteriaSet } from '../engine/criteria-set.js';
import { fastLevel, scoreFast } from '../engine/evaluate/fast.js';
import { LANGUAGE } from '../engine/language/registry.js';
import { DEFAULT_YAML_LIMITS, locator, parseYaml } from '../engine/load/yaml-source.js';
import type { FormulaJson, Submission } from '../engine/model.js';
import { explainCriterion } from '../engine/report/explain.js';
import { formatNumber } from '../engine/report/format.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { validateAgainstSchema } from '../engine/validate/schema.js';
import * as F from './helpers/exact-reference.js';
import { refEval, RefFailure, refPoints, refRead, type RefValue } from './helpers/reference-eval.js';

const INPUTS = {
  a: { type: 'percent', label: 'a' },
  b: { type: 'percent', label: 'b' },
  c: { type: 'count', label: 'c' },
  r: { type: 'ratio', label: 'r', if_total_zero: 100 },
  k: { type: 'choice', label: 'k', options: [{ id: 'x', label: 'Mức X' }, { id: 'y', label: 'Mức Y' }, { id: 'z', label: 'Mức Z' }] },
  ok: { type: 'boolean', label: 'ok' },
  d: { type: 'date', label: 'd', none_allowed: true, none_label: 'Chưa ban hành' },
  e: { type: 'date', label: 'e' },
} as const;
const PARAMETERS = { han: { type: 'date', value: '2023-03-31', label: 'hạn' }, cuoi_thang_1: { type: 'date', value: '2023-01-31', label: 'cuối tháng 1' }, nguong: { type: 'percent', value: 95, label: 'ngưỡng' } } as const;

type Values = Partial<Record<keyof typeof INPUTS, unknown>>;
const BASE: Required<Values> = { a: 50, b: 20, c: 2, r: { achieved: 2, total: 3 }, k: 'y', ok: true, d: '2023-03-15', e: '2023-04-12' };
const x = (name: string): FormulaJson => ({ var: name });

/** [title, formula, values, max points]. */
const CASES: [string, FormulaJson, Values, number][] = [
  ['commune 12 at 3.25%: 3.25/30×6 = 0.65', { '*': [{ '/': [x('a'), 30] }, x('max_points')] }, { a: 3.25 }, 6],
  ['commune 12 at 4.75%: 0.95', { '*': [{ '/': [x('a'), 30] }, x('max_points')] }, { a: 4.75 }, 6],
  ['(x/3)×3 at 9.85', { '*': [{ '/': [x('a'), 3] }, 3] }, { a: 9.85 }, 10],
  ['the decision: 90/95×4 = 72/19', { if: [{ '>=': [x('a'), x('nguong')] }, x('max_points'), { '*': [{ '/': [x('a'), x('nguong')] }, x('max_points')] }] }, { a: 90 }, 4],
  ['98.5% of 10 = 9.85', { '*': [{ '/': [x('a'), 100] }, 10] }, { a: 98.5 }, 10],
  ['0.1 + 0.2', { '+': [x('a'), x('b')] }, { a: 0.1, b: 0.2 }, 6],
  ['n-ary sum', { '+': [x('a'), x('b'), x('c'), 0.05] }, { a: 0.1, b: 0.2, c: 1 }, 6],
  ['difference', { '-': [x('max_points'), x('c')] }, { c: 2 }, 6],
  ['negation', { '+': [{ '-': [x('a')] }, x('max_points')] }, { a: 0.65 }, 6],
  ['product of rates', { '/': [{ '*': [x('a'), x('b')] }, 1000] }, { a: 33.35, b: 10 }, 6],
  ['ratio 2/3 as a rate', { '*': [{ '/': [x('r'), 100] }, x('max_points')] }, { r: { achieved: 2, total: 3 } }, 6],
  ['ratio with total 0 (if_total_zero)', { '*': [{ '/': [x('r'), 100] }, x('max_points')] }, { r: { achieved: 0, total: 0 } }, 6],
  ['ratio over a rate', { '/': [x('r'), x('a')] }, { r: { achieved: 1, total: 7 }, a: 3 }, 6],
  ['min caps', { min: [x('max_points'), { '/': [x('a'), 10] }] }, { a: 95 }, 6],
  ['max floors', { max: [0, { '-': [x('max_points'), x('c')] }] }, { c: 8 }, 6],
  ['min of three', { min: [x('a'), x('b'), 5.55] }, { a: 9, b: 7 }, 6],
  ['less than', { if: [{ '<': [x('a'), 50] }, 1, 2] }, { a: 49.99 }, 6],
  ['strictly between, at the edge', { if: [{ '<': [0, x('a'), 50] }, 1, 2] }, { a: 50 }, 6],
  ['between, edge included', { if: [{ '<=': [0, x('a'), 50] }, 1, 2] }, { a: 50 }, 6],
  ['greater than', { if: [{ '>': [x('a'), x('b')] }, 3, 0] }, { a: 20.000001, b: 20 }, 6],
  ['at least, a hair below', { if: [{ '>=': [x('a'), x('nguong')] }, 4, 1] }, { a: 94.99999999 }, 6],
  ['equal numbers after arithmetic', { if: [{ '==': [{ '+': [x('a'), x('b')] }, 0.3] }, 5, 0] }, { a: 0.1, b: 0.2 }, 6],
  ['choice equals', { if: [{ '==': [x('k'), 'y'] }, 5, 1] }, { k: 'y' }, 6],
  ['choice differs', { if: [{ '!=': [x('k'), 'y'] }, 5, 1] }, { k: 'x' }, 6],
  ['strict equality of a boolean', { if: [{ '===': [x('ok'), true] }, 2.25, 0] }, { ok: true }, 6],
  ['strict inequality of a boolean', { if: [{ '!==': [x('ok'), true] }, 2.25, 0.75] }, { ok: true }, 6],
  ['not', { if: [{ '!': [x('ok')] }, 0, 4.45] }, { ok: true }, 6],
  ['and, short-circuit', { if: [{ and: [x('ok'), { '>=': [x('a'), 50] }] }, 3, 1] }, { ok: false, a: 70 }, 6],
  ['or', { if: [{ or: [{ '==': [x('k'), 'z'] }, { '>=': [x('a'), 50] }] }, 3, 1] }, { k: 'x', a: 70 }, 6],
  ['if, else-if chain', { if: [{ '>=': [x('a'), 90] }, 6, { '>=': [x('a'), 50] }, { '/': [x('a'), 15] }, 0] }, { a: 55.5 }, 6],
  ['in', { if: [{ in: [x('k'), ['x', 'z']] }, 5, 2] }, { k: 'z' }, 6],
  ['months late, one day late is one month', { '-': [x('max_points'), { months_late: [x('e'), x('han')] }] }, { e: '2023-04-01' }, 6],
  ['months late, on time', { '-': [x('max_points'), { months_late: [x('e'), x('han')] }] }, { e: '2023-03-31' }, 6],
  ['months late, end of month', { '-': [x('max_points'), { '*': [0.5, { months_late: [x('e'), x('cuoi_thang_1')] }] }] }, { e: '2023-03-01' }, 6],
  ['not issued (null date)', { if: [{ '==': [x('d'), null] }, 0, { '-': [x('max_points'), { months_late: [x('d'), x('han')] }] }] }, { d: null }, 6],
  ['issued', { if: [{ '==': [x('d'), null] }, 0, { '-': [x('max_points'), { months_late: [x('d'), x('han')] }] }] }, { d: '2023-05-02' }, 6],
  ['dates compared', { if: [{ '<=': [x('e'), x('han')] }, x('max_points'), 0] }, { e: '2023-03-31' }, 6],
  ['a null date reaching arithmetic is an error, never 0', { months_late: [x('d'), x('han')] }, { d: null }, 6],
  ['division by zero is an error, never 0', { '/': [x('max_points'), x('c')] }, { c: 0 }, 6],
  ['negative: clamped to 0, or rounded away from zero', { '-': [x('a'), 50.65] }, { a: 50 }, 6],
  ['above the maximum', { '*': [x('a'), 0.1] }, { a: 61 }, 6],
  ['exactly the maximum', { '*': [x('a'), 0.1] }, { a: 60 }, 6],
  ['a half: 0.25', { '/': [x('a'), 2] }, { a: 0.5 }, 6],
  ['a half at two decimals: 0.125', { '/': [x('a'), 8] }, { a: 1 }, 6],
  ['tiny', { '*': [x('a'), 1e-7] }, { a: 99.5 }, 6],
  ['a large count', { '/': [x('c'), 1e15] }, { c: 4_503_599_627_370_497 }, 6],
  ['thirds that make a whole', { '+': [{ '/': [x('max_points'), 3] }, { '/': [x('max_points'), 3] }, { '/': [x('max_points'), 3] }] }, {}, 5],
];

const OPS_USED = new Set<string>();
function collectOperators(f: FormulaJson): void {
  if (!f || typeof f !== 'object' || Array.isArray(f)) return;
  for (const [op, args] of Object.entries(f)) {
    OPS_USED.add(op);
    for (const arg of Array.isArray(args) ? args : [args]) collectOperators(arg as FormulaJson);
  }
}
CASES.forEach((c) => collectOperators(c[1]));

function level(mode: F.Mode, decimals: number, clamp: boolean): CompiledLevel {
  const yaml = stringify({
    format_version: 1,
    year: 2023,
    decision: { number: '1/QĐ-UBND', date: '2023-10-05', issuer: 'UBND', title: 'Thử' },
    level: { id: 'province', name: 'Cấp tỉnh' },
    total_points: CASES.reduce((s, c) => s + c[3], 0),
    scoring: { clamp_to_max: clamp, rounding: { decimals, mode }, total: 'sum_of_rounded' },
    parameters: PARAMETERS,
    criteria: CASES.map(([title, formula, , max], i) => ({ id: `c${i}`, number: String(i + 1), name: title, max_points: max, rule: '-', evidence: '-', inputs: INPUTS, formula, examples: [{ inputs: valuesOf(i), points: 0 }] })),
  });
  // Compiled directly: the set-level checks rightly refuse formulas that can divide by zero.
  const parsed = parseYaml('conformance.yaml', yaml, DEFAULT_YAML_LIMITS);
  const validated = validateAgainstSchema(parsed.value, parsed.source!);
  expect(validated.problems).toEqual([]);
  const compiled = compileLevel(validated.doc!, parsed.source!, locator(parsed.source!), 'sha');
  expect(compiled.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return compiled.level!;
}

const valuesOf = (i: number): Required<Values> => ({ ...BASE, ...CASES[i]![2] }) as Required<Values>;

/** The reference: the formula's exact value (or a failure) and the points. */
function reference(i: number, mode: F.Mode, decimals: number, clamp: boolean): { value?: F.Frac; points?: F.Frac } {
  const [, formula, , max] = CASES[i]!;
  const values = valuesOf(i);
  const env: Record<string, RefValue> = { han: PARAMETERS.han.value, cuoi_thang_1: PARAMETERS.cuoi_thang_1.value, nguong: F.fromNumber(PARAMETERS.nguong.value), max_points: F.fromNumber(max) };
  for (const [name, def] of Object.entries(INPUTS)) env[name] = refRead(def.type, values[name as keyof Values], 'if_total_zero' in def ? def.if_total_zero : undefined);
  try {
    const value = refEval(formula, env) as F.Frac;
    return { value, points: refPoints(value, F.fromNumber(max), clamp, decimals, mode) };
  } catch (err) {
    if (err instanceof RefFailure) return {};
    throw err;
  }
}

/** CSV text as people type it: decimal comma, dd/mm/yyyy, labels, Có/Không. */
function asText(values: Required<Values>): Record<string, unknown> {
  const date = (iso: unknown) => (iso === null ? 'Chưa ban hành' : `${String(iso).slice(8)}/${String(iso).slice(5, 7)}/${String(iso).slice(0, 4)}`);
  const r = values.r as { achieved: number; total: number };
  return {
    a: String(values.a).replace('.', ','),
    b: `${String(values.b).replace('.', ',')}%`,
    c: String(values.c),
    r: `${r.achieved}/${r.total}`,
    k: INPUTS.k.options.find((o) => o.id === values.k)!.label,
    ok: values.ok ? 'Có' : 'Không',
    d: date(values.d),
    e: date(values.e),
  };
}

const shuffled = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).reverse().map(([k, val]) => [k, val !== null && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).reverse()) : val]));

const text = (points: number | undefined) => (points === undefined ? undefined : F.text(F.fromNumber(points)));

describe('the conformance table', () => {
  it('uses every operator of the language', () => {
    expect([...LANGUAGE.operatorNames].filter((op) => !OPS_USED.has(op))).toEqual([]);
  });

  const configurations = (['half_up', 'half_even', 'down', 'up'] as const).flatMap((mode) => [1, 2].flatMap((decimals) => [true, false].map((clamp) => [mode, decimals, clamp] as const)));
  let fastDecided = 0;
  let fastTried = 0;

  it.each(configurations)('%s, %d decimals, clamp %s: every path agrees with the reference', (mode, decimals, clamp) => {
    const compiled = level(mode, decimals, clamp);
    const set: CriteriaSet = { dir: 'conformance', year: 2023, levels: [compiled] };
    const json: Submission = { id: 'json', name: 'JSON', level: 'province', inputs: Object.fromEntries(CASES.map((_, i) => [`c${i}`, valuesOf(i)])), mode: 'json' };
    const reordered: Submission = { ...json, id: 'json', inputs: shuffled(json.inputs as Record<string, unknown>) };
    const csv: Submission = { id: 'json', name: 'JSON', level: 'province', inputs: Object.fromEntries(CASES.map((_, i) => [`c${i}`, asText(valuesOf(i))])), mode: 'text' };
    const now = new Date('2024-01-01T00:00:00Z');
    const exact = scoreSubmissions(set, [json], { trace: false, fast: false, now }).units[0]!;
    const fast = scoreSubmissions(set, [json], { trace: false, now }).units[0]!;
    const traced = JSON.parse(JSON.stringify(scoreSubmissions(set, [json], { trace: true, now }).units[0]!));
    const fromCsv = scoreSubmissions(set, [csv], { trace: false, now }).units[0]!;
    const fromShuffled = scoreSubmissions(set, [reordered], { trace: false, now }).units[0]!;
    const plan = fastLevel(compiled);

    CASES.forEach(([title], i) => {
      const expected = reference(i, mode, decimals, clamp);
      const what = `${title} (${mode}, ${decimals}, clamp ${clamp})`;
      const e = exact.criteria[i]!;
      if (!expected.points) {
        expect(e.status, what).toBe('error');
        expect(e.problems[0]!.code, what).toMatch(/^eval\./);
      } else {
        expect(e.status, what).toBe('scored');
        expect(text(e.points), what).toBe(F.text(expected.points));
      }
      // The fast path, the CSV reading and a submission in another key order: the very same score.
      expect(JSON.stringify(fast.criteria[i]), `${what}: fast`).toBe(JSON.stringify(e));
      expect(JSON.stringify(fromCsv.criteria[i]!.points), `${what}: CSV`).toBe(JSON.stringify(e.points));
      expect(JSON.stringify(fromShuffled.criteria[i]), `${what}: key order`).toBe(JSON.stringify(e));
      fastTried++;
      if (scoreFast(plan.criteria[i]!, valuesOf(i), plan)) fastDecided++;
      // Traced: the same points, the exact value as a fraction, and an explanation that ends as the reference does.
      const t = traced.criteria[i]!;
      expect(t.points, `${what}: traced`).toBe(e.points);
      if (!expected.value) return;
      expect(t.exact, `${what}: exact`).toBe(F.text(expected.value));
      const summary = explainCriterion(t, compiled.doc.scoring, 'vi', compiled.criteria[i]!.def.inputs).summary;
      const max = F.fromNumber(CASES[i]![3]);
      const beforeRounding = !clamp ? expected.value : expected.value.n < 0n ? F.frac(0n) : F.cmp(expected.value, max) > 0 ? max : expected.value;
      if (F.cmp(beforeRounding, expected.points!) !== 0) {
        expect(summary, `${what}: explanation`).toMatch(new RegExp(`làm tròn ${formatNumber(String(e.points), 'vi', decimals).replace(/[.]/g, '\\.')}$`));
      } else expect(summary, `${what}: explanation`).not.toContain('làm tròn');
      const top = Object.keys(CASES[i]![1] as object)[0]!;
      if (['*', '/', '+', '-'].includes(top) && expected.value.d !== 1n && !/^\d+$/.test(String(expected.value.d).replace(/^(2|5)+$/, ''))) {
        expect(summary, `${what}: the fraction`).toContain(`= ${F.text(expected.value).replace('-', '−')} ≈`);
      }
    });
  });

  it('the fast path decides most cases itself (it is not always deferring)', () => {
    expect(fastTried).toBeGreaterThan(0);
    expect(fastDecided / fastTried).toBeGreaterThan(0.6);
  });
});
