/**
 * Turn a score's trace into plain sentences:
 *   "90% ≥ 95%: sai → 90 / 95 × 4 ≈ 3,7895 → làm tròn 3,8"
 * Works from the trace alone (plain data), so a stored result can be
 * explained again later without the criteria in memory.
 */
import { OPERATORS } from '../compile/operators.js';
import type { InputDef, JsonValue, PartDef, ScoringPolicy } from '../model.js';
import { explainTotals, partSteps } from './structure.js'; // structures (issue 11)
import type { Lang } from '../problems.js';
import type { CriteriaSet } from '../criteria-set.js';
import type { CriterionScore, UnitScore } from '../evaluate/score.js';
import type { TraceNode } from '../evaluate/trace.js';
import { formatDate, formatNumber, isApproximate, isIsoDate, WORDS } from './format.js';

const SHOWN_DECIMALS = 4;

function numberText(node: TraceNode, lang: Lang, withUnit: boolean): string {
  const text = formatNumber(node.exact ?? (node.value as number), lang, SHOWN_DECIMALS);
  return withUnit && node.unit === 'percent' ? `${text}%` : text;
}

/** One value as a reader sees it. */
export function valueText(node: TraceNode, lang: Lang, withUnit = false): string {
  const { value } = node;
  if (typeof value === 'number') return numberText(node, lang, withUnit);
  if (typeof value === 'boolean') return node.op === 'var' ? WORDS[lang][value ? 'yes' : 'no'] : WORDS[lang][value ? 'true' : 'false'];
  if (value === null) return `(${WORDS[lang].none})`;
  if (typeof value === 'string') {
    if (node.display) return `«${node.display}»`;
    if (isIsoDate(value)) return formatDate(value);
    return `«${value}»`;
  }
  return JSON.stringify(value);
}

const FUNCTION_NAMES: Record<string, { vi: string; en: string }> = {
  min: { vi: 'nhỏ nhất', en: 'min' },
  max: { vi: 'lớn nhất', en: 'max' },
  months_late: { vi: 'số tháng trễ', en: 'months late' },
};

function precedence(node: TraceNode): number {
  if (node.op === 'var' || node.op === 'literal' || node.op === 'if' || node.op in FUNCTION_NAMES) return 10;
  return OPERATORS.get(node.op)?.precedence ?? 10;
}

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=', '===', '!==', 'in']);

/**
 * The expression with the unit's values in place of names:
 * `90 / 95 × 4`. Nested decisions (if) and function calls show their value;
 * their own steps are listed separately.
 */
export function expressionText(node: TraceNode, lang: Lang, inComparison = false, top = true): string {
  const args = node.args ?? [];
  if (!top && node.op in FUNCTION_NAMES) return valueText(node, lang, inComparison);
  const wrap = (arg: TraceNode, strictlyTighter = false) => {
    const text = expressionText(arg, lang, COMPARISONS.has(node.op), false);
    const inner = precedence(arg);
    const outer = precedence(node);
    return inner < outer || (strictlyTighter && inner === outer) ? `(${text})` : text;
  };
  switch (node.op) {
    case 'var':
    case 'literal':
    case 'if':
      return valueText(node, lang, inComparison);
    case 'months_late': {
      const [done, deadline] = args.map((a) => expressionText(a, lang, false, false));
      return lang === 'vi' ? `số tháng trễ (${done} so với hạn ${deadline})` : `months late (${done} against the deadline ${deadline})`;
    }
    case 'min':
    case 'max':
      return `${FUNCTION_NAMES[node.op]![lang]}(${args.map((a) => expressionText(a, lang, false, false)).join('; ')})`;
    case '!':
      return `${lang === 'vi' ? 'không' : 'not'} (${expressionText(args[0]!, lang)})`;
    case '-':
      if (args.length === 1) return `−${wrap(args[0]!, true)}`;
      return `${wrap(args[0]!)} − ${wrap(args[1]!, true)}`;
    case '/':
      return `${wrap(args[0]!)} / ${wrap(args[1]!, true)}`;
    case 'in':
      return `${wrap(args[0]!)} ∈ {${(args[1]?.value as string[] | undefined)?.join(', ') ?? ''}}`;
    case 'and':
    case 'or':
      return args.map((a) => wrap(a)).join(` ${lang === 'vi' ? (node.op === 'and' ? 'và' : 'hoặc') : node.op} `);
    default: {
      const symbol = OPERATORS.get(node.op)?.symbol ?? node.op;
      return args.map((a) => wrap(a)).join(` ${symbol} `);
    }
  }
}

