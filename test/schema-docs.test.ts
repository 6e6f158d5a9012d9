/** Editors show the schema's titles and descriptions as hover help: every field must have both, in Vietnamese. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(new URL('../schemas/criteria-level.schema.json', import.meta.url), 'utf8'));

interface Node {
  $ref?: string;
  title?: string;
  description?: string;
  properties?: Record<string, Node>;
  items?: Node;
  additionalProperties?: Node | boolean;
}

function resolve(node: Node): Node {
  return node.$ref ? { ...schema.definitions[node.$ref.split('/').pop()!], ...node } : node;
}

/** Every (path, field schema) reachable through properties, items and additionalProperties. */
function fields(node: Node, path: string, seen = new Set<string>()): [string, Node][] {
  // A definition met again (the recursive formula) has been covered already.
  if (node.$ref && seen.has(node.$ref)) return [];
  const inside = node.$ref ? new Set([...seen, node.$ref]) : seen;
  const out: [string, Node][] = [];
  const here = resolve(node);
  for (const [key, child] of Object.entries(here.properties ?? {})) {
    out.push([`${path}.${key}`, resolve(child)]);
    out.push(...fields(child, `${path}.${key}`, inside));
  }
  if (here.items && typeof here.items === 'object') out.push(...fields(here.items, `${path}[]`, inside));
  if (here.additionalProperties && typeof here.additionalProperties === 'object') out.push(...fields(here.additionalProperties, `${path}.*`, inside));
  return out;
}

describe('schema documentation', () => {
  const all = fields(schema, '$');
  it('covers the whole file format', () => {
    expect(all.length).toBeGreaterThan(40);
  });
  it.each(all.map(([path, node]) => ({ path, node })))('$path has a Vietnamese title and description', ({ node }) => {
    expect(node.title, 'title').toBeTruthy();
    expect(node.description, 'description').toBeTruthy();
  });
});
