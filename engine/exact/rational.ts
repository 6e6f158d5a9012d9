/**
 * Exact rational numbers for everything a formula computes: 90/95×4 is
 * 72/19, not a 40-digit approximation, and a score on a rounding boundary
 * (3,25/30×6 = 0,65) is rounded on the boundary itself.
 *
 * Values are immutable and always in lowest terms with a positive
 * denominator. A JavaScript number enters through its shortest decimal text
 * (String(n)): the number a user typed as 95.55 is 1911/20. There is no
 * negative zero: −0 reads as 0.
 *
 * Representation: while numerator and denominator are safe integers (every
 * value a scoring formula meets in practice) they are kept as doubles and
 * combined with integer arithmetic that is checked to stay exact; beyond
 * that the value is a BigInt fraction (fraction.js 5). Every operation gives
 * the same exact result either way (test/rational.test.ts checks both
 * against a BigInt reference).
 */
import Fraction from 'fraction.js';

/** How a value is rounded to a number of decimals; `half_up` is what Vietnamese offices do by hand (9,85 → 9,9). */
export type RoundingMode = 'half_up' | 'half_even' | 'down' | 'up';

export const ROUNDING_MODES: readonly RoundingMode[] = ['half_up', 'half_even', 'down', 'up'];

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
/** Exponents beyond this are refused (a 1e999999 literal would allocate a huge BigInt). */
const MAX_EXPONENT = 400;

const bigPowers: bigint[] = [1n];
function pow10(k: number): bigint {
  while (bigPowers.length <= k) bigPowers.push(bigPowers[bigPowers.length - 1]! * 10n);
  return bigPowers[k]!;
}
/** 10^k as an exact double, k ≤ 15 (safe integers). */
const SMALL_POWERS = Array.from({ length: 16 }, (_, k) => 10 ** k);

const absBig = (n: bigint): bigint => (n < 0n ? -n : n);
const safe = Number.isSafeInteger;

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

export class Rational {
  /** Numerator and denominator as safe integers (small form), NaN when the value is only in `big`. */
  private readonly p: number;
  private readonly q: number;
  private readonly big: Fraction | undefined;

  private constructor(p: number, q: number, big: Fraction | undefined) {
    this.p = p;
    this.q = q;
    this.big = big;
  }

  /** p/q with safe integers, q > 0 (reduced here). */
  private static small(p: number, q: number): Rational {
    if (p === 0) return ZERO_VALUE ?? new Rational(0, 1, undefined);
    const g = gcd(p, q);
    return g === 1 ? new Rational(p, q, undefined) : new Rational(p / g, q / g, undefined);
  }

  /** From a fraction.js value: small form when it fits. */
  private static fromFraction(f: Fraction): Rational {
    const n = f.s < 0n ? -f.n : f.n;
    const limit = 9007199254740991n;
    if (absBig(n) <= limit && f.d <= limit) return Rational.small(Number(n), Number(f.d));
    return new Rational(NaN, NaN, f);
  }

  private get fraction(): Fraction {
    return this.big ?? new Fraction(BigInt(this.p), BigInt(this.q));
  }

  static readonly ZERO: Rational = new Rational(0, 1, undefined);
  static readonly ONE: Rational = new Rational(1, 1, undefined);
  static readonly HUNDRED: Rational = new Rational(100, 1, undefined);

  /** Numerator (with the sign) and denominator (> 0), in lowest terms. */
  get n(): bigint {
    return this.big ? (this.big.s < 0n ? -this.big.n : this.big.n) : BigInt(this.p);
  }

  get d(): bigint {
    return this.big ? this.big.d : BigInt(this.q);
  }

  /** n/d, reduced; d must not be 0. */
  static of(numerator: bigint, denominator = 1n): Rational {
    if (denominator === 0n) throw new RangeError('Rational: zero denominator');
    return Rational.fromFraction(new Fraction(numerator, denominator));
  }

  /** A JavaScript number, as its shortest decimal text (98.5 is 197/2, 0.1 is 1/10); only bugs pass a non-finite number. */
  static fromNumber(value: number): Rational {
    if (safe(value)) return value === 0 ? Rational.ZERO : new Rational(value, 1, undefined);
    if (Number.isFinite(value)) {
      // Plain decimal text of at most 14 digits: value × 10^k is then within far less than ½ of the integer the text shows.
      const text = String(value);
      const dot = text.indexOf('.');
      if (dot > 0 && !text.includes('e')) {
        const places = text.length - dot - 1;
        const digits = text.length - 1 - (value < 0 ? 1 : 0);
        if (digits <= 14) return Rational.small(Math.round(value * SMALL_POWERS[places]!), SMALL_POWERS[places]!);
      }
    }
    const parsed = Rational.parse(String(value));
    if (!parsed) throw new RangeError(`Rational.fromNumber: ${value} is not finite`);
    return parsed;
  }