/** "= 3,8" or "≈ 3,7895" when digits are hidden. */
function resultText(node: TraceNode, lang: Lang): string {
  const exact = node.exact ?? (typeof node.value === 'number' ? String(node.value) : undefined);
  const sign = exact !== undefined && isApproximate(exact, SHOWN_DECIMALS) ? '≈' : '=';
  return `${sign} ${valueText(node, lang, true)}`;
}

/** Sub-results worth their own step: nested decisions and function calls inside an expression. */
function innerSteps(node: TraceNode, lang: Lang): string[] {
  const steps: string[] = [];
  for (const arg of node.args ?? []) {
    if (arg.op === 'if') steps.push(...stepsOf(arg, lang));
    else if (arg.op === 'months_late' || arg.op === 'min' || arg.op === 'max') {
      steps.push(...innerSteps(arg, lang), `${expressionText(arg, lang)} ${resultText(arg, lang)}`);
    } else steps.push(...innerSteps(arg, lang));
  }
  return steps;
}

/** The steps that led to a node's value, in reading order. */
export function stepsOf(node: TraceNode, lang: Lang): string[] {
  if (node.op === 'if') {
    const args = node.args ?? [];
    const taken = node.taken ?? args.length - 1;
    const tested = args.slice(0, taken);
    // When a condition held, it alone explains the branch; when none held, all the failed ones do.
    const decisive = tested.length && tested[tested.length - 1]!.value === true ? tested.slice(-1) : tested;
    const conditions = decisive.map((condition) => conditionText(condition, lang, true));
    return [...conditions, ...stepsOf(args[taken]!, lang)];
  }
  if (node.op === 'var') {
    const name = node.source === 'max_points' ? (lang === 'vi' ? 'điểm chuẩn' : 'max points') : node.label ?? node.name;
    return [`${name} ${resultText(node, lang)}`];
  }
  if (node.op === 'literal') return [valueText(node, lang, true)];
  return [...innerSteps(node, lang), `${expressionText(node, lang)} ${resultText(node, lang)}`];
}

/**
 * A condition as a reader sees it. A test of an input against a fixed value
 * reads as a statement about the input ("Ngày ban hành Kế hoạch: 12/04/2023",
 * "Mức bố trí: «…» (không phải «…»)"); other comparisons show the numbers.
 */
function conditionText(node: TraceNode, lang: Lang, withResult = false): string {
  const args = node.args ?? [];
  const equality = node.op === '==' || node.op === '===' || node.op === '!=' || node.op === '!==';
  const subject = args.find((a) => a.op === 'var');
  const fixed = args.find((a) => a.op === 'literal');
  if (equality && args.length === 2 && subject && fixed) {
    const label = subject.label ?? subject.name ?? '';
    const actual = subject.value === null ? `${lang === 'vi' ? 'chưa có' : 'none'}` : valueText(subject, lang);
    const matches = subject.value === fixed.value;
    if (fixed.value === null) return `${label}: ${actual}`;
    return matches ? `${label}: ${actual}` : `${label}: ${actual} (${lang === 'vi' ? 'không phải' : 'not'} ${valueText(fixed, lang)})`;
  }
  if (node.op === 'and' || node.op === 'or') {
    return args.map((a) => conditionText(a, lang, withResult)).join('; ');
  }
  const text = expressionText(node, lang, true);
  return withResult ? `${text}: ${valueText(node, lang)}` : text;
}

