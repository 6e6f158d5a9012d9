/**
 * Every package the lockfile installs must declare support for the Node
 * versions this project promises (package.json "engines": 20.19+, and 22).
 * A dependency that moves to "node >= 22" installs with an EBADENGINE
 * warning on Node 20 and may stop working there without any test noticing;
 * package.json "overrides" keep such packages on an older, compatible line.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// semver is what npm itself uses to read "engines"; it is installed as a dependency of our dependencies.
const semver = createRequire(import.meta.url)('semver') as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null };

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockedPackage> };
const project = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };

describe('Node versions the dependencies accept', () => {
  const lowest = semver.minVersion(project.engines.node)?.version ?? '';
  const versions = [lowest, '22.13.0'];

  it('the project declares a lowest version (20.19)', () => {
    expect(lowest).toBe('20.19.0');
  });

  it.each(versions)('every locked package accepts Node %s', (version) => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, pkg]) => {
        const range = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
        return range && !semver.satisfies(version, range) ? [`${path.replace(/^node_modules\//, '')}@${pkg.version} wants node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
