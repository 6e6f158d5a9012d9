/**
 * Declared bounds on a criteria file's content, checked on the plain value
 * right after parsing, before the schema, the compiler or the evaluator
 * walk it. YAML nesting is bounded while parsing (load/yaml-guard.ts); here:
 * how deep a formula nests its operations, and how long a text may be.
 * The defaults are far above anything Decision 2435 needs (formulas nest 6
 * operations, the longest rule text is 322 characters) and are documented in
 * the README ("Limits").
 */
import type { Locator } from '../load/yaml-source.js';
import { problem, type Problem } from '../problems.js';

export interface CriteriaLimits {
  /** Most nested operations in one formula ({var: x} counts as one). Default 24. */
  maxFormulaDepth: number;
  /** Longest name, label or title, in characters (code points). Default 500. */
  maxNameLength: number;
  /** Longest other text (rule, evidence, notes, strings in formulas and examples), in characters. Default 5,000. */
  maxTextLength: number;
}

export const DEFAULT_CRITERIA_LIMITS: CriteriaLimits = { maxFormulaDepth: 24, maxNameLength: 500, maxTextLength: 5000 };

/** Keys whose value is shown as a name in tables, workbooks and headings. */
const NAME_KEYS = new Set(['name', 'label', 'title', 'none_label', 'issuer', 'signer', 'jurisdiction', 'managing_agency']);

/** Problems of a parsed criteria file's value against the limits; [] when within them. */
export function checkCriteriaLimits(value: unknown, locate: Locator, limits: CriteriaLimits = DEFAULT_CRITERIA_LIMITS): Problem[] {
  const problems: Problem[] = [];
  // Iterative walks: the value's nesting is bounded by the parser, but nothing here needs the stack.
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: value, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (typeof node === 'string') {
      const key = [...path].reverse().find((p) => typeof p === 'string');
      const max = key !== undefined && NAME_KEYS.has(key) && typeof path[path.length - 1] === 'string' ? limits.maxNameLength : limits.maxTextLength;
      // Cheap first: a string of at most `max` UTF-16 units has at most `max` code points.
      if (node.length > max && codePoints(node, max + 1) > max) problems.push(tooLong(path, max, locate));
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) node.forEach((item, index) => stack.push({ node: item, path: [...path, index] }));
    else for (const key of Object.keys(node)) stack.push({ node: (node as Record<string, unknown>)[key], path: [...path, key] });
  }
  const criteria = (value as { criteria?: unknown } | null)?.criteria;
  if (Array.isArray(criteria)) {
    criteria.forEach((criterion, index) => {
      const formula = (criterion as { formula?: unknown } | null)?.formula;
      const deep = pathDeeperThan(formula, limits.maxFormulaDepth);
      if (!deep) return;
      const id = (criterion as { id?: unknown }).id;
      problems.push(
        problem(
          'formula.too-deep',
          { vi: `Công thức lồng quá ${limits.maxFormulaDepth} phép toán.`, en: `The formula nests more than ${limits.maxFormulaDepth} operations.` },
          {
            location: locate(['criteria', index, 'formula', ...deep]),
            ...(typeof id === 'string' ? { criterion: id } : {}),
            hint: {
              vi: 'Công thức của Quyết định 2435 lồng nhiều nhất 6 phép toán. Viết gọn lại: một "if" nhiều nhánh thay cho nhiều "if" lồng nhau, "max"/"min" nhiều đối số thay cho lồng từng cặp.',
              en: 'Decision 2435 formulas nest at most 6 operations. Simplify: one "if" with several branches instead of nested ifs, one "max"/"min" with several arguments instead of nested pairs.',
            },
          },
        ),
      );
    });
  }
  return problems;
}

/** The path to the first operation nested deeper than `max` (an operation is a one-key mapping), or undefined. */
function pathDeeperThan(formula: unknown, max: number): (string | number)[] | undefined {
  const stack: { node: unknown; depth: number; path: (string | number)[] }[] = [{ node: formula, depth: 0, path: [] }];
  while (stack.length) {
    const { node, depth, path } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((item, index) => stack.push({ node: item, depth, path: [...path, index] }));
      continue;
    }
    const inner = depth + 1;
    if (inner > max) return path;
    for (const key of Object.keys(node)) stack.push({ node: (node as Record<string, unknown>)[key], depth: inner, path: [...path, key] });
  }
  return undefined;
}

function codePoints(text: string, stopAt: number): number {
  let count = 0;
  for (const _ of text) if (++count >= stopAt) break;
  return count;
}

function tooLong(path: (string | number)[], max: number, locate: Locator): Problem {
  return problem(
    'schema.too-long',
    { vi: `Chuỗi tại ${path.join('.') || '(gốc)'} dài quá ${max} ký tự.`, en: `The text at ${path.join('.') || '(root)'} is longer than ${max} characters.` },
    {
      location: locate(path),
      hint: {
        vi: 'Tên và nhãn nên ngắn (hiện trên bảng xếp hạng và bảng tính); nội dung dài (căn cứ, ghi chú) đặt trong văn bản gốc và dẫn chiếu tới.',
        en: 'Names and labels should be short (they head tables and workbooks); long texts belong in the source document, referred to.',
      },
    },
  );
}
