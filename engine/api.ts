/**
 * Conveniences of the library API for other tools: where the bundled
 * criteria are, reading and scoring one submission given as plain JSON, and
 * the HTTP service (loaded on demand, so that importing tieuchi does not load
 * Fastify).
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CriteriaSet } from './criteria-set.js';
import { listCriteriaYears, newestSigned } from './load/catalog.js';
import { envelopeOf } from './load/submissions.js';
import { packageRoot } from './paths.js';
import type { Problem } from './problems.js';
import { scoreSubmissions, type ScoreRun, type SessionOptions } from './scoring.js';
import type { ServerOptions } from './serve/app.js';

/** The criteria folder shipped with the package: criteria/<year> (default: the newest signed year; a draft only when named). */
export function bundledCriteriaDir(year?: number): string {
  const root = join(packageRoot(), 'criteria');
  if (year !== undefined) return join(root, String(year));
  const years = listCriteriaYears(root);
  return (newestSigned(years) ?? years[years.length - 1]!).dir;
}

/**
 * Score submissions given as parsed JSON (one object, a list, or
 * {submissions: [...]}), as the HTTP service does: envelope problems (a
 * missing id or level) come first, then the run's own problems.
 */
export function scoreJson(set: CriteriaSet, json: unknown, options: SessionOptions = {}): ScoreRun {
  const list: unknown[] = Array.isArray(json) ? json : json !== null && typeof json === 'object' && Array.isArray((json as { submissions?: unknown }).submissions) ? (json as { submissions: unknown[] }).submissions : [json];
  const problems: Problem[] = [];
  const submissions = list.flatMap((raw, index) => {
    const read = envelopeOf(raw, index, 'json', 'json');
    problems.push(...read.problems);
    return read.submission ? [read.submission] : [];
  });
  const run = scoreSubmissions(set, submissions, options);
  run.problems.unshift(...problems);
  return run;
}

/** The HTTP service as a Fastify app (not listening yet); see engine/serve/app.ts. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { buildServer: build } = await import('./serve/app.js');
  return build(options);
}
