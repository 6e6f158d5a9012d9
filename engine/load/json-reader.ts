/**
 * A small JSON reader for untrusted submissions, used for whole texts and
 * for the streaming reader alike. Unlike JSON.parse it
 *  - bounds depth before it recurses and string length before it slices,
 *  - refuses duplicate keys (the YAML reader does too; last-wins hides data),
 *  - says where a problem is (an offset; the caller turns it into line:column),
 *  - tells "the text ends in the middle of a value" apart from a syntax error,
 *    so that a stream can wait for the next chunk.
 * Objects are plain objects with own data properties only, as JSON.parse
 * makes them: a "__proto__" key becomes an own property (never the
 * prototype), and nothing is read through a prototype.
 */
import type { Localized } from '../problems.js';

export interface JsonReadLimits {
  /** Nesting of objects and arrays, counted from the value read (its own brackets are level 1). */
  maxDepth: number;
  /** Characters in any string value (before unescaping) and in any number. */
  maxStringLength: number;
  /** Characters in an object key. */
  maxKeyLength: number;
}

export type JsonFailureKind = 'syntax' | 'incomplete' | 'duplicate-key' | 'too-deep' | 'too-long';

/** Why a value could not be read, and where (an offset into the text). Not an Error: no stack is ever built for a user's input. */
export class JsonFailure {
  constructor(
    readonly kind: JsonFailureKind,
    readonly offset: number,
    readonly detail: Localized,
    /** For duplicate keys: the key. */
    readonly key?: string,
  ) {}
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function isJsonSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function describeChar(text: string, pos: number): string {
  if (pos >= text.length) return 'EOF';
  const c = text.codePointAt(pos)!;
  return c < 0x20 || c === 0x7f ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(String.fromCodePoint(c));
}

const ESCAPES: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };

/**
 * Reads one value at a time from `text`. `final` says the text is complete;
 * when false, running out of text throws an 'incomplete' failure instead of
 * a syntax error.
 */
export class JsonValueReader {
  private text = '';
  private pos = 0;
  private depth = 0;
  private final = true;

  constructor(private readonly limits: JsonReadLimits) {}

  /** Read the value starting at `start` (after optional whitespace); throws JsonFailure. */
  read(text: string, start: number, final: boolean): { value: unknown; end: number } {
    this.text = text;
    this.pos = start;
    this.depth = 0;
    this.final = final;
    this.skipSpace();
    const value = this.value();
    return { value, end: this.pos };
  }

