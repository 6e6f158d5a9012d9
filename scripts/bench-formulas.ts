/**
 * Figures of issue 9: per-formula evaluation beside plain json-logic-js,
 * json-logic-engine's compiled `build` and a hand-written JS function of the
 * same formula, all in one run on the same data; and scoring per unit with
 * and without traces.
 *   node --import ./scripts/ts-node-register.mjs scripts/bench-formulas.ts [--quick]
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import jsonLogic from 'json-logic-js';
import { LogicEngine } from 'json-logic-engine';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import type { Value } from '../engine/compile/values.js';
import { Rational } from '../engine/exact/rational.js';
import { fastLevel, scoreFast } from '../engine/evaluate/fast.js';
import { generateFloat } from '../engine/evaluate/codegen.js';
import { buildFloat, exactRunner, floatRunner } from '../engine/evaluate/walker.js';
import type { Submission } from '../engine/model.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { syntheticSubmissions } from './synthetic.js';

export interface Figure {
  figure: string;
  value: string;
  target?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => void, repeat: number): number {
  fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

type Data = Record<string, unknown>;

/** Hand-written JS for each benchmarked formula, from the same data the JSON-Logic engines get. */
const HAND_WRITTEN: Record<string, (d: Data) => number> = {
  'dvc-toan-trinh': (d) => ((d.ty_le as number) >= (d.nguong_dvc_toan_trinh as number) ? (d.max_points as number) : ((d.ty_le as number) / (d.nguong_dvc_toan_trinh as number)) * (d.max_points as number)),
  'van-ban-dien-tu': (d) => ((d.ty_le as number) / 100) * (d.max_points as number),
  'nhan-su-cntt': (d) =>
    d.muc_bo_tri === 'dai_hoc' ? (d.diem_nhan_su_dai_hoc as number) : d.muc_bo_tri === 'trung_cap_cao_dang' ? (d.diem_nhan_su_trung_cap_cao_dang as number) : d.muc_bo_tri === 'kiem_nhiem' ? (d.diem_nhan_su_kiem_nhiem as number) : 0,
  'bao-cao-dinh-ky': (d) => {
    const m = d.max_points as number;
    const late = (d.so_lan_tre_ky_thang as number) * (d.ty_le_tru_tre_ky_thang as number) + (d.so_lan_tre_ky_quy as number) * (d.ty_le_tru_tre_ky_quy as number) + (d.so_lan_tre_ky_6_thang as number) * (d.ty_le_tru_tre_ky_6_thang as number) + (d.so_lan_tre_ky_nam as number) * (d.ty_le_tru_tre_ky_nam as number);
    return m - m * (late / 100);
  },
};

function isRatio(v: unknown): v is { achieved: number; total: number } {
  return v !== null && typeof v === 'object';
}

