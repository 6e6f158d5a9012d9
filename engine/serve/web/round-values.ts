/**
 * The round values the web view scores with (issue 11: values the
 * department supplies once per round, engine/load/round-values.ts), read
 * from their YAML file — `tieuchi serve --round-values FILE`, or the
 * round's own `round-values.yaml` with `--round DIR`.
 *
 * The department may correct that file while the service runs, so it is
 * not read once: every request looks at the file's size and modification
 * time (one stat) and reads it again when either moved. Pages and what-ifs
 * are cached under the file's content hash, so a changed file gives new
 * pages and the old ones are never served again.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { CriteriaSet } from '../../criteria-set.js';
import type { RoundValues } from '../../evaluate/statistics.js';
import { readRoundValues } from '../../load/round-values.js';
import { problem, type Problem } from '../../problems.js';

export interface RoundValuesNow {
  /** The values as the file gives them now (undefined when it cannot be used). */
  values?: RoundValues;
  /** Names the file's content (or why it could not be read): part of every cache key. */
  version: string;
  /** The SHA-256 of the file's content, for the provenance ('' when unread). */
  sha256: string;
  file: string;
  problems: Problem[];
}

export interface RoundValuesSource {
  file: string;
  /** The file's values for this set, as of now. */
  current(set: CriteriaSet): RoundValuesNow;
}

/**
 * Round values read from a file, again whenever it changes. `optional`: a file that does not
 * exist (yet) means no round values, not an error (a round's round-values.yaml).
 */
export function roundValuesFile(file: string, options: { optional?: boolean } = {}): RoundValuesSource {
  let seen: { stamp: string; text?: string; version: string; sha256: string; error?: string; absent?: boolean } | undefined;
  const parsed = new Map<string, RoundValuesNow>();
  const read = () => {
    let stamp: string;
    try {
      const s = statSync(file);
      stamp = `${s.size}:${s.mtimeMs}`;
    } catch (err) {
      stamp = `missing:${(err as NodeJS.ErrnoException).code ?? ''}`;
    }
    if (seen?.stamp === stamp) return seen;
    try {
      const text = readFileSync(file, 'utf8');
      const sha256 = createHash('sha256').update(text).digest('hex');
      seen = { stamp, text, version: sha256.slice(0, 16), sha256 };
    } catch (err) {
      seen = { stamp, version: `unreadable:${stamp}`, sha256: '', error: (err as Error).message, absent: (err as NodeJS.ErrnoException).code === 'ENOENT' };
    }
    parsed.clear();
    return seen;
  };
  return {
    file,
    current(set) {
      const now = read();
      const key = `${set.year}`;
      const hit = parsed.get(key);
      if (hit) return hit;
      let result: RoundValuesNow;
      if (now.text === undefined && now.absent && options.optional) {
        result = { version: 'absent', sha256: '', file, problems: [] };
      } else if (now.text === undefined) {
        result = { version: now.version, sha256: '', file, problems: [problem('file.unreadable', { vi: `Không đọc được tệp giá trị của đợt "${file}": ${now.error}`, en: `Cannot read the round-values file "${file}": ${now.error}` }, { file })] };
      } else {
        const loaded = readRoundValues(file, now.text!, set);
        // A value missing from the file is reported per unit by the criteria that read it; any other error makes the file unusable.
        const usable = loaded.values && !loaded.problems.some((p) => p.severity === 'error' && p.code !== 'round-value.missing');
        result = { ...(usable ? { values: loaded.values } : {}), version: now.version, sha256: now.sha256, file, problems: loaded.problems };
      }
      parsed.set(key, result);
      return result;
    },
  };
}