  /**
   * The same as read(), faster on well-formed text: one iterative pass finds
   * the value's end and checks depth and string lengths, then the native
   * JSON.parse builds the value, and a count of keys (every key is followed
   * by the only colons outside strings) shows whether a key was repeated.
   * Anything unusual is read again by read(), which says what and where.
   */
  readFast(text: string, start: number, final: boolean): { value: unknown; end: number } {
    const limits = this.limits;
    const stringLimit = Math.max(limits.maxStringLength, limits.maxKeyLength);
    let pos = start;
    while (pos < text.length && isJsonSpace(text.charCodeAt(pos))) pos++;
    const from = pos;
    let depth = 0;
    let colons = 0;
    let end = -1;
    scan: while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        const open = pos++;
        for (;;) {
          if (pos >= text.length) break scan;
          const d = text.charCodeAt(pos);
          if (d === QUOTE) break;
          if (d === BACKSLASH) pos++;
          else if (d < 0x20) return this.read(text, start, final);
          pos++;
        }
        if (pos - open > stringLimit + 1) return this.read(text, start, final);
        pos++;
        if (depth === 0) {
          end = pos;
          break;
        }
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        if (++depth > limits.maxDepth) return this.read(text, start, final);
      } else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) {
          end = pos + 1;
          break;
        }
        if (depth < 0) return this.read(text, start, final);
      } else if (c === 0x3a) colons++;
      else if (depth === 0 && (c === 0x2c || isJsonSpace(c))) {
        end = pos;
        break;
      }
      pos++;
    }
    // A scalar at the very end of the text: complete only if the text is.
    if (end === -1) {
      if (!final || depth > 0 || pos === from) return this.read(text, start, final);
      end = pos;
    }
    let value: unknown;
    try {
      value = JSON.parse(text.slice(from, end));
    } catch {
      return this.read(text, start, final);
    }
    if (countKeys(value, limits.maxKeyLength) !== colons) return this.read(text, start, final);
    return { value, end };
  }

  /** Read a string token at `start` (which must be a quote), bounded like a key. */
  readKey(text: string, start: number, final: boolean): { key: string; end: number } {
    this.text = text;
    this.pos = start;
    this.final = final;
    const key = this.string(this.limits.maxKeyLength, 'key');
    return { key, end: this.pos };
  }

  private fail(kind: JsonFailureKind, offset: number, vi: string, en: string, key?: string): never {
    throw new JsonFailure(kind, offset, { vi, en }, key);
  }

  private end(): never {
    if (!this.final) throw new JsonFailure('incomplete', this.pos, { vi: 'chưa hết giá trị', en: 'value not complete' });
    return this.fail('syntax', this.pos, 'tệp kết thúc giữa chừng (thiếu dấu đóng ngoặc hoặc dấu ngoặc kép?)', 'the text ends in the middle of a value (a missing bracket or quote?)');
  }

  private unexpected(what: string, whatEn: string): never {
    if (this.pos >= this.text.length) this.end();
    const c = describeChar(this.text, this.pos);
    return this.fail('syntax', this.pos, `gặp ${c}, cần ${what}`, `found ${c}, expected ${whatEn}`);
  }

  private skipSpace(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length && isJsonSpace(text.charCodeAt(pos))) pos++;
    this.pos = pos;
  }

  private value(): unknown {
    const text = this.text;
    if (this.pos >= text.length) this.end();
    const c = text.charCodeAt(this.pos);
    if (c === QUOTE) return this.string(this.limits.maxStringLength, 'string');
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6e) return this.literal('null', null);
    return this.unexpected('một giá trị JSON (số, chuỗi trong ngoặc kép, true, false, null, {…} hoặc […])', 'a JSON value (number, "string", true, false, null, {…} or […])');
  }

  private literal(word: string, value: unknown): unknown {
    const text = this.text;
    for (let i = 0; i < word.length; i++) {
      if (this.pos + i >= text.length) this.end();
      if (text.charCodeAt(this.pos + i) !== word.charCodeAt(i)) {
        this.pos += i;
        this.unexpected(`"${word}"`, `"${word}"`);
      }
    }
    this.pos += word.length;
    return value;
  }

  private digits(): number {
    const text = this.text;
    const start = this.pos;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c < 0x30 || c > 0x39) break;
      this.pos++;
    }
    if (this.pos - start > this.limits.maxStringLength) this.fail('too-long', start, `số quá dài (quá ${this.limits.maxStringLength} ký tự)`, `number too long (over ${this.limits.maxStringLength} characters)`);
    if (this.pos >= text.length && !this.final) this.end();
    if (this.pos === start) this.unexpected('một chữ số', 'a digit');
    return this.pos - start;
  }

  private number(): number {
    const text = this.text;
    const start = this.pos;
    if (text.charCodeAt(this.pos) === 0x2d) this.pos++;
    if (this.pos >= text.length) this.end();
    if (text.charCodeAt(this.pos) === 0x30) {
      this.pos++;
      if (this.pos >= text.length && !this.final) this.end();
    } else this.digits();
    if (this.pos < text.length && text.charCodeAt(this.pos) === 0x2e) {
      this.pos++;
      this.digits();
    }
    if (this.pos < text.length && (text.charCodeAt(this.pos) | 0x20) === 0x65) {
      this.pos++;
      if (this.pos >= text.length) this.end();
      const sign = text.charCodeAt(this.pos);
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      this.digits();
    }
    if (this.pos - start > this.limits.maxStringLength) this.fail('too-long', start, `số quá dài (quá ${this.limits.maxStringLength} ký tự)`, `number too long (over ${this.limits.maxStringLength} characters)`);
    return Number(text.slice(start, this.pos));
  }

  private string(limit: number, what: 'string' | 'key'): string {
    const text = this.text;
    const open = this.pos;
    if (text.charCodeAt(open) !== QUOTE) this.unexpected('dấu ngoặc kép " mở đầu một khóa', 'a quote " starting a key');
    let pos = open + 1;
    let chunkStart = pos;
    let out: string | undefined;
    for (;;) {
      if (pos >= text.length) {
        this.pos = pos;
        this.end();
      }
      if (pos - open > limit + 1) {
        const vi = what === 'key' ? `khóa quá dài (quá ${limit} ký tự)` : `chuỗi quá dài (quá ${limit} ký tự)`;
        const en = what === 'key' ? `key too long (over ${limit} characters)` : `string too long (over ${limit} characters)`;
        this.fail('too-long', open, vi, en);
      }
      const c = text.charCodeAt(pos);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        out = (out ?? '') + text.slice(chunkStart, pos);
        if (pos + 1 >= text.length) {
          this.pos = pos + 1;
          this.end();
        }
        const e = text.charCodeAt(pos + 1);
        if (e === 0x75) {
          if (pos + 5 >= text.length) {
            this.pos = text.length;
            this.end();
          }
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.pos = pos;
            this.fail('syntax', pos, 'mã \\u phải có 4 chữ số hệ 16', 'a \\u escape needs 4 hex digits');
          }
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else {
          const replacement = ESCAPES[e];
          if (replacement === undefined) {
            this.pos = pos;
            this.fail('syntax', pos, `ký tự thoát không hợp lệ "\\${text[pos + 1]}"`, `invalid escape "\\${text[pos + 1]}"`);
          }
          out += replacement;
          pos += 2;
        }
        chunkStart = pos;
        continue;
      }
      if (c < 0x20) {
        this.pos = pos;
        this.fail('syntax', pos, `ký tự điều khiển ${describeChar(text, pos)} trong chuỗi (xuống dòng trong chuỗi phải viết \\n)`, `control character ${describeChar(text, pos)} inside a string (write a line break as \\n)`);
      }
      pos++;
    }
    this.pos = pos + 1;
    const tail = text.slice(chunkStart, pos);
    return out === undefined ? tail : out + tail;
  }

  private enter(offset: number): void {
    if (++this.depth > this.limits.maxDepth) {
      this.fail('too-deep', offset, `lồng quá sâu (quá ${this.limits.maxDepth} tầng khối/danh sách)`, `nested too deep (over ${this.limits.maxDepth} levels of objects/arrays)`);
    }
  }

  private object(): Record<string, unknown> {
    const text = this.text;
    this.enter(this.pos);
    this.pos++;
    const object: Record<string, unknown> = {};
    this.skipSpace();
    if (this.pos >= text.length) this.end();
    if (text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      this.depth--;
      return object;
    }
    for (;;) {
      this.skipSpace();
      if (this.pos >= text.length) this.end();
      const keyAt = this.pos;
      const key = this.string(this.limits.maxKeyLength, 'key');
      // Most keys are new: the own-property check runs only when a value (own or inherited) is there.
      if (object[key] !== undefined && Object.prototype.hasOwnProperty.call(object, key)) {
        this.fail('duplicate-key', keyAt, `khóa "${key}" xuất hiện hai lần trong cùng một khối`, `key "${key}" appears twice in the same object`, key);
      }
      this.skipSpace();
      if (this.pos >= text.length) this.end();
      if (text.charCodeAt(this.pos) !== 0x3a) this.unexpected('dấu hai chấm ":" sau khóa', 'a colon ":" after the key');
      this.pos++;
      this.skipSpace();
      const value = this.value();
      // An own data property, as JSON.parse makes it; assigning "__proto__" would set the prototype.
      if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
      else object[key] = value;
      this.skipSpace();
      if (this.pos >= text.length) this.end();
      const c = text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        this.depth--;
        return object;
      }
      this.unexpected('dấu phẩy "," hoặc dấu đóng "}"', 'a comma "," or a closing "}"');
    }
  }

  private array(): unknown[] {
    const text = this.text;
    this.enter(this.pos);
    this.pos++;
    const array: unknown[] = [];
    this.skipSpace();
    if (this.pos >= text.length) this.end();
    if (text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      this.depth--;
      return array;
    }
    for (;;) {
      this.skipSpace();
      array.push(this.value());
      this.skipSpace();
      if (this.pos >= text.length) this.end();
      const c = text.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        this.depth--;
        return array;
      }
      this.unexpected('dấu phẩy "," hoặc dấu đóng "]"', 'a comma "," or a closing "]"');
    }
  }
}

