/**
 * Rendered pages of the web view, kept ready to send: the HTML as bytes,
 * an entity tag of its content, and its gzip and Brotli forms, each made
 * once (off the event loop, by node:zlib's thread pool) the first time a
 * client asks for it. A repeat request then costs a lookup and a write; one
 * that names the entity tag it already holds (If-None-Match) costs a 304.
 *
 * What keys a page is the caller's: every input it was rendered from (the
 * criteria set's files, the data's hash, the language, the page number, the
 * what-if's change), so that when the data or the criteria change, the key
 * changes and the old entry is simply never asked for again (and falls out,
 * oldest first, once the cache is full).
 *
 * Pages are sent with `Cache-Control: no-cache`: a browser keeps its copy
 * but asks each time whether it is still current, because the data behind a
 * page can change while the service runs (a round receiving files).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Smaller bodies go as they are: compressing them saves less than it costs. */
const COMPRESS_ABOVE = 1024;

export type Encoding = 'br' | 'gzip' | 'identity';

export interface CachedPage {
  status: number;
  body: Buffer;
  /** A weak entity tag (the same content under every encoding). */
  etag: string;
  encoded: Partial<Record<'br' | 'gzip', Promise<Buffer>>>;
}

export function cachedPage(html: string, status = 200): CachedPage {
  const body = Buffer.from(html, 'utf8');
  const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { status, body, etag, encoded: {} };
}

/**
 * The encoding to answer in, from an Accept-Encoding header: Brotli, then
 * gzip, each unless refused with q=0; identity otherwise.
 */
export function negotiateEncoding(header: string | string[] | undefined): Encoding {
  const text = (Array.isArray(header) ? header.join(',') : (header ?? '')).toLowerCase();
  if (!text) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name.trim(), q ? Number(q[1]) : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

function encodedBody(page: CachedPage, encoding: 'br' | 'gzip'): Promise<Buffer> {
  let made = page.encoded[encoding];
  if (!made) {
    // Quality 5 (Brotli) and level 6 (gzip): about 10× smaller HTML for a few ms, done once per page.
    made = encoding === 'br' ? brotliAsync(page.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: page.body.length } }) : gzipAsync(page.body, { level: 6 });
    page.encoded[encoding] = made;
  }
  return made;
}

/** Whether the client already holds this version (If-None-Match, weak comparison). */
function fresh(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
}

/** Send a cached page with its headers (extra headers first: the security ones). */
export async function sendCached(request: FastifyRequest, reply: FastifyReply, page: CachedPage, headers: Record<string, string>): Promise<FastifyReply> {
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  reply.header('etag', page.etag).header('cache-control', 'no-cache').header('vary', 'Accept-Encoding').type('text/html; charset=utf-8');
  if (page.status === 200 && fresh(request, page.etag)) return reply.code(304).send();
  reply.code(page.status);
  const encoding = page.body.length > COMPRESS_ABOVE ? negotiateEncoding(request.headers['accept-encoding']) : 'identity';
  if (encoding === 'identity' || request.method === 'HEAD') return reply.send(page.body);
  const body = await encodedBody(page, encoding);
  return reply.header('content-encoding', encoding).send(body);
}

/** Memoise by key, keeping at most `limit` entries (oldest out first). */
export function memo<T>(limit = Infinity): (key: string, make: () => T) => T {
  const cache = new Map<string, T>();
  return (key, make) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    cache.set(key, value);
    if (cache.size > limit) cache.delete(cache.keys().next().value as string);
    return value;
  };
}
