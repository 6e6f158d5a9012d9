/**
 * What an operator of the formula language is: everything about it in one
 * definition, so that the compiler's whitelist, the type checker, the exact
 * and the bounded-float evaluators, the explanations, the math of diffs, the
 * JSON Schema and the staff guide all come from the same place.
 *
 * Every facet is required: a definition that leaves one out does not
 * compile (test/language-definition.typecheck.ts proves it).
 */
import type { FormulaNode } from '../compile/formula.js';
import type { Value, ValueType } from '../compile/values.js';
import type { Lang, Localized } from '../problems.js';

/** A type error found while compiling; the compiler adds the location. */
export interface TypeComplaint {
  argIndex?: number;
  message: Localized;
  /** Set when the complaint is a misspelt choice option rather than a type mismatch. */
  unknownOption?: true;
}

/** A compiled node evaluated on exact values (Rational numbers). */
export type ExactRun = (env: readonly Value[]) => Value;

/**
 * A compiled node evaluated on doubles with an error bound (see bounded.ts):
 * numbers are JS numbers and the bound of the last number returned is in
 * `bound.err`; other values are as in the exact evaluation.
 */
export type FloatRun = (values: unknown[], errors: Float64Array) => unknown;

/**
 * A node's result in generated float code (engine/evaluate/codegen.ts): a JS
 * expression for its value and, for numbers, one for its error bound ('0'
 * when exact). Both are names of locals or numeric literals the generator
 * made; never text from a criteria file.
 */
export interface FloatCode {
  value: string;
  error: string;
}

/** An argument of a node being generated: its type, and `emit()` writes its code at the current place and gives its result. */
export interface FloatSourceArg {
  type: ValueType;
  emit(): FloatCode;
}

/**
 * Where an operator's float source facet writes. Every statement is built
 * from the operator module's own template text, locals from `local()`,
 * argument results and `constant()` references: the generator refuses (and
 * falls back to the closures) any code holding a quote or a backtick.
 */
export interface FloatSink {
  /** A fresh local variable (declared at the top of the function). */
  local(): string;
  /** Append one statement at the current place. */
  line(statement: string): void;
  /** A reference to a value handed to the generated code (a helper function, a list of options): never source text. */
  constant(value: unknown): string;
  /** A statement that gives up: the exact path decides (throws UNCERTAIN). */
  readonly uncertain: string;
  /** This node cannot be generated: the formula runs on the closures instead. */
  refuse(why: string): never;
}

/**
 * Bounded-float source: writes the node's code into `out` from its
 * arguments (lazy operators emit an argument only inside the branch that
 * needs it) and gives its result. It must compute exactly what `float`
 * computes, value and bound (test/codegen.test.ts runs both on the
 * conformance table and on random trees).
 */
export type FloatSource = (args: readonly FloatSourceArg[], out: FloatSink, node: FormulaNode) => FloatCode;

/** Groups of the staff guide's operator table. */
export type OperatorGroup = 'reference' | 'arithmetic' | 'comparison' | 'logic' | 'choice' | 'dates';

/** How the compiler reads an argument: a formula, a list of option ids (for "in"), or a name (for "var"). */
export type ArgumentKind = 'expression' | 'options' | 'name';

/** A rendered argument, for operators that render themselves. */
export interface RenderedArg {
  text: string;
  precedence: number;
  op: string;
  /**
   * The unit its value reads in ("%"), when it has one: in a comparison a bare number
   * literal takes the unit of what it is compared with (render.ts).
   */
  unit?: string;
}

/**
 * How an operator reads as math. `precedence`: higher binds tighter (atoms
 * are 10). Arguments are bracketed when they bind looser, or as tight and
 * not the first (left-associative), except a chain of the same associative
 * operator.
 */
export type Rendering =
  | { form: 'infix'; precedence: number; symbol: Localized; associative?: boolean; comparison?: boolean }
  | { form: 'prefix'; precedence: number; symbol: Localized }
  | { form: 'function'; name: Localized }
  | { form: 'custom'; precedence: number; render(args: readonly RenderedArg[], lang: Lang): string; comparison?: boolean }
  /** Names and values are rendered by the renderer itself (var). */
  | { form: 'reference' };

/** Explanations show values; an operator may list its own step (min, max, months_late) or just its value (if). */
export type ExplainRendering = Rendering & { ownStep?: boolean; valueOnly?: boolean };

export interface OperatorDefinition<Name extends string = string> {
  name: Name;
  group: OperatorGroup;
  /** Number of arguments; `max` may be Infinity. */
  arity: { min: number; max: number };
  /** How argument `index` is compiled. */
  argument(index: number): ArgumentKind;
  /** The result type, or complaints about the argument types. */
  typeOf(args: readonly ValueType[]): ValueType | TypeComplaint[];
  /** Exact evaluation: builds the node's closure from its arguments' closures (lazy operators call only what they need). */
  exact(args: readonly ExactRun[], node: FormulaNode): ExactRun;
  /** Bounded-float evaluation, or throws UNCERTAIN (bounded.ts) when it cannot prove the exact answer. */
  float(args: readonly FloatRun[], node: FormulaNode): FloatRun;
  /** The same bounded-float evaluation as generated source, assembled into one function per formula (the fast path's). */
  floatSource: FloatSource;
  /** How it reads in a sentence ("cộng", "lớn hơn hoặc bằng"). */
  wording: Localized;
  /** The staff guide's row: what it does, and an example formula (JSON-Logic). */
  guide: { meaning: Localized; example: string };
  /** As math, in diffs and annexes. */
  math: Rendering;
  /** In explanations, with the unit's values. */
  explain: ExplainRendering;
}

/** Declare an operator; a missing facet is a compile error. */
export function defineOperator<const Name extends string>(definition: OperatorDefinition<Name>): OperatorDefinition<Name> {
  return definition;
}

/** Every argument is a formula (the usual case). */
export const expressions = (): ArgumentKind => 'expression';
