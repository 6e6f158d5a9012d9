/**
 * Does a formula hold for every value its inputs may take? Evaluate it over
 * each input's declared domain (its boundaries, every threshold the formula
 * mentions and the values just either side, every option, "not issued"),
 * then a seeded random search, and report the inputs that make it fail
 * (division by zero, a missing date reaching arithmetic) or, when the level
 * does not clamp, leave [0, max]. When it clamps, a formula that exceeds max
 * almost everywhere is flagged: a rate multiplied without "/ 100" looks so.
 */
import { numberCandidates } from '../language/inputs/number.js'; // structures (issue 11)
import { addMonths, parseIsoDate, type CalendarDate } from '../compile/dates.js';
import type { FormulaNode } from '../compile/formula.js';
import type { CompiledCriterion, CompiledInput, CompiledLevel } from '../compile/level.js';
import { EvalFailure, isNumber, type Value } from '../compile/values.js';
import { Rational } from '../exact/rational.js';
import { exactRunner } from '../evaluate/walker.js';
import { problem, type Problem } from '../problems.js';
import { formatDate, formatNumber } from '../report/format.js';

/** At most this many evaluations per criterion: the check must stay well inside validate's time budget (≤ 50 ms for a set). */
const MAX_EVALUATIONS = 96;
/** Evaluations kept for the random search, which also estimates how often a clamped formula exceeds max. */
const RANDOM_SAMPLES = 32;
/** Share of random samples above max that makes a clamped formula suspicious. */
const MOSTLY_CLAMPED = 0.9;

/** Numbers and dates the formula mentions: thresholds worth testing on and around. */
function constantsOf(node: FormulaNode, level: CompiledLevel, numbers: Set<string>, dates: Set<string>): void {
  if (node.op === 'literal' && node.literal !== undefined && isNumber(node.literal)) numbers.add(node.literal.toDecimalText());
  if (node.op === 'var' && node.binding!.source === 'parameter') {
    const value = level.parameters.get(node.binding!.name)!.value;
    if (isNumber(value)) numbers.add(value.toDecimalText());
    else if (typeof value === 'string') dates.add(value);
  }
  for (const arg of node.args) constantsOf(arg, level, numbers, dates);
}

function shiftDays(date: CalendarDate, days: number): string {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return d.toISOString().slice(0, 10);
}

