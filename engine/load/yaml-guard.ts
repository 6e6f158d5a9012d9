/**
 * Hostile YAML, refused before anything recurses on it.
 *
 * yaml's composer, `toJS` and every later stage (schema, compile, evaluate)
 * recurse on the document's nesting; how deep they get before the stack
 * runs out depends on the JIT, so a 450-deep formula used to pass or fail by
 * chance. Here the concrete syntax tree is built token by token and refused
 * as soon as it nests deeper than a declared limit: the parser keeps an
 * explicit stack, so the check itself never recurses and stops early (a
 * 1 MiB line of `[` costs milliseconds, not the parser's quadratic seconds).
 *
 * Once the depth is known to be small, the composed document is checked for
 * what YAML can express but criteria must not: tags (`!!js/function`,
 * `!!python/object`, any `!tag` — other YAML tools would run or build them)
 * and aliases that refer to a node containing themselves
 * (`formula: &f { max: [*f, 1] }`), which have no finite value.
 */
import { Composer, isAlias, isCollection, isNode, isPair, Lexer, Parser, YAMLParseError, type Document, type Node } from 'yaml';

/** Explicit tags that only restate what YAML 1.2's core schema reads anyway. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

export type ComposeResult = { doc: Document.Parsed } | { tooDeep: { offset: number } } | { tooManyTokens: { offset: number } };

/**
 * parseDocument with a nesting bound: `{tooDeep}` (with the offset where the
 * limit was crossed) instead of a document when collections nest deeper than
 * `maxDepth` (the root mapping is depth 1).
 */
export function composeBounded(text: string, options: ConstructorParameters<typeof Composer>[0], maxDepth: number, maxTokens: number): ComposeResult {
  // yaml reports problems as Error objects; their stack traces are never shown and cost
  // more than the parse itself on a file with hundreds of errors.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return composeWithin(text, options, maxDepth, maxTokens);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function composeWithin(text: string, options: ConstructorParameters<typeof Composer>[0], maxDepth: number, maxTokens: number): ComposeResult {
  const parser = new Parser();
  const tokens: ReturnType<Parser['end']> extends Generator<infer T> ? T[] : never = [];
  // The parser's stack holds the document, the open collections and at most a
  // pending key or scalar: at most two more than the nesting depth (a flow
  // list, one less). This stops the parse early; the exact count is below.
  const stackLimit = maxDepth + 2;
  let count = 0;
  for (const lexeme of new Lexer().lex(text)) {
    // yaml composes about 30,000 tokens a second on a busy machine: a 1 MiB file of
    // `[0, 0, 0, …]` would hold the caller for seconds before any check ran.
    if (++count > maxTokens) return { tooManyTokens: { offset: Math.min(parser.offset, text.length) } };
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > stackLimit) return { tooDeep: { offset: Math.min(parser.offset, text.length) } };
  }
  for (const token of parser.end()) tokens.push(token);
  const composer = new Composer(options);
  let doc: Document.Parsed | undefined;
  for (const composed of composer.compose(tokens, true, text.length)) {
    if (!doc) doc = composed;
    else {
      // As parseDocument does: a second document is an error of the first.
      doc.errors.push(new YAMLParseError([composed.range[0], composed.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
  }
  const deep = nodeDeeperThan(doc!, maxDepth);
  return deep ? { tooDeep: { offset: deep.range?.[0] ?? 0 } } : { doc: doc! };
}

/** The first collection nested deeper than `maxDepth` (keys count too), found without recursion. */
function nodeDeeperThan(doc: Document.Parsed, maxDepth: number): Node | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth > maxDepth) return node;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      } else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

export interface HostileNode {
  kind: 'tag' | 'alias-cycle' | 'collection-key';
  /** The tag as written (for 'tag') or the anchor's name (for 'alias-cycle'). */
  name: string;
  range: [number, number];
}

/** Tags outside the core schema, aliases inside the node they name and collections used as keys, in document order. */
export function hostileNodes(doc: Document.Parsed): HostileNode[] {
  const found: HostileNode[] = [];
  const anchors = new Map<string, Node>();
  // Pre-order, children in document order: an anchor is recorded before anything inside it or after it.
  const stack: { node: unknown; isKey: boolean }[] = [{ node: doc.contents, isKey: false }];
  while (stack.length) {
    const { node, isKey } = stack.pop()!;
    if (!isNode(node)) continue;
    const range: [number, number] = node.range ? [node.range[0], node.range[1]] : [0, 0];
    if (isAlias(node)) {
      // The alias names the latest anchor before it; inside that node's range means inside the node.
      const target = anchors.get(node.source)?.range;
      if (target && target[0] <= range[0] && range[1] <= target[1]) found.push({ kind: 'alias-cycle', name: node.source, range });
      continue;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) found.push({ kind: 'tag', name: node.tag.replace(/^tag:yaml\.org,2002:/, '!!'), range });
    if (!isCollection(node)) continue;
    // `? [a, b]: x` or `{ [a]: x }`: JavaScript keys are text, yaml would stringify the collection.
    if (isKey) found.push({ kind: 'collection-key', name: '', range });
    const items = node.items as unknown[];
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (isPair(item)) stack.push({ node: item.value, isKey: false }, { node: item.key, isKey: true });
      else stack.push({ node: item, isKey: false });
    }
  }
  return found;
}
