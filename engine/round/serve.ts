/**
 * An assessment round behind the HTTP service (`tieuchi serve --round DIR`):
 * a portal submits a provider's data and a unit's declaration (self-assessment,
 * evidence), and reads status and results. Routes under /round, JSON only.
 *
 * Every request carries an API key (`Authorization: Bearer <key>` or
 * `X-Api-Key`). round.yaml stores only each key's SHA-256 (keys are random,
 * 256 bits: `tieuchi round key`), compared in constant time against every
 * configured hash. A key belongs to one holder:
 * - a unit may submit only its own data and declaration, and read only its own result;
 * - an agency may submit only the inputs it supplies, for any unit, and read those;
 * - the department may do everything.
 * A refused write stores nothing; an accepted one is kept like any received file
 * (never overwritten) and journaled with who, when and its SHA-256.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, type Localized, type Problem } from '../problems.js';
import { providersOf, type Round } from './config.js';
import { collectRound, mergedSubmission } from './collect.js';
import { listReceived } from './received.js';
import type { Submission } from '../model.js';
import type { WebData, WebDataSource } from '../serve/web/plugin.js';
import { readFileSync } from 'node:fs';
import { looksLikeDeclaration } from './declarations.js';
import { receiveFile } from './received.js';
import { scoreRound, type RoundUnit } from './results.js';
import { roundStatus } from './status.js';
import { isRecord } from './yaml-file.js';
import { levelValueUseSchema, UnitScoreSchema } from '../serve/schemas.js';

export type Holder = { id: string; kind: 'department' | 'agency' | 'unit' };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Who holds this key, if anyone: every configured hash is compared, in constant time. */
export function holderOf(round: Round, key: string | undefined): Holder | undefined {
  if (!key || key.length > 512) return undefined;
  const given = sha256(key);
  let found: string | undefined;
  for (const k of round.config.keys) {
    const expected = Buffer.from(k.sha256, 'hex');
    if (expected.length === given.length && timingSafeEqual(expected, given)) found = k.holder;
  }
  if (!found) return undefined;
  if (found === round.config.department.id) return { id: found, kind: 'department' };
  if (round.config.providers.some((p) => p.id === found)) return { id: found, kind: 'agency' };
  return round.units.has(found) ? { id: found, kind: 'unit' } : undefined;
}

function keyOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const header = request.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

function refuse(reply: FastifyReply, status: number, message: Localized, extra: Partial<Problem> = {}): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ ok: false, problems: [problem('round.access', message, extra)] });
}

/** The submissions in a body: one, a list, or {submissions: [...]}. */
function entriesOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (isRecord(body) && Array.isArray(body.submissions)) return body.submissions;
  return [body];
}

/** Why this holder may not send these submissions, or undefined when it may. */
function writeRefusal(round: Round, holder: Holder, body: unknown): Localized | undefined {
  if (holder.kind === 'department') return undefined;
  for (const entry of entriesOf(body)) {
    if (!isRecord(entry) || typeof entry.id !== 'string') continue; // malformed: kept and reported like any file
    if (holder.kind === 'unit' && entry.id !== holder.id) {
      return { vi: `Khóa của đơn vị "${holder.id}" chỉ gửi được số liệu của chính đơn vị này, không gửi được cho "${entry.id}".`, en: `The key of unit "${holder.id}" can only send its own data, not data for "${entry.id}".` };
    }
    if (holder.kind === 'agency') {
      const unit = round.units.get(entry.id);
      if (!unit) return { vi: `Không có đơn vị "${entry.id}" trong đợt đánh giá.`, en: `No unit "${entry.id}" in the round.` };
      const inputs = isRecord(entry.inputs) ? entry.inputs : {};
      for (const [criterion, block] of Object.entries(inputs)) {
        for (const input of Object.keys(isRecord(block) ? block : {})) {
          if (!providersOf(round.config, unit.level, `${criterion}.${input}`).includes(holder.id)) {
            return { vi: `Khóa của "${holder.id}" chỉ gửi được các số liệu cơ quan này cung cấp; "${criterion}.${input}" của ${entry.id} không phải.`, en: `The key of "${holder.id}" can only send the inputs it supplies; "${criterion}.${input}" of ${entry.id} is not one.` };
          }
        }
      }
    }
  }
  return undefined;
}