/** Keys in a parsed value (depth already bounded); -1 when a key is too long (read() then reports it). */
export function countKeys(value: unknown, maxKeyLength: number): number {
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const k = countKeys(item, maxKeyLength);
      if (k < 0) return -1;
      n += k;
    }
    return n;
  }
  for (const key of Object.keys(value)) {
    if (key.length > maxKeyLength) return -1;
    const k = countKeys((value as Record<string, unknown>)[key], maxKeyLength);
    if (k < 0) return -1;
    n += k + 1;
  }
  return n;
}

/**
 * Find where the value at `start` ends without building it and without
 * recursing (any depth): used to step over an entry that broke a limit so
 * the entries after it are still read. Throws 'incomplete' or 'syntax'.
 */
export function skipJsonValue(text: string, start: number, final: boolean): number {
  const closers: number[] = [];
  let pos = start;
  while (pos < text.length && isJsonSpace(text.charCodeAt(pos))) pos++;
  const incomplete = (): never => {
    if (!final) throw new JsonFailure('incomplete', pos, { vi: 'chưa hết giá trị', en: 'value not complete' });
    throw new JsonFailure('syntax', pos, { vi: 'tệp kết thúc giữa chừng (thiếu dấu đóng ngoặc hoặc dấu ngoặc kép?)', en: 'the text ends in the middle of a value (a missing bracket or quote?)' });
  };
  for (;;) {
    if (pos >= text.length) incomplete();
    const c = text.charCodeAt(pos);
    if (c === QUOTE) {
      pos++;
      for (;;) {
        if (pos >= text.length) incomplete();
        const s = text.charCodeAt(pos);
        if (s === BACKSLASH) pos += 2;
        else if (s === QUOTE) break;
        else pos++;
      }
      pos++;
    } else if (c === 0x7b || c === 0x5b) {
      closers.push(c === 0x7b ? 0x7d : 0x5d);
      pos++;
    } else if (c === 0x7d || c === 0x5d) {
      if (closers.pop() !== c) throw new JsonFailure('syntax', pos, { vi: `dấu đóng ${describeChar(text, pos)} không khớp`, en: `unmatched ${describeChar(text, pos)}` });
      pos++;
    } else if (closers.length === 0 && (c === 0x2c || isJsonSpace(c))) {
      return pos;
    } else pos++;
    if (closers.length === 0) {
      // A scalar ends at a delimiter; a container just closed.
      if (c === 0x7d || c === 0x5d || c === QUOTE) return pos;
      while (pos < text.length) {
        const d = text.charCodeAt(pos);
        if (d === 0x2c || d === 0x5d || d === 0x7d || isJsonSpace(d)) return pos;
        pos++;
      }
      if (final) return pos;
      incomplete();
    }
  }
}