export async function benchmark(options: { quick?: boolean } = {}): Promise<Figure[]> {
  const quick = options.quick ?? false;
  const rows: Figure[] = [];
  const { set } = loadCriteriaSet(fileURLToPath(new URL('../criteria/2023', import.meta.url)));
  if (!set) throw new Error('criteria/2023 has errors');
  const level = set.levels.find((l) => l.id === 'province')!;
  const sample = syntheticSubmissions({ ...set, levels: [level] }, 2000, 7);
  const loops = quick ? 10 : 50;
  const engine = new LogicEngine();
  const plan = fastLevel(level);

  for (const id of Object.keys(HAND_WRITTEN)) {
    const index = level.criteria.findIndex((c) => c.id === id);
    const criterion = level.criteria[index]!;
    if (JSON.stringify(criterion.def.formula) === undefined) continue;
    const hand = HAND_WRITTEN[id]!;
    const reported = sample.map((s) => s.inputs[criterion.id] as Record<string, unknown>);
    const flat: Data[] = reported.map((given) => {
      const data: Data = { max_points: criterion.maxPointsNumber };
      for (const b of criterion.bindings) if (b.source === 'parameter') data[b.name] = level.parameters.get(b.name)!.def.value;
      for (const [k, value] of Object.entries(given)) data[k] = isRatio(value) ? (value.total ? (value.achieved * 100) / value.total : 100) : value;
      return data;
    });
    // The engine's float walker over slots already read (evaluation only), and the full untraced scoring of the criterion.
    const fast = plan.criteria[index]!;
    const slots = reported.map((given) => {
      const values = fast.values.slice();
      const errors = fast.errors.slice();
      for (const input of fast.inputs) input.read(given[input.id], values, errors, input.slot);
      return { values, errors };
    });
    const run = floatRunner(criterion.formula);
    if (!generateFloat(criterion.formula)) throw new Error(`${id}: no generated float function`);
    // The per-node closures the generated function replaces (still the fallback), for the same-run comparison.
    const closures = buildFloat(criterion.formula);
    const exact = exactRunner(criterion.formula);
    const exactEnvs = reported.map((given) => {
      const env: Value[] = criterion.envTemplate.slice();
      for (const input of criterion.inputs) {
        if (input.slot === undefined) continue;
        const value = given[input.id];
        env[input.slot] = typeof value === 'number' ? Rational.fromNumber(value) : (value as Value);
      }
      return env;
    });
    const built = engine.build(criterion.def.formula as never) as (data: Data) => unknown;
    let sink = 0;
    const plainMs = time(() => {
      for (let l = 0; l < loops; l++) for (const data of flat) sink += jsonLogic.apply(criterion.def.formula as never, data) as number;
    }, 5);
    const builtMs = time(() => {
      for (let l = 0; l < loops; l++) for (const data of flat) sink += built(data) as number;
    }, 5);
    const handMs = time(() => {
      for (let l = 0; l < loops; l++) for (const data of flat) sink += hand(data);
    }, 5);
    const walkerMs = time(() => {
      for (let l = 0; l < loops; l++) for (const s of slots) sink += run(s.values, s.errors) as number;
    }, 5);
    const closureMs = time(() => {
      for (let l = 0; l < loops; l++) for (const s of slots) sink += closures(s.values, s.errors) as number;
    }, 5);
    const exactMs = time(() => {
      for (let l = 0; l < loops; l++) for (const env of exactEnvs) exact(env);
    }, 3);
    // Untraced scoring of the criterion: read and check each reported value, evaluate with bounds, clamp, decide the rounding; what the float path cannot prove is scored exactly, inside the timing.
    const scoreMs = time(() => {
      for (let l = 0; l < loops; l++) {
        for (const given of reported) {
          const result = scoreFast(fast, given, plan);
          if (result) sink += result.points;
          else exact(exactEnvs[0]!);
        }
      }
    }, 5);
    if (Number.isNaN(sink)) throw new Error('unreachable');
    const per = (ms: number) => `${((ms * 1e6) / (loops * flat.length)).toFixed(0)} ns`;
    rows.push({
      figure: `formula ${id}: json-logic-js / json-logic-engine build / hand-written / ours (float walker, generated) / ours (float closures, the fallback) / ours (read + guards + rounding) / ours exact rationals, per evaluation`,
      value: `${per(plainMs)} / ${per(builtMs)} / ${per(handMs)} / ${per(walkerMs)} / ${per(closureMs)} / ${per(scoreMs)} / ${per(exactMs)}; ours ÷ json-logic-js ${(scoreMs / plainMs).toFixed(2)}×, ÷ build ${(scoreMs / builtMs).toFixed(2)}×, walker ÷ hand-written ${(walkerMs / handMs).toFixed(1)}× (closures ${(closureMs / handMs).toFixed(1)}×)`,
      target: '≤ 0.25× json-logic-js; ≤ 3× hand-written',
    });
  }

  // Scoring per unit, with and without traces, same units.
  const count = quick ? 10_000 : 100_000;
  const submissions = JSON.parse(JSON.stringify(syntheticSubmissions(set, count))) as Submission[];
  const untraced = time(() => scoreSubmissions(set, submissions, { trace: false }), quick ? 1 : 3);
  const traced = time(() => scoreSubmissions(set, submissions, { trace: true }), quick ? 1 : 3);
  const few = submissions.slice(0, quick ? 1000 : 5000);
  const materialised = time(() => JSON.stringify(scoreSubmissions(set, few, { trace: true }).units), 1);
  const fewUntraced = time(() => JSON.stringify(scoreSubmissions(set, few, { trace: false }).units), 1);
  const exactOnly = time(() => scoreSubmissions(set, few, { trace: false, fast: false }), 1);
  const us = (ms: number, n: number) => `${((ms * 1000) / n).toFixed(1)} µs/unit`;
  rows.push({ figure: `score ${count.toLocaleString('en')} synthetic units without traces`, value: `${(untraced / 1000).toFixed(2)} s (${us(untraced, count)})`, target: '≤ 2 s' });
  rows.push({ figure: `score ${count.toLocaleString('en')} synthetic units with traces (rebuilt when read)`, value: `${(traced / 1000).toFixed(2)} s (${us(traced, count)}; ${(traced / untraced).toFixed(2)}× untraced)`, target: '≤ 3× untraced' });
  rows.push({
    figure: `score ${few.length.toLocaleString('en')} units and write JSON: traces materialised vs without`,
    value: `${us(materialised, few.length)} vs ${us(fewUntraced, few.length)} (${(materialised / fewUntraced).toFixed(1)}×)`,
    target: '—',
  });
  rows.push({ figure: `score ${few.length.toLocaleString('en')} units on exact rationals only (no float fast path)`, value: us(exactOnly, few.length), target: '— (reference)' });
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchmark({ quick: process.argv.includes('--quick') });
  console.log('| figure | value | target |\n|---|---|---|');
  for (const r of rows) console.log(`| ${r.figure} | ${r.value} | ${r.target ?? '—'} |`);
}
