/**
 * A unit's total on a structured level (issue 11), exact: subtotals per group,
 * bonus and penalty outside total_points with their caps, the floor, and the
 * rescaling over the criteria that apply to the unit's type.
 *
 *   base    = Σ ordinary points × group weights            (criteria that apply)
 *   rescale = base × total_points / applicable maximum     (when some do not apply and the file says rescale)
 *   total   = max(floor, rescaled base + min(Σ bonus, bonus_max) − min(Σ penalty, penalty_max))
 *
 * Arithmetic is on exact rationals (engine/exact/rational.ts); a rescaled base is
 * rounded once, on the exact value, by the level's rounding rule. A plain
 * level (no structure) never comes here: its total stays the sum of rounded
 * points computed in score.ts, exactly as before.
 */
import type { CompiledLevel } from '../compile/level.js';
import type { CompiledGroup, LevelStructure } from '../compile/structure.js';
import { Rational, type RoundingMode } from '../exact/rational.js';
import { problem, type Problem } from '../problems.js';
import type { CriterionScore } from './score.js';

/** Plain text of an exact value for explanations: exact when it ends within 12 decimals (the renderer shows fewer, with ≈). */
export function exactText(value: Rational): string {
  return value.toDecimalText(12);
}

/** points / max rounded to `decimals` places by the file's rule, decided on the exact quotient. */
export function indexValue(points: Rational, max: Rational, decimals: number, mode: RoundingMode): number {
  return points.div(max).round(decimals, mode).toNumber();
}

// --- outputs ---

export interface GroupScore {
  id: string;
  number: string;
  name: string;
  parent?: string;
  depth: number;
  /** info: only information-only criteria in it ("không tính điểm"). */
  status: 'scored' | 'not_applicable' | 'info';
  /** Subtotal of the ordinary criteria (and child groups, weighted) that apply. */
  points?: number;
  /** The group's maximum for this unit: its declared maximum, or what applies of it. */
  maxPoints: number;
  /** points / maxPoints, with the file's index_decimals, when it shows indices. */
  index?: number;
}

export interface TotalsBreakdown {
  /** Sum of ordinary points (weighted), after rescaling when it applies. */
  base: number;
  bonus: number;
  penalty: number;
  /** What of total_points applies to this unit, and how the base was rescaled. */
  applicable: {
    maxPoints: number;
    totalPoints: number;
    rule: 'rescale' | 'none' | 'all';
    /** The base before rescaling (only when rescaled). */
    before?: number;
    /** The exact rescaled value before rounding (only when rescaled). */
    exact?: string;
  };
  /** Bonus or penalty sums cut by their caps, and the floor, when they acted. */
  capped?: { bonus?: number; penalty?: number; floor?: number };
  groups: GroupScore[];
  /** total / total_points with index_decimals, when the file shows indices. */
  index?: number;
}

/** Criterion maxima as rationals, once per distinct value. */
const maxima = new Map<number, Rational>();
function maxOf(max: number): Rational {
  let r = maxima.get(max);
  if (!r) {
    r = Rational.fromNumber(max);
    if (maxima.size < 10_000) maxima.set(max, r);
  }
  return r;
}

export type TotalsResult = { total: number; breakdown: TotalsBreakdown } | { problem: Problem };

