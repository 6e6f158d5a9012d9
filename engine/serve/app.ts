/**
 * The HTTP service: the engine behind a small, stable JSON API, for systems
 * that cannot call a Node library (a provincial reporting portal, a
 * spreadsheet macro, a script in another language).
 *
 * Criteria sets are loaded once, at start-up, and served read-only. Every
 * answer is JSON, typed by the schemas of schemas.ts, which also make the
 * OpenAPI document (GET /openapi.json, browsable at /docs). Every failure is
 * `{ok: false, problems: [...]}` with the Problem objects the CLI prints and
 * never a stack trace.
 *
 * Status codes, one rule for every endpoint: 200 whenever the request was
 * well-formed and something was processed — the body then says, per unit or
 * per file, what went wrong (`ok: false`, `problems`); 422 when a
 * well-formed /score request had no unit that could be scored at all; 400 a
 * malformed request (bad JSON, bad query or path), 401 a missing or wrong
 * API key, 404 an unknown route, year or level, 405 a wrong method (with
 * Allow), 408 a request not received in time, 413 too large, 415 a content
 * type the endpoint does not read, 429 over the rate limit.
 *
 * Route groups are Fastify plugins, registered in one place (ROUTE_GROUPS
 * below, plus `options.plugins` for groups that live elsewhere). Fastify is
 * imported only by engine/serve, which the CLI loads only for `tieuchi serve`.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest, type preHandlerAsyncHookHandler } from 'fastify';
import { SubmissionValidator } from '../contract/submission-schema.js';
import type { CriteriaSet } from '../criteria-set.js';
import { engineVersion } from '../paths.js';
import { keyMatches, presentedKey } from './api-keys.js';
import { fail, send } from './failures.js';
import { JsonTooDeepError, MAX_JSON_DEPTH, registerJsonParser } from './json-body.js';
import { openApiOptions, submissionComponents, type OpenApiAdditions } from './openapi.js';
import { criteriaRoutes } from './routes/criteria.js';
import { scoreRoutes } from './routes/score.js';
import { validateRoutes } from './routes/validate.js';
import { SHARED_SCHEMAS } from './schemas.js';
import { schemaValidatorCompiler } from './validation.js';
import { loadedSets, type LoadedSets } from './years.js';

export interface ServerTimeouts {
  /** Most time to receive a request's headers, in ms (slower: the connection is closed). Default 10 s. */
  headersMs?: number;
  /** Most time to receive a whole request, headers and body, in ms (slower: 408). Default 15 s. */
  requestMs?: number;
  /** An idle connection is closed after this long, in ms. Default 60 s. */
  connectionMs?: number;
  /** A kept-alive connection waits this long for the next request, in ms. Default 5 s. */
  keepAliveMs?: number;
}

export interface ServerOptions {
  /** The criteria sets to serve (one per year), already loaded and free of errors. */
  sets: CriteriaSet[];
  /** Largest request body accepted, in bytes (larger: 413). Default 16 MiB. */
  bodyLimit?: number;
  /** Most submissions in one POST /score (more: 413). Default 5,000. */
  maxSubmissions?: number;
  /** Most criteria files in one POST /validate. Default 20. */
  maxFiles?: number;
  timeouts?: ServerTimeouts;
  /** Origins allowed to call the API from a browser (CORS). Default none: CORS off. */
  corsOrigins?: string[];
  /** SHA-256 hashes of the API keys that may call the POST endpoints (see api-keys.ts). Default none: no key needed. */
  apiKeyHashes?: Buffer[];
  /** At most `max` requests per client address per `windowMs` (default one minute); more: 429. Default off. */
  rateLimit?: { max: number; windowMs?: number };
  /** Where the API is reached, for the OpenAPI document's `servers`. Default the server itself ("/"). */
  servers?: { url: string; description?: string }[];
  /** More route groups (a web view, round endpoints), registered after the built-in ones. */
  plugins?: TieuchiPlugin[];
  /**
   * Fastify's logger option (default off). `tieuchi serve` logs errors, and with --log every
   * request, as JSON lines on stderr ({ level, stream }).
   */
  logger?: boolean | { level: 'error' | 'info'; stream: { write(line: string): void } };
}

/** What a route group gets: the loaded sets, the validators, the limits and the write guard. */
export interface ServeContext {
  sets: LoadedSets;
  validators: Map<number, SubmissionValidator>;
  limits: { maxSubmissions: number; maxFiles: number; bodyLimit: number };
  /** preHandler for endpoints that take data: checks the API key when keys are configured. */
  writeGuard: preHandlerAsyncHookHandler;
  /** True when POST endpoints need a key (for their OpenAPI `security`). */
  keysRequired: boolean;
}

