/**
 * Compare two rounds through the units register: each unit of the later
 * round against the same unit, or (after a merger) against the units it was
 * formed from (`predecessors` in the later units.yaml), by the later
 * register's declared rule (`comparison: mean | max | min` of their final
 * totals). Ranks are compared within the later round's level: the rank the
 * mapped earlier totals give among the same units, against the rank now.
 * Earlier units with no successor (an abolished level) are listed too.
 */
import Fraction from 'fraction.js';
import { problem, type Problem } from '../problems.js';
import { formatPoints } from '../report/format.js';
import { alignColumns } from '../report/tables.js';
import type { Round } from './config.js';
import type { TotalsBreakdown } from '../evaluate/totals.js';
import type { RoundResult, RoundUnit } from './results.js';

export interface ComparedUnit {
  id: string;
  name: string;
  level: string;
  levelName: string;
  /** How the earlier value was found. */
  mapping: 'same' | 'merged' | 'renamed' | 'new';
  predecessors: { id: string; name?: string; level?: string; total?: number; rank?: number }[];
  /** The earlier total, by the rule; absent when not comparable. */
  before?: number;
  after?: number;
  change?: number;
  /** Rank of `before` among the level's units' mapped earlier totals, and the rank now. */
  rankBefore?: number;
  rankAfter?: number;
  rankChange?: number;
  /** Why there is no comparison, or how it was made, in Vietnamese. */
  note: string;
  /**
   * structures (issue 11): the final totals' parts side by side — base, bonus, penalty and each
   * group's subtotal (matched by group id), the earlier value combined over the predecessors by
   * the same rule; a group that does not apply to the unit is "không áp dụng", never 0.
   */
  parts?: ComparedPart[];
  /** With `parts`: the later level file's decimals, which the parts and totals are shown with. */
  decimals?: number;
}

export interface ComparedPart {
  /** "base", "bonus", "penalty", or a group id. */
  id: string;
  /** What people read: "Cơ bản", or the group's number and name. */
  label: string;
  kind: 'base' | 'bonus' | 'penalty' | 'group';
  before?: number;
  after?: number;
  change?: number;
  /** not_applicable: the group does not apply to the unit now (after) or did not to every predecessor (before). */
  beforeStatus?: 'scored' | 'not_applicable' | 'none';
  afterStatus?: 'scored' | 'not_applicable' | 'none';
}

export interface RoundComparison {
  before: { name: string; year: number; dir: string };
  after: { name: string; year: number; dir: string };
  rule: 'mean' | 'max' | 'min';
  units: ComparedUnit[];
  /** Earlier units that no later unit continues. */
  ended: { id: string; name: string; level: string; levelName: string; total?: number }[];
  problems: Problem[];
}

const f = (n: number) => new Fraction(String(n));
const RULE_TEXT = { mean: 'trung bình tổng điểm', max: 'tổng điểm cao nhất', min: 'tổng điểm thấp nhất' } as const;

function combine(rule: 'mean' | 'max' | 'min', totals: number[]): number {
  if (rule === 'max') return Math.max(...totals);
  if (rule === 'min') return Math.min(...totals);
  // The mean is exact (a fraction); shown with the set's one decimal.
  const mean = totals.reduce((a, t) => a.add(f(t)), new Fraction(0)).div(totals.length);
  return Number(mean.round(4).valueOf());
}

