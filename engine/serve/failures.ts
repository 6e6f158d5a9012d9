/** Failures of the HTTP service: a status and problems, sent as {ok: false, problems}. */
import type { FastifyReply } from 'fastify';
import { problem, type Localized, type Problem, type ProblemCode } from '../problems.js';

export interface Failure {
  status: number;
  problems: Problem[];
  /** Extra response headers (Allow, Retry-After, WWW-Authenticate). */
  headers?: Record<string, string>;
}

export function fail(status: number, code: ProblemCode, vi: string, en: string, hint?: Localized, headers?: Record<string, string>): Failure {
  return { status, problems: [problem(code, { vi, en }, hint ? { hint } : {})], ...(headers ? { headers } : {}) };
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && 'status' in value && 'problems' in value && Array.isArray((value as Failure).problems);
}

export function send(reply: FastifyReply, failure: Failure): FastifyReply {
  if (failure.headers) reply.headers(failure.headers);
  return reply.code(failure.status).type('application/json; charset=utf-8').send({ ok: false, problems: failure.problems });
}
