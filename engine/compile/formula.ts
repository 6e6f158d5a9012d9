/**
 * JSON-Logic → a typed tree, checked against the language registry (engine/language).
 *
 * Guards against json-logic-js's pitfalls happen here, once, before any unit
 * is scored:
 * - `var` may name only a declared input or parameter: it compiles to an
 *   index into an array, so `__proto__`, `constructor` or a dotted path can
 *   never reach an object's prototype chain;
 * - every operator is type-checked: "3abc" + 1, or "90%" >= "100%", or a
 *   number used as a condition, is a compile error, not a surprising value;
 * - `/` by zero and a missing value raise EvalFailure at run time, which the
 *   scorer reports: never Infinity, never a silent 0.
 */
import { closest } from 'fastest-levenshtein';
import { Rational } from '../exact/rational.js';
import type { OperatorDefinition } from '../language/operator.js';
import { LANGUAGE, type Registry } from '../language/registry.js';
import type { FormulaJson } from '../model.js';
import type { Localized, ProblemCode } from '../problems.js';
import { describeType, type Value, type ValueType } from './values.js';

export type FormulaPath = (string | number)[];

/** What a `var` name refers to, and where its value sits in the evaluation array. */
export interface VarBinding {
  name: string;
  slot: number;
  source: 'input' | 'parameter' | 'max_points';
  type: ValueType;
  /** Vietnamese name shown in explanations. */
  label: string;
}

export interface Scope {
  /** Resolve a name, allocating its slot on first use. */
  resolve(name: string): VarBinding | undefined;
  /** Every name the formula could use, for "did you mean". */
  names(): string[];
}

/**
 * A type-checked formula node. Evaluation is not here: engine/evaluate/walker.ts
 * turns a tree into closures, exact or bounded-float, traced or not.
 */
export interface FormulaNode {
  /** Operator name, or 'literal'. */
  op: string;
  /** Path of this node inside the formula, for locating errors in the YAML. */
  path: FormulaPath;
  type: ValueType;
  args: FormulaNode[];
  binding?: VarBinding;
  literal?: Value;
  /** The operator's definition (absent for literals). */
  operator?: OperatorDefinition;
}

export type CompileReporter = (code: ProblemCode, path: FormulaPath, message: Localized, hint?: Localized) => void;

/** Compile any expression (a condition, a date...); undefined, with problems reported, when it is not sound. */
export function compileExpression(json: FormulaJson, scope: Scope, report: CompileReporter, language: Registry = LANGUAGE): FormulaNode | undefined {
  return compileNode(json, [], scope, report, language);
}

/** Compile a criterion's formula, which must compute points (a number). */
export function compileFormula(json: FormulaJson, scope: Scope, report: CompileReporter, language: Registry = LANGUAGE): FormulaNode | undefined {
  const root = compileNode(json, [], scope, report, language);
  if (root && root.type.kind !== 'number') {
    report(
      'formula.not-points',
      [],
      {
        vi: `Công thức phải cho ra một số điểm, nhưng đang cho ra ${describeType(root.type, 'vi')}.`,
        en: `The formula must compute points (a number), but computes ${describeType(root.type, 'en')}.`,
      },
      {
        vi: 'Nếu công thức là một điều kiện, bọc nó trong "if": {"if": [điều_kiện, {"var": "max_points"}, 0]}.',
        en: 'If the formula is a condition, wrap it: {"if": [condition, {"var": "max_points"}, 0]}.',
      },
    );
    return undefined;
  }
  return root;
}