/** What a holder may read of a unit's result. */
function visibleUnit(holder: Holder, unit: RoundUnit): RoundUnit | Record<string, unknown> | undefined {
  if (holder.kind === 'department' || (holder.kind === 'unit' && holder.id === unit.id)) return unit;
  if (holder.kind === 'agency') {
    // An agency sees the inputs it supplies and their status, not points or appraisals.
    const inputs = unit.criteria.flatMap((c) => c.inputs.filter((i) => i.providers.some((p) => p.id === holder.id)).map((i) => ({ criterion: c.id, input: i.id, status: i.status, value: i.value, source: i.source })));
    return inputs.length ? { id: unit.id, name: unit.name, level: unit.level, inputs } : undefined;
  }
  return undefined;
}

/**
 * The round's data for the web view (`tieuchi serve --round DIR`): each unit's inputs as merged
 * from every file received (the values the round's results compute from, before any appraisal).
 * Files arrive while the service runs (POST /round/submissions, or `tieuchi round receive`
 * into received/), and a received file is never overwritten, so the list of received file
 * names is the data's version: listed on each request (a directory listing), collected and
 * merged again only when it changed.
 */
export function roundWebData(round: Round): WebDataSource {
  let kept: { version: string; data: Promise<WebData> } | undefined;
  const collect = async (version: string): Promise<WebData> => {
    const collected = await collectRound(round);
    const submissions: Submission[] = [];
    for (const entry of collected.units.values()) {
      if (entry.chosen.size === 0) continue; // nothing received for this unit yet
      // As registered: the type, and (structures, issue 11) the attributes that decide what applies.
      submissions.push({ ...mergedSubmission(entry), ...(entry.unit.type ? { type: entry.unit.type } : {}), ...(entry.unit.attributes ? { attributes: entry.unit.attributes } : {}) });
    }
    const files = listReceived(round).files.map((f) => ({ file: f.file, sha256: createHash('sha256').update(readFileSync(f.path)).digest('hex') }));
    return { submissions, year: round.config.year, files, version };
  };
  return {
    current() {
      const version = createHash('sha256')
        .update(listReceived(round).files.map((f) => f.file).join('\n'))
        .digest('hex')
        .slice(0, 16);
      if (kept?.version !== version) {
        // A failed collection is not kept: the next request tries again.
        const data = collect(version).catch((err: unknown) => {
          if (kept?.data === data) kept = undefined;
          throw err;
        });
        kept = { version, data };
      }
      return kept.data;
    },
  };
}


/**
 * The /round routes in the OpenAPI document (GET /openapi.json, /docs): other tools (a portal,
 * an agency's system) call them, so they are a contract like /score. Request bodies are checked
 * for their top-level shape only (engine/serve/validation.ts): their content is kept as a
 * received file and reported, never refused field by field. The answers of status and results
 * are large, nested and grow with the round's features: their top level is typed, the rest is
 * described and kept as it is (additionalProperties), so the serializer never drops a field.
 */
const ROUND_TAG = { name: 'round', description: "Đợt đánh giá: nhận số liệu, tự đánh giá và minh chứng; tình trạng, kết quả (theo khóa của đợt). An assessment round: data, declarations and evidence in; status and results out (per the round's keys)." };
const ROUND_SECURITY: Record<string, string[]>[] = [{ roundBearer: [] }, { roundKey: [] }];

/** The security schemes the round's operations name (merged into the document's components). */
export const ROUND_SECURITY_SCHEMES = {
  roundBearer: { type: 'http', scheme: 'bearer', description: 'A key of the round (tieuchi round key) as `Authorization: Bearer <key>`: the department, an agency or a unit; round.yaml keeps only its SHA-256.' },
  roundKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The same key of the round as `X-Api-Key: <key>`.' },
};