export interface Explanation {
  /** One line: the decisive conditions, the arithmetic, clamping and rounding. */
  summary: string;
  /** The unit's reported values, one line each. */
  inputs: string[];
}

/** How one criterion's points were reached, for a reader. */
export function explainCriterion(score: CriterionScore, policy: ScoringPolicy, lang: Lang, inputDefs: Record<string, InputDef> = {}, parts?: readonly PartDef[]): Explanation {
  const inputs = Object.entries(score.inputs).map(([id, value]) => `${inputDefs[id]?.label ?? id}: ${reportedText(value, lang, inputDefs[id])}`);
  if (score.status === 'not_applicable') return { summary: lang === 'vi' ? 'không áp dụng cho loại đơn vị này' : 'does not apply to this unit type', inputs }; // structures (issue 11)
  if (score.status !== 'scored' || !score.trace) {
    return { summary: score.problems.map((p) => p.message[lang]).join(' '), inputs };
  }
  // structures (issue 11): a criterion in named parts explains each part.
  const steps = parts ? [partSteps(score.trace, parts, policy.clamp_to_max, lang, stepsOf).join('; '), `${lang === 'vi' ? 'cộng các phần' : 'sum of the parts'} = ${formatNumber(score.raw ?? String(score.points), lang, SHOWN_DECIMALS)}`] : stepsOf(score.trace, lang);
  const w = WORDS[lang];
  if (score.clamped !== undefined && score.raw !== score.clamped) {
    steps.push(`${w.clamped} [0; ${formatNumber(score.maxPoints, lang)}]: ${formatNumber(score.clamped, lang, SHOWN_DECIMALS)}`);
  }
  const beforeRounding = score.clamped ?? score.raw!;
  const rounded = formatNumber(score.points!, lang, policy.rounding.decimals);
  if (formatNumber(beforeRounding, lang, 12) !== formatNumber(score.points!, lang, 12)) steps.push(`${w.rounded} ${rounded}`);
  return { summary: steps.join(' → '), inputs };
}

/** A reported value, normalised (ratio as counts), as a reader sees it. */
export function reportedText(value: JsonValue, lang: Lang, def?: InputDef): string {
  if (value === null) return def?.none_label ?? WORDS[lang].none;
  if (typeof value === 'boolean') return WORDS[lang][value ? 'yes' : 'no'];
  if (typeof value === 'number') return `${formatNumber(value, lang, 4)}${def?.type === 'percent' ? '%' : def?.type === 'number' && def.unit ? ` ${def.unit}` : ''}`; // unit: structures (issue 11)
  if (typeof value === 'string') {
    if (def?.type === 'choice') return def.options?.find((o) => o.id === value)?.label ?? value;
    return isIsoDate(value) ? formatDate(value) : value;
  }
  if (typeof value === 'object' && !Array.isArray(value) && typeof value.achieved === 'number' && typeof value.total === 'number') {
    const percent = value.total === 0 ? def?.if_total_zero : (value.achieved * 100) / value.total;
    return `${value.achieved}/${value.total}${percent === undefined ? '' : ` (${formatNumber(percent, lang, 2)}%)`}`;
  }
  return JSON.stringify(value);
}

/** A unit's scores with each criterion's explanation in words, for JSON readers that do not render traces. */
export function withExplanations(set: CriteriaSet, unit: UnitScore, lang: Lang): UnitScore & { criteria: (CriterionScore & { explanation?: string })[]; totalExplanation?: string[] } {
  const level = set.levels.find((l) => l.id === unit.level)!;
  // structures (issue 11): how the total was reached (rescaling, bonus, penalty, floor, index, subtotals).
  const totalExplanation = level.structure?.shaped ? explainTotals(level, unit, lang) : [];
  return {
    ...unit,
    ...(totalExplanation.length ? { totalExplanation } : {}),
    criteria: unit.criteria.map((c) => {
      const criterion = level.criteria.find((x) => x.id === c.id)!;
      return { ...c, explanation: explainCriterion(c, level.doc.scoring, lang, criterion.def.inputs, criterion.def.parts).summary };
    }),
  };
}