  /** Decimal text: "95.5", "-3", "1e-7", "+2.50"; undefined for anything else. */
  static parse(text: string): Rational | undefined {
    const match = DECIMAL_TEXT.exec(text);
    if (!match) return undefined;
    const [, sign, whole, fraction = '', exponentText] = match;
    const exponent = exponentText === undefined ? 0 : Number(exponentText);
    if (!safe(exponent) || Math.abs(exponent) > MAX_EXPONENT) return undefined;
    const digits = (whole! + fraction).replace(/^0+(?=\d)/, '');
    const scale = exponent - fraction.length;
    const negative = sign === '-';
    if (digits.length <= 15 && scale <= 0 && scale >= -15) {
      const p = Number(digits);
      return Rational.small(negative ? -p : p, SMALL_POWERS[-scale]!);
    }
    let numerator = BigInt(digits);
    if (negative) numerator = -numerator;
    return scale >= 0 ? Rational.of(numerator * pow10(scale)) : Rational.of(numerator, pow10(-scale));
  }

  /** Rational, number, decimal text or BigInt (tests and constants). */
  static from(value: Rational | number | string | bigint): Rational {
    if (value instanceof Rational) return value;
    if (typeof value === 'bigint') return Rational.of(value);
    if (typeof value === 'number') return Rational.fromNumber(value);
    const parsed = Rational.parse(value);
    if (!parsed) throw new RangeError(`Rational.from: "${value}" is not decimal text`);
    return parsed;
  }

  add(other: Rational): Rational {
    if (!this.big && !other.big) {
      if (this.q === other.q) {
        const p = this.p + other.p;
        if (safe(p)) return Rational.small(p, this.q);
      } else {
        const x = this.p * other.q;
        const y = other.p * this.q;
        const q = this.q * other.q;
        const p = x + y;
        if (safe(x) && safe(y) && safe(q) && safe(p)) return Rational.small(p, q);
      }
    }
    return Rational.fromFraction(this.fraction.add(other.fraction));
  }

  sub(other: Rational): Rational {
    return this.add(other.neg());
  }

  mul(other: Rational): Rational {
    if (!this.big && !other.big) {
      const p = this.p * other.p;
      const q = this.q * other.q;
      if (safe(p) && safe(q)) return Rational.small(p, q);
    }
    return Rational.fromFraction(this.fraction.mul(other.fraction));
  }

  /** The quotient; the caller checks for a zero divisor (a data problem, reported), here it is a bug. */
  div(other: Rational): Rational {
    if (other.isZero()) throw new RangeError('Rational: division by zero');
    if (!this.big && !other.big) {
      const p = this.p * other.q;
      const q = this.q * other.p;
      if (safe(p) && safe(q)) return q < 0 ? Rational.small(-p, -q) : Rational.small(p, q);
    }
    return Rational.fromFraction(this.fraction.div(other.fraction));
  }

  neg(): Rational {
    if (this.isZero()) return this;
    return this.big ? new Rational(NaN, NaN, this.big.neg()) : new Rational(-this.p, this.q, undefined);
  }