function iso(date: CalendarDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Candidate values of one input: edges of its domain and the neighbourhood of every threshold. */
function candidates(input: CompiledInput, numbers: Set<string>, dates: Set<string>): Value[] {
  const def = input.def;
  const percents = (): Value[] => {
    const values = new Set<string>(['0', '100', '50']);
    for (const n of numbers) {
      const v = Rational.from(n);
      const step = Rational.from('0.01');
      for (const x of [v, v.sub(step), v.add(step)]) if (!x.isNegative() && !x.gt(Rational.HUNDRED)) values.add(x.toDecimalText());
    }
    if (def.if_total_zero !== undefined) values.add(String(def.if_total_zero));
    return [...values].map((v) => Rational.from(v));
  };
  switch (def.type) {
    case 'number': // structures (issue 11)
      return numberCandidates(def, numbers);
    case 'percent':
    case 'ratio':
      return percents();
    case 'count': {
      const values = new Set(['0', '1', '2', '3', String(def.max ?? 1000)]);
      for (const n of numbers) if (/^\d+$/.test(n) && Number(n) <= (def.max ?? Infinity)) values.add(n);
      return [...values].map((v) => Rational.from(v));
    }
    case 'date': {
      const values = new Set<string>(['2000-01-01', '2099-12-31']);
      for (const text of dates) {
        const d = parseIsoDate(text)!;
        for (const shifted of [shiftDays(d, -1), text, shiftDays(d, 1), iso(addMonths(d, 1)), shiftDays(addMonths(d, 1), 1), iso(addMonths(d, 12))]) values.add(shifted);
      }
      const list: Value[] = [...values];
      if (def.none_allowed) list.push(null);
      return list;
    }
    case 'choice':
      return (def.options ?? []).map((o) => o.id);
    case 'boolean':
      return [true, false];
  }
}

/** A seeded generator, so validate reports the same thing every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(input: CompiledInput, next: () => number, pool: Value[]): Value {
  const def = input.def;
  if (def.type === 'percent' || def.type === 'ratio') return Rational.fromNumber(Math.round(next() * 10000) / 100);
  if (def.type === 'count') return Rational.fromNumber(Math.floor(next() * Math.min(def.max ?? 20, 20)));
  return pool[Math.floor(next() * pool.length)]!;
}

function describe(input: CompiledInput, value: Value, lang: 'vi' | 'en'): string {
  let shown: string;
  if (value === null) shown = input.def.none_label ?? (lang === 'vi' ? 'chưa có' : 'none');
  else if (isNumber(value)) shown = `${formatNumber(value.toDecimalText(), lang, 2)}${input.def.type === 'percent' || input.def.type === 'ratio' ? '%' : ''}`;
  else if (typeof value === 'string' && input.def.type === 'date') shown = formatDate(value);
  else shown = String(value);
  return `${input.id} = ${shown}`;
}

export function checkDomains(level: CompiledLevel): Problem[] {
  const problems: Problem[] = [];
  const clamps = level.doc.scoring.clamp_to_max;
  for (const criterion of level.criteria) {
    const used = criterion.inputs.filter((i) => i.slot !== undefined);
    if (used.length === 0) continue;
    // structures (issue 11): statistics and round values are known only per run; the examples test such formulas.
    if (criterion.levelSlots?.length) continue;
    const numbers = new Set<string>();
    const dates = new Set<string>();
    constantsOf(criterion.formula, level, numbers, dates);
    const pools = used.map((input) => candidates(input, numbers, dates));

    const failure = search(criterion, used, pools, clamps);
    if (!failure) continue;
    const where = { level: level.id, criterion: criterion.id, location: level.locate(['criteria', criterion.index, 'formula'], true) };
    const inputsVi = failure.values.map((v, i) => describe(used[i]!, v, 'vi')).join(', ');
    const inputsEn = failure.values.map((v, i) => describe(used[i]!, v, 'en')).join(', ');
    if (failure.kind === 'fails') {
      problems.push(
        problem(
          'formula.can-fail',
          { vi: `Công thức của tiêu chí ${criterion.number} không tính được khi ${inputsVi}: ${failure.detail!.vi}.`, en: `The formula of criterion ${criterion.number} fails when ${inputsEn}: ${failure.detail!.en}.` },
          {
            ...where,
            hint: {
              vi: 'Xử lý riêng trường hợp đó bằng "if" (ví dụ mẫu số bằng 0, văn bản chưa ban hành), hoặc thu hẹp miền giá trị của số liệu.',
              en: 'Handle that case with an "if" (a zero divisor, a document not issued), or narrow the input\'s domain.',
            },
          },
        ),
      );
    } else if (failure.kind === 'out-of-range') {
      problems.push(
        problem(
          'formula.out-of-range',
          {
            vi: `Công thức của tiêu chí ${criterion.number} cho ${formatNumber(failure.raw!, 'vi', 4)} điểm khi ${inputsVi}, ngoài khoảng [0; ${formatNumber(criterion.maxPointsNumber, 'vi')}], mà scoring.clamp_to_max là false.`,
            en: `The formula of criterion ${criterion.number} gives ${failure.raw} points when ${inputsEn}, outside [0; ${criterion.maxPointsNumber}], and scoring.clamp_to_max is false.`,
          },
          { ...where, hint: { vi: 'Giới hạn công thức bằng min/max, hoặc đặt clamp_to_max: true.', en: 'Bound the formula with min/max, or set clamp_to_max: true.' } },
        ),
      );
    } else {
      problems.push(
        problem(
          'formula.mostly-clamped',
          {
            vi: `Công thức của tiêu chí ${criterion.number} vượt điểm chuẩn với hầu hết số liệu (ví dụ ${inputsVi} cho ${formatNumber(failure.raw!, 'vi', 4)} điểm), nên gần như đơn vị nào cũng được điểm tối đa.`,
            en: `The formula of criterion ${criterion.number} exceeds max for almost all data (e.g. ${inputsEn} gives ${failure.raw}), so nearly every unit gets full points.`,
          },
          {
            ...where,
            severity: 'warning',
            hint: { vi: 'Tỉ lệ là phần trăm 0–100: "Tỉ lệ đạt * điểm chuẩn" viết là {"*": [{"/": [{"var": "ty_le"}, 100]}, {"var": "max_points"}]}.', en: 'Rates are percentages 0–100: divide by 100.' },
          },
        ),
      );
    }
  }
  return problems;
}

interface Failure {
  kind: 'fails' | 'out-of-range' | 'mostly-clamped';
  values: Value[];
  raw?: string;
  detail?: { vi: string; en: string };
}

function search(criterion: CompiledCriterion, used: CompiledInput[], pools: Value[][], clamps: boolean): Failure | undefined {
  const env = criterion.envTemplate.slice();
  const max = criterion.maxPoints;
  const run = exactRunner(criterion.formula);
  const evaluate = (values: Value[]): Failure | 'above' | undefined => {
    values.forEach((v, i) => (env[used[i]!.slot!] = v));
    let raw: Value;
    try {
      raw = run(env);
    } catch (err) {
      if (err instanceof EvalFailure) return { kind: 'fails', values: [...values], detail: err.detail };
      throw err;
    }
    const n = raw as Rational;
    if (!clamps && (n.isNegative() || n.gt(max))) return { kind: 'out-of-range', values: [...values], raw: n.toDecimalText() };
    return n.gt(max) ? 'above' : undefined;
  };

  // 1. Systematic: every combination when few, else each input through its pool with the others at their first value.
  const combinations = pools.reduce((n, p) => n * p.length, 1);
  let evaluations = 0;
  if (combinations <= MAX_EVALUATIONS - RANDOM_SAMPLES) {
    const values: Value[] = pools.map((p) => p[0] as Value);
    const walk = (i: number): Failure | undefined => {
      if (i === pools.length) {
        evaluations++;
        const r = evaluate(values);
        return typeof r === 'object' ? r : undefined;
      }
      for (const v of pools[i]!) {
        values[i] = v;
        const r = walk(i + 1);
        if (r) return r;
      }
      return undefined;
    };
    const found = walk(0);
    if (found) return found;
  } else {
    for (let i = 0; i < pools.length && evaluations < MAX_EVALUATIONS - RANDOM_SAMPLES; i++) {
      for (const v of pools[i]!) {
        const values: Value[] = pools.map((p, j) => (j === i ? v : (p[p.length - 1] as Value)));
        evaluations++;
        const r = evaluate(values);
        if (typeof r === 'object') return r;
      }
    }
  }

  // 2. Random search over the rest of the budget; also estimates how often a clamped formula exceeds max.
  const next = random(criterion.index + 1);
  let above = 0;
  let samples = 0;
  let example: Value[] | undefined;
  let exampleRaw: string | undefined;
  for (; evaluations < MAX_EVALUATIONS; evaluations++) {
    const values = used.map((input, i) => randomValue(input, next, pools[i]!));
    const r = evaluate(values);
    if (typeof r === 'object') return r;
    samples++;
    if (r === 'above') {
      above++;
      if (!example) {
        example = values;
        exampleRaw = (run(env) as Rational).toDecimalText();
      }
    }
  }
  if (clamps && samples > 0 && above / samples >= MOSTLY_CLAMPED && example) return { kind: 'mostly-clamped', values: example, raw: exampleRaw! };
  return undefined;
}
