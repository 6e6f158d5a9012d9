/**
 * bulk (issue 9): a byte-level reader for the common shape of one entry of a
 * submissions list — {"id", "name", "level", "inputs": {criterion: {input:
 * value}}} with the criteria and their inputs in declared order — that takes
 * each reported value straight from the bytes, without decoding the entry's
 * text or building the parsed object (V8's JSON.parse of an 880-byte entry
 * and the key checks after it were half of a bulk run's time).
 *
 * It is only a shortcut: it accepts an entry only when reading it the usual
 * way (json-entries.ts, then the envelope checks of submissions.ts) would
 * give the same submission with the same values and no problem, and answers
 * false for anything else — escapes in strings, other keys or key orders, a
 * key repeated, a value of another shape, an id or name the envelope check
 * would question, an unknown level. The caller then reads the entry the
 * usual way, which finds and words every problem exactly as before. The
 * caller also passes only entries the splitter found within the reader's
 * bounds (depth, string and key lengths: json-split.ts's "plain").
 *
 * Values are what JSON.parse gives: numbers by the same correctly rounded
 * conversion (an integer of at most 2^53 divided by a power of ten of at most
 * 10^22 is exact in both operands, so one IEEE division rounds it correctly;
 * anything else goes through Number() of its text), strings decoded from
 * UTF-8, small objects (a ratio's {achieved, total}) as plain objects.
 */

/** One level's expected keys, as bytes: its id, its criteria in declared order and each one's inputs. */
export interface DirectLevelPlan {
  id: Uint8Array;
  criteria: { key: Uint8Array; inputs: Uint8Array[] }[];
  /** false: entries of this level are always read the usual way (the caller's choice, e.g. a structured level). */
  enabled: boolean;
}

/** The bytes of a key as it is written between quotes (ids are ASCII by their patterns). */
export function keyBytes(key: string): Uint8Array {
  return Buffer.from(key, 'utf8');
}

const FAIL = Symbol('direct-read-fail');

const ENVELOPE = [keyBytes('id'), keyBytes('name'), keyBytes('level'), keyBytes('inputs')] as const;
const ALL_ENVELOPE_KEYS = 0b1111;

/** 1 for ASCII letters and digits, 2 for "." "_" "-": a unit id's characters (submissions.ts ID_PATTERN, its ASCII part). */
const ID_BYTE = new Uint8Array(128);
for (let b = 0x30; b <= 0x39; b++) ID_BYTE[b] = 1;
for (let b = 0x41; b <= 0x5a; b++) ID_BYTE[b] = 1;
for (let b = 0x61; b <= 0x7a; b++) ID_BYTE[b] = 1;
ID_BYTE[0x2e] = 2;
ID_BYTE[0x5f] = 2;
ID_BYTE[0x2d] = 2;

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