export type TieuchiPlugin = FastifyPluginAsync<{ context: ServeContext }> & {
  /** What the group's operations need in the OpenAPI document besides their route schemas: their tag, their security schemes. */
  openApi?: OpenApiAdditions;
};

/**
 * One log line per request, when it is answered (method, path, client, status, time), rather than
 * Fastify's two (received, then answered): bulk (issue 9) — logging was a tenth of a one-unit
 * POST /score's time. A request that fails is still logged as an error, with the error.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, remoteAddress: request.ip, statusCode: reply.statusCode, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** The built-in route groups, in the order they are registered. */
const ROUTE_GROUPS: TieuchiPlugin[] = [criteriaRoutes, scoreRoutes, validateRoutes];

export const DEFAULT_TIMEOUTS: Required<ServerTimeouts> = { headersMs: 10_000, requestMs: 15_000, connectionMs: 60_000, keepAliveMs: 5_000 };

/** Build the Fastify app (not listening). Call `listen()` on it, or `inject()` in tests; `close()` waits for requests in flight. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const bodyLimit = options.bodyLimit ?? 16 * 1024 * 1024;
  const app = Fastify({
    bodyLimit,
    logger: options.logger ?? false,
    logController: new OneLinePerRequest(),
    // While closing, requests already received complete; new ones get 503, then the port closes.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node checks the header and request timeouts on this period (default 30 s, which would let a slow client hold on that long).
    http: { headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs), connectionsCheckingInterval: Math.min(1000, timeouts.headersMs) },
    ajv: { customOptions: { strict: false } },
  });
  app.setValidatorCompiler(schemaValidatorCompiler());

  const hashes = options.apiKeyHashes ?? [];
  const writeGuard: preHandlerAsyncHookHandler = async (request, reply) => {
    if (hashes.length === 0) return;
    const key = presentedKey(request);
    if (key !== undefined && keyMatches(key, hashes)) return;
    await send(
      reply,
      fail(
        401,
        'http.unauthorized',
        key === undefined ? 'Cần khóa API để gọi địa chỉ này.' : 'Khóa API không đúng.',
        key === undefined ? 'An API key is needed for this endpoint.' : 'Wrong API key.',
        { vi: 'Gửi khóa trong tiêu đề "Authorization: Bearer <khóa>" hoặc "X-API-Key: <khóa>"; xin khóa từ đơn vị quản trị.', en: 'Send the key as "Authorization: Bearer <key>" or "X-API-Key: <key>"; ask the administrators for one.' },
        { 'www-authenticate': 'Bearer realm="tieuchi"' },
      ),
    );
  };

  const context: ServeContext = {
    sets: loadedSets(options.sets),
    validators: new Map(options.sets.map((s) => [s.year, new SubmissionValidator(s)])),
    limits: { maxSubmissions: options.maxSubmissions ?? 5_000, maxFiles: options.maxFiles ?? 20, bodyLimit },
    writeGuard,
    keysRequired: hashes.length > 0,
  };

  registerJsonParser(app);
  registerErrorHandling(app, bodyLimit);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  for (const schema of submissionComponents(options.sets)) app.addSchema(schema);

  if (options.corsOrigins?.length) {
    void app.register(cors, {
      origin: options.corsOrigins,
      methods: ['GET', 'HEAD', 'POST'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key'],
      maxAge: 600,
    });
  }
  if (options.rateLimit) {
    const windowMs = options.rateLimit.windowMs ?? 60_000;
    void app.register(rateLimit, {
      max: options.rateLimit.max,
      timeWindow: windowMs,
      errorResponseBuilder: (_request, limit) => {
        const seconds = Math.ceil(limit.ttl / 1000);
        const failure = fail(429, 'http.rate-limited', `Quá ${limit.max} yêu cầu trong ${Math.round(windowMs / 1000)} giây; thử lại sau ${seconds} giây.`, `More than ${limit.max} requests in ${Math.round(windowMs / 1000)} s; retry in ${seconds} s.`);
        return Object.assign(new Error('rate limited'), { statusCode: 429, tieuchiFailure: failure });
      },
    });
  }
  const additions = (options.plugins ?? []).flatMap((p) => (p.openApi ? [p.openApi] : []));
  void app.register(swagger, openApiOptions({ version: engineVersion(), servers: options.servers, keysRequired: context.keysRequired, additions }));
  void app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true }, theme: { title: 'tieuchi — API' } });

  for (const plugin of [...ROUTE_GROUPS, ...(options.plugins ?? [])]) void app.register(plugin, { context });
  void app.register(import('./web/plugin.js'), { server: options }); // web view: engine/serve/web
  return app;
}

/** Error handler, 404 and 405: every failure as {ok: false, problems}. */
function registerErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  // Every route's path pattern and methods, to tell a wrong method (405) from an unknown path (404).
  const routes: { pattern: RegExp; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    const source = `^${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]\w*/g, '[^/]+')}/?$`;
    let entry = routes.find((r) => r.pattern.source === source);
    if (!entry) routes.push((entry = { pattern: new RegExp(source), methods: new Set() }));
    for (const method of [route.method].flat()) entry.methods.add(method);
  });

  app.setErrorHandler((error: FastifyError & { tieuchiFailure?: ReturnType<typeof fail> }, request, reply) => {
    if (error.tieuchiFailure) return send(reply, error.tieuchiFailure);
    const code = error.code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(reply, fail(413, 'http.too-large', `Nội dung gửi lên quá lớn (tối đa ${bodyLimit} byte).`, `Request body too large (at most ${bodyLimit} bytes).`, { vi: 'Chia số liệu thành nhiều lần gửi.', en: 'Split the data into several requests.' }));
    }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const type = String(request.headers['content-type'] ?? '').slice(0, 100);
      return send(reply, fail(415, 'http.unsupported-media-type', `Không nhận kiểu nội dung "${type}".`, `Unsupported content type "${type}".`, { vi: 'Gửi JSON với Content-Type: application/json (hoặc YAML với text/yaml cho /validate).', en: 'Send JSON with Content-Type: application/json (or YAML as text/yaml to /validate).' }));
    }
    if (error instanceof JsonTooDeepError) {
      return send(reply, fail(400, 'submission.unreadable', `Nội dung JSON lồng quá ${MAX_JSON_DEPTH} tầng (vị trí ${error.offset}).`, `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels (at offset ${error.offset}).`, { vi: 'Một đơn vị chỉ lồng 3 tầng: đơn vị → tiêu chí → số liệu.', en: 'A unit nests 3 levels: unit → criterion → input.' }));
    }
    if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' || error instanceof SyntaxError) {
      const detail = error.message.slice(0, 200);
      // The parser's own words are English: the Vietnamese message says the same in Vietnamese, with the position when there is one.
      const position = /position (\d+)/.exec(detail)?.[1];
      const vi =
        code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'Nội dung gửi lên trống, trong khi Content-Type là application/json.'
          : code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH'
            ? 'Độ dài nội dung (Content-Length) không khớp với số byte nhận được.'
            : `Nội dung gửi lên không phải JSON hợp lệ${position ? ` (lỗi ở vị trí ${position})` : ''}.`;
      return send(reply, fail(400, 'submission.unreadable', vi, `The request body is not valid JSON: ${detail}`, { vi: 'Kiểm tra dấu phẩy, dấu ngoặc và dấu ngoặc kép.', en: 'Check commas, brackets and quotes.' }));
    }
    if (error.validation) {
      const where = error.validationContext ?? 'request';
      const detail = error.validation.map((v) => `${where}${v.instancePath} ${v.message ?? ''}`.trim()).join('; ').slice(0, 300);
      return send(reply, fail(400, 'http.bad-request', `Yêu cầu không hợp lệ: ${detail}.`, `Bad request: ${detail}.`, { vi: 'Xem GET /openapi.json hoặc /docs.', en: 'See GET /openapi.json or /docs.' }));
    }
    const status = error.statusCode ?? 500;
    if (status === 408) return send(reply, fail(408, 'http.timeout', 'Không nhận đủ yêu cầu trong thời hạn.', 'The request was not received in time.'));
    if (status >= 400 && status < 500) {
      const detail = error.message.slice(0, 200);
      return send(reply, fail(status, 'http.bad-request', `Yêu cầu không hợp lệ: ${detail}`, `Bad request: ${detail}`));
    }
    // A bug in tieuchi: logged with its stack on the server, never sent to the client.
    request.log.error({ err: error }, 'internal error');
    return send(reply, fail(500, 'http.internal', 'Lỗi nội bộ của máy chủ; đã ghi nhật ký.', 'Internal server error; it has been logged.'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const shown = path.slice(0, 200);
    const allowed = routes.filter((r) => r.pattern.test(path)).flatMap((r) => [...r.methods]);
    if (allowed.length) {
      const allow = [...new Set(allowed)].sort().join(', ');
      return send(reply, fail(405, 'http.method-not-allowed', `${shown} không nhận phương thức ${request.method}; chỉ nhận ${allow}.`, `${shown} does not accept ${request.method}; it accepts ${allow}.`, undefined, { allow }));
    }
    return send(reply, fail(404, 'http.not-found', `Không có đường dẫn ${request.method} ${shown}.`, `No route ${request.method} ${shown}.`, { vi: 'Xem GET /openapi.json hoặc /docs.', en: 'See GET /openapi.json or /docs.' }));
  });
}
