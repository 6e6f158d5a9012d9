/**
 * No module of the engine imports itself back, at run time (a cycle makes
 * load order decide what is undefined); and criteria-set.ts is in no cycle at
 * all, type imports included (it runs the examples through check/ and the
 * explanations, which must not need it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const engine = fileURLToPath(new URL('../engine', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Relative imports of each engine module: runtime ones, and all (type-only included). */
function graph(typesToo: boolean): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of files(engine)) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm)) {
      if (m[1] && !typesToo) continue;
      // A runtime import whose every name is `type X` is erased too.
      if (!typesToo && /^import\s*\{\s*(type\s+\w+\s*,?\s*)+\}/.test(m[0])) continue;
      targets.push(resolve(dirname(file), m[2]!.replace(/\.js$/, '.ts')));
    }
    edges.set(file, targets);
  }
  return edges;
}

function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(engine, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('import cycles', () => {
  it('none at run time', () => {
    expect(cycles(graph(false))).toEqual([]);
  });
  it('criteria-set.ts is in none, type imports included', () => {
    expect(cycles(graph(true)).filter((c) => c.includes('criteria-set.ts'))).toEqual([]);
  });
});
