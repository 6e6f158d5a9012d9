/**
 * The award proposal's rules on made-up totals: top N, a minimum total, the declared
 * tie-breaks in order, and a tie the tie-breaks cannot separate at the cut-off.
 */
import { describe, expect, it } from 'vitest';
import { proposeAwards } from '../engine/round/award.js';
import type { Round, TieBreak } from '../engine/round/config.js';
import type { RoundUnit } from '../engine/round/results.js';
import { exampleRound2023, round } from './helpers/round.js';

function unit(id: string, total: number | undefined, dungHan: number, lastUsedAt: string, rank?: number): RoundUnit {
  return {
    id,
    name: id,
    level: 'commune',
    levelName: 'Đơn vị cấp xã',
    status: total === undefined ? 'incomplete' : 'complete',
    totalPoints: 100,
    ...(total !== undefined ? { finalTotal: total, rank } : {}),
    criteria: [{ id: 'ho-so-dung-han', number: '6', name: 'x', maxPoints: 10, final: dungHan, status: 'scored', inputs: [], evidence: { required: [], missing: [], byProvider: [], items: [] }, explanation: '', problems: [] }],
    lastUsedAt,
    criteriaFile: 'commune.yaml',
    criteriaSha256: '',
  };
}

function withRule(top: number | undefined, minTotal: number | undefined, tieBreak: TieBreak[]): Round {
  const r = round(exampleRound2023);
  const rule = { ...(top !== undefined ? { top } : {}), ...(minTotal !== undefined ? { minTotal } : {}) };
  return { ...r, config: { ...r.config, award: { levels: new Map([['commune', rule]]), tieBreak } } };
}

const units = [
  unit('a', 90.1, 9.5, '2023-12-10T00:00:00Z', 1),
  unit('b', 88, 9.9, '2023-12-12T00:00:00Z', 2),
  unit('c', 88, 9.9, '2023-12-11T00:00:00Z', 2),
  unit('d', 88, 9.7, '2023-12-09T00:00:00Z', 2),
  unit('e', 70.5, 10, '2023-12-01T00:00:00Z', 5),
  unit('f', undefined, 10, '2023-12-01T00:00:00Z'),
];

const proposed = (r: Round) => proposeAwards(r, units).levels[0]!.entries.filter((e) => e.proposed).map((e) => e.unit);

describe('award proposal', () => {
  it('orders a tie by the criterion first, then by the earlier complete submission', () => {
    const p = proposeAwards(withRule(3, undefined, [{ kind: 'criterion', criterion: 'ho-so-dung-han' }, { kind: 'earlier-submission' }]), units).levels[0]!;
    expect(p.entries.map((e) => [e.unit, e.position, e.proposed])).toEqual([
      ['a', 1, true],
      ['c', 2, true],
      ['b', 3, true],
      ['d', 4, false],
      ['e', 5, false],
      ['f', undefined, false],
    ]);
    expect(p.entries[2]!.rule).toMatch(/bằng tổng điểm với c, xếp sau theo gửi đủ số liệu lúc 07:00 12\/12\/2023 so với 07:00 11\/12\/2023/);
    expect(p.entries[3]!.rule).toMatch(/ngoài 3 đơn vị đứng đầu/);
  });

  it('proposes every unit tied at the cut-off when the declared tie-breaks cannot separate them', () => {
    expect(proposed(withRule(2, undefined, []))).toEqual(['a', 'b', 'c', 'd']);
    const entries = proposeAwards(withRule(2, undefined, []), units).levels[0]!.entries;
    expect(entries.find((e) => e.unit === 'd')!.rule).toMatch(/đồng thứ tự 2 với đơn vị ở vị trí cuối danh sách, được đề nghị cùng/);
  });

  it('applies a minimum total alone, or with top N', () => {
    expect(proposed(withRule(undefined, 88, []))).toEqual(['a', 'b', 'c', 'd']);
    expect(proposed(withRule(undefined, 88.05, []))).toEqual(['a']);
    expect(proposed(withRule(10, 70.5, [{ kind: 'criterion', criterion: 'ho-so-dung-han' }]))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
