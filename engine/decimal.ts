import { Decimal as DecimalJs } from 'decimal.js';

/**
 * tieuchi's own Decimal class. A clone, so that a host application that
 * configures the global decimal.js (precision, rounding) cannot change how
 * awards are computed, and we cannot change theirs.
 *
 * 40 significant digits keep non-terminating quotients (90/95) far beyond
 * the one decimal that scores are rounded to.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

/**
 * A JavaScript number to an exact Decimal of what the user wrote: 98.5 stays
 * 98.5, 95.55 stays 95.55 (String() gives the shortest form that reads back
 * to the same double, which is the decimal the user typed).
 */
export function toDecimal(value: number | string): Decimal {
  return new Decimal(typeof value === 'number' ? String(value) : value);
}

/** How a score is rounded; `half_up` is what Vietnamese offices do by hand (9,85 → 9,9). */
export type RoundingMode = 'half_up' | 'half_even' | 'down' | 'up';

const MODES: Record<RoundingMode, DecimalJs.Rounding> = {
  half_up: DecimalJs.ROUND_HALF_UP,
  half_even: DecimalJs.ROUND_HALF_EVEN,
  down: DecimalJs.ROUND_DOWN,
  up: DecimalJs.ROUND_UP,
};

export function roundDecimal(value: Decimal, decimals: number, mode: RoundingMode): Decimal {
  return value.toDecimalPlaces(decimals, MODES[mode]);
}
