import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { problem, type Problem, type SourceLocation } from '../problems.js';

/** Bounds on untrusted YAML. Defaults are far above any real criteria file. */
export interface YamlLimits {
  /** Largest file accepted, in bytes. Default 1 MiB. */
  maxBytes: number;
  /** Most alias dereferences when building the value (alias bombs). Default 100. */
  maxAliasCount: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxBytes: 1024 * 1024, maxAliasCount: 100 };

/** A parsed YAML file that can still answer "where is this value?". */
export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export interface ParsedYaml {
  source?: YamlSource;
  /** The plain JavaScript value; undefined when the file could not be read as YAML. */
  value?: unknown;
  problems: Problem[];
}

export function locationAt(source: Pick<YamlSource, 'file' | 'lineCounter'>, start: number, end: number): SourceLocation {
  const { line, col } = source.lineCounter.linePos(start);
  return { file: source.file, start, end, line, column: col };
}

/**
 * Parse untrusted YAML text. Every syntax error, duplicate key and limit
 * breach becomes a located problem; nothing throws.
 */
export function parseYaml(file: string, text: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): ParsedYaml {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    return {
      problems: [
        problem(
          'file.too-large',
          {
            vi: `Tệp quá lớn (${bytes} byte, tối đa ${limits.maxBytes} byte).`,
            en: `File too large (${bytes} bytes, at most ${limits.maxBytes}).`,
          },
          {
            file,
            hint: {
              vi: 'Một tệp tiêu chí bình thường chỉ vài chục KB. Kiểm tra xem có dán nhầm dữ liệu vào tệp không.',
              en: 'A normal criteria file is a few tens of KB. Check that no data was pasted into it by mistake.',
            },
          },
        ),
      ],
    };
  }

  const lineCounter = new LineCounter();
  // uniqueKeys (the default) turns duplicate keys into errors; we must read doc.errors.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const source: YamlSource = { file, text, doc, lineCounter };
  const problems: Problem[] = [];

  for (const err of doc.errors) {
    const [start, end] = err.pos;
    const duplicate = err.code === 'DUPLICATE_KEY';
    problems.push(
      problem(
        duplicate ? 'yaml.duplicate-key' : 'yaml.syntax',
        duplicate
          ? { vi: 'Khóa bị lặp lại trong cùng một khối.', en: 'Duplicate key in the same mapping.' }
          : { vi: `Lỗi cú pháp YAML: ${firstLine(err.message)}`, en: `YAML syntax error: ${firstLine(err.message)}` },
        {
          location: locationAt(source, start, end),
          hint: duplicate
            ? {
                vi: 'Xóa một trong hai dòng trùng khóa; YAML chỉ giữ dòng sau và âm thầm bỏ dòng trước.',
                en: 'Remove one of the two lines; YAML would silently keep only the last.',
              }
            : {
                vi: 'Kiểm tra thụt lề (dùng dấu cách, không dùng tab), dấu hai chấm sau khóa, và dấu ngoặc kép đóng mở đủ.',
                en: 'Check indentation (spaces, not tabs), the colon after each key, and matching quotes.',
              },
        },
      ),
    );
  }
  for (const warning of doc.warnings) {
    problems.push(
      problem(
        'yaml.warning',
        { vi: `Cảnh báo YAML: ${firstLine(warning.message)}`, en: `YAML warning: ${firstLine(warning.message)}` },
        { severity: 'warning', location: locationAt(source, warning.pos[0], warning.pos[1]) },
      ),
    );
  }
  if (problems.some((p) => p.severity === 'error')) return { source, problems };

  try {
    const value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    return { source, value, problems };
  } catch (err) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount.
    problems.push(
      problem(
        'yaml.alias-limit',
        {
          vi: `Tệp dùng quá nhiều bí danh YAML (&/*), vượt giới hạn ${limits.maxAliasCount}.`,
          en: `The file expands YAML aliases (&/*) more than ${limits.maxAliasCount} times.`,
        },
        {
          file,
          hint: {
            vi: 'Viết thẳng giá trị thay vì dùng bí danh &/*. Bí danh lồng nhau có thể làm tệp phình ra hàng tỉ phần tử.',
            en: 'Write values out instead of using &/* aliases; nested aliases can expand to billions of nodes.',
          },
        },
      ),
    );
    void err;
    return { source, problems };
  }
}

/**
 * The source range of the value at `path` (as ajv's instancePath segments),
 * or of its key when `key` is true. Falls back to the nearest ancestor that
 * exists, so a missing property points at the object that lacks it.
 */
export function rangeOf(source: YamlSource, path: readonly (string | number)[], key = false): [number, number] {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    if (key && depth === path.length && depth > 0) {
      const parent = prefix.length > 1 ? source.doc.getIn(prefix.slice(0, -1), true) : source.doc.contents;
      const pair = isMap(parent) ? parent.items.find((item) => isPair(item) && keyText(item.key) === String(prefix[prefix.length - 1])) : undefined;
      if (pair && isNode(pair.key) && pair.key.range) return [pair.key.range[0], pair.key.range[1]];
    }
    const node = (prefix.length === 0 ? source.doc.contents : source.doc.getIn(prefix, true)) as Node | undefined;
    if (isNode(node) && node.range) return [node.range[0], node.range[1]];
  }
  return [0, 0];
}

function keyText(node: unknown): string | undefined {
  if (isScalar(node)) return String(node.value);
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

/** A function from a path in the document to a location, for the later stages. */
export type Locator = (path: readonly (string | number)[], key?: boolean) => SourceLocation;

export function locator(source: YamlSource): Locator {
  return (path, key = false) => {
    const [start, end] = rangeOf(source, path, key);
    return locationAt(source, start, end);
  };
}
