/**
 * A criterion's formula as readable math, for people comparing rules:
 *   `nếu tỉ lệ ≥ 95% thì 4, ngược lại tỉ lệ / 95 × 4`
 * Inputs appear by their label (or their id when the label is long),
 * parameters and max_points by their value, so two versions of a rule can be
 * read side by side and a changed threshold shows in the formula itself.
 *
 * Works on the JSON-Logic as written (not on a compiled tree), so it can
 * render any version of a criterion, including one from another year.
 * Symbols and binding strengths come from the operator table.
 */
import { OPERATORS } from '../compile/operators.js';
import type { FormulaJson, InputDef, ParameterDef } from '../model.js';
import type { Lang, Localized } from '../problems.js';
import { formatDate, formatNumber, isIsoDate } from './format.js';

/** What a formula's names mean: the criterion's inputs, the file's parameters, and max_points. */
export interface FormulaContext {
  inputs: Record<string, InputDef>;
  parameters: Record<string, ParameterDef>;
  maxPoints: number;
}

export interface FormulaMathOptions {
  /**
   * How inputs are named: `label` always, `id` always, or `auto` (default):
   * labels when every input's label is at most `maxLabelLength` characters,
   * else ids, so that one formula never mixes the two. Choice options follow
   * the same rule among the options of one input.
   */
  inputNames?: 'auto' | 'label' | 'id';
  /** Default 32. */
  maxLabelLength?: number;
}

const WORDS = {
  vi: { if: 'nếu', then: 'thì', otherwise: 'ngược lại', and: 'và', or: 'hoặc', not: 'không', true: 'đúng', false: 'sai', none: 'chưa có', monthsLate: 'số tháng trễ', separator: '; ' },
  en: { if: 'if', then: 'then', otherwise: 'otherwise', and: 'and', or: 'or', not: 'not', true: 'true', false: 'false', none: 'none', monthsLate: 'months_late', separator: ', ' },
} as const;

/** Binding strength of a rendered piece: function calls and names bind tightest. */
const ATOM = 10;

interface Rendered {
  text: string;
  precedence: number;
}

/** Operators that give the same value however a chain of them is grouped. */
const ASSOCIATIVE = new Set(['+', '*', 'and', 'or']);

function isObject(json: FormulaJson): json is { [key: string]: FormulaJson } {
  return json !== null && typeof json === 'object' && !Array.isArray(json);
}

/** Render a formula (JSON-Logic) as math in one language. */
export function formulaMath(formula: FormulaJson, context: FormulaContext, lang: Lang, options: FormulaMathOptions = {}): string {
  const renderer = new MathRenderer(context, lang, options);
  return renderer.render(formula, false).text;
}

/** Both languages at once, for values that must carry either (a diff serialised as JSON). */
export function formulaMathLocalized(formula: FormulaJson, context: FormulaContext, options: FormulaMathOptions = {}): Localized {
  return { vi: formulaMath(formula, context, 'vi', options), en: formulaMath(formula, context, 'en', options) };
}

class MathRenderer {
  private readonly words;
  private readonly useLabels: boolean;
  private readonly maxLabelLength: number;
  constructor(
    private readonly context: FormulaContext,
    private readonly lang: Lang,
    options: FormulaMathOptions,
  ) {
    this.words = WORDS[lang];
    this.maxLabelLength = options.maxLabelLength ?? 32;
    const mode = options.inputNames ?? 'auto';
    this.useLabels = mode === 'label' || (mode === 'auto' && Object.values(context.inputs).every((i) => i.label.length <= this.maxLabelLength));
  }

  render(json: FormulaJson, inComparison: boolean): Rendered {
    if (!isObject(json)) return { text: this.literal(json, undefined), precedence: ATOM };
    const op = Object.keys(json)[0];
    if (op === undefined) return { text: '{}', precedence: ATOM };
    const raw = json[op]!;
    const args: FormulaJson[] = Array.isArray(raw) ? raw : [raw];
    switch (op) {
      case 'var':
        return { text: this.name(String(args[0]), inComparison), precedence: ATOM };
      case 'if':
        return { text: this.ifText(args), precedence: OPERATORS.get('if')!.precedence };
      case 'min':
      case 'max':
        return { text: `${op}(${args.map((a) => this.render(a, false).text).join(this.words.separator)})`, precedence: ATOM };
      case 'months_late':
        return { text: `${this.words.monthsLate}(${args.map((a) => this.render(a, false).text).join(this.words.separator)})`, precedence: ATOM };
      case '!':
        return { text: `${this.words.not} ${this.wrap(this.render(args[0]!, false), OPERATORS.get('!')!.precedence, true)}`, precedence: OPERATORS.get('!')!.precedence };
      case 'in':
        return { text: this.inText(args), precedence: OPERATORS.get('in')!.precedence };
      case '-':
        if (args.length === 1) {
          const precedence = OPERATORS.get('!')!.precedence;
          return { text: `−${this.wrap(this.render(args[0]!, false), precedence, true)}`, precedence };
        }
        return this.infix(op, args);
      default:
        if (OPERATORS.has(op)) return this.infix(op, args);
        // Not in the whitelist: such a formula never validates, but render it plainly rather than fail.
        return { text: `${op}(${args.map((a) => this.render(a, false).text).join(this.words.separator)})`, precedence: ATOM };
    }
  }

