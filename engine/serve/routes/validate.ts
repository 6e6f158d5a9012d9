/** POST /validate: criteria YAML (one file as text/yaml, or JSON {name, text} / {files}) checked like `tieuchi validate`. */
import { loadCriteriaTexts, type CriteriaFileText } from '../../criteria-set.js';
import { hasErrors } from '../../problems.js';
import type { TieuchiPlugin } from '../app.js';
import { fail, send } from '../failures.js';
import { writeSecurity } from '../openapi.js';
import { commonFailures, failureResponse } from '../schemas.js';

const YAML_TYPES = ['text/yaml', 'application/yaml', 'application/x-yaml', 'text/x-yaml', 'text/plain'];

const fileEntry = { type: 'object', required: ['name', 'text'], properties: { name: { type: 'string', maxLength: 200 }, text: { type: 'string' } }, additionalProperties: false };

export const validateRoutes: TieuchiPlugin = async (app, { context }) => {
  const { maxFiles } = context.limits;
  // Only this route group reads YAML bodies: elsewhere text/yaml is 415.
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post<{ Querystring: { name?: string } }>(
    '/validate',
    {
      preHandler: context.writeGuard,
      schema: {
        operationId: 'validateCriteria',
        tags: ['criteria'],
        summary: 'Validate criteria YAML: every problem located by file, line and column',
        description: 'As `tieuchi validate`. 200 whenever the files could be read as a request, with `ok: false` and the problems when they have errors.',
        ...writeSecurity(context.keysRequired),
        querystring: {
          type: 'object',
          properties: { name: { type: 'string', maxLength: 200, description: 'File name shown in problems (YAML body only).', default: 'criteria.yaml' } },
          additionalProperties: false,
        },
        body: {
          content: {
            'text/yaml': { schema: { 'x-tieuchi-accepts': ['string'], type: 'string', description: 'One criteria file (one level).' } },
            'application/json': {
              schema: {
                'x-tieuchi-accepts': ['object'],
                oneOf: [
                  { type: 'object', required: ['text'], properties: { name: { type: 'string', maxLength: 200 }, text: { type: 'string' } }, additionalProperties: false },
                  { type: 'object', required: ['files'], properties: { files: { type: 'array', items: fileEntry, minItems: 1, maxItems: maxFiles } }, additionalProperties: false },
                ],
              },
            },
          },
        },
        response: {
          200: { description: 'The files were validated; `ok` says whether they have errors.', $ref: 'ValidateResult#' },
          400: failureResponse('Neither YAML text nor {name, text} / {files}.'),
          401: failureResponse('API key missing or wrong (when the server requires keys).'),
          408: failureResponse('The request was not received in time.'),
          ...commonFailures(),
          413: failureResponse('Body too large.'),
          415: failureResponse('Neither YAML nor JSON.'),
        },
      },
    },
    async (request, reply) => {
      const body = request.body as unknown;
      const name = (value: unknown) => (typeof value === 'string' && value.trim() ? value.slice(0, 200) : 'criteria.yaml');
      let files: CriteriaFileText[];
      if (typeof body === 'string') {
        files = [{ file: name(request.query.name), text: body }];
      } else if (body !== null && typeof body === 'object' && Array.isArray((body as { files?: unknown }).files)) {
        const given = (body as { files: unknown[] }).files;
        const bad = given.findIndex((f) => typeof (f as { name?: unknown })?.name !== 'string' || typeof (f as { text?: unknown })?.text !== 'string');
        if (bad >= 0 || given.length === 0 || given.length > maxFiles) {
          return send(reply, fail(400, 'http.bad-request', `"files" phải là danh sách 1–${maxFiles} mục {name, text} (chuỗi).`, `"files" must be a list of 1–${maxFiles} {name, text} entries (strings).`));
        }
        files = given.map((f) => ({ file: name((f as { name: string }).name), text: (f as { text: string }).text }));
      } else if (body !== null && typeof body === 'object' && typeof (body as { text?: unknown }).text === 'string') {
        const one = body as { text: string; name?: unknown };
        files = [{ file: name(one.name), text: one.text }];
      } else {
        return send(reply, fail(400, 'http.bad-request', 'Gửi nội dung YAML (Content-Type: text/yaml), hoặc JSON {"name", "text"} hay {"files": [{"name", "text"}]}.', 'Send YAML text (Content-Type: text/yaml), or JSON {"name", "text"} or {"files": [{"name", "text"}]}.'));
      }
      const { set, problems } = loadCriteriaTexts('request', files);
      return {
        ok: !hasErrors(problems),
        levels: set?.levels.map((l) => ({ id: l.id, name: l.name, year: l.year, criteria: l.criteria.length, file: l.file, sha256: l.sha256 })) ?? [],
        problems,
      };
    },
  );
};
