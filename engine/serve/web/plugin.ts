/**
 * The web view of `tieuchi serve`, as one Fastify plugin under /web:
 *
 *   GET  /web                              the criteria sets
 *   GET  /web/:year                        a set: decision, levels, files
 *   GET  /web/:year/:level                 a level's criteria: printed text, formula as math, parameters, examples
 *   GET  /web/:year/results                the year's results (the served data) with the report's charts
 *   POST /web/:year/results                the same for posted JSON data (a form field "data", or a JSON body)
 *   GET  /web/:year/results/:level/:unit   one unit's score sheet (its explanation)
 *   GET  /web/diff?from=&to=               the diff between two years, old beside new, with its impact
 *   GET  /web/:year/:level/what-if?…       change a parameter or a maximum, see each unit's new total and rank
 *
 * Every page is server-rendered HTML in Vietnamese (`?lang=en` for
 * English), self-contained (inline CSS and SVG), and works without
 * JavaScript. Results, diffs and reports are computed once per year and
 * language and kept; what-ifs are kept in a small bounded cache.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CompiledLevel } from '../../compile/level.js';
import type { CriteriaSet } from '../../criteria-set.js';
import { diffCriteriaSets } from '../../diff/compare.js';
import { impactOfChange, mergeSubmissions } from '../../diff/impact.js';
import type { Submission } from '../../model.js';
import type { Lang } from '../../problems.js';
import { scoreSubmissions, type ScoreRun } from '../../scoring.js';
import { scoreUnit } from '../../evaluate/score.js';
import { scoreJson } from '../../api.js';
import { buildResultsReport, type ReportFile, type ResultsReport } from '../../report/html/report-model.js';
import { buildScoreSheets } from '../../report/html/sheet.js';
import { esc } from '../../report/html/escape.js';
import type { ServerOptions } from '../app.js';
import { levelValuesOfRun, type LevelValues } from '../../evaluate/statistics.js';
import { diffPage, homePage, href, impactTable, levelPage, page, resultsPage, setPage, t, unitPage, whatIfPage, whatIfResults, type PageContext } from './pages.js';
import { fastWhatIf, isNoChange, maxField, parameterField, readWhatIf, rescoresPartially, roundValueField, runWhatIf, whatIfBaseline, type WhatIfBaseline } from './what-if.js';
import { cachedPage, memo, sendCached, type CachedPage } from './page-cache.js';
import type { RoundValuesNow, RoundValuesSource } from './round-values.js';

export interface WebViewOptions {
  /** Submissions the server was started with (`tieuchi serve --input …`): the results pages, the diff's impact and the what-if use them. */
  submissions?: Submission[];
  /** The year those submissions belong to (default: the newest set). */
  year?: number;
  /** The submission files and their SHA-256, for the provenance. */
  files?: { file: string; sha256: string }[];
  /** Most units in data posted to a results page (default 20,000). */
  maxPostedUnits?: number;
  /** Round values the results and the what-if score with (issue 11), read again whenever the file changes (round-values.ts). */
  roundValues?: RoundValuesSource;
  /**
   * Data that can change while the service runs (an assessment round receiving files:
   * engine/round/serve.ts roundWebData), asked on every request; instead of `submissions`.
   */
  source?: WebDataSource;
}

/** The web view's data as of now; `version` changes whenever the submissions do. */
export interface WebData {
  submissions: Submission[];
  year?: number;
  files?: { file: string; sha256: string }[];
  version: string;
}

export interface WebDataSource {
  current(): Promise<WebData>;
}

interface DataNow extends WebData {
  yearsWithData: Set<number>;
}

declare module '../app.js' {
  interface ServerOptions {
    /** The web view's data (engine/serve/web). */
    web?: WebViewOptions;
  }
}

