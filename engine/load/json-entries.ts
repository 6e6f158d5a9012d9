/**
 * The entries of a submissions file, one at a time, from text that arrives
 * in chunks (a file stream) or at once (a text in memory). The file is a
 * top-level array, {"submissions": [...]}, or one submission. Each entry is
 * read with the bounded reader (json-reader.ts) and handed over with its
 * position; the file is never held whole, so a file larger than V8's
 * longest string is read like a small one.
 *
 * A broken limit or a duplicate key inside one entry fails that entry
 * only (the reader steps over it); a syntax error ends the file (what
 * follows cannot be trusted).
 */
import { JsonFailure, JsonValueReader, LineCounter, countKeys, isJsonSpace, locateJsonPath, positionWithin, skipJsonValue, type JsonFailureKind, type JsonReadLimits } from './json-reader.js';
import type { Localized } from '../problems.js';

export interface JsonEntryLimits extends JsonReadLimits {
  /** Characters in one entry's text. */
  maxEntryChars: number;
  /** Entries in one file. */
  maxEntries: number;
}

/** Where something is in the file: offset (characters), line and column (1-based). */
export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

export interface JsonEntry {
  index: number;
  value: unknown;
  position: TextPosition;
  /** Where `path` (e.g. ['inputs', criterion, input]) is in the file, from the entry's own text. */
  locate: (path: readonly (string | number)[]) => { start: number; end: number; line: number; column: number };
}

export interface JsonEntryFailure {
  /** The entry concerned; undefined for the file as a whole. */
  index?: number;
  kind: JsonFailureKind | 'too-many';
  position: TextPosition;
  detail: Localized;
  key?: string;
}

export interface JsonEntrySink {
  entry(entry: JsonEntry): void;
  /** An entry that could not be read (the others are); or, when `fatal`, the end of the file's reading. */
  failure(failure: JsonEntryFailure, fatal: boolean): void;
}

type State = 'start' | 'single' | 'array-first' | 'array-entry' | 'array-after' | 'wrapper-first' | 'wrapper-key' | 'wrapper-after' | 'done' | 'failed';

export class JsonEntryReader {
  private buf = '';
  /** Absolute offset of buf[0]. */
  private base = 0;
  private pos = 0;
  private state: State = 'start';
  private inWrapper = false;
  private wrapperPosition: TextPosition = { offset: 0, line: 1, column: 1 };
  private sawSubmissions = false;
  private readonly others: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  /** For a file that is one submission: each member's value text and where it starts, so problems inside it are located. */
  private readonly memberTexts = new Map<string, { text: string; position: { offset: number; line: number; column: number } }>();
  private index = 0;
  private final = false;
  private readonly lines = new LineCounter();
  private readonly reader: JsonValueReader;
  private readonly wrapperReader: JsonValueReader;

  constructor(
    private readonly limits: JsonEntryLimits,
    private readonly sink: JsonEntrySink,
  ) {
    this.reader = new JsonValueReader(limits);
    // Values beside "submissions" sit one level deeper (inside the wrapper).
    this.wrapperReader = new JsonValueReader({ ...limits, maxDepth: Math.max(0, limits.maxDepth - 1) });
  }

  get failed(): boolean {
    return this.state === 'failed';
  }