export function computeTotals(level: CompiledLevel, structure: LevelStructure, criteria: readonly CriterionScore[], unit: string): TotalsResult {
  const policy = level.doc.scoring;
  const decimals = policy.rounding.decimals;
  const zero = Rational.ZERO;
  let base = zero;
  let applicableMax = zero;
  let bonus = zero;
  let penalty = zero;
  const totalPoints = Rational.fromNumber(level.doc.total_points);
  const groupPoints = new Map<string, Rational>();
  const groupMax = new Map<string, Rational>();
  const groupApplies = new Set<string>();
  /** Groups with some ordinary criterion that does not apply to this unit. */
  const groupPartial = new Set<string>();
  const addToGroups = (chain: readonly CompiledGroup[], points: Rational, max: Rational) => {
    // Into its group, and weighted into every enclosing group.
    let p = points;
    let m = max;
    for (const g of chain) {
      groupPoints.set(g.id, (groupPoints.get(g.id) ?? zero).add(p));
      groupMax.set(g.id, (groupMax.get(g.id) ?? zero).add(m));
      groupApplies.add(g.id);
      if (g.weightRational.equals(Rational.ONE)) continue;
      p = p.mul(g.weightRational);
      m = m.mul(g.weightRational);
    }
  };
  let everyOrdinaryApplies = true;
  for (const score of criteria) {
    const place = structure.places.get(score.id);
    const kind = place?.kind ?? 'ordinary';
    if (score.status === 'not_applicable') {
      if (kind === 'ordinary') {
        everyOrdinaryApplies = false;
        for (let g = place?.group !== undefined ? structure.groupById.get(place.group) : undefined; g; g = g.parent !== undefined ? structure.groupById.get(g.parent) : undefined) groupPartial.add(g.id);
      }
      continue;
    }
    // A rounded score is a decimal of at most `decimals` places: its shortest text is its exact value.
    const points = Rational.fromNumber(score.points!);
    if (kind === 'ordinary') {
      const max = maxOf(score.maxPoints);
      base = base.add(place ? points.mul(place.weightRational) : points);
      applicableMax = applicableMax.add(place ? max.mul(place.weightRational) : max);
      addToGroups(place?.groupChain ?? [], points, max);
    } else if (kind === 'bonus') bonus = bonus.add(points);
    else if (kind === 'penalty') penalty = penalty.add(points);
  }

  if (applicableMax.isZero()) {
    return {
      problem: problem(
        'unit.nothing-applicable',
        { vi: `Không tiêu chí tính điểm nào của cấp "${level.name}" áp dụng cho đơn vị "${unit}", nên không có tổng điểm.`, en: `No scored criterion of level "${level.id}" applies to unit "${unit}", so it has no total.` },
        {
          level: level.id,
          unit,
          hint: {
            vi: `Kiểm tra loại đơn vị (type) của đơn vị và applies_to của các tiêu chí, nhóm. Các loại của cấp: ${[...structure.unitTypes.keys()].join(', ') || '(không có)'}.`,
            en: `Check the unit's type and the criteria's and groups' applies_to. This level's types: ${[...structure.unitTypes.keys()].join(', ') || '(none)'}.`,
          },
        },
      ),
    };
  }

  const rule = structure.totals.not_applicable;
  let scaledBase = base;
  let applicable: TotalsBreakdown['applicable'] = { maxPoints: applicableMax.toNumber(), totalPoints: totalPoints.toNumber(), rule: 'all' };
  if (!everyOrdinaryApplies || !applicableMax.equals(totalPoints)) {
    if (rule === 'rescale' && !applicableMax.equals(totalPoints)) {
      const exact = base.mul(totalPoints).div(applicableMax);
      scaledBase = exact.round(decimals, policy.rounding.mode);
      applicable = { ...applicable, rule: 'rescale', before: base.toNumber(), exact: exactText(exact) };
    } else applicable = { ...applicable, rule: 'none' };
  }

  const capped: NonNullable<TotalsBreakdown['capped']> = {};
  if (structure.totals.bonus_max !== undefined && bonus.gt(Rational.fromNumber(structure.totals.bonus_max))) {
    capped.bonus = bonus.toNumber();
    bonus = Rational.fromNumber(structure.totals.bonus_max);
  }
  if (structure.totals.penalty_max !== undefined && penalty.gt(Rational.fromNumber(structure.totals.penalty_max))) {
    capped.penalty = penalty.toNumber();
    penalty = Rational.fromNumber(structure.totals.penalty_max);
  }
  let total = scaledBase.add(bonus).sub(penalty);
  const floor = Rational.fromNumber(structure.totals.floor);
  if (total.lt(floor)) {
    capped.floor = total.toNumber();
    total = floor;
  }

  const indexDecimals = structure.totals.index_decimals;
  const indexOf = (points: Rational, max: Rational) => (indexDecimals !== undefined && !max.isZero() ? indexValue(points, max, indexDecimals, policy.rounding.mode) : undefined);
  const groups: GroupScore[] = structure.groups.map((g) => {
    const head = { id: g.id, number: g.number, name: g.name, ...(g.parent !== undefined ? { parent: g.parent } : {}), depth: g.depth };
    if (g.infoOnly) return { ...head, status: 'info' as const, maxPoints: 0 };
    if (!groupApplies.has(g.id)) return { ...head, status: 'not_applicable' as const, maxPoints: 0 };
    const points = groupPoints.get(g.id)!;
    const computedMax = groupMax.get(g.id)!;
    // The declared maximum is the group's scale when all of it applies (and its children fill it); otherwise what applies.
    const max = g.declaredMax !== undefined && !groupPartial.has(g.id) ? Rational.fromNumber(g.declaredMax) : computedMax;
    const index = indexOf(points, max);
    return { ...head, status: 'scored' as const, points: points.toNumber(), maxPoints: max.toNumber(), ...(index !== undefined ? { index } : {}) };
  });
  const index = indexOf(total, totalPoints);
  return {
    total: total.toNumber(),
    breakdown: {
      base: scaledBase.toNumber(),
      bonus: bonus.toNumber(),
      penalty: penalty.toNumber(),
      applicable,
      ...(Object.keys(capped).length ? { capped } : {}),
      groups,
      ...(index !== undefined ? { index } : {}),
    },
  };
}
