/**
 * POST /score: one submission, a list, or {year, submissions}. Every unit
 * that can be read is scored; what cannot is listed in `rejected`. The
 * answer grows with the units sent, never faster: at most `maxSubmissions`
 * per request, problems detailed for the first REFUSED_DETAILED refused
 * entries only (the rest counted), and the flattened `problems` list capped
 * at PROBLEMS_LIMIT (each unit still lists all of its own).
 */
import { envelopeOf } from '../../load/submissions.js';
import { missingRoundValue, roundValuesFromBody } from '../../load/round-values.js';
import { unavailableStatistics } from '../../evaluate/level-values.js';
import { levelValuesOfRun, type RoundValues } from '../../evaluate/statistics.js';
import type { Submission } from '../../model.js';
import { hasErrors, problem, type Lang, type Problem } from '../../problems.js';
import { withExplanations } from '../../report/explain.js';
import { scoreSubmissions } from '../../scoring.js';
import type { TieuchiPlugin } from '../app.js';
import { fail, isFailure, send } from '../failures.js';
import { writeSecurity } from '../openapi.js';
import { AnswerText } from '../answer-text.js';
import { commonFailures, failureResponse, ScoreRunSchema, SHARED_SCHEMAS } from '../schemas.js';
import { pickSet } from '../years.js';

/** Refused entries whose problems are listed one by one; past this, they are counted. */
export const REFUSED_DETAILED = 100;
/** Most problems in the flattened `problems` list of an answer. */
export const PROBLEMS_LIMIT = 1000;

interface ScoreQuery {
  year?: string;
  trace?: 'true' | 'false';
  explain?: 'true' | 'false';
  lang?: Lang;
}