  push(chunk: string): void {
    if (this.state === 'failed' || this.state === 'done' && chunk.trim() === '') return;
    if (this.pos > 0 && this.pos >= this.buf.length / 2) {
      // Count the lines of the text about to be dropped, so later positions stay right.
      this.lines.at(this.buf, this.base, this.base + this.pos);
      this.base += this.pos;
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    this.buf = this.buf.length ? this.buf + chunk : chunk;
    this.drain();
    const state = this.state as State;
    if (state !== 'failed' && state !== 'done' && this.buf.length - this.pos > this.limits.maxEntryChars) {
      const at = this.position(this.base + this.pos);
      this.fatal({ kind: 'too-long', position: at, detail: { vi: `một mục dài quá ${this.limits.maxEntryChars} ký tự (hoặc tệp không đúng cấu trúc danh sách đơn vị)`, en: `one entry is longer than ${this.limits.maxEntryChars} characters (or the file is not a list of units)` } });
    }
  }

  end(): void {
    if (this.state === 'failed') return;
    this.final = true;
    this.drain();
    const state = this.state as State;
    if (state !== 'done' && state !== 'failed') {
      this.fatal({ kind: 'syntax', position: this.position(this.base + this.buf.length), detail: { vi: 'tệp kết thúc giữa chừng (thiếu dấu đóng ngoặc?)', en: 'the file ends in the middle (a missing closing bracket?)' } });
    }
  }

  private position(offset: number): TextPosition {
    return { offset, ...this.lines.at(this.buf, this.base, offset) };
  }

  private fatal(failure: JsonEntryFailure): void {
    this.state = 'failed';
    this.buf = '';
    this.sink.failure(failure, true);
  }

  private syntax(offset: number, vi: string, en: string): void {
    this.fatal({ kind: 'syntax', position: this.position(offset), detail: { vi, en } });
  }

  private skipSpace(): boolean {
    const buf = this.buf;
    let pos = this.pos;
    while (pos < buf.length && isJsonSpace(buf.charCodeAt(pos))) pos++;
    this.pos = pos;
    return pos < buf.length;
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'failed') return;
      if (this.state === 'single' || this.state === 'array-entry') {
        if (!this.readEntry()) return;
        continue;
      }
      if (!this.skipSpace()) return;
      const c = this.buf.charCodeAt(this.pos);
      switch (this.state) {
        case 'start':
          if (this.base + this.pos === 0 && c === 0xfeff) {
            this.pos++;
            break;
          }
          if (c === 0x5b) {
            this.pos++;
            this.state = 'array-first';
          } else if (c === 0x7b) {
            this.wrapperPosition = this.position(this.base + this.pos);
            this.pos++;
            this.state = 'wrapper-first';
          } else this.state = 'single';
          break;
        case 'array-first':
          if (c === 0x5d) {
            this.pos++;
            this.state = this.inWrapper ? 'wrapper-after' : 'done';
          } else this.state = 'array-entry';
          break;
        case 'array-after':
          if (c === 0x2c) {
            this.pos++;
            this.state = 'array-entry';
          } else if (c === 0x5d) {
            this.pos++;
            this.state = this.inWrapper ? 'wrapper-after' : 'done';
          } else this.syntax(this.base + this.pos, 'sau một đơn vị cần dấu phẩy "," hoặc dấu đóng "]"', 'expected a comma "," or a closing "]" after a unit');
          break;
        case 'wrapper-first':
          if (c === 0x7d) {
            this.pos++;
            this.finishWrapper();
          } else this.state = 'wrapper-key';
          break;
        case 'wrapper-key':
          if (!this.readWrapperMember()) return;
          break;
        case 'wrapper-after':
          if (c === 0x2c) {
            this.pos++;
            this.state = 'wrapper-key';
          } else if (c === 0x7d) {
            this.pos++;
            this.finishWrapper();
          } else this.syntax(this.base + this.pos, 'cần dấu phẩy "," hoặc dấu đóng "}"', 'expected a comma "," or a closing "}"');
          break;
        case 'done':
          this.syntax(this.base + this.pos, 'còn nội dung sau khi đã hết dữ liệu JSON', 'text after the end of the JSON data');
          return;
      }
    }
  }

  /** The object was one submission after all (it had no "submissions" list). */
  private finishWrapper(): void {
    this.state = 'done';
    if (this.sawSubmissions) return;
    const value: Record<string, unknown> = {};
    for (const key of Object.keys(this.others)) {
      if (key === '__proto__') Object.defineProperty(value, key, { value: this.others[key], writable: true, enumerable: true, configurable: true });
      else value[key] = this.others[key];
    }
    const position = this.wrapperPosition;
    // It was read member by member: a path is located inside the member it starts with (the
    // member's value text was kept); an empty or unknown path points at the object's start.
    const at = { start: position.offset, end: position.offset + 1, line: position.line, column: position.column };
    const members = this.memberTexts;
    const limits = this.limits;
    const locate = (path: readonly (string | number)[]) => {
      const member = typeof path[0] === 'string' ? members.get(path[0]) : undefined;
      if (!member) return at;
      const found = locateJsonPath(member.text, 0, path.slice(1), limits);
      return { start: member.position.offset + found.start, end: member.position.offset + found.end, ...positionWithin(member.text, found.start, member.position.line, member.position.column) };
    };
    this.emit({ index: this.index++, value, position, locate });
  }

  private readWrapperMember(): boolean {
    const start = this.pos;
    try {
      const { key, end } = this.wrapperReader.readKey(this.buf, start, this.final);
      let p = end;
      while (p < this.buf.length && isJsonSpace(this.buf.charCodeAt(p))) p++;
      if (p >= this.buf.length) {
        if (this.final) this.syntax(this.base + p, 'tệp kết thúc giữa chừng', 'the file ends in the middle');
        return false;
      }
      if (this.buf.charCodeAt(p) !== 0x3a) {
        this.syntax(this.base + p, 'cần dấu hai chấm ":" sau khóa', 'expected a colon ":" after the key');
        return false;
      }
      p++;
      while (p < this.buf.length && isJsonSpace(this.buf.charCodeAt(p))) p++;
      if (p >= this.buf.length) {
        if (this.final) this.syntax(this.base + p, 'tệp kết thúc giữa chừng', 'the file ends in the middle');
        return false;
      }
      const duplicate = key in this.others || (key === 'submissions' && this.sawSubmissions);
      if (duplicate) {
        this.fatal({ kind: 'duplicate-key', key, position: this.position(this.base + start), detail: { vi: `khóa "${key}" xuất hiện hai lần`, en: `key "${key}" appears twice` } });
        return false;
      }
      if (key === 'submissions' && this.buf.charCodeAt(p) === 0x5b) {
        this.sawSubmissions = true;
        this.inWrapper = true;
        this.pos = p + 1;
        this.state = 'array-first';
        return true;
      }
      const { value, end: valueEnd } = this.wrapperReader.read(this.buf, p, this.final);
      this.others[key] = value;
      this.memberTexts.set(key, { text: this.buf.slice(p, valueEnd), position: this.position(this.base + p) });
      this.pos = valueEnd;
      this.state = 'wrapper-after';
      return true;
    } catch (err) {
      if (!(err instanceof JsonFailure)) throw err;
      if (err.kind === 'incomplete') {
        this.pos = start;
        return false;
      }
      this.fatal({ kind: err.kind, ...(err.key ? { key: err.key } : {}), position: this.position(this.base + err.offset), detail: err.detail });
      return false;
    }
  }

  /** Read the entry at pos; false when more text is needed (or reading stopped). */
  private readEntry(): boolean {
    if (!this.skipSpace()) {
      if (this.final) this.syntax(this.base + this.pos, 'tệp kết thúc giữa chừng (sau dấu phẩy cần một đơn vị)', 'the file ends in the middle (a unit must follow the comma)');
      return false;
    }
    const start = this.pos;
    const buf = this.buf;
    if (this.index >= this.limits.maxEntries) {
      this.fatal({ kind: 'too-many', position: this.position(this.base + start), detail: { vi: `quá ${this.limits.maxEntries} đơn vị trong một tệp`, en: `more than ${this.limits.maxEntries} units in one file` } });
      return false;
    }
    let value: unknown;
    let end: number;
    try {
      ({ value, end } = this.reader.readFast(buf, start, this.final));
    } catch (err) {
      if (!(err instanceof JsonFailure)) throw err;
      if (err.kind === 'incomplete') return false;
      if (err.kind === 'syntax') {
        this.syntax(this.base + err.offset, err.detail.vi, err.detail.en);
        return false;
      }
      // A limit or a duplicate key: this entry fails, the next ones are still read.
      let skipped: number;
      try {
        skipped = this.skipEntry(start);
      } catch (skipErr) {
        if (!(skipErr instanceof JsonFailure)) throw skipErr;
        if (skipErr.kind === 'incomplete') return false;
        this.syntax(this.base + skipErr.offset, skipErr.detail.vi, skipErr.detail.en);
        return false;
      }
      const index = this.index++;
      this.position(this.base + start);
      this.sink.failure({ index, kind: err.kind, ...(err.key ? { key: err.key } : {}), position: this.position(this.base + err.offset), detail: err.detail }, false);
      this.pos = skipped;
      this.state = this.state === 'single' ? 'done' : 'array-after';
      return true;
    }
    const position = this.position(this.base + start);
    const text = buf.slice(start, end);
    const limits = this.limits;
    const locate = (path: readonly (string | number)[]) => {
      const found = locateJsonPath(text, 0, path, limits);
      return { start: position.offset + found.start, end: position.offset + found.end, ...positionWithin(text, found.start, position.line, position.column) };
    };
    this.pos = end;
    this.state = this.state === 'single' ? 'done' : 'array-after';
    this.emit({ index: this.index++, value, position, locate });
    return true;
  }

  /** Iterative, any depth. */
  private skipEntry(start: number): number {
    return skipJsonValue(this.buf, start, this.final);
  }

  private emit(entry: JsonEntry): void {
    this.sink.entry(entry);
  }
}

