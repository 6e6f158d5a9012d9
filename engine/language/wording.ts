/** Shared words for operator type rules. */
import type { NumberUnit, ValueType } from '../compile/values.js';
import type { TypeComplaint } from './operator.js';

export function complain(vi: string, en: string, argIndex?: number): TypeComplaint[] {
  return [{ message: { vi, en }, ...(argIndex === undefined ? {} : { argIndex }) }];
}

export function kindVi(t: ValueType): string {
  switch (t.kind) {
    case 'number':
      return 'số';
    case 'boolean':
      return 'giá trị đúng/sai';
    case 'choice':
      return 'một lựa chọn';
    case 'string':
      return 'chuỗi chữ';
    case 'date':
      return 'ngày';
    case 'null':
      return 'null';
    case 'list':
      return 'danh sách';
  }
}

export function allNumbers(args: readonly ValueType[], opName: string): TypeComplaint[] {
  const bad: TypeComplaint[] = [];
  args.forEach((t, i) => {
    if (t.kind !== 'number') {
      bad.push({
        argIndex: i,
        message: {
          vi: `Toán tử "${opName}" chỉ dùng với số; đối số thứ ${i + 1} là ${kindVi(t)}.`,
          en: `Operator "${opName}" takes numbers only; argument ${i + 1} is ${t.kind}.`,
        },
      });
    }
  });
  return bad;
}

/** The unit a sum or min/max keeps when all its numbers share one. */
export function commonUnit(args: readonly ValueType[]): NumberUnit {
  const units = new Set(args.map((t) => (t.kind === 'number' ? t.unit : 'plain')));
  return units.size === 1 ? [...units][0]! : 'plain';
}
