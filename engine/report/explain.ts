/**
 * Turn a score's trace into plain sentences:
 *   "90% ≥ 95%: sai → 90 / 95 × 4 ≈ 3,7895 → làm tròn 3,8"
 * Works from the trace alone (plain data), so a stored result can be
 * explained again later without the criteria in memory.
 */
import type { CompiledLevel } from '../compile/level.js';
import { Rational } from '../exact/rational.js';
import type { OperatorDefinition } from '../language/operator.js';
import { LANGUAGE, type Registry } from '../language/registry.js';
import { ATOM, listText, precedenceOf, isComparison, renderOperator, withComparedUnit } from '../language/render.js';
import type { InputDef, JsonValue, PartDef, ScoringPolicy } from '../model.js';
import { explainTotals, notApplicableText, partSteps } from './structure.js'; // structures (issue 11)
import type { Lang } from '../problems.js';
import { plainScore, type CriterionScore, type UnitScore } from '../evaluate/score.js';
import type { TraceNode } from '../evaluate/trace.js';
import { formatDate, formatNumber, isApproximate, isIsoDate, WORDS } from './format.js';

/** Intermediate values show at most this many decimals (≈ when digits are hidden); points show the file's own decimals. */
const SHOWN_DECIMALS = 4;

/** The exact value of a number node as a Rational, when the trace carries it. */
function exactOf(node: TraceNode): Rational | undefined {
  const text = node.exact ?? (typeof node.value === 'number' ? String(node.value) : undefined);
  if (text === undefined) return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return Rational.parse(text);
  const n = Rational.parse(text.slice(0, slash));
  const d = Rational.parse(text.slice(slash + 1));
  return n && d && !d.isZero() ? n.div(d) : undefined;
}

/** Decimal text of a number node, rounded half-up to `decimals` on its exact value. */
function decimalText(node: TraceNode, decimals: number): string {
  const exact = exactOf(node);
  return exact ? exact.toFixed(decimals) : String(node.value);
}

function numberText(node: TraceNode, lang: Lang, withUnit: boolean): string {
  const text = formatNumber(decimalText(node, SHOWN_DECIMALS), lang, SHOWN_DECIMALS);
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
  if (Array.isArray(value)) return listText(value.map(String), lang);
  return JSON.stringify(value);
}

function operatorOf(node: TraceNode, language: Registry): OperatorDefinition | undefined {
  return node.op === 'literal' ? undefined : language.operators.get(node.op);
}

/** How tightly a node binds where it appears: values, nested decisions and own-step operators read as atoms. */
function bindingOf(node: TraceNode, top: boolean, language: Registry): number {
  const rendering = operatorOf(node, language)?.explain;
  if (!rendering || rendering.valueOnly || (!top && rendering.ownStep)) return ATOM;
  return precedenceOf(rendering);
}

/**
 * The expression with the unit's values in place of names:
 * `90 / 95 × 4`. Nested decisions (if) and own-step operators (min, max,
 * months_late) show their value; their own steps are listed separately.
 */
export function expressionText(node: TraceNode, lang: Lang, inComparison = false, top = true, language: Registry = LANGUAGE): string {
  const rendering = operatorOf(node, language)?.explain;
  if (!rendering || rendering.form === 'reference' || rendering.valueOnly || (!top && rendering.ownStep)) return valueText(node, lang, inComparison);
  const comparison = isComparison(rendering);
  // A compared operand in percent carries its unit, which a literal it is compared with takes too (render.ts).
  const args = (node.args ?? []).map((arg) => ({ text: expressionText(arg, lang, comparison, false, language), precedence: bindingOf(arg, false, language), op: arg.op, ...(comparison && arg.unit === 'percent' ? { unit: '%' } : {}) }));
  return renderOperator(rendering, node.op, args, lang);
}

/** "= 3,8", "≈ 3,1235" when digits are hidden, "= 72/19 ≈ 3,7895" when the exact value is a fraction. */
function resultText(node: TraceNode, lang: Lang): string {
  if (typeof node.value === 'number' && node.exact?.includes('/')) {
    return `= ${node.exact.replace('-', '−')} ≈ ${valueText(node, lang, true)}`;
  }
  const exact = node.exact ?? (typeof node.value === 'number' ? String(node.value) : undefined);
  const sign = exact !== undefined && isApproximate(exact, SHOWN_DECIMALS) ? '≈' : '=';
  return `${sign} ${valueText(node, lang, true)}`;
}

