/**
 * The parallel score's first step: a byte-level scan of a submissions file
 * that is one top-level list of objects, cutting it into entries (byte
 * ranges) with each entry's position as the streaming reader would give it
 * (offset in UTF-16 characters, line and column), without decoding or
 * parsing anything. Workers then read the entries (json-reader's readFast,
 * the same bounds and checks as the single-threaded reader).
 *
 * The scanner is deliberately narrow: `[`, objects separated by commas, `]`,
 * JSON white space around them (and a byte-order mark). On anything else (a
 * {"submissions": […]} wrapper, a single submission, an entry that is not an
 * object, a missing comma, text after the end, an entry longer than the
 * entry limit, too many entries, bytes that are not UTF-8) it stops and says
 * how many entries it handed over; the caller reads the rest of the file with
 * the single-threaded reader, which reports exactly what it always did.
 */
import { isUtf8 } from 'node:buffer';

/** Entries of one batch: byte ranges in `bytes` and where each starts in the file. */
export interface EntryBatch {
  bytes: Buffer;
  /** Per entry: byte start and end (exclusive) in `bytes`. */
  starts: Int32Array;
  ends: Int32Array;
  /** Per entry: offset (UTF-16 characters), line and column (1-based) of its `{` in the file. */
  offsets: Float64Array;
  lines: Int32Array;
  columns: Int32Array;
  /**
   * Per entry: its colons outside strings when it is plain — nesting, strings and keys within the
   * reader's bounds, no control character in a string — else -1. A plain entry is what
   * JsonValueReader.readFast's own scan lets through, so its reader may skip that scan.
   */
  colons: Int32Array;
  /** Index (in the file) of the batch's first entry. */
  firstIndex: number;
  count: number;
}

export interface SplitLimits {
  /** Characters in one entry's text (an entry of more bytes than this is left to the single-threaded reader). */
  maxEntryChars: number;
  /** Entries in one file. */
  maxEntries: number;
  /** The reader's bounds (json-reader.ts): an entry within them is marked plain (EntryBatch.colons). */
  maxDepth: number;
  maxStringLength: number;
  maxKeyLength: number;
}

const enum State {
  Start,
  First,
  InEntry,
  After,
  Next,
  Done,
  Stopped,
}

/** Byte classes for the entry scan: 0 nothing to do, then the bytes that matter. */
const PLAIN = 0;
const CONTINUATION = 1;
const LEAD4 = 2;
const LF = 3;
const QUOTE = 4;
const BACKSLASH = 5;
const OPEN = 6;
const CLOSE = 7;
const COLON = 8;
const CONTROL = 9;
const CLASS = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) CLASS[b] = CONTROL;
CLASS[0x3a] = COLON;
for (let b = 0x80; b < 0xc0; b++) CLASS[b] = CONTINUATION;
for (let b = 0xf0; b < 0x100; b++) CLASS[b] = LEAD4;
CLASS[0x0a] = LF;
CLASS[0x22] = QUOTE;
CLASS[0x5c] = BACKSLASH;
CLASS[0x7b] = OPEN;
CLASS[0x5b] = OPEN;
CLASS[0x7d] = CLOSE;
CLASS[0x5d] = CLOSE;

/**
 * Scan counters, shared by JsonListSplitter.scan and scanEntry: extra, line, lineStart, depth,
 * inString, escaped; then, for the current entry: colons outside strings, 1 when it is not plain
 * (see EntryBatch.colons), and the absolute byte offset of the last opening quote.
 */
const COUNTERS = 9;

/**
 * Scan an entry's bytes from `i` until its brackets balance (returns the
 * index after its last byte) or the bytes end (returns `n`, depth > 0).
 * Counts lines and the bytes beyond one UTF-16 unit per character on the way.
 */
