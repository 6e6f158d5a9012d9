/**
 * The JSON body parser: Fastify's own (which refuses __proto__ and
 * constructor.prototype keys), after a linear scan that refuses nesting
 * deeper than a limit, so that no later stage recurses on an attacker's
 * 5,000-deep value.
 */
import type { FastifyInstance } from 'fastify';

/** Deepest nesting of objects and lists in a request body. A submission nests 3 deep. */
export const MAX_JSON_DEPTH = 64;

/** The offset where `text` nests deeper than `max` (outside strings), or -1. */
export function jsonTooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

export class JsonTooDeepError extends Error {
  readonly statusCode = 400;
  readonly code = 'TIEUCHI_JSON_TOO_DEEP';
  constructor(readonly offset: number) {
    super(`nested deeper than ${MAX_JSON_DEPTH} levels at offset ${offset}`);
  }
}

export function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    const at = jsonTooDeepAt(text, MAX_JSON_DEPTH);
    if (at >= 0) return done(new JsonTooDeepError(at), undefined);
    return parse(request, text, done);
  });
}