/** Sub-results worth their own step: nested decisions and own-step operators inside an expression. */
function innerSteps(node: TraceNode, lang: Lang, language: Registry): string[] {
  const steps: string[] = [];
  for (const arg of node.args ?? []) {
    const rendering = operatorOf(arg, language)?.explain;
    if (rendering?.valueOnly) steps.push(...stepsOf(arg, lang, language));
    else if (rendering?.ownStep) steps.push(...innerSteps(arg, lang, language), `${expressionText(arg, lang, false, true, language)} ${resultText(arg, lang)}`);
    else steps.push(...innerSteps(arg, lang, language));
  }
  return steps;
}

/** The steps that led to a node's value, in reading order. */
export function stepsOf(node: TraceNode, lang: Lang, language: Registry = LANGUAGE): string[] {
  if (node.op === 'if') {
    const args = node.args ?? [];
    const taken = node.taken ?? args.length - 1;
    const tested = args.slice(0, taken);
    // When a condition held, it alone explains the branch; when none held, all the failed ones do.
    const decisive = tested.length && tested[tested.length - 1]!.value === true ? tested.slice(-1) : tested;
    const conditions = decisive.map((condition) => conditionText(condition, lang, true, language));
    return [...conditions, ...stepsOf(args[taken]!, lang, language)];
  }
  if (node.op === 'var') {
    const name = node.source === 'max_points' ? (lang === 'vi' ? 'điểm chuẩn' : 'max points') : node.label ?? node.name;
    return [`${name} ${resultText(node, lang)}`];
  }
  if (node.op === 'literal') return [valueText(node, lang, true)];
  return [...innerSteps(node, lang, language), `${expressionText(node, lang, false, true, language)} ${resultText(node, lang)}`];
}

/**
 * A condition as a reader sees it. A test of an input against a fixed value
 * reads as a statement about the input ("Ngày ban hành Kế hoạch: 12/04/2023",
 * "Mức bố trí: «…» (không phải «…»)", "tỉ lệ cao nhất trong cấp: 92,5% ≠ 0%"); other comparisons
 * show the numbers.
 */
function conditionText(node: TraceNode, lang: Lang, withResult: boolean, language: Registry): string {
  const args = node.args ?? [];
  const equality = node.op === '==' || node.op === '===' || node.op === '!=' || node.op === '!==';
  const subject = args.find((a) => a.op === 'var');
  const fixed = args.find((a) => a.op === 'literal');
  if (equality && args.length === 2 && subject && fixed) {
    const label = subject.label ?? subject.name ?? '';
    const percent = subject.unit === 'percent' && typeof subject.value === 'number';
    const actual = subject.value === null ? `${lang === 'vi' ? 'chưa có' : 'none'}` : valueText(subject, lang, percent);
    const matches = subject.value === fixed.value;
    if (fixed.value === null) return `${label}: ${actual}`;
    // The fixed value reads in the subject's unit, by the same rule as every comparison (render.ts).
    const [, other] = withComparedUnit([
      { text: actual, precedence: ATOM, op: 'var', ...(percent ? { unit: '%' } : {}) },
      { text: valueText(fixed, lang), precedence: ATOM, op: 'literal' },
    ]);
    if (matches) return `${label}: ${actual}`;
    // Numbers that differ read as the comparison they are ("tỉ lệ cao nhất trong cấp: 92,5% ≠ 0%"), as ≥ and < do;
    // an option or a date reads as which one it is, not which it is not ("Mức bố trí: «…» (không phải «…»)").
    if (typeof subject.value === 'number' && typeof fixed.value === 'number') return `${label}: ${actual} ≠ ${other!.text}`;
    // A yes/no input already says which it is ("…: không"); "(không phải đúng)" would only repeat it.
    if (typeof subject.value === 'boolean' && typeof fixed.value === 'boolean') return `${label}: ${actual}`;
    return `${label}: ${actual} (${lang === 'vi' ? 'không phải' : 'not'} ${other!.text})`;
  }
  if (node.op === 'and' || node.op === 'or') {
    return args.map((a) => conditionText(a, lang, withResult, language)).join('; ');
  }
  // A yes/no input tested on its own reads as a statement about it ("Đã ban hành kế hoạch: có"), not "có: có".
  if (node.op === 'var' && typeof node.value === 'boolean') return `${node.label ?? node.name ?? ''}: ${valueText(node, lang)}`;
  const text = expressionText(node, lang, true, true, language);
  return withResult ? `${text}: ${valueText(node, lang)}` : text;
}

export interface Explanation {
  /** One line: the decisive conditions, the arithmetic, clamping and rounding. */
  summary: string;
  /** The unit's reported values, one line each. */
  inputs: string[];
}

