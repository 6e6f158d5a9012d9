import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { problem, type Lang } from '../problems.js';
import { resolvePath, type CliIo } from './io.js';
import { printProblems } from './load.js';

/**
 * Write a command's result to --out (atomically: a reader never sees half a
 * file, and a failed run leaves the old file intact) or to stdout.
 */
export function writeOutput(io: CliIo, out: string | undefined, text: string, lang: Lang): boolean {
  if (!out) {
    io.stdout(text.endsWith('\n') ? text : text + '\n');
    return true;
  }
  const path = resolvePath(io, out);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic.sync(path, text.endsWith('\n') ? text : text + '\n', { encoding: 'utf8' });
    io.stderr(lang === 'vi' ? `Đã ghi ${out}\n` : `Wrote ${out}\n`);
    return true;
  } catch (err) {
    printProblems(io, [problem('cli.output', { vi: `Không ghi được "${out}": ${(err as Error).message}`, en: `Cannot write "${out}": ${(err as Error).message}` }, { file: out })], lang);
    return false;
  }
}
