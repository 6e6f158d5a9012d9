import { Rational } from '../exact/rational.js';

/**
 * What a formula computes with. Numbers are exact rationals; dates are ISO
 * strings (YYYY-MM-DD); choices are option ids; null means "not issued".
 */
export type Value = Rational | boolean | string | null | readonly string[];

/** How a number is shown to a reader: 90 %, 4 điểm, 3 tháng... */
export type NumberUnit = 'percent' | 'points' | 'count' | 'months' | 'plain';

/** The static type of a formula node; checked before any unit is scored. */
export type ValueType =
  | { kind: 'number'; unit: NumberUnit }
  | { kind: 'boolean' }
  | { kind: 'choice'; options: readonly string[] }
  | { kind: 'string'; literal?: string }
  | { kind: 'date'; nullable: boolean }
  | { kind: 'null' }
  | { kind: 'list'; items: readonly string[] };

export function describeType(type: ValueType, lang: 'vi' | 'en'): string {
  const vi: Record<ValueType['kind'], string> = {
    number: 'số',
    boolean: 'đúng/sai',
    choice: 'lựa chọn',
    string: 'chuỗi',
    date: 'ngày',
    null: 'null',
    list: 'danh sách',
  };
  return lang === 'vi' ? vi[type.kind] : type.kind === 'boolean' ? 'true/false' : type.kind;
}

export function isNumber(value: Value): value is Rational {
  return value instanceof Rational;
}

/**
 * Raised while evaluating when the unit's data makes a formula undefined
 * (division by zero, a missing date reaching arithmetic). Caught at the
 * criterion boundary and turned into a Problem: never a silent 0.
 */
export class EvalFailure extends Error {
  constructor(
    readonly code: 'eval.division-by-zero' | 'eval.no-value' | 'eval.not-finite',
    readonly detail: { vi: string; en: string },
  ) {
    super(detail.en);
  }
}