/**
 * One entry of a list read on its own (the parallel score: another thread cut
 * the file into entries, json-split.ts), with the same checks and the same
 * outcome as JsonEntryReader gives it inside the file: the entry, or why it
 * is not read (a limit, a duplicate key: the next entries are still read).
 * 'stop' when the entry's text would end the reading of the file (a syntax
 * error) or its extent is not what the reader would find: the caller then
 * leaves the file from this entry on to JsonEntryReader, which says what and where.
 */
export function readEntryText(
  text: string,
  position: TextPosition,
  index: number,
  reader: JsonValueReader,
  limits: JsonReadLimits,
  /** The entry's colons outside strings when another scan found it within the bounds readFast's scan checks (that scan is then skipped); -1 when not. */
  colons = -1,
): { entry: JsonEntry } | { failure: JsonEntryFailure } | 'stop' {
  const at = (offset: number): TextPosition => ({ offset: position.offset + offset, ...positionWithin(text, offset, position.line, position.column) });
  let value: unknown;
  let end = -1;
  if (colons >= 0) {
    // readFast's own steps after its scan: the native parse, and as many keys as colons (no key repeated).
    try {
      value = JSON.parse(text);
      if (countKeys(value, limits.maxKeyLength) === colons) end = text.length;
    } catch {
      // read again below by readFast, which says what and where
    }
  }
  if (end < 0) {
    try {
      ({ value, end } = reader.readFast(text, 0, true));
    } catch (err) {
      if (!(err instanceof JsonFailure)) throw err;
      if (err.kind === 'incomplete' || err.kind === 'syntax') return 'stop';
      let skipped: number;
      try {
        skipped = skipJsonValue(text, 0, true);
      } catch (skipErr) {
        if (!(skipErr instanceof JsonFailure)) throw skipErr;
        return 'stop';
      }
      if (skipped !== text.length) return 'stop';
      return { failure: { index, kind: err.kind, ...(err.key ? { key: err.key } : {}), position: at(err.offset), detail: err.detail } };
    }
  }
  if (end !== text.length) return 'stop';
  const locate = (path: readonly (string | number)[]) => {
    const found = locateJsonPath(text, 0, path, limits);
    return { start: position.offset + found.start, end: position.offset + found.end, ...positionWithin(text, found.start, position.line, position.column) };
  };
  return { entry: { index, value, position, locate } };
}
