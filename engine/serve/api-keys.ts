/**
 * Optional API keys for the endpoints that take data (POST). The server
 * holds only SHA-256 hashes of the keys (a key file lists one hash per line:
 * `printf %s "$KEY" | sha256sum`), hashes what a client presents and compares
 * it with every stored hash in constant time, so neither the file nor the
 * timing of a refusal tells anything about a key.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyRequest } from 'fastify';

const HASH = /^[0-9a-f]{64}$/;

export interface ApiKeyFile {
  hashes: Buffer[];
  /** Lines that are neither a hash, a comment nor blank: 1-based line numbers. */
  badLines: number[];
}

/** Read a key file: one SHA-256 (hex) per line, optionally followed by a label; # starts a comment. */
export function parseApiKeyFile(text: string): ApiKeyFile {
  const hashes: Buffer[] = [];
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [first] = line.split(/\s+/);
    const hex = first!.toLowerCase().replace(/^sha256:/, '');
    if (HASH.test(hex)) hashes.push(Buffer.from(hex, 'hex'));
    else badLines.push(index + 1);
  });
  return { hashes, badLines };
}

export function readApiKeyFile(path: string): ApiKeyFile {
  return parseApiKeyFile(readFileSync(path, 'utf8'));
}

/** The key a request presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.trim() ? header.trim() : undefined;
}

/** True when `key` hashes to one of `hashes`; every stored hash is compared, in constant time. */
export function keyMatches(key: string, hashes: readonly Buffer[]): boolean {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  let found = false;
  for (const hash of hashes) if (timingSafeEqual(digest, hash)) found = true;
  return found;
}