const failure = (description: string) => ({ description, $ref: 'Failure#' });
const anyObject = (description: string) => ({ type: 'object', description, additionalProperties: true });
const problemList = { type: 'array', items: { $ref: 'Problem#' } };

const receivedResponse = (description: string) => ({
  description,
  type: 'object',
  required: ['ok', 'file', 'sha256', 'receivedAt', 'duplicate', 'problems'],
  properties: {
    ok: { type: 'boolean', description: 'False when the file, as received, has an error (it is kept and reported all the same).' },
    file: { type: 'string', description: 'Where it is kept, relative to the round folder: received/<sender>/<UTC time>-<sha8>.json (never overwritten).' },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the bytes kept.' },
    receivedAt: { type: 'string', format: 'date-time', description: 'When it was received (UTC).' },
    duplicate: { type: 'boolean', description: 'The same bytes were already received from this sender: nothing new was kept (200 instead of 201).' },
    problems: { ...problemList, description: "The file's problems as the round reads it (unknown unit, bad value, late, conflict…)." },
  },
  additionalProperties: false,
});

const writeFailures = {
  400: failure('Not a submission (or a declaration sent to /round/submissions), or a file that cannot be kept.'),
  401: failure('Key missing or not a key of this round.'),
  403: failure('The key may not send this: a unit sends only its own data, an agency only the inputs it supplies.'),
  413: failure('Request body too large.'),
  415: failure('Not JSON.'),
  429: failure('Over the rate limit (when the server sets one).'),
};
const readFailures = { 401: writeFailures[401], 429: writeFailures[429] };

const submissionsBody = {
  'x-tieuchi-accepts': ['object', 'array'],
  description: "Submissions as POST /score takes them (one, a list, or {submissions: [...]}) for the round's year; each is checked when the round reads it, and its problems come back in the answer.",
  oneOf: [
    { type: 'object', description: 'One submission, or {submissions: [...]}.', additionalProperties: true },
    { type: 'array', items: { type: 'object', additionalProperties: true } },
  ],
};

/** structures (issue 11): how a total was reached (engine/evaluate/totals.ts TotalsBreakdown), as in UnitScore. */
const unitScoreProperties = UnitScoreSchema.properties as Record<string, object>;
const totalsBreakdown = {
  type: 'object',
  description: 'How a total was reached on a structured level: base (rescaled when some criterion does not apply), bonus and penalty after their caps, the floor, group subtotals, index.',
  required: ['base', 'bonus', 'penalty', 'applicable', 'groups'],
  properties: { base: unitScoreProperties.base, bonus: unitScoreProperties.bonus, penalty: unitScoreProperties.penalty, applicable: unitScoreProperties.applicable, capped: unitScoreProperties.capped, groups: unitScoreProperties.groups, index: unitScoreProperties.index },
  additionalProperties: false,
};

const roundCriterion = {
  type: 'object',
  description: 'One criterion of a unit: self-assessed, computed and final points, inputs with provider and source, appraisal, evidence.',
  required: ['id', 'number', 'name', 'maxPoints', 'status'],
  properties: {
    id: { type: 'string' },
    number: { type: 'string' },
    name: { type: 'string' },
    maxPoints: { type: 'number' },
    kind: { type: 'string', enum: ['bonus', 'penalty', 'info'], description: 'Structured levels: a criterion outside the ordinary points.' },
    group: { type: 'string', description: 'Structured levels: the group it is in.' },
    self: { type: 'number' },
    computed: { type: 'number' },
    final: { type: 'number', description: 'After the appraisal: the points that count.' },
    difference: { type: 'number', description: 'final − self.' },
    status: { type: 'string', enum: ['scored', 'error', 'not_applicable'], description: 'not_applicable: "không áp dụng" to this unit by its type or attributes (never 0, never missing data; left out of the totals).' },
    levelValues: { type: 'array', items: levelValueUseSchema, description: 'Level statistics and round values the computed points read.' },
    finalLevelValues: { type: 'array', items: levelValueUseSchema, description: 'The same for the final points, when the appraisal changed them.' },
    explanation: { type: 'string' },
    finalExplanation: { type: 'string' },
  },
  additionalProperties: true,
};

