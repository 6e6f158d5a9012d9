/**
 * Which criteria sets exist, and which one a command uses.
 *
 * A criteria root (criteria/) holds one folder per year. Each year is a
 * draft or a signed decision (decision.status, or derived from a filled
 * number and date: see decisionStatus). Commands and the service default to
 * the newest SIGNED year; a draft is used only when named (its folder, a
 * file in it, or its year). Outside a clone, the root is the criteria
 * bundled in the package.
 *
 * Listing reads only each year's `decision` block (a YAML parse of one
 * file), not the whole pipeline: `score` without --criteria must not
 * validate every year on disk to pick one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { DecisionStatus } from '../model.js';
import { packageRoot } from '../paths.js';
import { decisionStatus } from '../validate/semantic.js';

export interface CatalogYear {
  year: number;
  /** Absolute path of the year folder. */
  dir: string;
  /** 'unknown' when no file of the year could be read far enough to tell. */
  status: DecisionStatus | 'unknown';
  decision: { number: string; date: string };
  /** The level files (names) in the folder. */
  files: string[];
}

export interface CriteriaRoot {
  /** Absolute path of the root (a folder of year folders). */
  dir: string;
  /** True when it is the criteria shipped in the package (no criteria/ in the working directory). */
  bundled: boolean;
}

const YEAR = /^\d{4}$/;
const YAML_FILE = /\.ya?ml$/i;

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The working directory's criteria/ when there is one, else the package's own. */
export function criteriaRoot(cwd: string): CriteriaRoot {
  const local = join(cwd, 'criteria');
  if (isDir(local)) return { dir: local, bundled: false };
  return { dir: join(packageRoot(), 'criteria'), bundled: true };
}

/** A folder of year folders (criteria/), as opposed to a year folder or a level file. */
export function isCriteriaRoot(path: string): boolean {
  if (!isDir(path)) return false;
  const entries = readdirSync(path);
  if (entries.some((n) => YAML_FILE.test(n))) return false;
  return entries.some((n) => YEAR.test(n) && isDir(join(path, n)));
}