/** Pages may use inline styles and the what-if's inline script, and talk to this server only. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const WHAT_IF_CACHE = 128;

function langOf(request: FastifyRequest): Lang {
  return (request.query as { lang?: unknown } | undefined)?.lang === 'en' ? 'en' : 'vi';
}

const PAGE_HEADERS = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' };

/** A page rendered now and not kept (an error page, posted data). */
function sendPage(request: FastifyRequest, reply: FastifyReply, html: string, status = 200): Promise<FastifyReply> {
  return sendCached(request, reply, cachedPage(html, status), PAGE_HEADERS);
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** A page number from the query: a whole number from 1, else the first page. */
function pageNumber(raw: unknown): number {
  return typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
}

export const webView: FastifyPluginAsync<{ server: ServerOptions }> = async (app: FastifyInstance, { server }) => {
  // HTML pages for people, not part of the JSON API: kept out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...(route.schema ?? {}), hide: true };
  });
  const sets = [...server.sets].sort((a, b) => a.year - b.year);
  const byYear = new Map(sets.map((s) => [s.year, s]));
  const web = server.web ?? {};
  const withYears = (data: WebData): DataNow => {
    const year = data.year ?? sets[sets.length - 1]?.year;
    return { ...data, yearsWithData: new Set(data.submissions.length && year !== undefined ? [year] : []) };
  };
  const fixed = web.source ? undefined : withYears({ submissions: web.submissions ?? [], ...(web.year === undefined ? {} : { year: web.year }), ...(web.files ? { files: web.files } : {}), version: web.submissions?.length ? digest(JSON.stringify(web.submissions)) : 'no-data' });
  let latest: DataNow | undefined;
  const dataNow = async (): Promise<DataNow> => {
    if (fixed) return fixed;
    const data = await web.source!.current();
    if (latest?.version !== data.version) latest = withYears(data);
    return latest;
  };
  const maxPosted = web.maxPostedUnits ?? 20_000;

  // What every cached page depends on besides its own route: the criteria files and the data,
  // by hash, so that other criteria or other data never meet a page made from the old ones.
  const setKey = new Map(sets.map((s) => [s.year, digest(s.levels.map((l) => `${l.id}:${l.sha256}`).join('\n'))]));
  const roundNow = (set: CriteriaSet): RoundValuesNow | undefined => (web.roundValues && set.levels.some((l) => l.doc.round_values) ? web.roundValues.current(set) : undefined);
  const keyOf = (data: DataNow, set: CriteriaSet | undefined, ...parts: (string | number | boolean | undefined)[]) => [set ? `${set.year}:${setKey.get(set.year)}:${data.version}:${roundNow(set)?.version ?? '-'}` : data.version, ...parts].join('|');

  const runs = memo<ScoreRun>(8);
  const runOf = (data: DataNow, set: CriteriaSet) => {
    const values = roundNow(set)?.values;
    return runs(keyOf(data, set), () => scoreSubmissions(set, data.submissions, { trace: false, ...(values ? { roundValues: values } : {}) }));
  };
  // The level statistics and round values of the run (pass one), for a unit scored again with its trace.
  const runValueMaps = memo<Map<string, LevelValues>>(8);
  const runValues = (data: DataNow, set: CriteriaSet) => runValueMaps(keyOf(data, set), () => levelValuesOfRun(set, data.submissions, roundNow(set)?.values));
  const reports = memo<ResultsReport>(8);
  const reportOf = (data: DataNow, set: CriteriaSet): ResultsReport =>
    reports(keyOf(data, set), () => {
      const round = roundNow(set);
      const files: ReportFile[] = [
        ...set.levels.map((l) => ({ file: l.file, sha256: l.sha256, role: 'criteria' as const })),
        ...(data.files ?? []).map((f) => ({ ...f, role: 'input' as const })),
        ...(round?.values ? [{ file: round.file.split(/[\\/]/).pop()!, sha256: round.sha256, role: 'input' as const }] : []),
      ];
      return buildResultsReport(set, runOf(data, set), { files });
    });
  // Rendered pages, ready to send (bytes, entity tag, compressed forms): see page-cache.ts.
  const pages = memo<CachedPage>(512);
  const cached = (request: FastifyRequest, reply: FastifyReply, key: string, make: () => string, status = 200) => sendCached(request, reply, pages(key, () => cachedPage(make(), status)), PAGE_HEADERS);
  // The what-if's baseline: a level's units under the rules (and round values) in force, scored once.
  const baselines = memo<WhatIfBaseline>(16);
  const baseline = (data: DataNow, set: CriteriaSet, level: CompiledLevel, mine: Submission[]) => baselines(keyOf(data, set, level.id), () => whatIfBaseline(set, level, mine, roundNow(set)?.values));
  const whatIfs = memo<{ html: string; status: number }>(WHAT_IF_CACHE);

  const ctxOf = (request: FastifyRequest, data: DataNow): PageContext => ({ lang: langOf(request), path: request.url.replace(/^\/web/, '').split('?')[0]!, sets, yearsWithData: data.yearsWithData });
  const notFound = (request: FastifyRequest, reply: FastifyReply, ctx: PageContext, vi: string, en: string) =>
    sendPage(request, reply, page(ctx, ctx.lang === 'vi' ? 'Không tìm thấy' : 'Not found', `<p>${esc(ctx.lang === 'vi' ? vi : en)}</p><p><a href="/web${ctx.lang === 'en' ? '?lang=en' : ''}">${t(ctx.lang).home}</a></p>`), 404);
  const yearOr404 = (request: FastifyRequest<{ Params: { year: string } }>, reply: FastifyReply, ctx: PageContext): CriteriaSet | undefined => {
    const set = /^\d{4}$/.test(request.params.year) ? byYear.get(Number(request.params.year)) : undefined;
    if (!set) void notFound(request, reply, ctx, `Không có bộ tiêu chí năm ${request.params.year}. Các năm: ${[...byYear.keys()].join(', ')}.`, `No criteria for year ${request.params.year}. Years: ${[...byYear.keys()].join(', ')}.`);
    return set;
  };
  const levelOr404 = (request: FastifyRequest, set: CriteriaSet, id: string, reply: FastifyReply, ctx: PageContext): CompiledLevel | undefined => {
    const level = set.levels.find((l) => l.id === id);
    if (!level) void notFound(request, reply, ctx, `Năm ${set.year} không có cấp "${id}". Các cấp: ${set.levels.map((l) => l.id).join(', ')}.`, `Year ${set.year} has no level "${id}". Levels: ${set.levels.map((l) => l.id).join(', ')}.`);
    return level;
  };

  // Forms post as application/x-www-form-urlencoded; read them here, in this plugin only.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      const form: Record<string, string> = Object.create(null);
      for (const [key, value] of new URLSearchParams(body as string)) form[key] = value;
      done(null, form);
    });
  }

  app.get('/web', async (request, reply) => {
    const data = await dataNow();
    const ctx = ctxOf(request, data);
    return cached(request, reply, keyOf(data, undefined, 'home', ctx.lang), () => homePage(ctx));
  });

  app.get<{ Params: { year: string } }>('/web/:year', async (request, reply) => {
    const data = await dataNow();
    const ctx = ctxOf(request, data);
    const set = yearOr404(request, reply, ctx);
    if (!set) return reply;
    return cached(request, reply, keyOf(data, set, 'set', ctx.lang), () => setPage(ctx, set));
  });

  app.get<{ Params: { year: string; level: string } }>('/web/:year/:level', async (request, reply) => {
    const data = await dataNow();
    const ctx = ctxOf(request, data);
    const set = yearOr404(request, reply, ctx);
    if (!set) return reply;
    const level = levelOr404(request, set, request.params.level, reply, ctx);
    if (!level) return reply;
    return cached(request, reply, keyOf(data, set, 'level', level.id, ctx.lang), () => levelPage(ctx, set, level));
  });

  app.get<{ Params: { year: string }; Querystring: { all?: string; level?: string; page?: string } }>('/web/:year/results', async (request, reply) => {
    const data = await dataNow();
    const ctx = ctxOf(request, data);
    const set = yearOr404(request, reply, ctx);
    if (!set) return reply;
    const hasData = data.yearsWithData.has(set.year);
    const all = request.query.all === '1';
    // A page of one level's tables; an unknown level or page number gives the first page.
    const level = set.levels.find((l) => l.id === request.query.level)?.id;
    const pageNo = level ? pageNumber(request.query.page) : 1;
    return cached(request, reply, keyOf(data, set, 'results', ctx.lang, all, level, pageNo), () => resultsPage(ctx, set, hasData ? reportOf(data, set) : undefined, { linkUnits: true, all, ...(level ? { level, page: pageNo } : {}) }));
  });

  app.post<{ Params: { year: string } }>('/web/:year/results', { bodyLimit: 16 * 1024 * 1024 }, async (request, reply) => {
    const data = await dataNow();
    const ctx = ctxOf(request, data);
    const set = yearOr404(request, reply, ctx);
    if (!set) return reply;
    const body = request.body as unknown;
    let json: unknown;
    const fail = (vi: string, en: string) => sendPage(request, reply, page(ctx, t(ctx.lang).resultsOf(set.year), `<div class="errors" role="alert"><p>${esc(ctx.lang === 'vi' ? vi : en)}</p></div><p><a href="/web/${set.year}/results${ctx.lang === 'en' ? '?lang=en' : ''}">←</a></p>`), 400);
    if (body !== null && typeof body === 'object' && typeof (body as { data?: unknown }).data === 'string' && !Array.isArray(body)) {
      try {
        json = JSON.parse((body as { data: string }).data);
      } catch (err) {
        // JSON.parse says what is wrong in English: the Vietnamese message keeps only the position.
        const position = /position (\d+)/.exec((err as Error).message)?.[1];
        return fail(`Số liệu không phải JSON hợp lệ${position ? ` (lỗi ở vị trí ${position})` : ''}.`, `The data is not valid JSON: ${(err as Error).message}`);
      }
    } else if (body !== null && typeof body === 'object') json = body;
    else return fail('Gửi số liệu JSON trong ô "data" của biểu mẫu, hoặc thân yêu cầu application/json.', 'Send JSON data in the form field "data", or as an application/json body.');
    const count = Array.isArray(json) ? json.length : Array.isArray((json as { submissions?: unknown })?.submissions) ? (json as { submissions: unknown[] }).submissions.length : 1;
    if (count === 0 || count > maxPosted) return fail(`Cần từ 1 đến ${maxPosted} đơn vị, nhận được ${count}.`, `Expected 1 to ${maxPosted} units, got ${count}.`);
    const values = roundNow(set)?.values;
    const run = scoreJson(set, json, { trace: false, ...(values ? { roundValues: values } : {}) });
    const sha = createHash('sha256').update(JSON.stringify(json)).digest('hex');
    const report = buildResultsReport(set, run, { files: [...set.levels.map((l) => ({ file: l.file, sha256: l.sha256, role: 'criteria' as const })), { file: ctx.lang === 'vi' ? '(số liệu gửi lên, JSON chuẩn hóa)' : '(posted data, normalised JSON)', sha256: sha, role: 'input' }] });
    return sendPage(request, reply, resultsPage(ctx, set, report, { linkUnits: false, all: true }));
  });

  app.get<{ Params: { year: string; level: string; unit: string } }>('/web/:year/results/:level/:unit', async (request, reply) => {
    const data = await dataNow();
    const ctx = ctxOf(request, data);
    const set = yearOr404(request, reply, ctx);
    if (!set) return reply;
    const level = levelOr404(request, set, request.params.level, reply, ctx);
    if (!level) return reply;
    const run = data.yearsWithData.has(set.year) ? runOf(data, set) : undefined;
    const index = run?.units.findIndex((u) => u.level === level.id && u.id === request.params.unit) ?? -1;
    const submission = data.submissions.find((s) => s.level === level.id && s.id === request.params.unit);
    if (!run || index < 0 || !submission) return notFound(request, reply, ctx, `Không có đơn vị "${request.params.unit}" ở cấp ${level.name} trong số liệu năm ${set.year}.`, `No unit "${request.params.unit}" in level ${level.id} of the ${set.year} data.`);
    return cached(request, reply, keyOf(data, set, 'unit', level.id, request.params.unit, ctx.lang), () => {
      // Traces for this unit only: its rank and its peers come from the year's run (level statistics and round values too).
      const cachedUnit = run.units[index]!;
      const levelValues = level.structure?.levelValues.size ? runValues(data, set).get(level.id) : undefined;
      const traced = { ...scoreUnit(level, submission, { trace: true, ...(levelValues ? { levelValues } : {}) }), ...(cachedUnit.rank === undefined ? {} : { rank: cachedUnit.rank }), problems: cachedUnit.problems };
      const units = run.units.slice();
      units[index] = traced;
      const [sheet] = buildScoreSheets(set, { ...run, units }, ctx.lang, { units: [cachedUnit.id] });
      return unitPage(ctx, set, sheet!);
    });
  });

  app.get<{ Querystring: { from?: string; to?: string } }>('/web/diff', async (request, reply) => {
    const data = await dataNow();
    const ctx = ctxOf(request, data);
    const years = sets.map((s) => s.year);
    const from = byYear.get(Number(request.query.from ?? years[years.length - 2]));
    const to = byYear.get(Number(request.query.to ?? years[years.length - 1]));
    if (sets.length >= 2 && (!from || !to)) return notFound(request, reply, ctx, `Không có bộ tiêu chí năm ${request.query.from ?? ''} hoặc ${request.query.to ?? ''}.`, `No criteria for ${request.query.from ?? ''} or ${request.query.to ?? ''}.`);
    return cached(request, reply, [keyOf(data, from, 'diff'), keyOf(data, to), ctx.lang].join('|'), () => {
      if (!from || !to || from === to) return diffPage({ ...ctx, path: '/diff' }, { ...(from ? { from: from.year } : {}), ...(to ? { to: to.year } : {}) }, undefined, '');
      const diff = diffCriteriaSets(from, to);
      let impact = '';
      if (data.submissions.length) {
        const merged = mergeSubmissions(data.submissions);
        const oldValues = roundNow(from)?.values;
        const newValues = roundNow(to)?.values;
        const report = impactOfChange(from, to, merged.submissions, { roundValues: { ...(oldValues ? { old: oldValues } : {}), ...(newValues ? { new: newValues } : {}) } });
        impact = report.levels
          .filter((l) => l.units.length)
          .map((l) => `<h3>${esc(l.name)}</h3>${impactTable(report, l.id, ctx.lang, `${from.year} → ${to.year}`, undefined, (to.levels.find((k) => k.id === l.id) ?? from.levels.find((k) => k.id === l.id))?.doc.scoring.rounding.decimals)}`)
          .join('\n');
      }
      return diffPage({ ...ctx, path: `/diff` }, { from: from.year, to: to.year }, diff, impact);
    });
  });

  app.get<{ Params: { year: string; level: string }; Querystring: Record<string, string> }>('/web/:year/:level/what-if', async (request, reply) => {
    const data = await dataNow();
    const ctx = ctxOf(request, data);
    const set = yearOr404(request, reply, ctx);
    if (!set) return reply;
    const level = levelOr404(request, set, request.params.level, reply, ctx);
    if (!level) return reply;
    const form = request.query ?? {};
    const round = roundNow(set);
    const { change, errors } = readWhatIf(level, form, ctx.lang, round?.values);
    const mine = data.submissions.filter((s) => s.level === level.id);
    const pageNo = pageNumber(form.page);
    const status = errors.length ? 400 : 200;
    // The page links keep the form's values: each page is the same what-if, further down the ranking.
    const action = `/${set.year}/${encodeURIComponent(level.id)}/what-if`;
    const fields = new Set([...[...level.parameters.keys()].map(parameterField), ...level.criteria.map((c) => maxField(c.id)), ...Object.keys(level.doc.round_values ?? {}).map(roundValueField)]);
    const kept = Object.fromEntries(Object.entries(form).filter(([k, v]) => typeof v === 'string' && fields.has(k) && v.length <= 40));
    const paging = { page: pageNo, href: (n: number) => href(action, ctx.lang, { ...kept, ...(n === 1 ? {} : { page: String(n) }) }) };
    const key = keyOf(data, set, 'what-if', level.id, ctx.lang, JSON.stringify(change), JSON.stringify(errors), pageNo);
    const fragment = () =>
      whatIfs(key, () => {
        if (errors.length || mine.length === 0) return { html: whatIfResults(ctx, level, change, undefined, errors, mine.length === 0), status };
        const before = baseline(data, set, level, mine);
        const unchanged = () => (rescoresPartially(level) ? fastWhatIf(set, level, level, change, before) : impactOfChange(set, set, mine, { level: level.id, ...(round?.values ? { roundValues: { old: round.values, new: round.values } } : {}) }));
        const result = isNoChange(change) ? { impact: unchanged(), totalPoints: { old: level.totalPoints.toNumber(), new: level.totalPoints.toNumber() }, problems: [] } : runWhatIf(set, level, change, mine, before, round?.values);
        return { html: whatIfResults(ctx, level, change, result, [], false, paging, round?.values), status };
      });
    if (form.partial === '1') return cached(request, reply, `${key}|partial`, () => fragment().html, status);
    return cached(request, reply, `${key}|page|${JSON.stringify(kept)}`, () => whatIfPage({ ...ctx, path: action }, set, level, form, errors, fragment().html, round), status);
  });
};

export default webView;

/** Registered by engine/serve/app.ts: `app.register(import('./web/plugin.js'), { server: options })`. */
