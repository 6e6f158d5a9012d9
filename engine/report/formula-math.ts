/**
 * A criterion's formula as readable math, for people comparing rules:
 *   `nếu tỉ lệ ≥ 95% thì 4, ngược lại tỉ lệ / 95 × 4`
 * Inputs appear by their label (or their id when the label is long),
 * parameters and max_points by their value, so two versions of a rule can be
 * read side by side and a changed threshold shows in the formula itself.
 *
 * Works on the JSON-Logic as written (not on a compiled tree), so it can
 * render any version of a criterion, including one from another year.
 * Each operator renders by its own `math` facet (engine/language/operators).
 */
import { LANGUAGE, type Registry } from '../language/registry.js';
import { ATOM, isComparison, listText, renderOperator } from '../language/render.js';
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
  /** The formula language (default: tieuchi's). */
  language?: Registry;
}

const WORDS = {
  vi: { true: 'đúng', false: 'sai', none: 'chưa có', separator: '; ' },
  en: { true: 'true', false: 'false', none: 'none', separator: ', ' },
} as const;

interface Rendered {
  text: string;
  precedence: number;
  op: string;
}

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
  private readonly language: Registry;
  constructor(
    private readonly context: FormulaContext,
    private readonly lang: Lang,
    options: FormulaMathOptions,
  ) {
    this.words = WORDS[lang];
    this.maxLabelLength = options.maxLabelLength ?? 32;
    this.language = options.language ?? LANGUAGE;
    const mode = options.inputNames ?? 'auto';
    this.useLabels = mode === 'label' || (mode === 'auto' && Object.values(context.inputs).every((i) => i.label.length <= this.maxLabelLength));
  }

  render(json: FormulaJson, inComparison: boolean, choice?: InputDef): Rendered {
    if (Array.isArray(json)) return { text: listText(json.map((item) => this.literal(item, choice)), this.lang), precedence: ATOM, op: 'literal' };
    if (!isObject(json)) return { text: this.literal(json, choice), precedence: ATOM, op: 'literal' };
    const op = Object.keys(json)[0];
    if (op === undefined) return { text: '{}', precedence: ATOM, op: 'literal' };
    const raw = json[op]!;
    const args: FormulaJson[] = Array.isArray(raw) ? raw : [raw];
    const operator = this.language.operators.get(op);
    if (!operator) {
      // Not in the whitelist: such a formula never validates, but render it plainly rather than fail.
      return { text: `${op}(${args.map((a) => this.render(a, false).text).join(this.words.separator)})`, precedence: ATOM, op };
    }
    const rendering = operator.math;
    if (rendering.form === 'reference') {
      const name = String(args[0]);
      return { text: this.name(name, inComparison), precedence: ATOM, op, ...(this.isPercent(name) ? { unit: '%' } : {}) };
    }
    const comparison = isComparison(rendering);
    // A literal compared with a choice input reads as that option.
    const choiceOf = comparison ? (this.choiceInput(args[0]) ?? this.choiceInput(args[1])) : undefined;
    const rendered = args.map((arg) => this.render(arg, comparison, choiceOf));
    const precedence = rendering.form === 'function' ? ATOM : rendering.precedence;
    return { text: renderOperator(rendering, op, rendered, this.lang), precedence, op };
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

  /** Whether a name reads in percent (a percent or ratio input, a percent parameter): a literal compared with it does too. */
  private isPercent(name: string): boolean {
    if (Object.hasOwn(this.context.inputs, name)) {
      const def = this.context.inputs[name]!;
      const type = this.language.inputTypes.get(def.type)?.valueType(def);
      return type?.kind === 'number' && type.unit === 'percent';
    }
    return Object.hasOwn(this.context.parameters, name) && this.context.parameters[name]!.type === 'percent';
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