/** A top-level `decision:` key in block style, at the start of a line; what follows up to the next top-level line is its block. */
const DECISION_KEY = /^decision:[ \t]*(?:#.*)?$/m;
const NEXT_TOP_LEVEL = /^[^\s#]/m;

/**
 * The file's `decision` mapping. A level file is hundreds of lines and its
 * decision block a handful: parsing just that block keeps `score` without
 * --criteria from parsing every level file of every year (≈ 20 ms each on a
 * cold start). When the block is not in the plain form (flow style, an
 * alias, a quoted key), the whole file is parsed, as before.
 */
function decisionBlock(text: string): Record<string, unknown> | undefined {
  // A %YAML directive changes how scalars read: only the whole document says what they are.
  const key = /^%/m.test(text) ? null : DECISION_KEY.exec(text);
  if (key) {
    const rest = text.slice(key.index + key[0].length);
    const next = NEXT_TOP_LEVEL.exec(rest);
    const block = `decision:\n${next ? rest.slice(0, next.index) : rest}`;
    const doc = parseDocument(block);
    const value = doc.errors.length === 0 ? (doc.toJS({ maxAliasCount: 0 }) as { decision?: unknown } | null)?.decision : undefined;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  }
  const whole = parseDocument(text).toJS({ maxAliasCount: 100 }) as { decision?: unknown } | null;
  return whole?.decision && typeof whole.decision === 'object' ? (whole.decision as Record<string, unknown>) : undefined;
}

/** The decision block of the first readable level file of a year folder. */
function yearDecision(dir: string, files: string[]): { status: DecisionStatus | 'unknown'; number: string; date: string } {
  const statuses: DecisionStatus[] = [];
  let number = '';
  let date = '';
  for (const file of files) {
    try {
      const decision = decisionBlock(readFileSync(join(dir, file), 'utf8'));
      if (!decision || typeof decision !== 'object') continue;
      const n = typeof decision.number === 'string' ? decision.number : '';
      const d = typeof decision.date === 'string' ? decision.date : '';
      const s = decision.status === 'draft' || decision.status === 'signed' ? decision.status : undefined;
      statuses.push(decisionStatus({ ...(s ? { status: s } : {}), number: n, date: d }));
      if (!number && !date) {
        number = n;
        date = d;
      }
    } catch {
      // An unreadable file is validate's to report; the year's status is what the others say.
    }
  }
  // One draft file makes the year a draft: never score under half-signed rules.
  const status = statuses.length === 0 ? 'unknown' : statuses.includes('draft') ? 'draft' : 'signed';
  return { status, number, date };
}

/** Every year under a criteria root, oldest first, with its status. */
export function listCriteriaYears(root: string): CatalogYear[] {
  if (!isDir(root)) return [];
  return readdirSync(root)
    .filter((n) => YEAR.test(n) && isDir(join(root, n)))
    .sort()
    .map((name) => {
      const dir = join(root, name);
      const files = readdirSync(dir)
        .filter((n) => YAML_FILE.test(n))
        .sort();
      const { status, number, date } = yearDecision(dir, files);
      return { year: Number(name), dir, status, decision: { number, date }, files };
    })
    .filter((y) => y.files.length > 0);
}

/** The newest signed year, if any. */
export function newestSigned(years: readonly CatalogYear[]): CatalogYear | undefined {
  return [...years].reverse().find((y) => y.status === 'signed');
}

export type CriteriaChoice =
  | { ok: true; path: string; year?: CatalogYear; root?: CriteriaRoot; defaulted: boolean }
  | { ok: false; reason: 'no-root' | 'no-signed'; root: CriteriaRoot | { dir: string; bundled: boolean }; drafts: CatalogYear[] };

/**
 * What `--criteria ARG` names, resolved against `cwd`:
 * - nothing: the newest signed year under the working directory's criteria/ (or the bundled one);
 * - a criteria root (criteria/): its newest signed year;
 * - a year folder or a level file: itself, draft or not (naming a draft is how to use it);
 * - a bare year ("2025") that is not a path: that year under the root.
 */
export function chooseCriteria(arg: string | undefined, cwd: string): CriteriaChoice {
  if (arg !== undefined) {
    const full = resolve(cwd, arg);
    if (!existsSync(full) && YEAR.test(arg)) {
      const root = criteriaRoot(cwd);
      const year = listCriteriaYears(root.dir).find((y) => y.year === Number(arg));
      if (year) return { ok: true, path: year.dir, year, root, defaulted: false };
    }
    if (!isCriteriaRoot(full)) return { ok: true, path: full, defaulted: false };
    return pickNewestSigned({ dir: full, bundled: false }, false);
  }
  return pickNewestSigned(criteriaRoot(cwd), true);
}

function pickNewestSigned(root: CriteriaRoot, defaulted: boolean): CriteriaChoice {
  const years = listCriteriaYears(root.dir);
  if (years.length === 0) return { ok: false, reason: 'no-root', root, drafts: [] };
  const signed = newestSigned(years);
  if (!signed) return { ok: false, reason: 'no-signed', root, drafts: years.filter((y) => y.status !== 'signed') };
  return { ok: true, path: signed.dir, year: signed, root, defaulted };
}

/**
 * Every set a path stands for, for commands that take several (validate,
 * serve): a root gives all its years; a year folder or a file gives itself.
 */
export function setsUnderPath(full: string): string[] {
  if (isCriteriaRoot(full)) return listCriteriaYears(full).map((y) => y.dir);
  if (isDir(full) && !readdirSync(full).some((n) => YAML_FILE.test(n))) {
    // A folder of sets that are not named by year (test fixtures, examples/2024-draft).
    const subsets = readdirSync(full)
      .map((n) => join(full, n))
      .filter((p) => isDir(p) && readdirSync(p).some((n) => YAML_FILE.test(n)))
      .sort();
    if (subsets.length) return subsets;
  }
  return [full];
}

/** "criteria/2025" from an absolute year folder, for messages. */
export function yearLabel(year: CatalogYear): string {
  return `${basename(resolve(year.dir, '..'))}/${basename(year.dir)}`;
}