const roundUnit = {
  type: 'object',
  description: 'One unit as the key may see it: the department and the unit itself see points and appraisals; an agency only the inputs it supplies ({id, name, level, inputs}).',
  required: ['id', 'name', 'level'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    level: { type: 'string' },
    levelName: { type: 'string' },
    type: { type: 'string' },
    attributes: unitScoreProperties.attributes,
    parent: { type: 'string' },
    status: { type: 'string', enum: ['complete', 'incomplete'] },
    totalPoints: { type: 'number' },
    selfTotal: { type: 'number' },
    computedTotal: { type: 'number' },
    finalTotal: { type: 'number', description: 'After the appraisal; ranks and the award proposal use it. Structured levels: after rescaling, bonus, penalty and floor.' },
    rank: { type: 'integer' },
    computedRank: { type: 'integer' },
    breakdown: {
      type: 'object',
      description: 'Structured levels: how each total (self-assessed, computed, final) was reached.',
      properties: { self: totalsBreakdown, computed: totalsBreakdown, final: totalsBreakdown },
      additionalProperties: false,
    },
    problems: { ...problemList, description: 'Problems of the unit as a whole (nothing applies to it).' },
    criteria: { type: 'array', items: roundCriterion },
  },
  additionalProperties: true,
};

export const ROUND_SCHEMAS = {
  submissions: {
    operationId: 'roundSubmitData',
    tags: ['round'],
    summary: "Send data to the round (a unit's own inputs, or an agency's inputs for any unit)",
    description: 'The body is kept as a received file (never overwritten), journaled with who, when and its SHA-256, and read with every other file of the round. 201 when kept, 200 when the same bytes were already received.',
    security: ROUND_SECURITY,
    body: submissionsBody,
    response: { 201: receivedResponse('Received and kept.'), 200: receivedResponse('The same bytes were received before: nothing new kept.'), ...writeFailures },
  },
  evidence: {
    operationId: 'roundSubmitDeclaration',
    tags: ['round'],
    summary: "Send a unit's declaration: self-assessed points and evidence",
    security: ROUND_SECURITY,
    body: {
      'x-tieuchi-accepts': ['object'],
      type: 'object',
      description: "A unit's declaration; only the unit itself (or the department) may send it.",
      required: ['unit'],
      properties: {
        unit: { type: 'string', description: 'The unit id.' },
        self_assessment: { type: 'object', description: 'criterion id → the points the unit gives itself.', additionalProperties: { type: 'number' } },
        evidence: { type: 'object', description: 'criterion id → evidence items (document number, link, file name).', additionalProperties: true },
      },
      additionalProperties: true,
    },
    response: { 201: receivedResponse('Received and kept.'), 200: receivedResponse('The same bytes were received before: nothing new kept.'), ...writeFailures },
  },
  status: {
    operationId: 'roundStatus',
    tags: ['round'],
    summary: 'What the round has received and what is missing, as the key may see it',
    description: 'The department sees everything; a unit its own status and files; an agency what it supplies and its files.',
    security: ROUND_SECURITY,
    response: {
      200: {
        description: 'The status, filtered by the key.',
        type: 'object',
        required: ['ok', 'round'],
        properties: {
          ok: { type: 'boolean', const: true },
          round: anyObject('The round: name, year, deadline, folder.'),
          units: { type: 'array', description: 'Per unit: inputs received and missing, problems.', items: anyObject('One unit.') },
          providers: { type: 'array', description: 'Per agency: what it supplies, what it has sent.', items: anyObject('One agency.') },
          files: { type: 'array', description: 'Files received: sender, time, problems.', items: anyObject('One file.') },
        },
        additionalProperties: true,
      },
      ...readFailures,
    },
  },
  results: {
    operationId: 'roundResults',
    tags: ['round'],
    summary: "The round's results: self-assessed, computed and appraised points per unit and criterion",
    description: "The department sees every unit (ranks, award proposal, problems); a unit its own result; an agency only the inputs it supplies and their status (no points).",
    security: ROUND_SECURITY,
    response: {
      200: {
        description: 'The results, filtered by the key.',
        type: 'object',
        required: ['ok', 'round', 'units'],
        properties: {
          ok: { type: 'boolean', const: true },
          round: anyObject('The round: name, year, deadline, folder.'),
          units: { type: 'array', description: 'Per unit: criteria with self, computed and final points, inputs with their provider and source, appraisal, evidence, totals (and on a structured level their breakdown) and ranks.', items: roundUnit },
          levels: { type: 'array', description: "The set's levels: total points, the file's decimals (for showing points), and on a structured level its index decimals.", items: anyObject('One level.') },
          roundValues: { type: 'object', description: "Structured sets: the round values used (the round folder's round-values.yaml).", required: ['file', 'values'], properties: { file: { type: 'string' }, values: { type: 'object', additionalProperties: { type: 'number' } } }, additionalProperties: false },
        },
        additionalProperties: true,
      },
      ...readFailures,
    },
  },
  unit: {
    operationId: 'roundUnit',
    tags: ['round'],
    summary: "One unit's result and appraisal",
    security: ROUND_SECURITY,
    params: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', minLength: 1, maxLength: 200, description: 'The unit id (units.yaml).' } },
    },
    response: {
      200: { description: 'The unit, as the key may see it.', type: 'object', required: ['ok', 'unit'], properties: { ok: { type: 'boolean', const: true }, unit: roundUnit }, additionalProperties: false },
      403: failure("A unit's key reads only its own unit; an agency's only the units it supplies inputs of."),
      404: failure('No such unit in the round.'),
      ...readFailures,
    },
  },
};