function scanEntry(buf: Uint8Array, i: number, n: number, base: number, c: Float64Array, maxDepth: number, stringLimit: number): number {
  let extra = c[0]!;
  let line = c[1]!;
  let lineStart = c[2]!;
  let depth = c[3]!;
  let inString = c[4] === 1;
  let escaped = c[5] === 1;
  let colons = c[6]!;
  let plain = c[7] === 0;
  let open = c[8]!;
  for (; i < n; i++) {
    const k = CLASS[buf[i]!]!;
    if (escaped) {
      // The byte after a backslash in a string is never structural; it still counts.
      escaped = false;
      if (k === CONTINUATION) extra++;
      else if (k === LEAD4) extra--;
      else if (k === LF) {
        line++;
        lineStart = base + i + 1 - extra;
      }
      continue;
    }
    if (k === PLAIN) continue;
    if (k === CONTINUATION) {
      extra++;
      continue;
    }
    if (k === LEAD4) {
      extra--;
      continue;
    }
    if (k === LF) {
      line++;
      lineStart = base + i + 1 - extra;
      // A raw line break inside a string is a control character (a syntax error).
      if (inString) plain = false;
      continue;
    }
    if (inString) {
      if (k === QUOTE) {
        inString = false;
        // In bytes: at least its length in characters, so "short enough" holds in characters too.
        if (base + i - open > stringLimit + 1) plain = false;
      } else if (k === BACKSLASH) escaped = true;
      else if (k === CONTROL) plain = false;
      continue;
    }
    if (k === QUOTE) {
      inString = true;
      open = base + i;
    } else if (k === OPEN) {
      if (++depth > maxDepth) plain = false;
    } else if (k === CLOSE) {
      if (--depth === 0) {
        i++;
        break;
      }
    } else if (k === COLON) colons++;
  }
  c[6] = colons;
  c[7] = plain ? 0 : 1;
  c[8] = open;
  c[0] = extra;
  c[1] = line;
  c[2] = lineStart;
  c[3] = depth;
  c[4] = inString ? 1 : 0;
  c[5] = escaped ? 1 : 0;
  return i;
}

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * Fed the file's bytes chunk by chunk (`push`), then `end()`. Complete
 * entries are collected into batches of about `batchBytes`, handed to
 * `emit` in file order. `stopped` is the number of entries handed over when
 * the scan stopped (undefined while it goes on, and after a clean end).
 */
export class JsonListSplitter {
  private state = State.Start;
  /** Bytes not yet handed over: from the current batch's first entry (or the current entry) on. */
  private window: Buffer = Buffer.alloc(0);
  private store: Buffer = Buffer.alloc(0);
  /** Absolute byte offset of window[0]. */
  private base = 0;
  /** Next byte of the window to scan. */
  private at = 0;
  /** UTF-8 bytes beyond one UTF-16 unit so far: continuation bytes minus 4-byte leads (offset in characters = bytes − extra). */
  private extra = 0;
  private line = 1;
  private lineStart = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The current entry: window-relative start, and its position. */
  private entryStart = -1;
  private entryOffset = 0;
  private entryLine = 0;
  private entryColumn = 0;
  private index = 0;
  private batchFirst = 0;
  private starts: number[] = [];
  private ends: number[] = [];
  private offsets: number[] = [];
  private lines: number[] = [];
  private columns: number[] = [];
  private colons: number[] = [];
  private readonly counters = new Float64Array(COUNTERS);
  private readonly stringLimit: number;
  stopped: number | undefined;

  constructor(
    private readonly limits: SplitLimits,
    private readonly emit: (batch: EntryBatch) => void,
    private readonly batchBytes = 1024 * 1024,
  ) {
    this.stringLimit = Math.max(limits.maxStringLength, limits.maxKeyLength);
  }

  /** Scan the next chunk of the file; false once the scan has stopped. */
  push(chunk: Buffer): boolean {
    if (this.state === State.Stopped) return false;
    // Keep only what is not handed over yet: the pending batch's entries and the current entry.
    const keep = this.starts.length ? this.starts[0]! : this.entryStart >= 0 ? this.entryStart : this.at;
    // One buffer for the window, reused: what is kept moves to its front, the chunk is copied after it
    // (the caller may reuse the chunk's memory for its next read).
    const kept = this.window.length - keep;
    const need = kept + chunk.length;
    if (this.store.length < need) {
      const store = Buffer.allocUnsafeSlow(Math.max(need, this.store.length * 2));
      this.window.copy(store, 0, keep);
      this.store = store;
    } else if (kept > 0) this.store.copyWithin(0, keep, this.window.length);
    chunk.copy(this.store, kept);
    this.window = this.store.subarray(0, need);
    this.base += keep;
    this.at -= keep;
    if (this.entryStart >= 0) this.entryStart -= keep;
    for (let k = 0; k < this.starts.length; k++) {
      this.starts[k]! -= keep;
      this.ends[k]! -= keep;
    }
    this.scan();
    if ((this.state as State) === State.Stopped) return false;
    // Hand over what is complete, so that a worker can start on it.
    if (this.starts.length) this.flush();
    if (this.entryStart >= 0 && this.at - this.entryStart > this.limits.maxEntryChars) this.stop();
    return (this.state as State) !== State.Stopped;
  }

  /** The file ended. */
  end(): void {
    if (this.state === State.Stopped) return;
    if (this.starts.length) this.flush();
    if (this.state !== State.Done) this.stop();
  }

  private stop(): void {
    // Entries collected but not handed over are left to the single-threaded reader too.
    this.stopped = this.batchFirst;
    this.starts = [];
    this.ends = [];
    this.offsets = [];
    this.lines = [];
    this.columns = [];
    this.colons = [];
    this.state = State.Stopped;
    this.window = Buffer.alloc(0);
  }

