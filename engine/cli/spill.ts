/**
 * Text written to disk as it is produced, so that a run over a million units
 * holds none of it in memory: a buffered byte writer (that can patch bytes it
 * wrote earlier), and a row store read back in any order with a few
 * sequential passes over the file (an external permutation: each pass fills
 * one window of the output order, at most WINDOW bytes).
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const BUFFER_BYTES = 4 * 1024 * 1024;
const WINDOW_BYTES = 64 * 1024 * 1024;
const READ_BYTES = 8 * 1024 * 1024;

/** Appends text to a file through one buffer; `position` counts every byte written so far. */
export class ByteWriter {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private written = 0;
  private closed = false;

  constructor(readonly fd: number) {}

  static create(path: string): ByteWriter {
    return new ByteWriter(openSync(path, 'w+', 0o644));
  }

  get position(): number {
    return this.written + this.used;
  }

  /** Write text; returns its length in bytes. */
  write(text: string): number {
    if (this.used + text.length * 3 > BUFFER_BYTES) {
      this.flush();
      if (text.length * 3 > BUFFER_BYTES) {
        const bytes = Buffer.from(text, 'utf8');
        this.writeBytes(bytes);
        return bytes.length;
      }
    }
    const n = this.buffer.write(text, this.used, 'utf8');
    this.used += n;
    return n;
  }

  writeBytes(bytes: Uint8Array): void {
    if (this.used + bytes.length > BUFFER_BYTES) this.flush();
    if (bytes.length > BUFFER_BYTES) {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset, this.written + offset);
      this.written += bytes.length;
      return;
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  flush(): void {
    let offset = 0;
    while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset, this.written + offset);
    this.written += this.used;
    this.used = 0;
  }

  /** Overwrite bytes written earlier (same length), e.g. a placeholder. */
  patch(position: number, text: string): void {
    if (this.used) this.flush();
    const bytes = Buffer.from(text, 'utf8');
    writeSync(this.fd, bytes, 0, bytes.length, position);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }
}

/** Rows of text stored in a file, each found again by its number. */
export class RowStore {
  private readonly writer: ByteWriter;
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  count = 0;

  constructor(readonly path: string) {
    this.writer = ByteWriter.create(path);
  }

  add(row: string): number {
    this.grow();
    const offset = this.writer.position;
    this.offsets[this.count] = offset;
    this.lengths[this.count] = this.writer.write(row);
    return this.count++;
  }

  /** A row already encoded (UTF-8), e.g. by a worker thread. */
  addBytes(row: Uint8Array): number {
    this.grow();
    this.offsets[this.count] = this.writer.position;
    this.lengths[this.count] = row.length;
    this.writer.writeBytes(row);
    return this.count++;
  }

  private grow(): void {
    if (this.count === this.offsets.length) {
      const offsets = new Float64Array(this.count * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const lengths = new Uint32Array(this.count * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
  }

  /** Every row in the order given (row numbers), as bytes; a few sequential passes over the file. */
  readInOrder(order: Int32Array | number[], emit: (row: number, bytes: Buffer) => void): void {
    this.writer.flush();
    const fd = this.writer.fd;
    const positionOf = new Int32Array(this.count).fill(-1);
    for (let k = 0; k < order.length; k++) positionOf[order[k]!] = k;
    let from = 0;
    const chunk = Buffer.allocUnsafe(READ_BYTES);
    while (from < order.length) {
      // The window: output positions [from, to) whose rows fit in WINDOW_BYTES.
      let to = from;
      let bytes = 0;
      while (to < order.length && (to === from || bytes + this.lengths[order[to]!]! <= WINDOW_BYTES)) bytes += this.lengths[order[to++]!]!;
      const window = Buffer.allocUnsafe(bytes);
      const slot = new Float64Array(to - from);
      let at = 0;
      for (let k = from; k < to; k++) {
        slot[k - from] = at;
        at += this.lengths[order[k]!]!;
      }
      // One pass over the file, in file order, copying the window's rows into their slots.
      let row = 0;
      let chunkStart = 0;
      let chunkEnd = 0;
      while (row < this.count) {
        const k = positionOf[row]!;
        if (k < from || k >= to) {
          row++;
          continue;
        }
        const offset = this.offsets[row]!;
        const length = this.lengths[row]!;
        if (offset < chunkStart || offset + length > chunkEnd) {
          if (length > READ_BYTES) {
            readFully(fd, window, slot[k - from]!, length, offset);
            row++;
            continue;
          }
          chunkStart = offset;
          chunkEnd = offset + readFully(fd, chunk, 0, READ_BYTES, offset);
        }
        chunk.copy(window, slot[k - from]!, offset - chunkStart, offset - chunkStart + length);
        row++;
      }
      for (let k = from; k < to; k++) {
        const row = order[k]!;
        emit(row, window.subarray(slot[k - from]!, slot[k - from]! + this.lengths[row]!));
      }
      from = to;
    }
  }

  /** Every row in the order stored. */
  readAll(emit: (row: number, bytes: Buffer) => void): void {
    const order = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    this.readInOrder(order, emit);
  }

  close(): void {
    this.writer.close();
  }
}

function readFully(fd: number, into: Buffer, at: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, at + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
