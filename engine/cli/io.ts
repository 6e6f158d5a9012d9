import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Lang } from '../problems.js';

/** What a command may touch: its streams and its working directory. Tests pass fakes. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Environment variables the command may read (SOURCE_DATE_EPOCH); process.env when not given. */
  env?: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), cwd: process.cwd() };
}

/** Exit codes: 0 done; 1 the criteria or the data have errors; 2 the command line is wrong. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export function resolvePath(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

export function displayPath(io: CliIo): (path: string) => string {
  return (path) => relative(io.cwd, path) || path;
}

/** Files larger than this get no caret frame: reading one whole to show one line is not worth it. */
const MAX_FRAMED_FILE = 32 * 1024 * 1024;

/** Source text for caret frames, by the file name shown in a problem. */
export function sourceLookup(io: CliIo): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        const path = resolve(io.cwd, file);
        cache.set(file, statSync(path).size <= MAX_FRAMED_FILE ? readFileSync(path, 'utf8') : undefined);
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

/** --lang from argv or TIEUCHI_LANG, read before commander so that --help is in the right language. */
export function languageOf(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Lang {
  const index = argv.indexOf('--lang');
  const fromArgv = index >= 0 ? argv[index + 1] : argv.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
  const lang = fromArgv ?? env.TIEUCHI_LANG;
  return lang === 'en' ? 'en' : 'vi';
}