/** How one criterion's points were reached, for a reader. */
export function explainCriterion(score: CriterionScore, policy: ScoringPolicy, lang: Lang, inputDefs: Record<string, InputDef> = {}, parts?: readonly PartDef[], language: Registry = LANGUAGE): Explanation {
  const inputs = Object.entries(score.inputs).map(([id, value]) => `${inputDefs[id]?.label ?? id}: ${reportedText(value, lang, inputDefs[id])}`);
  if (score.status === 'not_applicable') return { summary: lang === 'vi' ? 'không áp dụng cho loại đơn vị này' : 'does not apply to this unit type', inputs }; // structures (issue 11)
  if (score.status !== 'scored' || !score.trace) {
    return { summary: score.problems.map((p) => p.message[lang]).join(' '), inputs };
  }
  // structures (issue 11): a criterion in named parts explains each part.
  const steps = parts
    ? [partSteps(score.trace, parts, policy.clamp_to_max, lang, (node, l) => stepsOf(node, l, language)).join('; '), `${lang === 'vi' ? 'cộng các phần' : 'sum of the parts'} = ${formatNumber(score.raw ?? String(score.points), lang, SHOWN_DECIMALS)}`]
    : stepsOf(score.trace, lang, language);
  const w = WORDS[lang];
  if (score.clamped !== undefined && score.raw !== score.clamped) {
    steps.push(`${w.clamped} [0; ${formatNumber(score.maxPoints, lang)}]: ${formatNumber(score.clamped, lang, SHOWN_DECIMALS)}`);
  }
  // Rounding is shown when it changed the exact value, with the file's own number of decimals.
  const beforeRounding = score.clamped !== undefined ? Rational.parse(score.clamped) : exactOf({ op: 'literal', value: null, exact: score.exact ?? score.raw! });
  const points = Rational.fromNumber(score.points!);
  if (!beforeRounding?.equals(points)) steps.push(`${w.rounded} ${pointsText(score.points!, policy, lang)}`);
  return { summary: steps.join(' → '), inputs };
}

/** Points as the file rounds them: `decimals: 2` shows 16,67, `decimals: 1` shows 3,8. */
export function pointsText(points: number, policy: ScoringPolicy, lang: Lang): string {
  return formatNumber(Rational.fromNumber(points).toFixed(policy.rounding.decimals), lang, policy.rounding.decimals);
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
    const percent = value.total === 0 ? (def?.if_total_zero === undefined ? undefined : Rational.fromNumber(def.if_total_zero)) : Rational.fromNumber(value.achieved).mul(Rational.HUNDRED).div(Rational.fromNumber(value.total));
    return `${value.achieved}/${value.total}${percent === undefined ? '' : ` (${formatNumber(percent.toFixed(2), lang, 2)}%)`}`;
  }
  return JSON.stringify(value);
}

/**
 * What withExplanations needs of a criteria set: its compiled levels (policy, inputs, parts, structure).
 * (Not CriteriaSet, so this module does not import criteria-set.ts, which runs the examples through it.)
 */
export interface ExplainableSet {
  levels: readonly CompiledLevel[];
}

/** A unit's scores with each criterion's explanation in words, for JSON readers that do not render traces. */
export function withExplanations<U extends UnitScore>(set: ExplainableSet, unit: U, lang: Lang): U & { criteria: (CriterionScore & { explanation?: string })[]; totalExplanation?: string[] } {
  const level = set.levels.find((l) => l.id === unit.level)!;
  // structures (issue 11): how the total was reached (rescaling, bonus, penalty, floor, index, subtotals).
  const totalExplanation = level.structure?.shaped ? explainTotals(level, unit, lang) : [];
  const explained = {
    ...unit,
    ...(totalExplanation.length ? { totalExplanation } : {}),
    criteria: unit.criteria.map((c) => {
      const criterion = level.criteria.find((x) => x.id === c.id)!;
      // structures (issue 11): a criterion that does not apply says why, by the unit's type or its attributes.
      if (c.status === 'not_applicable' && level.structure?.places.get(c.id)?.appliesWhen) return { ...plainScore(c), explanation: notApplicableText(level, c.id, unit, lang) };
      return { ...plainScore(c), explanation: explainCriterion(c, level.doc.scoring, lang, criterion.def.inputs, criterion.def.parts).summary };
    }),
  };
  if (!totalExplanation.length || unit.rank === undefined) return explained;
  // The rank stays the last key (a streamed run adds it last, once every total is known): the same bytes either way.
  const { rank, ...rest } = explained;
  return { ...rest, rank } as typeof explained;
}