export interface RoundRoutesOptions {
  round: Round;
  now?: () => Date;
}

/** The /round routes, as a plugin for the service's Fastify app. */
export function roundRoutes(options: RoundRoutesOptions): ((app: FastifyInstance) => Promise<void>) & { openApi: { tags: { name: string; description: string }[]; securitySchemes: typeof ROUND_SECURITY_SCHEMES } } {
  const { round } = options;
  const now = options.now ?? (() => new Date());
  const routes = async (app: FastifyInstance) => {
    const authenticate = (request: FastifyRequest, reply: FastifyReply): Holder | undefined => {
      const holder = holderOf(round, keyOf(request));
      if (!holder) {
        void refuse(reply, 401, { vi: 'Thiếu hoặc sai khóa truy cập (Authorization: Bearer <khóa>).', en: 'Missing or wrong API key (Authorization: Bearer <key>).' }, { hint: { vi: 'Xin sở chủ trì cấp khóa (tieuchi round key).', en: 'Ask the department for a key (tieuchi round key).' } });
        return undefined;
      }
      return holder;
    };

    const receive = async (request: FastifyRequest, reply: FastifyReply, kind: 'data' | 'declaration') => {
      const holder = authenticate(request, reply);
      if (!holder) return reply;
      const body = request.body;
      if (body === undefined || typeof body === 'string') return refuse(reply, 415, { vi: 'Gửi JSON (Content-Type: application/json).', en: 'Send JSON (Content-Type: application/json).' });
      if (kind === 'declaration') {
        if (!looksLikeDeclaration(body)) return refuse(reply, 400, { vi: 'Bản tự đánh giá, minh chứng là {unit, self_assessment, evidence}.', en: 'A declaration is {unit, self_assessment, evidence}.' });
        const unit = (body as { unit?: unknown }).unit;
        if (holder.kind === 'agency' || (holder.kind === 'unit' && unit !== holder.id)) {
          return refuse(reply, 403, { vi: `Khóa của "${holder.id}" không gửi được bản tự đánh giá của "${String(unit)}": mỗi đơn vị chỉ gửi của chính mình.`, en: `The key of "${holder.id}" cannot send the declaration of "${String(unit)}".` });
        }
      } else {
        if (looksLikeDeclaration(body)) return refuse(reply, 400, { vi: 'Bản tự đánh giá, minh chứng gửi vào POST /round/evidence.', en: 'Declarations go to POST /round/evidence.' });
        const refusal = writeRefusal(round, holder, body);
        if (refusal) return refuse(reply, 403, refusal);
      }
      const bytes = Buffer.from(JSON.stringify(body, null, 2) + '\n', 'utf8');
      const stored = receiveFile(round, holder.id, bytes, 'json', { now: now(), by: `${holder.id} (API)` });
      if (!stored.ok) return reply.code(400).send({ ok: false, problems: stored.problems });
      const collected = await collectRound(round);
      const problems = collected.files.find((f) => f.file === stored.file.file)?.problems ?? [];
      return reply.code(stored.duplicate ? 200 : 201).send({ ok: !problems.some((p) => p.severity === 'error'), file: stored.file.file, sha256: createHash('sha256').update(bytes).digest('hex'), receivedAt: stored.file.at.toISOString(), duplicate: stored.duplicate, problems });
    };

    app.post('/round/submissions', { schema: ROUND_SCHEMAS.submissions }, async (request, reply) => receive(request, reply, 'data'));
    app.post('/round/evidence', { schema: ROUND_SCHEMAS.evidence }, async (request, reply) => receive(request, reply, 'declaration'));

    app.get('/round/status', { schema: ROUND_SCHEMAS.status }, async (request, reply) => {
      const holder = authenticate(request, reply);
      if (!holder) return reply;
      const status = roundStatus(round, await scoreRound(round));
      if (holder.kind === 'department') return { ok: true, ...status };
      if (holder.kind === 'unit') {
        return { ok: true, round: status.round, units: status.units.filter((u) => u.id === holder.id), files: status.files.filter((f) => f.sender === holder.id) };
      }
      return { ok: true, round: status.round, providers: status.providers.filter((p) => p.id === holder.id), files: status.files.filter((f) => f.sender === holder.id) };
    });

    app.get('/round/results', { schema: ROUND_SCHEMAS.results }, async (request, reply) => {
      const holder = authenticate(request, reply);
      if (!holder) return reply;
      const result = await scoreRound(round);
      if (holder.kind === 'department') return { ok: true, ...result };
      return { ok: true, round: result.round, units: result.units.map((u) => visibleUnit(holder, u)).filter(Boolean) };
    });

    app.get<{ Params: { id: string } }>('/round/units/:id', { schema: ROUND_SCHEMAS.unit }, async (request, reply) => {
      const holder = authenticate(request, reply);
      if (!holder) return reply;
      if (!round.units.has(request.params.id)) return refuse(reply, 404, { vi: `Không có đơn vị "${request.params.id}".`, en: `No unit "${request.params.id}".` });
      if (holder.kind === 'unit' && holder.id !== request.params.id) {
        return refuse(reply, 403, { vi: `Khóa của đơn vị "${holder.id}" chỉ xem được kết quả và thẩm định của chính đơn vị này.`, en: `The key of unit "${holder.id}" can only read its own result and appraisal.` });
      }
      const result = await scoreRound(round);
      const unit = visibleUnit(holder, result.units.find((u) => u.id === request.params.id)!);
      if (!unit) return refuse(reply, 403, { vi: `"${holder.id}" không cung cấp số liệu nào của đơn vị này.`, en: `"${holder.id}" supplies no input of this unit.` });
      return { ok: true, unit };
    });
  };
  return Object.assign(routes, { openApi: { tags: [ROUND_TAG], securitySchemes: ROUND_SECURITY_SCHEMES } });
}