  private flush(): void {
    const count = this.starts.length;
    const from = this.starts[0]!;
    const to = this.ends[count - 1]!;
    // Entries meet at ASCII delimiters, so the range is whole characters: valid UTF-8 or not, by itself.
    const bytes = Buffer.from(this.window.subarray(from, to));
    if (!isUtf8(bytes)) {
      // The decoder's replacement characters would shift every later offset: the single-threaded reader decides.
      this.stop();
      return;
    }
    const batch: EntryBatch = {
      bytes,
      starts: Int32Array.from(this.starts, (s) => s - from),
      ends: Int32Array.from(this.ends, (e) => e - from),
      offsets: Float64Array.from(this.offsets),
      lines: Int32Array.from(this.lines),
      columns: Int32Array.from(this.columns),
      colons: Int32Array.from(this.colons),
      firstIndex: this.batchFirst,
      count,
    };
    this.batchFirst += count;
    this.starts = [];
    this.ends = [];
    this.offsets = [];
    this.lines = [];
    this.columns = [];
    this.colons = [];
    this.emit(batch);
  }

  private scan(): void {
    const buf = this.window;
    const n = buf.length;
    let i = this.at;
    let extra = this.extra;
    let line = this.line;
    let lineStart = this.lineStart;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    const base = this.base;
    while (i < n) {
      if (this.state === State.InEntry) {
        // The hot loop (a function of its own, so that it stays optimised): one entry's bytes.
        const c = this.counters;
        c[0] = extra;
        c[1] = line;
        c[2] = lineStart;
        c[3] = depth;
        c[4] = inString ? 1 : 0;
        c[5] = escaped ? 1 : 0;
        i = scanEntry(buf, i, n, base, c, this.limits.maxDepth, this.stringLimit);
        extra = c[0]!;
        line = c[1]!;
        lineStart = c[2]!;
        depth = c[3]!;
        inString = c[4] === 1;
        escaped = c[5] === 1;
        if (depth !== 0) break;
        // The entry is complete.
        if (i - this.entryStart > this.limits.maxEntryChars) {
          this.stop();
          return;
        }
        this.starts.push(this.entryStart);
        this.ends.push(i);
        this.offsets.push(this.entryOffset);
        this.lines.push(this.entryLine);
        this.columns.push(this.entryColumn);
        this.colons.push(this.counters[7] === 0 ? this.counters[6]! : -1);
        this.entryStart = -1;
        this.index++;
        this.state = State.After;
        if (this.starts.length && i - this.starts[0]! >= this.batchBytes) {
          this.at = i;
          this.saveCounters(extra, line, lineStart, depth, inString, escaped);
          this.flush();
          // flush() may have stopped the scan (bytes that are not UTF-8).
          if ((this.state as State) === State.Stopped) return;
        }
        continue;
      }
      const b = buf[i]!;
      if (isSpace(b)) {
        if (b === 0x0a) {
          line++;
          lineStart = base + i + 1 - extra;
        }
        i++;
        continue;
      }
      switch (this.state) {
        case State.Start:
          // A byte-order mark, only as the file's first bytes (the reader skips U+FEFF at offset 0 only).
          if (base + i === 0 && b === 0xef) {
            if (n < 3) {
              this.at = i;
              this.saveCounters(extra, line, lineStart, depth, inString, escaped);
              return;
            }
            if (buf[1] === 0xbb && buf[2] === 0xbf) {
              i += 3;
              extra += 2;
              continue;
            }
          }
          if (b !== 0x5b) return this.stop();
          this.state = State.First;
          i++;
          continue;
        case State.First:
        case State.Next:
          if (b === 0x5d && this.state === State.First) {
            this.state = State.Done;
            i++;
            continue;
          }
          if (b !== 0x7b) return this.stop();
          if (this.index >= this.limits.maxEntries) return this.stop();
          this.entryStart = i;
          this.entryOffset = base + i - extra;
          this.entryLine = line;
          this.entryColumn = this.entryOffset - lineStart + 1;
          this.state = State.InEntry;
          depth = 0;
          inString = false;
          escaped = false;
          this.counters[6] = 0;
          this.counters[7] = 0;
          continue;
        case State.After:
          if (b === 0x2c) this.state = State.Next;
          else if (b === 0x5d) this.state = State.Done;
          else return this.stop();
          i++;
          continue;
        default:
          // Done: only white space may follow the list.
          return this.stop();
      }
    }
    this.at = i;
    this.saveCounters(extra, line, lineStart, depth, inString, escaped);
  }

  private saveCounters(extra: number, line: number, lineStart: number, depth: number, inString: boolean, escaped: boolean): void {
    this.extra = extra;
    this.line = line;
    this.lineStart = lineStart;
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
  }
}