export class DirectEntryReader {
  /** The last entry read: its level (index in the plans), id, name (trimmed, as the envelope check keeps it). */
  level = -1;
  id = '';
  name = '';
  /** The entry's length in UTF-16 characters (what the usual reader's text length would be). */
  chars = 0;
  /** The reported values, every input of every criterion of the level in declared order. */
  readonly values: unknown[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private p = 0;
  /** Bytes beyond one UTF-16 unit per character in the strings read so far. */
  private extra = 0;

  constructor(
    private readonly levels: readonly DirectLevelPlan[],
    private readonly maxNameLength: number,
  ) {}

  /** Read the entry at bytes [start, end) of `buf` (its `{` to its `}`); false: read it the usual way. */
  read(buf: Buffer, start: number, end: number): boolean {
    this.buf = buf;
    this.p = start;
    this.extra = 0;
    if (buf[start] !== 0x7b) return false;
    this.p++;
    let seen = 0;
    let level = -1;
    let id: string | undefined;
    let name: string | undefined;
    for (;;) {
      this.space();
      if (buf[this.p] !== 0x22) return false;
      let key = -1;
      for (let k = 0; k < 4; k++) {
        if (this.key(ENVELOPE[k]!)) {
          key = k;
          break;
        }
      }
      if (key < 0 || seen & (1 << key)) return false;
      seen |= 1 << key;
      this.space();
      if (buf[this.p] !== 0x3a) return false;
      this.p++;
      this.space();
      if (key === 0) {
        if (buf[this.p] !== 0x22) return false;
        const from = this.p + 1;
        const text = this.string();
        if (text === undefined || !isAsciiId(buf, from, this.p - 1)) return false;
        id = text;
      } else if (key === 1) {
        if (buf[this.p] !== 0x22) return false;
        const text = this.string();
        if (text === undefined) return false;
        name = text;
      } else if (key === 2) {
        if (buf[this.p] !== 0x22) return false;
        for (let l = 0; l < this.levels.length; l++) {
          if (this.key(this.levels[l]!.id)) {
            level = l;
            break;
          }
        }
        if (level < 0 || !this.levels[level]!.enabled) return false;
      } else {
        // The inputs are matched against the level's criteria: the level must come first (it does in the usual shape).
        if (level < 0 || !this.inputs(this.levels[level]!)) return false;
      }
      this.space();
      const c = buf[this.p];
      this.p++;
      if (c === 0x7d) break;
      if (c !== 0x2c) return false;
    }
    if (this.p !== end || seen !== ALL_ENVELOPE_KEYS) return false;
    // The envelope's checks (submissions.ts envelopeOf): a name within its bound and not blank, kept trimmed.
    if (name!.length > this.maxNameLength) return false;
    const trimmed = name!.trim();
    if (trimmed === '') return false;
    this.level = level;
    this.id = id!;
    this.name = trimmed;
    this.chars = end - start - this.extra;
    return true;
  }

  private space(): void {
    const buf = this.buf;
    let p = this.p;
    for (;;) {
      const b = buf[p];
      if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) p++;
      else break;
    }
    this.p = p;
  }

  /** At a `"`: the key is exactly `expected` (moves past its closing quote), or nothing moves. */
  private key(expected: Uint8Array): boolean {
    const buf = this.buf;
    const from = this.p + 1;
    const n = expected.length;
    for (let i = 0; i < n; i++) if (buf[from + i] !== expected[i]) return false;
    if (buf[from + n] !== 0x22) return false;
    this.p = from + n + 1;
    return true;
  }

  /** At a `"`: the string without escapes or control characters (undefined for any other). */
  private string(): string | undefined {
    const buf = this.buf;
    const from = this.p + 1;
    let p = from;
    let high = false;
    for (;;) {
      const b = buf[p];
      if (b === undefined) return undefined;
      if (b === 0x22) break;
      if (b === 0x5c || b < 0x20) return undefined;
      if (b >= 0x80) high = true;
      p++;
    }
    this.p = p + 1;
    if (!high) return buf.toString('latin1', from, p);
    const text = buf.toString('utf8', from, p);
    this.extra += p - from - text.length;
    return text;
  }

  /** The inputs block, every criterion of the level and every input of each, in declared order. */
  private inputs(level: DirectLevelPlan): boolean {
    const buf = this.buf;
    const values = this.values;
    let v = 0;
    if (buf[this.p] !== 0x7b) return false;
    this.p++;
    const criteria = level.criteria;
    for (let c = 0; c < criteria.length; c++) {
      const criterion = criteria[c]!;
      this.space();
      if (c > 0) {
        if (buf[this.p] !== 0x2c) return false;
        this.p++;
        this.space();
      }
      if (buf[this.p] !== 0x22 || !this.key(criterion.key)) return false;
      this.space();
      if (buf[this.p] !== 0x3a) return false;
      this.p++;
      this.space();
      if (buf[this.p] !== 0x7b) return false;
      this.p++;
      const inputs = criterion.inputs;
      for (let i = 0; i < inputs.length; i++) {
        this.space();
        if (i > 0) {
          if (buf[this.p] !== 0x2c) return false;
          this.p++;
          this.space();
        }
        if (buf[this.p] !== 0x22 || !this.key(inputs[i]!)) return false;
        this.space();
        if (buf[this.p] !== 0x3a) return false;
        this.p++;
        this.space();
        const value = this.value(true);
        if (value === FAIL) return false;
        values[v++] = value;
      }
      this.space();
      if (buf[this.p] !== 0x7d) return false;
      this.p++;
    }
    this.space();
    if (buf[this.p] !== 0x7d) return false;
    this.p++;
    return true;
  }

