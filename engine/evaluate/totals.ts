/**
 * A unit's total on a structured level (issue 11), exact: subtotals per group,
 * bonus and penalty outside total_points with their caps, the floor, and the
 * rescaling over the criteria that apply to the unit's type.
 *
 *   base    = Σ ordinary points × group weights            (criteria that apply)
 *   rescale = base × total_points / applicable maximum     (when some do not apply and the file says rescale)
 *   total   = max(floor, rescaled base + min(Σ bonus, bonus_max) − min(Σ penalty, penalty_max))
 *
 * Arithmetic is on rationals (fraction.js, BigInt); a rescaled base is
 * rounded once, on the exact value, by the level's rounding rule. A plain
 * level (no structure) never comes here: its total stays the sum of rounded
 * points computed in score.ts, exactly as before.
 */
import Fraction from 'fraction.js';
import type { CompiledLevel } from '../compile/level.js';
import type { CompiledGroup, LevelStructure } from '../compile/structure.js';
import { toDecimal } from '../decimal.js';
import type { ScoringPolicy } from '../model.js';
import { problem, type Problem } from '../problems.js';
import type { CriterionScore } from './score.js';

// --- a tiny exact-rational toolkit (the "exact" helper's engine/exact/ will replace it at merge) ---

export type Rational = Fraction;

/** A JSON number or decimal text, exactly as written (98.5 stays 98.5). */
export function rational(value: number | string): Rational {
  return new Fraction(toDecimal(value).toFixed());
}

/**
 * A rounded score (a whole number of 10^-decimals, as a double) as its exact rational, without
 * going through text: k = round(points × 10^d) recovers the integer while it is far below 2^53.
 */
function pointsRational(points: number, decimals: number, scale: number): Rational {
  const k = Math.round(points * scale);
  if (Math.abs(k) < 1e15 && k / scale === points) return new Fraction(k, scale);
  return rational(points);
}

const TEN = BigInt(10);

/** Round an exact value to `decimals` places by the file's rule. */
export function roundRational(value: Rational, decimals: number, mode: ScoringPolicy['rounding']['mode']): Rational {
  const scale = TEN ** BigInt(decimals);
  const scaledNumerator = value.n * scale; // |value| × scale = scaledNumerator / d
  const whole = scaledNumerator / value.d;
  const remainder = scaledNumerator % value.d; // ≥ 0: n and d are non-negative in fraction.js 5
  const twice = remainder * BigInt(2);
  let up: boolean;
  switch (mode) {
    case 'half_up':
      up = twice >= value.d;
      break;
    case 'half_even':
      up = twice > value.d || (twice === value.d && whole % BigInt(2) === BigInt(1));
      break;
    case 'down':
      up = false;
      break;
    case 'up':
      up = remainder > BigInt(0);
      break;
  }
  const magnitude = up ? whole + BigInt(1) : whole;
  return new Fraction(value.s * magnitude, scale);
}

