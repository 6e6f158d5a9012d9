/**
 * The HTTP service: the engine behind a small, stable JSON API, for systems
 * that cannot call a Node library (a provincial reporting portal, a
 * spreadsheet macro, a script in another language).
 *
 * Criteria sets are loaded once, at start-up, and served read-only. Every
 * answer is JSON; every failure is `{ok: false, problems: [...]}` with the
 * same Problem objects the CLI prints, the right status code (400 bad JSON or
 * bad submission, 404, 413 body too large, 415 wrong content type) and never
 * a stack trace. Fastify is imported only by this module, which the CLI loads
 * only for `tieuchi serve`.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { SubmissionValidator, submissionSchema } from '../contract/submission-schema.js';
import { loadCriteriaTexts, type CriteriaFileText, type CriteriaSet } from '../criteria-set.js';
import { DEFAULT_SUBMISSION_LIMITS, envelopeOf } from '../load/submissions.js';
import type { Submission } from '../model.js';
import { engineVersion } from '../paths.js';
import { hasErrors, problem, type Lang, type Problem, type ProblemCode } from '../problems.js';
import { withExplanations } from '../report/explain.js';
import { scoreSubmissions } from '../scoring.js';
import { openApiDocument } from './openapi.js';

export interface ServerOptions {
  /** The criteria sets to serve (one per year), already loaded and free of errors. */
  sets: CriteriaSet[];
  /** Largest request body accepted, in bytes (larger: 413). Default 16 MiB. */
  bodyLimit?: number;
  /** Most submissions in one POST /score. Default 200,000 (as for files). */
  maxSubmissions?: number;
  /** Most criteria files in one POST /validate. Default 20. */
  maxFiles?: number;
  /** Fastify's logger option (default off; `tieuchi serve` turns it on). */
  logger?: boolean;
}

const YAML_TYPES = ['text/yaml', 'application/yaml', 'application/x-yaml', 'text/x-yaml', 'text/plain'];

interface Failure {
  status: number;
  problems: Problem[];
}

function fail(status: number, code: ProblemCode, vi: string, en: string, hint?: { vi: string; en: string }): Failure {
  return { status, problems: [problem(code, { vi, en }, hint ? { hint } : {})] };
}

function send(reply: FastifyReply, failure: Failure): FastifyReply {
  return reply.code(failure.status).type('application/json; charset=utf-8').send({ ok: false, problems: failure.problems });
}

/** The year's set: ?year= or body.year, else the newest. */
function pickSet(sets: Map<number, CriteriaSet>, newest: CriteriaSet | undefined, year: unknown): CriteriaSet | Failure {
  if (year === undefined || year === null || year === '') {
    return newest ?? fail(404, 'http.not-found', 'Máy chủ chưa nạp bộ tiêu chí nào.', 'No criteria set is loaded.');
  }
  const set = sets.get(Number(year));
  if (set) return set;
  return fail(404, 'http.not-found', `Không có bộ tiêu chí năm ${String(year)}.`, `No criteria for year ${String(year)}.`, {
    vi: `Các năm: ${[...sets.keys()].join(', ')}.`,
    en: `Years: ${[...sets.keys()].join(', ')}.`,
  });
}

function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && 'status' in value && 'problems' in value;
}

