import { closeSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { problem, type Lang } from '../problems.js';
import { resolvePath, type CliIo } from './io.js';
import { printProblems } from './load.js';
import { ByteWriter } from './spill.js';
import { releaseTemp, removeStaleTempFiles, removeTemp, tempPath } from './temp-files.js';

function cannotWrite(io: CliIo, out: string, err: unknown, lang: Lang): false {
  const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  printProblems(io, [problem('cli.output', { vi: `Không ghi được "${out}": ${reason}`, en: `Cannot write "${out}": ${reason}` }, { file: out })], lang);
  return false;
}

/**
 * An output being written: to a temporary file in the target's folder,
 * renamed over the target only when complete (a reader never sees half a
 * file, a failed or interrupted run leaves the old file intact), or, without
 * --out, to a temporary file copied to stdout at the end (a stream cannot be
 * taken back). The temporary file is removed on every other way out.
 */
export class PendingOutput {
  private constructor(
    private readonly io: CliIo,
    private readonly out: string | undefined,
    private readonly target: string | undefined,
    readonly tempFile: string,
    readonly writer: ByteWriter,
  ) {}

  /** Open the output; undefined (and the problem printed) when its folder cannot be written. */
  static open(io: CliIo, out: string | undefined, lang: Lang): PendingOutput | undefined {
    const target = out === undefined ? undefined : resolvePath(io, out);
    const dir = target ? dirname(target) : tmpdir();
    let temp: string | undefined;
    try {
      mkdirSync(dir, { recursive: true });
      removeStaleTempFiles(dir);
      temp = tempPath(dir, 'output');
      return new PendingOutput(io, out, target, temp, ByteWriter.create(temp));
    } catch (err) {
      if (temp) removeTemp(temp);
      return cannotWrite(io, out ?? dir, err, lang) as never as undefined;
    }
  }

  /** A folder for other temporary files of the same run (beside the output). */
  get folder(): string {
    return dirname(this.tempFile);
  }

  /** Put the finished output in place: renamed over --out, or copied to stdout. */
  commit(lang: Lang): boolean {
    try {
      this.writer.flush();
      if (this.target) {
        fsyncSync(this.writer.fd);
        this.writer.close();
        renameSync(this.tempFile, this.target);
        releaseTemp(this.tempFile);
        this.io.stderr(lang === 'vi' ? `Đã ghi ${this.out}\n` : `Wrote ${this.out}\n`);
        return true;
      }
      const fd = this.writer.fd;
      const chunk = Buffer.allocUnsafe(1024 * 1024);
      const decoder = new StringDecoder('utf8');
      for (let position = 0; ; ) {
        const n = readSync(fd, chunk, 0, chunk.length, position);
        if (n === 0) break;
        position += n;
        const text = decoder.write(chunk.subarray(0, n));
        if (text) this.io.stdout(text);
      }
      const rest = decoder.end();
      if (rest) this.io.stdout(rest);
      this.abort();
      return true;
    } catch (err) {
      this.abort();
      return cannotWrite(this.io, this.out ?? 'stdout', err, lang);
    }
  }

  /** Give up: remove the temporary file; the target is untouched. */
  abort(): void {
    try {
      this.writer.close();
    } catch {
      // closing a broken file: removing it is what matters
    }
    removeTemp(this.tempFile);
  }
}

/**
 * Write a command's result to --out (atomically: a reader never sees half a
 * file, and a failed run leaves the old file intact) or to stdout.
 */
export function writeOutput(io: CliIo, out: string | undefined, text: string, lang: Lang): boolean {
  const body = text.endsWith('\n') ? text : text + '\n';
  if (!out) {
    io.stdout(body);
    return true;
  }
  return writeFileAtomically(io, out, Buffer.from(body, 'utf8'), lang);
}

/** Bytes to --out through a temporary file of ours in the same folder, renamed into place. */
export function writeFileAtomically(io: CliIo, out: string, bytes: Uint8Array, lang: Lang): boolean {
  const path = resolvePath(io, out);
  let temp: string | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    removeStaleTempFiles(dirname(path));
    temp = tempPath(dirname(path), 'output');
    const fd = openSync(temp, 'w', 0o644);
    try {
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    releaseTemp(temp);
    io.stderr(lang === 'vi' ? `Đã ghi ${out}\n` : `Wrote ${out}\n`);
    return true;
  } catch (err) {
    if (temp) removeTemp(temp);
    return cannotWrite(io, out, err, lang);
  }
}
