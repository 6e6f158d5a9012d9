/**
 * How route schemas are enforced. Path and query schemas are checked with
 * ajv, strictly (a year is four digits, trace is true or false). A request
 * body is checked only for its top-level shape (the `x-tieuchi-accepts`
 * JSON types of its schema): its content — many submissions, some of them
 * wrong — is the engine's to read, one unit at a time, so that one bad unit
 * never refuses the others. The full body schema, built from the same
 * submission schemas the engine's validator uses, is what the OpenAPI
 * document shows.
 */
import { createRequire } from 'node:module';
import type { FastifySchemaCompiler } from 'fastify';

type FastifyValidationResult = ReturnType<FastifySchemaCompiler<unknown>>;

const require = createRequire(import.meta.url);
const Ajv = (require('ajv') as { default: typeof import('ajv').default }).default;

type JsonType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

export function schemaValidatorCompiler(): FastifySchemaCompiler<Record<string, unknown>> {
  // As Fastify's defaults, minus coercion: query and path values stay text, checked by pattern.
  const ajv = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: true, allErrors: false, strict: false });
  return ({ schema, httpPart }) => {
    const accepts = (schema as { 'x-tieuchi-accepts'?: JsonType[] })['x-tieuchi-accepts'];
    if (httpPart === 'body' && accepts) {
      const check: FastifyValidationResult = (data: unknown) => {
        if (accepts.includes(jsonType(data))) return true;
        check.errors = [{ instancePath: '', schemaPath: '#/x-tieuchi-accepts', keyword: 'type', params: { type: accepts }, message: `must be ${accepts.join(' or ')}, not ${jsonType(data)}` }];
        return false;
      };
      return check;
    }
    return ajv.compile(schema);
  };
}