/** Build the Fastify app (not listening). Call `listen()` on it, or `inject()` in tests; `close()` waits for requests in flight. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const sets = new Map(options.sets.map((s) => [s.year, s]));
  const newest = [...options.sets].sort((a, b) => b.year - a.year)[0];
  const validators = new Map(options.sets.map((s) => [s.year, new SubmissionValidator(s)]));
  const maxSubmissions = options.maxSubmissions ?? DEFAULT_SUBMISSION_LIMITS.maxSubmissions;
  const maxFiles = options.maxFiles ?? 20;

  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 16 * 1024 * 1024,
    logger: options.logger ?? false,
    // While closing, requests already received complete; new ones get 503, then the port closes.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const code = error.code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(reply, fail(413, 'http.too-large', `Nội dung gửi lên quá lớn (tối đa ${app.initialConfig.bodyLimit} byte).`, `Request body too large (at most ${app.initialConfig.bodyLimit} bytes).`, { vi: 'Chia số liệu thành nhiều lần gửi.', en: 'Split the data into several requests.' }));
    }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return send(reply, fail(415, 'http.unsupported-media-type', `Không nhận kiểu nội dung "${request.headers['content-type'] ?? ''}".`, `Unsupported content type "${request.headers['content-type'] ?? ''}".`, { vi: 'Gửi JSON với Content-Type: application/json (hoặc YAML với text/yaml cho /validate).', en: 'Send JSON with Content-Type: application/json (or YAML as text/yaml to /validate).' }));
    }
    if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
      return send(reply, fail(400, 'submission.unreadable', `Nội dung gửi lên không phải JSON hợp lệ: ${error.message}`, `The request body is not valid JSON: ${error.message}`, { vi: 'Kiểm tra dấu phẩy, dấu ngoặc và dấu ngoặc kép.', en: 'Check commas, brackets and quotes.' }));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return send(reply, fail(status, 'http.bad-request', `Yêu cầu không hợp lệ: ${error.message}`, `Bad request: ${error.message}`));
    }
    // A bug in tieuchi: logged with its stack on the server, never sent to the client.
    request.log.error({ err: error }, 'internal error');
    return send(reply, fail(500, 'http.internal', 'Lỗi nội bộ của máy chủ; đã ghi nhật ký.', 'Internal server error; it has been logged.'));
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, fail(404, 'http.not-found', `Không có đường dẫn ${request.method} ${request.url}.`, `No route ${request.method} ${request.url}.`, { vi: 'Xem GET /openapi.json.', en: 'See GET /openapi.json.' })),
  );

  app.get('/health', async () => ({ ok: true, engine: 'tieuchi', engineVersion: engineVersion(), years: [...sets.keys()].sort() }));

  app.get('/openapi.json', async () => openApiDocument(engineVersion()));

  app.get('/criteria', async () => ({
    ok: true,
    years: [...sets.values()]
      .sort((a, b) => a.year - b.year)
      .map((set) => ({
        year: set.year,
        decision: set.levels[0]!.doc.decision,
        levels: set.levels.map((l) => ({ id: l.id, name: l.name, order: l.order, totalPoints: l.totalPoints.toNumber(), criteria: l.criteria.length, file: l.file, sha256: l.sha256 })),
      })),
  }));

  const levelOf = (params: { year: string; level: string }) => {
    const set = pickSet(sets, newest, params.year);
    if (isFailure(set)) return set;
    const level = set.levels.find((l) => l.id === params.level);
    return level
      ? { set, level }
      : fail(404, 'http.not-found', `Năm ${set.year} không có cấp "${params.level}".`, `Year ${set.year} has no level "${params.level}".`, {
          vi: `Các cấp: ${set.levels.map((l) => l.id).join(', ')}.`,
          en: `Levels: ${set.levels.map((l) => l.id).join(', ')}.`,
        });
  };

  app.get<{ Params: { year: string; level: string } }>('/criteria/:year/:level', async (request, reply) => {
    const found = levelOf(request.params);
    if (isFailure(found)) return send(reply, found);
    const { level } = found;
    return { ok: true, file: level.file, sha256: level.sha256, ...level.doc };
  });

  app.get<{ Params: { year: string; level: string } }>('/schema/:year/:level', async (request, reply) => {
    const found = levelOf(request.params);
    if (isFailure(found)) return send(reply, found);
    return reply.type('application/schema+json; charset=utf-8').send(submissionSchema(found.level));
  });

  app.post<{ Querystring: { year?: string; trace?: string; lang?: string } }>('/score', async (request, reply) => {
    const body = request.body;
    if (typeof body === 'string' || body === undefined) {
      return send(reply, fail(415, 'http.unsupported-media-type', 'POST /score nhận JSON (Content-Type: application/json).', 'POST /score takes JSON (Content-Type: application/json).'));
    }
    const envelope = body !== null && typeof body === 'object' && !Array.isArray(body) && Array.isArray((body as { submissions?: unknown }).submissions) ? (body as { submissions: unknown[]; year?: unknown }) : undefined;
    const list: unknown[] = Array.isArray(body) ? body : envelope ? envelope.submissions : [body];
    const set = pickSet(sets, newest, request.query.year ?? envelope?.year);
    if (isFailure(set)) return send(reply, set);
    if (list.length === 0 || list.length > maxSubmissions) {
      return send(reply, fail(400, 'submission.shape', `Cần từ 1 đến ${maxSubmissions} đơn vị, nhận được ${list.length}.`, `Expected 1 to ${maxSubmissions} units, got ${list.length}.`));
    }
    const lang: Lang = request.query.lang === 'en' ? 'en' : 'vi';
    const trace = request.query.trace !== 'false';

    // The engine's own checks give the primary messages (by unit, criterion and input);
    // the submission schema is checked too, so nothing it forbids gets through silently.
    const submissions: Submission[] = [];
    const envelopeProblems: Problem[] = [];
    list.forEach((raw, index) => {
      const read = envelopeOf(raw, index, 'request', 'json');
      envelopeProblems.push(...read.problems);
      if (read.submission) submissions.push(read.submission);
    });
    const run = scoreSubmissions(set, submissions, { trace });
    const validator = validators.get(set.year)!;
    const schemaProblems: Problem[] = [];
    for (const submission of submissions) {
      if (run.problems.some((p) => p.unit === submission.id)) continue;
      schemaProblems.push(...validator.check(list[submission.origin!.index!]));
    }
    const problems = [...envelopeProblems, ...run.problems, ...schemaProblems];
    const ok = !hasErrors(problems);
    const units = trace ? run.units.map((u) => withExplanations(set, u, lang)) : run.units;
    return reply.code(ok ? 200 : 400).send({ ...run, ok, units, problems });
  });

  app.post<{ Querystring: { name?: string } }>('/validate', async (request, reply) => {
    const body = request.body as unknown;
    let files: CriteriaFileText[];
    if (typeof body === 'string') {
      files = [{ file: request.query.name ?? 'criteria.yaml', text: body }];
    } else if (body !== null && typeof body === 'object' && Array.isArray((body as { files?: unknown }).files)) {
      const given = (body as { files: unknown[] }).files;
      const bad = given.findIndex((f) => typeof (f as { name?: unknown })?.name !== 'string' || typeof (f as { text?: unknown })?.text !== 'string');
      if (bad >= 0 || given.length === 0 || given.length > maxFiles) {
        return send(reply, fail(400, 'http.bad-request', `"files" phải là danh sách 1–${maxFiles} mục {name, text} (chuỗi).`, `"files" must be a list of 1–${maxFiles} {name, text} entries (strings).`));
      }
      files = given.map((f) => ({ file: (f as { name: string }).name, text: (f as { text: string }).text }));
    } else if (body !== null && typeof body === 'object' && typeof (body as { text?: unknown }).text === 'string') {
      const one = body as { text: string; name?: unknown };
      files = [{ file: typeof one.name === 'string' ? one.name : 'criteria.yaml', text: one.text }];
    } else {
      return send(reply, fail(400, 'http.bad-request', 'Gửi nội dung YAML (Content-Type: text/yaml), hoặc JSON {"files": [{"name", "text"}]}.', 'Send YAML text (Content-Type: text/yaml), or JSON {"files": [{"name", "text"}]}.'));
    }
    const { set, problems } = loadCriteriaTexts('request', files);
    return {
      ok: !hasErrors(problems),
      levels: set?.levels.map((l) => ({ id: l.id, name: l.name, year: l.year, criteria: l.criteria.length, file: l.file, sha256: l.sha256 })) ?? [],
      problems,
    };
  });

  void app.register(import('./web/plugin.js'), { server: options }); // web view: engine/serve/web

  return app;
}