  /** −1, 0 or 1. */
  compare(other: Rational): -1 | 0 | 1 {
    if (!this.big && !other.big) {
      if (this.q === other.q) return this.p < other.p ? -1 : this.p > other.p ? 1 : 0;
      const x = this.p * other.q;
      const y = other.p * this.q;
      if (safe(x) && safe(y)) return x < y ? -1 : x > y ? 1 : 0;
    }
    const left = this.n * other.d;
    const right = other.n * this.d;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  equals(other: Rational): boolean {
    if (!this.big && !other.big) return this.p === other.p && this.q === other.q;
    return this.n === other.n && this.d === other.d;
  }

  lt(other: Rational): boolean {
    return this.compare(other) < 0;
  }

  gt(other: Rational): boolean {
    return this.compare(other) > 0;
  }

  isZero(): boolean {
    return this.big ? this.big.n === 0n : this.p === 0;
  }

  isNegative(): boolean {
    return this.big ? this.big.s < 0n && this.big.n !== 0n : this.p < 0;
  }

  isInteger(): boolean {
    return this.big ? this.big.d === 1n : this.q === 1;
  }

  static min(first: Rational, ...rest: Rational[]): Rational {
    return rest.reduce((a, b) => (b.compare(a) < 0 ? b : a), first);
  }

  static max(first: Rational, ...rest: Rational[]): Rational {
    return rest.reduce((a, b) => (b.compare(a) > 0 ? b : a), first);
  }

  /**
   * Round to `decimals` places, deciding on the exact value: half_up rounds
   * a half away from zero (0,65 → 0,7; −0,65 → −0,7), half_even to the even
   * neighbour, down towards zero, up away from zero.
   */
  round(decimals: number, mode: RoundingMode): Rational {
    if (!this.big && decimals <= 15) {
      const scale = SMALL_POWERS[decimals]!;
      const scaled = Math.abs(this.p) * scale;
      if (safe(scaled)) {
        const remainder = scaled % this.q;
        let units = (scaled - remainder) / this.q;
        if (remainder !== 0 && roundsAway(remainder * 2, this.q, units % 2 === 1, mode)) units += 1;
        return Rational.small(this.p < 0 ? -units : units, scale);
      }
    }
    const scale = pow10(decimals);
    const n = this.n;
    const d = this.d;
    const scaled = absBig(n) * scale;
    const remainder = scaled % d;
    let units = scaled / d;
    if (remainder !== 0n) {
      const twice = remainder * 2n;
      const half = twice > d ? 1 : twice < d ? -1 : 0;
      if (roundsAwayBig(half, units % 2n === 1n, mode)) units += 1n;
    }
    return Rational.of(n < 0n ? -units : units, scale);
  }

  /** Does the decimal expansion end (the denominator has no prime factor but 2 and 5)? How many places then. */
  private terminatingPlaces(): number | undefined {
    if (!this.big) {
      let q = this.q;
      let twos = 0;
      let fives = 0;
      while (q % 2 === 0) {
        q /= 2;
        twos++;
      }
      while (q % 5 === 0) {
        q /= 5;
        fives++;
      }
      return q === 1 ? Math.max(twos, fives) : undefined;
    }
    let d = this.d;
    let twos = 0;
    let fives = 0;
    while (d % 2n === 0n) {
      d /= 2n;
      twos++;
    }
    while (d % 5n === 0n) {
      d /= 5n;
      fives++;
    }
    return d === 1n ? Math.max(twos, fives) : undefined;
  }

  isTerminating(): boolean {
    return this.terminatingPlaces() !== undefined;
  }

  /** Decimal text with exactly `decimals` places, rounded by `mode` (default half_up): 50/3 → "16.67". */
  toFixed(decimals: number, mode: RoundingMode = 'half_up'): string {
    const rounded = this.round(decimals, mode);
    if (!rounded.big && decimals <= 15) {
      // rounded.q divides 10^decimals
      const scaled = Math.abs(rounded.p) * (SMALL_POWERS[decimals]! / rounded.q);
      if (safe(scaled)) {
        const digits = String(scaled).padStart(decimals + 1, '0');
        const sign = rounded.p < 0 ? '-' : '';
        return decimals === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
      }
    }
    const scaled = rounded.n * (pow10(decimals) / rounded.d);
    const digits = absBig(scaled).toString().padStart(decimals + 1, '0');
    const sign = scaled < 0n ? '-' : '';
    return decimals === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  }

  /**
   * Decimal text, exact when the expansion ends within `maxDecimals` places
   * (no trailing zeros), else rounded half-even to that many places.
   */
  toDecimalText(maxDecimals = 20): string {
    const places = this.terminatingPlaces();
    if (places !== undefined && places <= maxDecimals) return this.toFixed(places);
    const text = this.toFixed(maxDecimals, 'half_even');
    const trimmed = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
    return trimmed === '-0' ? '0' : trimmed;
  }

  /** Exact text: "72/19", "3", "-1/2". */
  toFraction(): string {
    return this.big ? `${this.n}/${this.d}`.replace(/\/1$/, '') : this.q === 1 ? String(this.p) : `${this.p}/${this.q}`;
  }

  /** Exact text: decimal when it ends within 20 places, else the fraction ("0.65", "72/19"). */
  toString(): string {
    if (!this.big && this.q === 1) return String(this.p);
    const places = this.terminatingPlaces();
    return places !== undefined && places <= 20 ? this.toFixed(places) : this.toFraction();
  }

  /** The nearest double: correctly rounded for safe integers (IEEE division); else from 21 significant digits. */
  toNumber(): number {
    if (!this.big) return this.p / this.q;
    const n = absBig(this.n);
    if (n === 0n) return 0;
    const shift = 21 - (n.toString().length - this.d.toString().length);
    const scaled = shift >= 0 ? (n * pow10(shift)) / this.d : n / (this.d * pow10(-shift));
    const value = Number(`${scaled}e${-shift}`);
    return this.n < 0n ? -value : value;
  }

  toJSON(): string {
    return this.toString();
  }
}

const ZERO_VALUE: Rational | undefined = Rational.ZERO;

/** Small-form rounding decision: `twice` is twice the remainder, compared with the denominator. */
function roundsAway(twice: number, denominator: number, odd: boolean, mode: RoundingMode): boolean {
  return roundsAwayBig(twice > denominator ? 1 : twice < denominator ? -1 : 0, odd, mode);
}

/** `half`: the remainder is above (1), below (−1) or at (0) one half. */
function roundsAwayBig(half: number, odd: boolean, mode: RoundingMode): boolean {
  switch (mode) {
    case 'up':
      return true;
    case 'down':
      return false;
    case 'half_up':
      return half >= 0;
    case 'half_even':
      return half > 0 || (half === 0 && odd);
  }
}

export function isRational(value: unknown): value is Rational {
  return value instanceof Rational;
}