/** The exact decimal text of a value with a finite decimal expansion up to `decimals` places (after rounding). */
export function decimalText(value: Rational, decimals: number): string {
  const rounded = roundRational(value, decimals, 'half_up');
  const scale = TEN ** BigInt(decimals);
  const units = (rounded.n * scale) / rounded.d;
  const digits = units.toString().padStart(decimals + 1, '0');
  const text = decimals ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`.replace(/\.?0+$/, '') : digits;
  return (rounded.s < BigInt(0) && units !== BigInt(0) ? '-' : '') + text;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The double nearest an exact value. With numerator and denominator below 2^53 one IEEE
 * division is correctly rounded; otherwise through the decimal text at `decimals` places.
 */
export function toNumber(value: Rational, decimals: number): number {
  if (value.n <= SAFE && value.d <= SAFE) {
    const quotient = Number(value.n) / Number(value.d);
    return value.s < BigInt(0) ? -quotient : quotient;
  }
  return Number(decimalText(value, decimals));
}

/** Plain text of an exact value for explanations: up to 4 decimals (the rest is shown with ≈ by the renderer). */
export function exactText(value: Rational): string {
  return decimalText(value, 12);
}

/**
 * points / max rounded to `decimals` places, as a number: on safe integers when the operands are
 * small (the usual case, thousands of times per run), on BigInt rationals otherwise. Both exact.
 */
export function indexValue(points: Rational, max: Rational, decimals: number, mode: ScoringPolicy['rounding']['mode']): number {
  const scale = 10 ** decimals;
  // |points / max| × scale = (pn × md × scale) / (pd × mn)
  const a = Number(points.n) * Number(max.d) * scale;
  const b = Number(points.d) * Number(max.n);
  const negative = (points.s < BigInt(0)) !== (max.s < BigInt(0)) && points.n !== BigInt(0);
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b) && b > 0) {
    let q = Math.floor(a / b);
    let r = a - q * b;
    // The float quotient may be one off near an integer: correct it on the exact remainder.
    if (r < 0) {
      q -= 1;
      r += b;
    } else if (r >= b) {
      q += 1;
      r -= b;
    }
    let up: boolean;
    switch (mode) {
      case 'half_up':
        up = 2 * r >= b;
        break;
      case 'half_even':
        up = 2 * r > b || (2 * r === b && q % 2 === 1);
        break;
      case 'down':
        up = false;
        break;
      case 'up':
        up = r > 0;
        break;
    }
    const units = up ? q + 1 : q;
    return (negative && units !== 0 ? -units : units) / scale;
  }
  return toNumber(roundRational(points.div(max), decimals, mode), decimals);
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
    r = rational(max);
    if (maxima.size < 10_000) maxima.set(max, r);
  }
  return r;
}

export type TotalsResult = { total: number; breakdown: TotalsBreakdown } | { problem: Problem };

export function computeTotals(level: CompiledLevel, structure: LevelStructure, criteria: readonly CriterionScore[], unit: string): TotalsResult {
  const policy = level.doc.scoring;
  const decimals = policy.rounding.decimals;
  const zero = new Fraction(0);
  let base = zero;
  let applicableMax = zero;
  let bonus = zero;
  let penalty = zero;
  const totalPoints = rational(level.doc.total_points);
  const groupPoints = new Map<string, Rational>();
  const groupMax = new Map<string, Rational>();
  const groupApplies = new Set<string>();
  /** Groups with some ordinary criterion that does not apply to this unit. */
  const groupPartial = new Set<string>();
  const scale = 10 ** decimals;
  const addToGroups = (chain: readonly CompiledGroup[], points: Rational, max: Rational) => {
    // Into its group, and weighted into every enclosing group.
    let p = points;
    let m = max;
    for (const g of chain) {
      groupPoints.set(g.id, (groupPoints.get(g.id) ?? zero).add(p));
      groupMax.set(g.id, (groupMax.get(g.id) ?? zero).add(m));
      groupApplies.add(g.id);
      if (g.weight.equals(1)) continue;
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
    const points = pointsRational(score.points!, decimals, scale);
    if (kind === 'ordinary') {
      const max = maxOf(score.maxPoints);
      base = base.add(place ? points.mul(place.weightRational) : points);
      applicableMax = applicableMax.add(place ? max.mul(place.weightRational) : max);
      addToGroups(place?.groupChain ?? [], points, max);
    } else if (kind === 'bonus') bonus = bonus.add(points);
    else if (kind === 'penalty') penalty = penalty.add(points);
  }

  if (applicableMax.equals(0)) {
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
  let applicable: TotalsBreakdown['applicable'] = { maxPoints: toNumber(applicableMax, 12), totalPoints: toNumber(totalPoints, 12), rule: 'all' };
  if (!everyOrdinaryApplies || !applicableMax.equals(totalPoints)) {
    if (rule === 'rescale' && !applicableMax.equals(totalPoints)) {
      const exact = base.mul(totalPoints).div(applicableMax);
      scaledBase = roundRational(exact, decimals, policy.rounding.mode);
      applicable = { ...applicable, rule: 'rescale', before: toNumber(base, 12), exact: exactText(exact) };
    } else applicable = { ...applicable, rule: 'none' };
  }

  const capped: NonNullable<TotalsBreakdown['capped']> = {};
  if (structure.totals.bonus_max !== undefined && bonus.gt(rational(structure.totals.bonus_max))) {
    capped.bonus = toNumber(bonus, 12);
    bonus = rational(structure.totals.bonus_max);
  }
  if (structure.totals.penalty_max !== undefined && penalty.gt(rational(structure.totals.penalty_max))) {
    capped.penalty = toNumber(penalty, 12);
    penalty = rational(structure.totals.penalty_max);
  }
  let total = scaledBase.add(bonus).sub(penalty);
  const floor = rational(structure.totals.floor);
  if (total.lt(floor)) {
    capped.floor = toNumber(total, 12);
    total = floor;
  }

  const indexDecimals = structure.totals.index_decimals;
  const indexOf = (points: Rational, max: Rational) => (indexDecimals !== undefined && !max.equals(0) ? indexValue(points, max, indexDecimals, policy.rounding.mode) : undefined);
  const groups: GroupScore[] = structure.groups.map((g) => {
    const head = { id: g.id, number: g.number, name: g.name, ...(g.parent !== undefined ? { parent: g.parent } : {}), depth: g.depth };
    if (g.infoOnly) return { ...head, status: 'info' as const, maxPoints: 0 };
    if (!groupApplies.has(g.id)) return { ...head, status: 'not_applicable' as const, maxPoints: 0 };
    const points = groupPoints.get(g.id)!;
    const computedMax = groupMax.get(g.id)!;
    // The declared maximum is the group's scale when all of it applies (and its children fill it); otherwise what applies.
    const max = g.declaredMax !== undefined && !groupPartial.has(g.id) ? rational(g.declaredMax) : computedMax;
    const index = indexOf(points, max);
    return { ...head, status: 'scored' as const, points: toNumber(points, 12), maxPoints: toNumber(max, 12), ...(index !== undefined ? { index } : {}) };
  });
  const index = indexOf(total, totalPoints);
  return {
    total: toNumber(total, 12),
    breakdown: {
      base: toNumber(scaledBase, 12),
      bonus: toNumber(bonus, 12),
      penalty: toNumber(penalty, 12),
      applicable,
      ...(Object.keys(capped).length ? { capped } : {}),
      groups,
      ...(index !== undefined ? { index } : {}),
    },
  };
}
