/**
 * Rendering an operator from its definition (its `math` or `explain`
 * facet), given its arguments already rendered. Shared by the math of diffs
 * (report/formula-math.ts) and explanations (report/explain.ts), which
 * differ only in what they put in place of names and values.
 */
import type { Lang } from '../problems.js';
import type { RenderedArg, Rendering } from './operator.js';

/** Binding strength of names, values and function calls. */
export const ATOM = 10;

const SEPARATOR: Record<Lang, string> = { vi: '; ', en: ', ' };

/** Bracket an argument that binds looser than its operator (or as loosely, when `strict`). */
export function wrap(arg: RenderedArg, outer: number, strict: boolean): string {
  return arg.precedence < outer || (strict && arg.precedence === outer) ? `(${arg.text})` : arg.text;
}

/** How tightly an operator's rendering binds. */
export function precedenceOf(rendering: Rendering): number {
  return rendering.form === 'infix' || rendering.form === 'prefix' || rendering.form === 'custom' ? rendering.precedence : ATOM;
}

/** Is this an operator whose operands are compared (so percentages keep their % and options read as labels)? */
export function isComparison(rendering: Rendering): boolean {
  return (rendering.form === 'infix' || rendering.form === 'custom') && rendering.comparison === true;
}

/** A number as rendered (6, 66,6667, −1, 1.000,5): what may take a unit. */
const NUMBER_TEXT = /^[−-]?\d[\d.,]*$/;

/**
 * In a comparison, a number literal reads in the unit of what it is compared with:
 * "66,6667% ≥ 100%", "tỉ lệ ≥ 100%", never "≥ 100". One place for every comparison
 * operator and for both renderings (explanations and the math of diffs); operands with
 * different units are left as they are.
 */
export function withComparedUnit(args: readonly RenderedArg[]): readonly RenderedArg[] {
  const units = new Set(args.filter((a) => a.op !== 'literal' && a.unit).map((a) => a.unit!));
  if (units.size !== 1) return args;
  const unit = [...units][0]!;
  return args.map((a) => (a.op === 'literal' && !a.unit && NUMBER_TEXT.test(a.text) ? { ...a, text: `${a.text}${unit}`, unit } : a));
}

export function renderOperator(rendering: Rendering, op: string, rawArgs: readonly RenderedArg[], lang: Lang): string {
  const args = isComparison(rendering) ? withComparedUnit(rawArgs) : rawArgs;
  switch (rendering.form) {
    case 'infix': {
      // Left-associative: the first operand may share our precedence; a later one only in a chain of the same associative operator.
      const strictAll = rendering.comparison === true;
      return args.map((arg, i) => wrap(arg, rendering.precedence, strictAll || (i > 0 && !(rendering.associative && arg.op === op)))).join(` ${rendering.symbol[lang]} `);
    }
    case 'prefix':
      return `${rendering.symbol[lang]} ${wrap(args[0]!, rendering.precedence, true)}`;
    case 'function':
      return `${rendering.name[lang]}(${args.map((a) => a.text).join(SEPARATOR[lang])})`;
    case 'custom':
      return rendering.render(args, lang);
    case 'reference':
      return args.map((a) => a.text).join(SEPARATOR[lang]);
  }
}

export function listText(items: readonly string[], lang: Lang): string {
  return `{${items.join(SEPARATOR[lang])}}`;
}
