import { criteriaStatus } from '../../criteria-set.js';
/** Read-only routes: health, the loaded criteria, one level's file, its submission schema, this API's description. */
import { submissionSchema } from '../../contract/submission-schema.js';
import { engineVersion } from '../../paths.js';
import type { TieuchiPlugin } from '../app.js';
import { fail, isFailure, send } from '../failures.js';
import { commonFailures, failureResponse, yearLevelParams } from '../schemas.js';
import { pickSet } from '../years.js';

export const criteriaRoutes: TieuchiPlugin = async (app, { context }) => {
  const { sets } = context;
  const years = () => [...sets.byYear.keys()].sort((a, b) => a - b);

  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['service'],
        summary: 'Liveness; engine version and loaded years',
        response: { 200: { description: 'The service is up.', $ref: 'Health#' }, ...commonFailures() },
      },
    },
    async () => ({ ok: true, engine: 'tieuchi', engineVersion: engineVersion(), years: years() }),
  );

  let document: unknown;
  app.get(
    '/openapi.json',
    {
      schema: {
        operationId: 'getOpenApi',
        tags: ['service'],
        summary: 'This document (OpenAPI 3.1); browsable at /docs',
        response: { 200: { description: 'The OpenAPI document.', type: 'object', additionalProperties: true }, ...commonFailures() },
      },
    },
    async () => (document ??= app.swagger()),
  );

  app.get(
    '/criteria',
    {
      schema: {
        operationId: 'listCriteria',
        tags: ['criteria'],
        summary: "Loaded years and their levels (with each file's SHA-256)",
        response: { 200: { description: 'Every loaded year.', $ref: 'CriteriaList#' }, ...commonFailures() },
      },
    },
    async () => {
      const listed = years().map((year) => {
        const set = sets.byYear.get(year)!;
        return {
          year,
          status: criteriaStatus(set),
          decision: set.levels[0]!.doc.decision,
          levels: set.levels.map((l) => ({ id: l.id, name: l.name, order: l.order, totalPoints: l.totalPoints.toNumber(), criteria: l.criteria.length, file: l.file, sha256: l.sha256 })),
        };
      });
      // Signed sets under `years` (as before), drafts apart: a client listing "the years" never picks up a draft.
      return { ok: true, default: sets.fallback?.year ?? null, years: listed.filter((s) => s.status === 'signed'), drafts: listed.filter((s) => s.status === 'draft') };
    },
  );

  const levelOf = (params: { year: string; level: string }) => {
    const set = pickSet(sets, params.year);
    if (isFailure(set)) return set;
    const level = set.levels.find((l) => l.id === params.level);
    const ids = set.levels.map((l) => l.id).join(', ');
    return level ? { set, level } : fail(404, 'http.not-found', `Năm ${set.year} không có cấp "${params.level}".`, `Year ${set.year} has no level "${params.level}".`, { vi: `Các cấp: ${ids}.`, en: `Levels: ${ids}.` });
  };
  const notFound = { ...commonFailures(), 400: failureResponse('The year is not four digits, or the level id is malformed.'), 404: failureResponse('No such year or level is loaded.') };

  app.get<{ Params: { year: string; level: string } }>(
    '/criteria/:year/:level',
    {
      schema: {
        operationId: 'getCriteriaLevel',
        tags: ['criteria'],
        summary: "One level's criteria as written in the YAML",
        params: yearLevelParams,
        response: { 200: { description: "The level's criteria file.", $ref: 'CriteriaLevel#' }, ...notFound },
      },
    },
    async (request, reply) => {
      const found = levelOf(request.params);
      if (isFailure(found)) return send(reply, found);
      return { ok: true, file: found.level.file, sha256: found.level.sha256, ...found.level.doc };
    },
  );

  app.get<{ Params: { year: string; level: string } }>(
    '/schema/:year/:level',
    {
      schema: {
        operationId: 'getSubmissionSchema',
        tags: ['criteria'],
        summary: "JSON Schema (draft-07) of one unit's submission for the year and level",
        params: yearLevelParams,
        response: {
          200: { description: 'The schema.', content: { 'application/schema+json': { schema: { type: 'object', additionalProperties: true } } } },
          ...notFound,
        },
      },
    },
    async (request, reply) => {
      const found = levelOf(request.params);
      if (isFailure(found)) return send(reply, found);
      return reply.type('application/schema+json; charset=utf-8').send(submissionSchema(found.level));
    },
  );
};