/**
 * Where the value at `path` is inside the JSON value that starts at `start`
 * (a submission's own text): the deepest part of the path that exists. Reads
 * only along the path, skipping the rest, so it costs the size of one entry.
 */
export function locateJsonPath(text: string, start: number, path: readonly (string | number)[], limits: JsonReadLimits): { start: number; end: number } {
  const reader = new JsonValueReader(limits);
  let pos = start;
  while (pos < text.length && isJsonSpace(text.charCodeAt(pos))) pos++;
  let found = { start: pos, end: safeSkip(text, pos) };
  for (const step of path) {
    const c = text.charCodeAt(pos);
    let next: number | undefined;
    try {
      if (c === 0x7b && typeof step === 'string') {
        let p = pos + 1;
        for (;;) {
          while (p < text.length && isJsonSpace(text.charCodeAt(p))) p++;
          if (text.charCodeAt(p) !== QUOTE) break;
          const { key, end } = reader.readKey(text, p, true);
          p = end;
          while (p < text.length && isJsonSpace(text.charCodeAt(p))) p++;
          if (text.charCodeAt(p) !== 0x3a) break;
          p++;
          while (p < text.length && isJsonSpace(text.charCodeAt(p))) p++;
          if (key === step) {
            next = p;
            break;
          }
          p = skipJsonValue(text, p, true);
          while (p < text.length && isJsonSpace(text.charCodeAt(p))) p++;
          if (text.charCodeAt(p) !== 0x2c) break;
          p++;
        }
      } else if (c === 0x5b && typeof step === 'number') {
        let p = pos + 1;
        for (let i = 0; ; i++) {
          while (p < text.length && isJsonSpace(text.charCodeAt(p))) p++;
          if (text.charCodeAt(p) === 0x5d) break;
          if (i === step) {
            next = p;
            break;
          }
          p = skipJsonValue(text, p, true);
          while (p < text.length && isJsonSpace(text.charCodeAt(p))) p++;
          if (text.charCodeAt(p) !== 0x2c) break;
          p++;
        }
      }
    } catch (err) {
      if (!(err instanceof JsonFailure)) throw err;
    }
    if (next === undefined) break;
    pos = next;
    found = { start: pos, end: safeSkip(text, pos) };
  }
  return found;
}

function safeSkip(text: string, pos: number): number {
  try {
    return skipJsonValue(text, pos, true);
  } catch {
    return pos + 1;
  }
}

/** Counts lines as a text is read front to back, so each position costs only the text since the last one. */
export class LineCounter {
  private line = 1;
  private lineStart = 0;
  private scanned = 0;

  /** Line and column (1-based) of `offset`, which must not be before the previous offset asked for. `text` holds the document from `base` on. */
  at(text: string, base: number, offset: number): { line: number; column: number } {
    let from = Math.max(this.scanned, base);
    for (;;) {
      const nl = text.indexOf('\n', from - base);
      if (nl === -1 || nl + base >= offset) break;
      this.line++;
      this.lineStart = nl + base + 1;
      from = this.lineStart;
    }
    this.scanned = Math.max(this.scanned, offset);
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}

/** Line and column of `offset` inside `text`, given the line and column where `text` starts. */
export function positionWithin(text: string, offset: number, startLine: number, startColumn: number): { line: number; column: number } {
  let line = startLine;
  let lineStart = -1;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl;
  }
  return lineStart === -1 ? { line, column: startColumn + offset } : { line, column: offset - lineStart };
}