  /** A scalar, or (when `nested`) a small object of scalars. */
  private value(nested: boolean): unknown {
    const buf = this.buf;
    const b = buf[this.p];
    if (b === 0x22) return this.string() ?? FAIL;
    if (b === 0x2d || (b !== undefined && b >= 0x30 && b <= 0x39)) return this.number();
    if (b === 0x74) return this.word(TRUE, true);
    if (b === 0x66) return this.word(FALSE, false);
    if (b === 0x6e) return this.word(NULL, null);
    if (b === 0x7b && nested) return this.object();
    return FAIL;
  }

  private word(bytes: Uint8Array, value: boolean | null): unknown {
    const buf = this.buf;
    const p = this.p;
    for (let i = 0; i < bytes.length; i++) if (buf[p + i] !== bytes[i]) return FAIL;
    this.p = p + bytes.length;
    return value;
  }

  /** A JSON number, strictly by its grammar. */
  private number(): unknown {
    const buf = this.buf;
    const from = this.p;
    let p = from;
    const negative = buf[p] === 0x2d;
    if (negative) p++;
    let b = buf[p];
    if (b === undefined || b < 0x30 || b > 0x39) return FAIL;
    let mantissa = 0;
    let exact = true;
    if (b === 0x30) {
      p++;
      b = buf[p];
      if (b !== undefined && b >= 0x30 && b <= 0x39) return FAIL; // a leading zero
    } else {
      while (b !== undefined && b >= 0x30 && b <= 0x39) {
        mantissa = mantissa * 10 + (b - 0x30);
        p++;
        b = buf[p];
      }
    }
    let decimals = 0;
    if (b === 0x2e) {
      p++;
      b = buf[p];
      if (b === undefined || b < 0x30 || b > 0x39) return FAIL;
      while (b !== undefined && b >= 0x30 && b <= 0x39) {
        mantissa = mantissa * 10 + (b - 0x30);
        decimals++;
        p++;
        b = buf[p];
      }
    }
    if (b === 0x65 || b === 0x45) {
      exact = false;
      p++;
      b = buf[p];
      if (b === 0x2b || b === 0x2d) {
        p++;
        b = buf[p];
      }
      if (b === undefined || b < 0x30 || b > 0x39) return FAIL;
      while (b !== undefined && b >= 0x30 && b <= 0x39) {
        p++;
        b = buf[p];
      }
    }
    this.p = p;
    // Every step of the accumulation stayed an exact integer while below 2^53.
    if (exact && mantissa <= Number.MAX_SAFE_INTEGER && decimals <= 22) {
      const magnitude = decimals === 0 ? mantissa : mantissa / POWERS_OF_TEN[decimals]!;
      return negative ? -magnitude : magnitude;
    }
    return Number(buf.toString('latin1', from, p));
  }

  /** A small object of scalars (a ratio's {achieved, total}): keys without escapes, none repeated, no "__proto__". */
  private object(): unknown {
    const buf = this.buf;
    this.p++;
    const object: Record<string, unknown> = {};
    this.space();
    if (buf[this.p] === 0x7d) {
      this.p++;
      return object;
    }
    for (;;) {
      this.space();
      if (buf[this.p] !== 0x22) return FAIL;
      const key = this.string();
      if (key === undefined || key === '__proto__' || Object.prototype.hasOwnProperty.call(object, key)) return FAIL;
      this.space();
      if (buf[this.p] !== 0x3a) return FAIL;
      this.p++;
      this.space();
      const value = this.value(false);
      if (value === FAIL) return FAIL;
      object[key] = value;
      this.space();
      const c = buf[this.p];
      this.p++;
      if (c === 0x7d) return object;
      if (c !== 0x2c) return FAIL;
    }
  }
}

const TRUE = keyBytes('true');
const FALSE = keyBytes('false');
const NULL = keyBytes('null');

/** An id the envelope check accepts, when it is ASCII (an id with other letters is left to that check). */
function isAsciiId(buf: Uint8Array, from: number, to: number): boolean {
  const n = to - from;
  if (n < 1 || n > 100) return false;
  const first = buf[from]!;
  if (first >= 0x80 || ID_BYTE[first] !== 1) return false;
  for (let p = from + 1; p < to; p++) {
    const b = buf[p]!;
    if (b >= 0x80 || ID_BYTE[b] === 0) return false;
  }
  return true;
}