export function compareRounds(earlier: { round: Round; result: RoundResult }, later: { round: Round; result: RoundResult }): RoundComparison {
  const rule = later.round.register.comparison;
  const before = new Map(earlier.result.units.map((u) => [u.id, u]));
  const problems: Problem[] = [];
  const used = new Set<string>();
  const units: ComparedUnit[] = later.result.units.map((u) => {
    const registered = later.round.units.get(u.id)!;
    const ids = registered.predecessors.length ? registered.predecessors : before.has(u.id) ? [u.id] : [];
    const mapping: ComparedUnit['mapping'] = registered.predecessors.length === 0 ? (before.has(u.id) ? 'same' : 'new') : registered.predecessors.length === 1 ? 'renamed' : 'merged';
    const predecessors = ids.map((id): ComparedUnit['predecessors'][number] => {
      const p = before.get(id);
      if (!p) {
        problems.push(
          problem('round.compare', { vi: `Đơn vị ${u.id}: đơn vị cũ "${id}" không có trong đợt đánh giá ${earlier.round.config.year} (${earlier.round.shown}).`, en: `Unit ${u.id}: predecessor "${id}" is not in the ${earlier.round.config.year} round.` }, {
            unit: u.id,
            file: `${later.round.shown}/units.yaml`,
            hint: { vi: `Sửa predecessors của ${u.id} trong units.yaml theo mã đơn vị của đợt ${earlier.round.config.year}.`, en: `Fix the predecessors of ${u.id} in units.yaml.` },
          }),
        );
        return { id };
      }
      used.add(id);
      return { id, name: p.name, level: p.level, ...(p.finalTotal !== undefined ? { total: p.finalTotal } : {}), ...(p.rank !== undefined ? { rank: p.rank } : {}) };
    });
    const base = { id: u.id, name: u.name, level: u.level, levelName: u.levelName, mapping, predecessors, ...(u.finalTotal !== undefined ? { after: u.finalTotal } : {}) };
    if (ids.length === 0) return { ...base, note: 'đơn vị mới, không có ở đợt trước' };
    const missing = predecessors.filter((p) => p.total === undefined);
    if (missing.length) return { ...base, note: `chưa so sánh được: ${missing.map((p) => p.id).join(', ')} không có tổng điểm ở đợt ${earlier.round.config.year}` };
    const value = combine(rule, predecessors.map((p) => p.total!));
    const note = mapping === 'merged' ? `hợp nhất từ ${predecessors.map((p) => `${p.id} (${formatPoints(p.total!, 'vi')})`).join(', ')}: ${RULE_TEXT[rule]} ${formatPoints(value, 'vi', 2)}` : mapping === 'renamed' ? `tiếp nối ${predecessors[0]!.id}` : 'cùng đơn vị';
    const parts = comparedParts(rule, u, predecessors.map((p) => before.get(p.id)!));
    const decimals = later.result.levels.find((l) => l.id === u.level)?.decimals;
    return { ...base, before: value, ...(u.finalTotal !== undefined ? { change: f(u.finalTotal).sub(f(value)).round(4).valueOf() } : {}), note, ...(parts ? { parts, ...(decimals !== undefined ? { decimals } : {}) } : {}) };
  });
  // Ranks within each later level: by the mapped earlier totals, and by the totals now, among units that have both.
  for (const level of new Set(units.map((u) => u.level))) {
    const group = units.filter((u) => u.level === level && u.before !== undefined && u.after !== undefined);
    const ranks = (value: (u: ComparedUnit) => number): Map<ComparedUnit, number> => {
      const sorted = [...group].sort((a, b) => f(value(b)).compare(f(value(a))));
      const out = new Map<ComparedUnit, number>();
      sorted.forEach((u, i) => out.set(u, i > 0 && value(sorted[i - 1]!) === value(u) ? out.get(sorted[i - 1]!)! : i + 1));
      return out;
    };
    const rankedBefore = ranks((u) => u.before!);
    const rankedAfter = ranks((u) => u.after!);
    for (const u of group) {
      u.rankBefore = rankedBefore.get(u)!;
      u.rankAfter = rankedAfter.get(u)!;
    }
    for (const u of group) u.rankChange = u.rankBefore! - u.rankAfter!;
  }
  const ended = earlier.result.units.filter((u: RoundUnit) => !used.has(u.id))  .map((u) => ({ id: u.id, name: u.name, level: u.level, levelName: u.levelName, ...(u.finalTotal !== undefined ? { total: u.finalTotal } : {}) }));
  return {
    before: { name: earlier.round.config.name, year: earlier.round.config.year, dir: earlier.round.shown },
    after: { name: later.round.config.name, year: later.round.config.year, dir: later.round.shown },
    rule,
    units,
    ended,
    problems,
  };
}

/** The final breakdown of a unit and of its predecessors, part by part (only when the later unit has one). */
function comparedParts(rule: 'mean' | 'max' | 'min', unit: RoundUnit, earlier: RoundUnit[]): ComparedPart[] | undefined {
  const now = unit.breakdown?.final;
  if (!now) return undefined;
  const then = earlier.map((e) => e.breakdown?.final);
  const known = then.every((b): b is TotalsBreakdown => b !== undefined);
  const part = (id: string, label: string, kind: ComparedPart['kind'], pick: (b: TotalsBreakdown) => { status: 'scored' | 'not_applicable' | 'none'; value?: number }): ComparedPart => {
    const a = pick(now);
    const b = known ? then.map((x) => pick(x)) : [];
    const beforeStatus = !known || b.some((x) => x.status === 'none') ? 'none' : b.some((x) => x.status === 'not_applicable') ? 'not_applicable' : 'scored';
    const beforeValue = beforeStatus === 'scored' ? combine(rule, b.map((x) => x.value!)) : undefined;
    return {
      id,
      label,
      kind,
      ...(beforeValue !== undefined ? { before: beforeValue } : {}),
      ...(a.value !== undefined ? { after: a.value } : {}),
      ...(beforeValue !== undefined && a.value !== undefined ? { change: f(a.value).sub(f(beforeValue)).round(4).valueOf() } : {}),
      beforeStatus,
      afterStatus: a.status,
    };
  };
  const parts = [
    part('base', 'Cơ bản', 'base', (b) => ({ status: 'scored', value: b.base })),
    part('bonus', 'Thưởng', 'bonus', (b) => ({ status: 'scored', value: b.bonus })),
    part('penalty', 'Trừ', 'penalty', (b) => ({ status: 'scored', value: b.penalty })),
  ];
  for (const g of now.groups) {
    if (g.status === 'info') continue;
    parts.push(
      part(g.id, `${g.number}. ${g.name}`, 'group', (b) => {
        const x = b.groups.find((y) => y.id === g.id);
        return !x || x.status === 'info' ? { status: 'none' } : x.status === 'not_applicable' ? { status: 'not_applicable' } : { status: 'scored', value: x.points! };
      }),
    );
  }
  return parts;
}

