import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The folder of tieuchi's own package.json. The engine runs from engine/
 * (tests, ts-node) and from dist/engine/ (the built CLI), at different
 * depths, so we walk up rather than hard-code "../..".
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === 'tieuchi') {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('tieuchi: cannot find its own package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function schemaPath(name: string): string {
  return join(packageRoot(), 'schemas', name);
}

let cachedVersion: string | undefined;

/** tieuchi's version (read once: every score's provenance carries it). */
export function engineVersion(): string {
  return (cachedVersion ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string);
}