function compileNode(json: FormulaJson, path: FormulaPath, scope: Scope, report: CompileReporter, language: Registry): FormulaNode | undefined {
  if (json === null || typeof json !== 'object') return literalNode(json, path, report);
  if (Array.isArray(json)) {
    report('formula.type', path, {
      vi: 'Danh sách [...] chỉ được dùng làm đối số thứ hai của "in".',
      en: 'A list [...] may only be the second argument of "in".',
    });
    return undefined;
  }
  const keys = Object.keys(json);
  if (keys.length !== 1) {
    report('formula.arity', path, {
      vi: 'Mỗi phép toán phải có đúng một toán tử, ví dụ {"+": [1, 2]}.',
      en: 'Each operation must have exactly one operator, e.g. {"+": [1, 2]}.',
    });
    return undefined;
  }
  const opName = keys[0]!;
  const spec = language.operators.get(opName);
  if (!spec) {
    const names = language.operatorNames;
    report(
      'formula.unknown-operator',
      [...path, opName],
      { vi: `Toán tử không được phép "${opName}".`, en: `Operator "${opName}" is not allowed.` },
      {
        vi: `Có phải ý là "${closest(opName, [...names])}"? Các toán tử được phép: ${names.join(' ')}.`,
        en: `Did you mean "${closest(opName, [...names])}"? Allowed: ${names.join(' ')}.`,
      },
    );
    return undefined;
  }
  const rawArgs = (json as Record<string, FormulaJson>)[opName];
  const argsJson: FormulaJson[] = Array.isArray(rawArgs) ? rawArgs : [rawArgs as FormulaJson];
  const argsPath = Array.isArray(rawArgs) ? [...path, opName] : [...path, opName];

  if (spec.argument(0) === 'name') return varNode(argsJson, argsPath, scope, report, spec);

  const { min, max } = spec.arity;
  if (argsJson.length < min || argsJson.length > max) {
    const expected = max === Infinity ? `ít nhất ${min}` : min === max ? `${min}` : `${min} đến ${max}`;
    const expectedEn = max === Infinity ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
    report('formula.arity', [...path, opName], {
      vi: `Toán tử "${opName}" cần ${expected} đối số, đang có ${argsJson.length}.`,
      en: `Operator "${opName}" takes ${expectedEn} arguments, got ${argsJson.length}.`,
    });
    return undefined;
  }

  const args: FormulaNode[] = [];
  let failed = false;
  argsJson.forEach((argJson, i) => {
    const argPath = Array.isArray(rawArgs) ? [...argsPath, i] : argsPath;
    const arg = spec.argument(i) === 'options' ? listNode(argJson, argPath, report) : compileNode(argJson, argPath, scope, report, language);
    if (arg) args.push(arg);
    else failed = true;
  });
  if (failed) return undefined;

  const typed = spec.typeOf(args.map((a) => a.type));
  if (Array.isArray(typed)) {
    for (const complaint of typed) {
      const at = complaint.argIndex !== undefined ? args[complaint.argIndex]!.path : [...path, opName];
      report(complaint.unknownOption ? 'formula.unknown-option' : 'formula.type', at, complaint.message);
    }
    return undefined;
  }
  return { op: spec.name, path, type: typed, args, operator: spec };
}

function literalNode(json: FormulaJson, path: FormulaPath, report: CompileReporter): FormulaNode | undefined {
  if (typeof json === 'number') {
    if (!Number.isFinite(json)) {
      report('formula.type', path, { vi: 'Số không hữu hạn.', en: 'Number is not finite.' });
      return undefined;
    }
    return { op: 'literal', path, type: { kind: 'number', unit: 'plain' }, args: [], literal: Rational.fromNumber(json) };
  }
  if (typeof json === 'string') return { op: 'literal', path, type: { kind: 'string', literal: json }, args: [], literal: json };
  if (typeof json === 'boolean') return { op: 'literal', path, type: { kind: 'boolean' }, args: [], literal: json };
  return { op: 'literal', path, type: { kind: 'null' }, args: [], literal: null };
}

function listNode(json: FormulaJson, path: FormulaPath, report: CompileReporter): FormulaNode | undefined {
  if (!Array.isArray(json) || !json.every((item) => typeof item === 'string')) {
    report('formula.type', path, {
      vi: 'Đối số thứ hai của "in" phải là danh sách mã lựa chọn, ví dụ ["muc_a", "muc_b"].',
      en: 'The second argument of "in" must be a list of option ids, e.g. ["option_a", "option_b"].',
    });
    return undefined;
  }
  const items = Object.freeze([...(json as string[])]);
  return { op: 'literal', path, type: { kind: 'list', items }, args: [], literal: items };
}

function varNode(argsJson: FormulaJson[], path: FormulaPath, scope: Scope, report: CompileReporter, operator: OperatorDefinition): FormulaNode | undefined {
  const name = argsJson[0];
  if (argsJson.length !== 1 || typeof name !== 'string' || name === '') {
    report(
      'formula.arity',
      path,
      {
        vi: '"var" nhận đúng một tên số liệu hoặc tham số, ví dụ {"var": "ty_le"}; không dùng giá trị mặc định.',
        en: '"var" takes exactly one input or parameter name, e.g. {"var": "rate"}; defaults are not allowed.',
      },
      {
        vi: 'Số liệu thiếu là lỗi của dữ liệu, không được thay bằng giá trị mặc định.',
        en: 'A missing value is a data error; it is never replaced by a default.',
      },
    );
    return undefined;
  }
  const binding = scope.resolve(name);
  if (!binding) {
    const names = scope.names();
    const nearest = names.length ? closest(name, names) : undefined;
    report(
      'formula.unknown-var',
      path,
      { vi: `"${name}" không phải là số liệu hay tham số đã khai báo.`, en: `"${name}" is not a declared input or parameter.` },
      {
        vi: `${nearest ? `Có phải ý là "${nearest}"? ` : ''}Khai báo nó trong "inputs" của tiêu chí hoặc trong "parameters" của tệp. Tên dùng được: ${names.join(', ')}.`,
        en: `${nearest ? `Did you mean "${nearest}"? ` : ''}Declare it under the criterion's "inputs" or the file's "parameters". Names in scope: ${names.join(', ')}.`,
      },
    );
    return undefined;
  }
  return { op: operator.name, path, type: binding.type, args: [], binding, operator };
}
