/**
 * A content-addressed cache of parsed YAML, for the command line.
 *
 * Reading YAML is most of what a cold `tieuchi validate` or `score` does
 * (the parser runs before the JIT has warmed up), and its result depends
 * only on the text, the yaml library's version and our limits. So a file
 * parsed cleanly once is stored as JSON under the SHA-256 of all three;
 * the next run reads the value back and re-derives positions from the text
 * only if a later stage has a problem to locate. Like ESLint's --cache:
 * best effort (any failure just means parsing again), off with
 * TIEUCHI_CACHE=off, never used by the library unless a cache is passed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Problem } from '../problems.js';
import { packageRoot } from '../paths.js';

/** What a clean parse produced: the value and its warnings (located, plain data). */
export interface CachedParse {
  value: unknown;
  problems: Problem[];
}

export interface ParseCache {
  key(text: string, limitsKey: string): string;
  get(key: string): CachedParse | undefined;
  set(key: string, entry: CachedParse): void;
}

/** Bump when what parseYaml stores changes shape or meaning (2: tags, alias cycles and depth are refused before caching). */
const FORMAT = 2;

const yamlVersion = (() => {
  try {
    return (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

/** True when a value survives JSON unchanged (YAML's .inf, .nan and -0 do not). */
export function jsonSafe(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (value === null || typeof value !== 'object') return typeof value !== 'bigint' && typeof value !== 'undefined';
  if (Array.isArray(value)) return value.every(jsonSafe);
  return Object.values(value).every(jsonSafe);
}

/** A cache in a folder; undefined when caching is switched off. */
export function fileParseCache(dir = process.env.TIEUCHI_CACHE_DIR || join(packageRoot(), 'node_modules', '.cache', 'tieuchi')): ParseCache | undefined {
  if (process.env.TIEUCHI_CACHE === 'off' || process.env.TIEUCHI_CACHE === '0') return undefined;
  return {
    key: (text, limitsKey) => createHash('sha256').update(`tieuchi-parse ${FORMAT} yaml ${yamlVersion} ${limitsKey}\n`).update(text).digest('hex'),
    get(key) {
      try {
        const entry = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as Partial<CachedParse>;
        return entry && Array.isArray(entry.problems) && 'value' in entry ? (entry as CachedParse) : undefined;
      } catch {
        return undefined;
      }
    },
    set(key, entry) {
      try {
        mkdirSync(dir, { recursive: true });
        writeFileAtomic.sync(join(dir, `${key}.json`), JSON.stringify(entry));
      } catch {
        // A read-only install or a full disk: run without the cache.
      }
    },
  };
}