export const scoreRoutes: TieuchiPlugin = async (app, { context }) => {
  const { sets, validators, limits } = context;
  const answerText = new AnswerText(SHARED_SCHEMAS);
  // Fastify reads text/plain bodies by default; here only JSON is read (others: 415).
  app.removeContentTypeParser('text/plain');

  app.post<{ Querystring: ScoreQuery }>(
    '/score',
    {
      preHandler: context.writeGuard,
      schema: {
        operationId: 'scoreSubmissions',
        tags: ['scoring'],
        summary: 'Score one or many submissions',
        description:
          'Every unit that can be read is scored and ranked within its level; the others are listed in `rejected` with their problems. 200 when at least one unit was scored (check `ok` and each unit\'s `status`); 422 when none could be. Traces and Vietnamese explanations only with `trace=true` (or `explain=true`).',
        ...writeSecurity(context.keysRequired),
        querystring: {
          type: 'object',
          properties: {
            year: { type: 'string', pattern: '^[0-9]{4}$', description: 'Criteria year (default: body.year, else the newest loaded).' },
            trace: { type: 'string', enum: ['true', 'false'], default: 'false', description: "Include each criterion's exact value, trace and explanation." },
            explain: { type: 'string', enum: ['true', 'false'], default: 'false', description: 'Same as trace.' },
            lang: { type: 'string', enum: ['vi', 'en'], default: 'vi', description: 'Language of explanations.' },
          },
          additionalProperties: false,
        },
        body: {
          'x-tieuchi-accepts': ['object', 'array'],
          oneOf: [
            { $ref: 'Submission#' },
            { type: 'array', items: { $ref: 'Submission#' }, minItems: 1, maxItems: limits.maxSubmissions },
            {
              type: 'object',
              required: ['submissions'],
              properties: {
                year: { type: 'integer', minimum: 1000, maximum: 9999 },
                submissions: { type: 'array', items: { $ref: 'Submission#' }, minItems: 1, maxItems: limits.maxSubmissions },
                round_values: { $ref: 'RoundValues#' },
              },
              additionalProperties: false,
            },
          ],
        },
        response: {
          200: { description: 'At least one unit was scored; `ok` is false when some submission had an error.', $ref: 'ScoreRun#' },
          400: failureResponse('Not JSON, not an object or a list, no submissions, or a bad query.'),
          401: failureResponse('API key missing or wrong (when the server requires keys).'),
          404: failureResponse('No criteria of that year are loaded.'),
          408: failureResponse('The request was not received in time.'),
          ...commonFailures(),
          413: failureResponse('Body too large, or more submissions than the server takes in one request.'),
          415: failureResponse('Not JSON.'),
          422: { description: 'Well-formed, but no unit could be scored: every submission is in `rejected`.', $ref: 'ScoreRun#' },
        },
      },
    },
    async (request, reply) => {
      const body = request.body as unknown;
      const envelope =
        body !== null && typeof body === 'object' && !Array.isArray(body) && Array.isArray((body as { submissions?: unknown }).submissions) ? (body as { submissions: unknown[]; year?: unknown; round_values?: unknown }) : undefined;
      const list: unknown[] = Array.isArray(body) ? body : envelope ? envelope.submissions : [body];
      const set = pickSet(sets, request.query.year ?? envelope?.year);
      if (isFailure(set)) return send(reply, set);
      if (list.length === 0) return send(reply, fail(400, 'submission.shape', 'Không có đơn vị nào trong yêu cầu.', 'The request holds no submission.'));
      if (list.length > limits.maxSubmissions) {
        return send(
          reply,
          fail(413, 'http.too-large', `Một yêu cầu nhận tối đa ${limits.maxSubmissions} đơn vị, nhận được ${list.length}.`, `At most ${limits.maxSubmissions} submissions per request, got ${list.length}.`, {
            vi: 'Chia số liệu thành nhiều lần gửi.',
            en: 'Split the data into several requests.',
          }),
        );
      }
      const lang: Lang = request.query.lang === 'en' ? 'en' : 'vi';
      const trace = request.query.trace === 'true' || request.query.explain === 'true';

      // Envelopes first (id, name, level, inputs): a refused entry costs one short problem list, and past
      // REFUSED_DETAILED of them, nothing but a count.
      const submissions: Submission[] = [];
      const refused: { index: number; id?: string; problems: Problem[] }[] = [];
      let refusedUncounted = 0;
      list.forEach((raw, index) => {
        const read = envelopeOf(raw, index, 'request', 'json');
        if (read.submission) {
          submissions.push(read.submission);
          return;
        }
        if (refused.length >= REFUSED_DETAILED) {
          refusedUncounted++;
          return;
        }
        const id = (raw as { id?: unknown } | null)?.id;
        refused.push({ index, ...(typeof id === 'string' ? { id: id.slice(0, 100) } : {}), problems: read.problems });
      });
      if (refusedUncounted) {
        refused.push({
          index: -1,
          problems: [
            problem('submission.shape', { vi: `Thêm ${refusedUncounted} mục nữa không đọc được (chỉ liệt kê chi tiết ${REFUSED_DETAILED} mục đầu).`, en: `${refusedUncounted} more entries could not be read (only the first ${REFUSED_DETAILED} are detailed).` }),
          ],
        });
      }

      // structures (issue 11): round values in the body, checked as the CLI checks its file; each problem names
      // its path (round_values.values.name). A value that cannot be used is left out: the criteria reading it
      // say so per unit, and every other criterion and unit still scores.
      const roundProblems: Problem[] = [];
      let roundValues: RoundValues | undefined;
      const sentLevels = new Set(submissions.map((s) => s.level));
      if (envelope && Object.prototype.hasOwnProperty.call(envelope, 'round_values')) {
        const read = roundValuesFromBody(envelope.round_values, set);
        roundValues = read.values;
        roundProblems.push(...read.problems.filter((p) => p.code !== 'round-value.missing' || sentLevels.has(p.level ?? '')));
      } else {
        for (const level of set.levels) {
          if (!sentLevels.has(level.id)) continue;
          for (const [name, def] of Object.entries(level.doc.round_values ?? {})) {
            roundProblems.push(missingRoundValue(level.locate(['round_values', name], true), level.id, name, def.label, undefined, { vi: `Gửi kèm giá trị trong yêu cầu: {"submissions": [...], "round_values": {"values": {"${name}": giá trị}}}.`, en: `Send it with the request: {"submissions": [...], "round_values": {"values": {"${name}": value}}}.` }));
          }
        }
      }
      const runLevelValues = levelValuesOfRun(set, submissions, roundValues);
      // A level scored against its other units, with too few of them here: one line naming the statistics it needs.
      for (const level of set.levels) {
        if (!sentLevels.has(level.id)) continue;
        const lacking = unavailableStatistics(level, runLevelValues.get(level.id));
        if (lacking) roundProblems.push(lacking);
      }
      const run = scoreSubmissions(set, submissions, { trace, runLevelValues, ...(roundValues ? { roundValues } : {}) });
      // The engine's checks give the primary messages (by unit, criterion and input); the
      // submission schema is checked too for units the engine found nothing wrong with, so
      // nothing it forbids gets through silently.
      const validator = validators.get(set.year)!;
      const flagged = new Set(run.problems.map((p) => p.unit));
      const schemaProblems: Problem[] = [];
      for (const submission of submissions) if (!flagged.has(submission.id)) schemaProblems.push(...validator.check(list[submission.origin!.index!]));

      const all = [...roundProblems, ...refused.flatMap((r) => r.problems), ...run.problems, ...schemaProblems];
      const units = trace ? run.units.map((u) => withExplanations(set, u, lang)) : run.units;
      const answer = {
        ok: !hasErrors(all),
        year: run.year,
        // The levels of the units answered, not every level of the set: the answer grows with what was sent.
        levels: run.levels.filter((l) => units.some((u) => u.level === l.id)),
        units,
        rejected: [...refused, ...run.rejected],
        problems: all.length > PROBLEMS_LIMIT ? all.slice(0, PROBLEMS_LIMIT) : all,
        ...(all.length > PROBLEMS_LIMIT ? { problemsOmitted: all.length - PROBLEMS_LIMIT } : {}),
        provenance: run.provenance,
      };
      reply.code(units.length ? 200 : 422);
      // bulk (issue 9): the bytes the response schema's serializer writes, by JSON.stringify (answer-text.ts); when that
      // is not certain (traces: class instances, recursive trace nodes), the schema's serializer writes them.
      const text = answerText.text(answer, ScoreRunSchema);
      if (text === undefined) return reply.send(answer);
      // As bytes: encoded once (a string would be measured for its length, then encoded).
      return reply.header('content-type', 'application/json; charset=utf-8').send(Buffer.from(text, 'utf8'));
    },
  );
};