  private symbol(op: string): string {
    if (op === 'and') return this.words.and;
    if (op === 'or') return this.words.or;
    return OPERATORS.get(op)!.symbol ?? op;
  }

  /** `a op b op c`, with parentheses only where grouping would otherwise read differently. */
  private infix(op: string, args: FormulaJson[]): Rendered {
    const precedence = OPERATORS.get(op)!.precedence;
    const comparison = precedence === OPERATORS.get('==')!.precedence;
    const parts = args.map((arg, i) => {
      const rendered = this.render(arg, comparison);
      const sameOp = isObject(arg) && Object.keys(arg)[0] === op;
      // Left-associative: the first operand may share our precedence; a later one only when regrouping is harmless.
      const strict = i > 0 && !(sameOp && ASSOCIATIVE.has(op));
      return this.wrap(rendered, precedence, strict || comparison);
    });
    // A literal compared with a choice input reads as that option.
    if (comparison && args.length === 2) {
      const choice = this.choiceInput(args[0]) ?? this.choiceInput(args[1]);
      if (choice) {
        parts.forEach((_, i) => {
          const arg = args[i];
          if (typeof arg === 'string' || arg === null) parts[i] = this.literal(arg, choice);
        });
      }
    }
    return { text: parts.join(` ${this.symbol(op)} `), precedence };
  }

  private wrap(rendered: Rendered, outer: number, strict: boolean): string {
    const needs = rendered.precedence < outer || (strict && rendered.precedence === outer);
    return needs ? `(${rendered.text})` : rendered.text;
  }

  private ifText(args: FormulaJson[]): string {
    const parts: string[] = [];
    let i = 0;
    for (; i + 1 < args.length; i += 2) {
      const condition = this.render(args[i]!, false).text;
      const value = this.branch(args[i + 1]!);
      parts.push(`${i === 0 ? '' : `${this.words.otherwise} `}${this.words.if} ${condition} ${this.words.then} ${value}`);
    }
    if (i < args.length) parts.push(`${this.words.otherwise} ${this.branch(args[i]!)}`);
    return parts.join(', ');
  }

  /** A branch value; a nested decision is bracketed so its "ngược lại" cannot be mistaken for ours. */
  private branch(json: FormulaJson): string {
    const rendered = this.render(json, false);
    return isObject(json) && Object.keys(json)[0] === 'if' ? `(${rendered.text})` : rendered.text;
  }

  private inText(args: FormulaJson[]): string {
    const subject = this.render(args[0]!, true).text;
    const choice = this.choiceInput(args[0]);
    const list = Array.isArray(args[1]) ? args[1] : [];
    return `${subject} ∈ {${list.map((item) => this.literal(item, choice)).join(this.words.separator)}}`;
  }

  private choiceInput(json: FormulaJson | undefined): InputDef | undefined {
    if (json === undefined || !isObject(json) || !('var' in json)) return undefined;
    const name = Array.isArray(json.var) ? json.var[0] : json.var;
    const input = typeof name === 'string' && Object.hasOwn(this.context.inputs, name) ? this.context.inputs[name] : undefined;
    return input && (input.type === 'choice' || input.type === 'date' || input.type === 'boolean') ? input : undefined;
  }

  /** A name in the formula: an input by label or id, a parameter or max_points by its value. */
  private name(name: string, inComparison: boolean): string {
    if (Object.hasOwn(this.context.inputs, name)) return this.inputName(name, this.context.inputs[name]!);
    if (Object.hasOwn(this.context.parameters, name)) {
      const parameter = this.context.parameters[name]!;
      if (parameter.type === 'date') return formatDate(String(parameter.value));
      const text = formatNumber(parameter.value as number, this.lang, 6);
      return parameter.type === 'percent' && inComparison ? `${text}%` : text;
    }
    if (name === 'max_points') return formatNumber(this.context.maxPoints, this.lang, 6);
    return name;
  }

  private inputName(id: string, def: InputDef): string {
    return this.useLabels ? lowerFirst(def.label.replace(/\s+/g, ' ').trim()) : id;
  }

  /** A literal; compared with a choice it reads as the option's label (when short), null as the "none" label. */
  private literal(value: FormulaJson, input: InputDef | undefined): string {
    if (value === null) return input?.none_label ? lowerFirst(input.none_label) : this.words.none;
    if (typeof value === 'boolean') return this.words[value ? 'true' : 'false'];
    if (typeof value === 'number') return formatNumber(value, this.lang, 6);
    if (typeof value === 'string') {
      const options = input?.options ?? [];
      const option = options.find((o) => o.id === value);
      if (option && options.every((o) => o.label.length <= this.maxLabelLength)) return `«${option.label}»`;
      if (isIsoDate(value)) return formatDate(value);
      return `«${value}»`;
    }
    return JSON.stringify(value);
  }
}

/** "Tỉ lệ đạt" → "tỉ lệ đạt", but "TTHC …" and "VNeID …" keep their capitals. */
function lowerFirst(text: string): string {
  const first = text.split(' ', 1)[0] ?? '';
  if (first.length > 1 && first.slice(1) !== first.slice(1).toLowerCase()) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}
