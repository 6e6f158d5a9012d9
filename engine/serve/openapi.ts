/**
 * The OpenAPI 3.1 document (GET /openapi.json, shown at /docs), built by
 * @fastify/swagger from the route schemas themselves: the shared schemas of
 * schemas.ts become #/components/schemas/<$id>, and each loaded level's
 * submission schema (contract/submission-schema.ts, the one the engine
 * validates submissions with) becomes Submission-<year>-<level>.
 */
import type { SwaggerOptions } from '@fastify/swagger';
import { submissionSchema } from '../contract/submission-schema.js';
import type { CriteriaSet } from '../criteria-set.js';
import type { Schema } from './schemas.js';

export const TAGS = [
  { name: 'scoring', description: 'Chấm điểm số liệu của các đơn vị. Score the units\' submissions.' },
  { name: 'criteria', description: 'Bộ tiêu chí đã nạp, kiểm tra tệp tiêu chí, lược đồ số liệu. Loaded criteria, criteria validation, submission schemas.' },
  { name: 'service', description: 'Tình trạng dịch vụ và tài liệu này. Service health and this document.' },
];

/** One component per loaded year and level: the submission schema, draft-07 keywords kept, its own $schema/$id replaced. */
export function submissionComponents(sets: CriteriaSet[]): Schema[] {
  const levels: Schema[] = [];
  for (const set of sets) {
    for (const level of set.levels) {
      const { $schema: _schema, $id: _id, ...schema } = submissionSchema(level);
      levels.push({ ...schema, $id: `Submission-${level.year}-${level.id}` });
    }
  }
  return [
    ...levels,
    {
      $id: 'Submission',
      title: 'Submission',
      description: "One unit's data for one year and level; GET /schema/{year}/{level} gives the same schema for one level.",
      oneOf: levels.map((l) => ({ $ref: `${String(l.$id)}#` })),
    },
  ];
}

/** A route group's own tag and security schemes (the /round routes: engine/round/serve.ts). */
export interface OpenApiAdditions {
  tags?: { name: string; description: string }[];
  securitySchemes?: Record<string, Record<string, unknown>>;
}

export function openApiOptions(options: { version: string; servers?: { url: string; description?: string }[] | undefined; keysRequired: boolean; additions?: OpenApiAdditions[] }): SwaggerOptions {
  const extraSchemes = Object.assign({}, ...(options.additions ?? []).map((a) => a.securitySchemes ?? {})) as Record<string, Record<string, unknown>>;
  const keySchemes = options.keysRequired
    ? {
        bearerKey: { type: 'http', scheme: 'bearer', description: 'API key as `Authorization: Bearer <key>`.' },
        headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key as `X-API-Key: <key>`.' },
      }
    : {};
  const schemes = { ...keySchemes, ...extraSchemes };
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tieuchi',
        version: options.version,
        description: [
          'Chấm điểm thi đua Chuyển đổi số theo bộ tiêu chí YAML của từng năm. Scores the digital-transformation emulation from each year\'s YAML criteria.',
          '',
          '**Status codes** (one rule for every endpoint): 200 whenever the request was well-formed and something was processed — the body says per unit or per file what went wrong (`ok: false`, `problems`); 422 when a well-formed POST /score had no unit that could be scored; 400 a malformed request; 401 a missing or wrong API key; 404 an unknown route, year or level; 405 a wrong method; 408 a request not received in time; 413 too large; 415 an unsupported content type; 429 over the rate limit. Every failure is `{ok: false, problems: [...]}`.',
        ].join('\n'),
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'tieuchi' },
      },
      servers: options.servers?.length ? options.servers : [{ url: '/', description: 'This server' }],
      // Reading needs no key; the POST operations override this when keys are configured.
      security: [],
      tags: [...TAGS, ...(options.additions ?? []).flatMap((a) => a.tags ?? [])],
      components: Object.keys(schemes).length ? { securitySchemes: schemes as never } : {},
    },
    refResolver: {
      // Components are named by their $id (Problem, ScoreRun, …), not def-0, def-1.
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  };
}

/** The `security` of a POST operation: either key scheme when keys are configured, none otherwise. */
export function writeSecurity(keysRequired: boolean): { security?: Record<string, string[]>[] } {
  return keysRequired ? { security: [{ bearerKey: [] }, { headerKey: [] }] } : {};
}
