/**
 * Benchmark for issue 4: diff plus impact of criteria/2023 against the
 * fictional 2024 draft (examples/2024-draft/2024) over 10,000 synthetic units.
 * Prints one markdown table row (the lead folds it into the main benchmark).
 *   node --import ./scripts/ts-node-register.mjs scripts/bench-diff.ts [--quick]
 * The time covers the structured diff, adapting the submissions, scoring
 * them under both versions and comparing; loading the sets and generating
 * the data are outside it.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { diffCriteriaSets } from '../engine/diff/compare.js';
import { impactOfChange } from '../engine/diff/impact.js';
import { syntheticSubmissions } from './synthetic.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const count = 10_000;

const before = loadCriteriaSet(`${root}criteria/2023`).set;
const after = loadCriteriaSet(`${root}examples/2024-draft/2024`).set;
if (!before || !after) throw new Error('criteria/2023 or examples/2024-draft/2024 has errors');

// Units of the 2023 levels; those of a level the draft keeps also report its new criteria, so most are comparable.
const submissions = syntheticSubmissions(before, count);
const byLevel = new Map<string, Record<string, unknown>[]>();
for (const s of syntheticSubmissions(after, count, 2024)) {
  const list = byLevel.get(s.level);
  if (list) list.push(s.inputs);
  else byLevel.set(s.level, [s.inputs]);
}
const used = new Map<string, number>();
for (const s of submissions) {
  const pool = byLevel.get(s.level);
  if (!pool) continue;
  const k = used.get(s.level) ?? 0;
  used.set(s.level, k + 1);
  for (const [criterion, block] of Object.entries(pool[k % pool.length]!)) if (!(criterion in s.inputs)) s.inputs[criterion] = block;
}

const samples: number[] = [];
let comparable = 0;
for (let i = 0; i < (quick ? 1 : 3); i++) {
  const start = performance.now();
  diffCriteriaSets(before, after);
  comparable = impactOfChange(before, after, submissions).counts.comparable;
  samples.push(performance.now() - start);
}
const ms = [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
console.log(`| diff + impact over ${count.toLocaleString('en')} units (2023 vs 2024 draft, ${comparable.toLocaleString('en')} comparable) | ${(ms / 1000).toFixed(2)} s | ≤ 2 s |`);
