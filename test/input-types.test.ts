/** Reading what units report: strict JSON for tools, forgiving text for CSV and spreadsheet cells. */
import { describe, expect, it } from 'vitest';
import { isReadError, readInput } from '../engine/compile/input-types.js';
import { isNumber } from '../engine/compile/values.js';
import type { InputDef, ReadMode } from '../engine/model.js';

const defs: Record<string, InputDef> = {
  percent: { type: 'percent', label: 'Tỉ lệ' },
  ratio: { type: 'ratio', label: 'Hệ thống được phê duyệt' },
  ratioZeroFull: { type: 'ratio', label: 'Hệ thống', if_total_zero: 100 },
  count: { type: 'count', label: 'Số lần trễ' },
  date: { type: 'date', label: 'Ngày ban hành', none_allowed: true, none_label: 'Chưa ban hành' },
  strictDate: { type: 'date', label: 'Ngày' },
  choice: { type: 'choice', label: 'Mức', options: [{ id: 'to_chuc', label: 'Tổ chức triển khai' }, { id: 'phoi_hop', label: 'Phối hợp triển khai' }] },
  boolean: { type: 'boolean', label: 'Có hoạt động' },
};

const value = (def: string, raw: unknown, mode: ReadMode) => {
  const result = readInput(defs[def]!, raw, mode);
  if (isReadError(result)) return { error: result.code };
  return isNumber(result.value) ? result.value.toString() : result.value;
};

describe('accepted values', () => {
  it.each<[string, unknown, ReadMode, unknown]>([
    ['percent', 95.5, 'json', '95.5'],
    ['percent', 0, 'json', '0'],
    ['percent', 100, 'json', '100'],
    ['percent', '95,5', 'text', '95.5'],
    ['percent', '95.5', 'text', '95.5'],
    ['percent', '95,5%', 'text', '95.5'],
    ['percent', ' 90 % ', 'text', '90'],
    ['ratio', { achieved: 3, total: 4 }, 'json', '75'],
    ['ratio', '3/4', 'text', '75'],
    ['ratio', { achieved: '1', total: '3' }, 'text', '100/3'],
    ['ratioZeroFull', { achieved: 0, total: 0 }, 'json', '100'],
    ['count', 3, 'json', '3'],
    ['count', '1.234', 'text', '1234'],
    ['date', '2023-02-10', 'json', '2023-02-10'],
    ['date', '10/02/2023', 'text', '2023-02-10'],
    ['date', '5/2/2023', 'text', '2023-02-05'],
    ['date', null, 'json', null],
    ['date', 'chưa ban hành', 'text', null],
    ['date', 'Chua ban hanh', 'text', null],
    ['choice', 'to_chuc', 'json', 'to_chuc'],
    ['choice', 'Phối hợp triển khai', 'text', 'phoi_hop'],
    ['choice', 'phoi hop trien khai', 'text', 'phoi_hop'],
    ['boolean', true, 'json', true],
    ['boolean', 'Có', 'text', true],
    ['boolean', 'không', 'text', false],
    ['boolean', 'KHONG', 'text', false],
    ['boolean', ' co ', 'text', true],
  ])('%s %j (%s) → %j', (def, raw, mode, expected) => {
    expect(value(def, raw, mode)).toEqual(expected);
  });
});

describe('refused values', () => {
  it.each<[string, unknown, ReadMode, string]>([
    ['percent', 120, 'json', 'submission.out-of-range'],
    ['percent', -1, 'json', 'submission.out-of-range'],
    ['percent', '95,5', 'json', 'submission.bad-value'],
    ['percent', '95.5abc', 'text', 'submission.bad-value'],
    ['percent', '1,234,5', 'text', 'submission.bad-value'],
    ['percent', true, 'json', 'submission.bad-value'],
    ['percent', null, 'json', 'submission.bad-value'],
    ['ratio', { achieved: 5, total: 4 }, 'json', 'submission.out-of-range'],
    ['ratio', { achieved: 0, total: 0 }, 'json', 'submission.out-of-range'],
    ['ratio', { achieved: 1.5, total: 4 }, 'json', 'submission.out-of-range'],
    ['ratio', { achieved: 1, total: 4, extra: 1 }, 'json', 'submission.bad-value'],
    ['ratio', '3/4', 'json', 'submission.bad-value'],
    ['count', -1, 'json', 'submission.out-of-range'],
    ['count', 2.5, 'json', 'submission.out-of-range'],
    ['count', '3', 'json', 'submission.bad-value'],
    ['date', '2023-02-30', 'json', 'submission.bad-value'],
    ['date', '10/02/2023', 'json', 'submission.bad-value'],
    ['strictDate', null, 'json', 'submission.bad-value'],
    ['choice', 'tochuc', 'json', 'submission.bad-value'],
    ['choice', 'Tổ chức triển khai', 'json', 'submission.bad-value'],
    ['choice', '__proto__', 'text', 'submission.bad-value'],
    ['boolean', 'có', 'json', 'submission.bad-value'],
    ['boolean', 1, 'json', 'submission.bad-value'],
    // A CSV or spreadsheet cell takes only what the template documents: Có or Không (issue 14).
    ['boolean', 'x', 'text', 'submission.bad-value'],
    ['boolean', '1', 'text', 'submission.bad-value'],
    ['boolean', 'đạt', 'text', 'submission.bad-value'],
    ['boolean', 'yes', 'text', 'submission.bad-value'],
    ['boolean', 'true', 'text', 'submission.bad-value'],
  ])('%s %j (%s) → %s', (def, raw, mode, code) => {
    expect(value(def, raw, mode)).toEqual({ error: code });
  });
});