export function comparisonText(c: RoundComparison): string {
  const p = (n?: number) => (n === undefined ? '—' : formatPoints(n, 'vi', 2));
  const signed = (n?: number, decimals = 2) => (n === undefined ? '—' : n === 0 ? '0' : `${n > 0 ? '+' : '−'}${formatPoints(Math.abs(n), 'vi', decimals)}`);
  const lines = [
    `So sánh hai đợt đánh giá: ${c.before.year} (${c.before.dir}) → ${c.after.year} (${c.after.dir})`,
    `Đơn vị hợp nhất so với ${RULE_TEXT[c.rule]} của các đơn vị cũ (units.yaml của đợt ${c.after.year}: comparison: ${c.rule}); hạng so trong cùng cấp của đợt ${c.after.year}.`,
  ];
  for (const level of new Set(c.units.map((u) => u.level))) {
    const rows = [['Mã đơn vị', 'Tên đơn vị', `Tổng ${c.before.year}`, `Tổng ${c.after.year}`, 'Chênh lệch', 'Hạng cũ', 'Hạng mới', 'Đổi hạng', 'Cách so sánh']];
    for (const u of c.units.filter((x) => x.level === level)) {
      // A structured level shows totals with its file's decimals (a plain level as it always has).
      const q = u.parts && u.decimals !== undefined ? (n?: number) => (n === undefined ? '—' : formatPoints(n, 'vi', Math.max(u.decimals!, 2), u.decimals)) : p;
      rows.push([u.id, u.name, q(u.before), q(u.after), signed(u.change), u.rankBefore ? String(u.rankBefore) : '—', u.rankAfter ? String(u.rankAfter) : '—', u.rankChange === undefined ? '—' : signed(u.rankChange, 0), u.note]);
    }
    lines.push('', c.units.find((x) => x.level === level)!.levelName, alignColumns(rows, [false, false, true, true, true, true, true, true, false]));
    // structures (issue 11): the parts of the final totals, earlier → now, per unit.
    const withParts = c.units.filter((x) => x.level === level && x.parts);
    if (withParts.length) {
      // Bonus and penalty only when some unit has some; base and every group always.
      const labels = withParts[0]!.parts!.filter((part) => part.kind === 'base' || part.kind === 'group' || withParts.some((u) => u.parts!.some((q) => q.id === part.id && ((q.before ?? 0) !== 0 || (q.after ?? 0) !== 0))));
      const d = withParts[0]!.decimals ?? 2;
      const cell = (part: ComparedPart | undefined) => {
        if (!part) return '—';
        const side = (value: number | undefined, status: ComparedPart['beforeStatus']) => (status === 'not_applicable' ? 'KAD' : value === undefined ? '—' : formatPoints(value, 'vi', Math.max(d, 2), d));
        return `${side(part.before, part.beforeStatus)} → ${side(part.after, part.afterStatus)}`;
      };
      const partRows = [['Mã đơn vị', ...labels.map((x) => x.label)]];
      for (const u of withParts) partRows.push([u.id, ...labels.map((x) => cell(u.parts!.find((q) => q.id === x.id)))]);
      lines.push('', `Thành phần tổng điểm thẩm định, ${c.before.year} → ${c.after.year} (cơ bản, thưởng, trừ, điểm theo nhóm; KAD: không áp dụng):`, alignColumns(partRows, [false, ...labels.map(() => true)]));
    }
  }
  if (c.ended.length) {
    lines.push('', `Đơn vị của đợt ${c.before.year} không có đơn vị nào tiếp nối ở đợt ${c.after.year} (cấp bị bỏ, hoặc chưa khai predecessors):`);
    for (const u of c.ended) lines.push(`  - ${u.id} (${u.name}, ${u.levelName.toLowerCase()})${u.total !== undefined ? `: ${p(u.total)}` : ''}`);
  }
  return lines.join('\n');
}
