/**
 * The OpenAPI 3.1 description of the HTTP service (GET /openapi.json).
 * Per-level submission schemas are served by GET /schema/{year}/{level};
 * here a submission is described generically.
 */
const problemSchema = {
  type: 'object',
  required: ['code', 'severity', 'message'],
  properties: {
    code: { type: 'string', description: 'Stable code, e.g. submission.bad-value, submission.unreadable, http.too-large.' },
    severity: { enum: ['error', 'warning'] },
    message: { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } }, required: ['vi', 'en'] },
    hint: { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } },
    location: { type: 'object', properties: { file: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' }, line: { type: 'integer' }, column: { type: 'integer' } } },
    file: { type: 'string' },
    level: { type: 'string' },
    criterion: { type: 'string' },
    unit: { type: 'string' },
    input: { type: 'string' },
  },
};

const failure = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Failure' } } },
});

const yearLevel = [
  { name: 'year', in: 'path', required: true, schema: { type: 'integer' }, example: 2023 },
  { name: 'level', in: 'path', required: true, schema: { type: 'string' }, example: 'province' },
];

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'tieuchi',
      version,
      description:
        'Chấm điểm thi đua Chuyển đổi số theo bộ tiêu chí YAML của từng năm. Scores the digital-transformation emulation from each year\'s YAML criteria. Every error is {ok: false, problems: [...]}.',
    },
    paths: {
      '/health': { get: { summary: 'Liveness; engine version and loaded years', responses: { 200: { description: 'OK' } } } },
      '/criteria': { get: { summary: 'Loaded years and their levels (with each file\'s SHA-256)', responses: { 200: { description: 'OK' } } } },
      '/criteria/{year}/{level}': {
        get: { summary: 'One level\'s criteria as written in the YAML', parameters: yearLevel, responses: { 200: { description: 'OK' }, 404: failure('Unknown year or level') } },
      },
      '/schema/{year}/{level}': {
        get: {
          summary: 'JSON Schema (draft-07) of one unit\'s submission for the year and level',
          parameters: yearLevel,
          responses: { 200: { description: 'The schema', content: { 'application/schema+json': {} } }, 404: failure('Unknown year or level') },
        },
      },
      '/score': {
        post: {
          summary: 'Score one or many submissions; results with traces and provenance',
          parameters: [
            { name: 'year', in: 'query', schema: { type: 'integer' }, description: 'Criteria year (default: body.year, else the newest loaded).' },
            { name: 'trace', in: 'query', schema: { enum: ['true', 'false'] }, description: 'Include each criterion\'s trace and explanation (default true).' },
            { name: 'lang', in: 'query', schema: { enum: ['vi', 'en'] }, description: 'Language of explanations (default vi).' },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/Submission' },
                    { type: 'array', items: { $ref: '#/components/schemas/Submission' } },
                    { type: 'object', required: ['submissions'], properties: { year: { type: 'integer' }, submissions: { type: 'array', items: { $ref: '#/components/schemas/Submission' } } } },
                  ],
                },
              },
            },
          },
          responses: {
            200: { description: 'Every submission scored without problems', content: { 'application/json': { schema: { $ref: '#/components/schemas/ScoreRun' } } } },
            400: { description: 'Bad JSON, or some submission has problems (the others are still scored and returned)', content: { 'application/json': { schema: { $ref: '#/components/schemas/ScoreRun' } } } },
            404: failure('Unknown year'),
            413: failure('Body too large'),
            415: failure('Not JSON'),
          },
        },
      },
      '/validate': {
        post: {
          summary: 'Validate criteria YAML: every problem located by line and column',
          parameters: [{ name: 'name', in: 'query', schema: { type: 'string' }, description: 'File name shown in problems (YAML body only).' }],
          requestBody: {
            required: true,
            content: {
              'text/yaml': { schema: { type: 'string' } },
              'application/json': {
                schema: {
                  oneOf: [
                    { type: 'object', required: ['text'], properties: { name: { type: 'string' }, text: { type: 'string' } } },
                    { type: 'object', required: ['files'], properties: { files: { type: 'array', items: { type: 'object', required: ['name', 'text'], properties: { name: { type: 'string' }, text: { type: 'string' } } } } } },
                  ],
                },
              },
            },
          },
          responses: { 200: { description: '{ok, levels, problems}' }, 400: failure('Malformed request'), 413: failure('Body too large') },
        },
      },
      '/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OK' } } } },
    },
    components: {
      schemas: {
        Problem: problemSchema,
        Failure: { type: 'object', required: ['ok', 'problems'], properties: { ok: { const: false }, problems: { type: 'array', items: { $ref: '#/components/schemas/Problem' } } } },
        Submission: {
          type: 'object',
          required: ['id', 'name', 'level', 'inputs'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            level: { type: 'string' },
            inputs: { type: 'object', description: 'criterion id → input id → value; see GET /schema/{year}/{level}' },
            note: {},
          },
        },
        ScoreRun: {
          type: 'object',
          properties: {
            ok: { type: 'boolean' },
            year: { type: 'integer' },
            levels: { type: 'array' },
            units: { type: 'array', description: 'Per unit: status, total, rank, criteria (points, raw, inputs, trace, explanation), criteriaFile, criteriaSha256' },
            rejected: { type: 'array' },
            problems: { type: 'array', items: { $ref: '#/components/schemas/Problem' } },
            provenance: {
              type: 'object',
              description: 'Engine version, year, decision, SHA-256 of each criteria file, rounding policy, timestamp',
              properties: {
                engine: { type: 'string' },
                engineVersion: { type: 'string' },
                year: { type: 'integer' },
                decision: { type: 'object' },
                files: { type: 'array', items: { type: 'object', properties: { level: { type: 'string' }, file: { type: 'string' }, sha256: { type: 'string' } } } },
                rounding: { type: 'object' },
                scoredAt: { type: 'string', format: 'date-time' },
              },
            },
          },
        },
      },
    },
  };
}
