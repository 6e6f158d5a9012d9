import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { problem, type Localized, type Problem, type SourceLocation } from '../problems.js';
import { jsonSafe, type ParseCache } from './parse-cache.js';
import { composeBounded, hostileNodes } from './yaml-guard.js';

/** Bounds on untrusted YAML. Defaults are far above any real criteria file. */
export interface YamlLimits {
  /** Largest file accepted, in bytes. Default 1 MiB. */
  maxBytes: number;
  /** Most alias dereferences when building the value (alias bombs). Default 100. */
  maxAliasCount: number;
  /**
   * Deepest nesting of mappings and lists (the file's root mapping is 1),
   * checked while parsing, before anything recurses. Default 64; the 2023
   * files nest 14 deep.
   */
  maxDepth?: number;
  /**
   * Most lexical tokens (keys, values, brackets, indentation) in a file,
   * counted while parsing. Default 50,000; the largest 2023 file has 6,871.
   */
  maxTokens?: number;
}

export const DEFAULT_YAML_LIMITS: Required<YamlLimits> = { maxBytes: 1024 * 1024, maxAliasCount: 100, maxDepth: 64, maxTokens: 50_000 };

/** A parsed YAML file that can still answer "where is this value?". */
export interface YamlSource {
  file: string;
  text: string;
  /** The parsed document; parsed on first use when the value came from the parse cache. */
  readonly doc: Document.Parsed;
  /** Line starts, built on first use: most files have no problem to locate. */
  readonly lineCounter: LineCounter;
}

function lazyLineCounter(text: string): () => LineCounter {
  let counter: LineCounter | undefined;
  return () => {
    if (!counter) {
      counter = new LineCounter();
      counter.addNewLine(0);
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
    }
    return counter;
  };
}

// uniqueKeys (the default) turns duplicate keys into errors; we must read doc.errors.
// (yaml's own compat: 'yaml-1.1' check misreports some syntax errors, so ambiguousValues() does that job.)
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true } as const;

/** yaml's error codes, explained for staff. */
const SYNTAX_MESSAGES: Record<string, { vi: string; en: string; hintVi: string; hintEn: string }> = {
  BAD_INDENT: {
    vi: 'Thụt lề không đúng.',
    en: 'Bad indentation.',
    hintVi: 'Các khóa cùng cấp phải thẳng cột; khối con thụt vào thêm 2 dấu cách so với khóa cha.',
    hintEn: 'Keys of one mapping must line up; a nested block is indented 2 more spaces than its parent key.',
  },
  TAB_AS_INDENT: {
    vi: 'Dùng phím Tab để thụt lề.',
    en: 'A tab is used for indentation.',
    hintVi: 'YAML chỉ cho thụt lề bằng dấu cách; thay Tab bằng 2 dấu cách.',
    hintEn: 'YAML indents with spaces only; replace the tab with 2 spaces.',
  },
  BLOCK_AS_IMPLICIT_KEY: {
    vi: 'Một khối lồng nhau nằm sai chỗ (thường do thiếu xuống dòng hoặc thụt lề).',
    en: 'A nested block is in the wrong place (usually a missing line break or bad indentation).',
    hintVi: 'Mỗi khóa "tên: giá trị" một dòng; khối con xuống dòng và thụt vào.',
    hintEn: 'One "key: value" per line; a nested block goes on the next lines, indented.',
  },
  MULTILINE_IMPLICIT_KEY: {
    vi: 'Khóa bị ngắt sang nhiều dòng, hoặc thiếu dấu hai chấm sau khóa.',
    en: 'A key spans several lines, or a colon is missing after a key.',
    hintVi: 'Kiểm tra dấu ":" sau mỗi khóa và thụt lề của dòng phía trên.',
    hintEn: 'Check the ":" after each key and the indentation of the line above.',
  },
  MISSING_CHAR: {
    vi: 'Thiếu ký tự đóng (dấu ngoặc hoặc dấu ngoặc kép).',
    en: 'A closing character (bracket or quote) is missing.',
    hintVi: 'Mỗi [ cần ], mỗi { cần }, mỗi " cần một " đóng trên cùng giá trị.',
    hintEn: 'Every [ needs ], every { needs }, every " needs a closing ".',
  },
  UNEXPECTED_TOKEN: {
    vi: 'Có ký tự không mong đợi.',
    en: 'Unexpected character.',
    hintVi: 'Nếu giá trị chứa ":", "#", "[", "{" hoặc bắt đầu bằng "-", "*", "&", đặt cả giá trị trong dấu ngoặc kép.',
    hintEn: 'If a value contains ":", "#", "[", "{" or starts with "-", "*", "&", put it in double quotes.',
  },
  BAD_SCALAR_START: {
    vi: 'Giá trị bắt đầu bằng ký tự đặc biệt.',
    en: 'A value starts with a reserved character.',
    hintVi: 'Đặt giá trị trong dấu ngoặc kép, ví dụ "@abc" hoặc "`abc".',
    hintEn: 'Put the value in double quotes.',
  },
  MULTIPLE_DOCS: {
    vi: 'Tệp chứa nhiều tài liệu YAML (dòng ---).',
    en: 'The file holds several YAML documents (--- lines).',
    hintVi: 'Mỗi tệp chỉ một cấp đơn vị; xóa dòng "---" hoặc tách thành tệp khác.',
    hintEn: 'One level per file; remove the "---" line or split the file.',
  },
};

/** Syntax errors reported per file. */
const MAX_SYNTAX_PROBLEMS = 50;

/** Plain numbers with a leading zero: YAML 1.2 reads 010 as 10, YAML 1.1 tools as 8 (octal), and 08 as text. */
const LEADING_ZERO = /^[-+]?0\d+$/;

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
export function parseYaml(file: string, text: string, limits: YamlLimits = DEFAULT_YAML_LIMITS, cache?: ParseCache): ParsedYaml {
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

  const maxDepth = limits.maxDepth ?? DEFAULT_YAML_LIMITS.maxDepth;
  const maxTokens = limits.maxTokens ?? DEFAULT_YAML_LIMITS.maxTokens;
  const cacheKey = cache?.key(text, `${limits.maxBytes}/${limits.maxAliasCount}/${maxDepth}/${maxTokens}`);
  const cached = cacheKey ? cache!.get(cacheKey) : undefined;
  const lines = lazyLineCounter(text);
  let parsed: Document.Parsed | undefined;
  // Only texts that composed within maxDepth are ever parsed again (to locate a problem in a cached file).
  const document = () => (parsed ??= parseDocument(text, PARSE_OPTIONS));
  const source: YamlSource = {
    file,
    text,
    get doc() {
      return document();
    },
    get lineCounter() {
      return lines();
    },
  };
  // Warnings are stored located, with the file name they were found under.
  if (cached) return { source, value: cached.value, problems: cached.problems.map((p) => (p.location ? { ...p, location: { ...p.location, file } } : p)) };

  const bounded = composeBounded(text, PARSE_OPTIONS, maxDepth, maxTokens);
  if ('tooDeep' in bounded) return { source, problems: [tooDeepProblem(source, bounded.tooDeep.offset, maxDepth)] };
  if ('tooManyTokens' in bounded) return { source, problems: [tooManyTokensProblem(source, bounded.tooManyTokens.offset, maxTokens)] };
  parsed = bounded.doc;
  const doc = parsed;
  const problems: Problem[] = [];

  // Past the first errors, the rest are mostly echoes of them; each costs a scan to locate.
  for (const err of doc.errors.slice(0, MAX_SYNTAX_PROBLEMS)) {
    const [start, end] = err.pos;
    if (err.code === 'DUPLICATE_KEY') {
      problems.push(
        problem(
          'yaml.duplicate-key',
          { vi: 'Khóa bị lặp lại trong cùng một khối.', en: 'Duplicate key in the same mapping.' },
          {
            location: locationAt(source, start, end),
            hint: {
              vi: 'Xóa một trong hai dòng trùng khóa; nếu không, YAML âm thầm chỉ giữ dòng sau.',
              en: 'Remove one of the two lines; otherwise YAML silently keeps only the last.',
            },
          },
        ),
      );
      continue;
    }
    const unclosed = /end with a ([}\]])/.exec(err.message);
    if (unclosed) {
      // yaml notices an unclosed { or [ on a later line; point at the bracket that was never closed.
      const open = unmatchedOpening(text, start, unclosed[1] === '}' ? '{' : '[');
      problems.push(
        problem(
          'yaml.syntax',
          { vi: `Lỗi cú pháp YAML: thiếu dấu ${unclosed[1]} đóng cho dấu ${unclosed[1] === '}' ? '{' : '['} mở ở đây.`, en: `YAML syntax error: the ${unclosed[1] === '}' ? '{' : '['} opened here is never closed with ${unclosed[1]}.` },
          {
            location: locationAt(source, open ?? start, (open ?? start) + 1),
            hint: { vi: `Thêm ${unclosed[1]} ở cuối giá trị, trên cùng dòng.`, en: `Add ${unclosed[1]} at the end of the value, on the same line.` },
          },
        ),
      );
      continue;
    }
    const known = SYNTAX_MESSAGES[err.code];
    problems.push(
      problem(
        'yaml.syntax',
        known ? { vi: `Lỗi cú pháp YAML: ${known.vi}`, en: `YAML syntax error: ${known.en}` } : { vi: `Lỗi cú pháp YAML: ${firstLine(err.message)}`, en: `YAML syntax error: ${firstLine(err.message)}` },
        {
          location: locationAt(source, start, end),
          hint: known
            ? { vi: known.hintVi, en: known.hintEn }
            : {
                vi: 'Kiểm tra thụt lề (dùng dấu cách, không dùng Tab), dấu hai chấm sau khóa, và dấu ngoặc, ngoặc kép đóng mở đủ.',
                en: 'Check indentation (spaces, not tabs), the colon after each key, and matching brackets and quotes.',
              },
        },
      ),
    );
  }
  if (problems.length) return { source, problems };
  const hostile = hostileProblems(source, doc);
  if (hostile.length) return { source, problems: hostile };
  problems.push(...ambiguousValues(source));

  try {
    const value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    if (cacheKey && jsonSafe(value)) cache!.set(cacheKey, { value, problems });
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

/** Nesting past the limit: refused where it crossed it, before yaml (or anything else) recursed on it. */
function tooDeepProblem(source: YamlSource, offset: number, maxDepth: number): Problem {
  return problem(
    'yaml.too-deep',
    { vi: `Các khối lồng nhau quá sâu (quá ${maxDepth} tầng).`, en: `Mappings and lists nest too deep (more than ${maxDepth} levels).` },
    {
      location: locationAt(source, offset, Math.min(offset + 1, source.text.length)),
      hint: {
        vi: 'Một tệp tiêu chí bình thường lồng khoảng 15 tầng. Kiểm tra dấu ngoặc [ { đóng đủ, hoặc tách công thức thành các bước có tên (parameters).',
        en: 'A normal criteria file nests about 15 levels. Check that [ and { are closed, or split the formula into named steps.',
      },
    },
  );
}

function tooManyTokensProblem(source: YamlSource, offset: number, maxTokens: number): Problem {
  return problem(
    'file.too-large',
    { vi: `Tệp có quá nhiều phần tử (quá ${maxTokens} khóa, giá trị và dấu ngoặc).`, en: `The file holds too many elements (more than ${maxTokens} keys, values and brackets).` },
    {
      location: locationAt(source, offset, Math.min(offset + 1, source.text.length)),
      hint: {
        vi: 'Tệp tiêu chí lớn nhất năm 2023 có khoảng 7.000 phần tử. Kiểm tra xem có dán nhầm dữ liệu vào tệp không.',
        en: 'The largest 2023 criteria file has about 7,000. Check that no data was pasted into it by mistake.',
      },
    },
  );
}

/** Tags, self-referential aliases and collections as keys (see yaml-guard.ts), as located problems. */
function hostileProblems(source: YamlSource, doc: Document.Parsed): Problem[] {
  return hostileNodes(doc).map((node) =>
    node.kind === 'collection-key'
      ? problem(
          'yaml.syntax',
          { vi: 'Khóa là một danh sách hoặc một khối; khóa phải là chữ.', en: 'A key is a list or a mapping; keys must be text.' },
          {
            location: locationAt(source, node.range[0], node.range[1]),
            hint: { vi: 'Viết "tên: giá trị", tên là chữ; nếu tên có dấu [ { hoặc ?, đặt trong dấu ngoặc kép.', en: 'Write "name: value" with a text name; quote it if it contains [, { or ?.' },
          },
        )
      : node.kind === 'tag'
      ? problem(
          'yaml.unknown-tag',
          { vi: `Thẻ YAML "${node.name}" không được dùng trong tệp tiêu chí.`, en: `The YAML tag "${node.name}" is not allowed in a criteria file.` },
          {
            location: locationAt(source, node.range[0], node.range[1]),
            hint: {
              vi: 'Xóa thẻ bắt đầu bằng "!" trước giá trị; nếu giá trị là chữ có dấu "!" ở đầu, đặt cả giá trị trong dấu ngoặc kép.',
              en: 'Remove the "!" tag before the value; if the text itself starts with "!", put it in double quotes.',
            },
          },
        )
      : problem(
          'yaml.alias-cycle',
          { vi: `Bí danh *${node.name} nằm bên trong chính khối &${node.name} mà nó trỏ tới: giá trị lặp vô tận.`, en: `The alias *${node.name} sits inside the very node &${node.name} it refers to: the value never ends.` },
          {
            location: locationAt(source, node.range[0], node.range[1]),
            hint: { vi: `Viết thẳng giá trị thay cho *${node.name}.`, en: `Write the value out instead of *${node.name}.` },
          },
        ),
  );
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

/**
 * Unquoted values that YAML 1.1 tools (older editors, Excel add-ins, PyYAML)
 * read differently from tieuchi's YAML 1.2: yes/no/on/off as true/false,
 * 2023-10-05 as a date, 1_000 as a number, 010 as octal 8, 08 as text.
 */
const YAML11_BOOLEAN = /^(yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;
const YAML11_TIMESTAMP = /^\d{4}-\d\d?-\d\d?([Tt ]|$)/;
const YAML11_NUMBER = /^[-+]?(\d[\d_]*_\d*|0b[01_]+|\d+(:[0-5]?\d)+(\.\d*)?)$/;

function ambiguousValues(source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  const warn = (start: number, end: number, vi: string, en: string, hint: Localized) =>
    problems.push(problem('yaml.ambiguous-value', { vi, en }, { severity: 'warning', location: locationAt(source, start, end), hint }));
  visit(source.doc, {
    Scalar(_key, node) {
      if (node.type !== 'PLAIN' || !node.range) return;
      const [start, end] = node.range;
      const written = source.text.slice(start, end);
      if (typeof node.value === 'number' && LEADING_ZERO.test(written)) {
        warn(
          start,
          end,
          `Số ${written} có số 0 ở đầu: tieuchi đọc là ${node.value}, nhưng công cụ YAML 1.1 đọc khác (010 là 8 theo hệ bát phân, 08 là chữ).`,
          `${written} has a leading zero: tieuchi reads ${node.value}, YAML 1.1 tools read it differently (010 as octal 8, 08 as text).`,
          { vi: `Nếu là số, viết ${node.value}; nếu là mã hay số thứ tự, viết "${written}".`, en: `If it is a number, write ${node.value}; if it is a code or a label, write "${written}".` },
        );
        return;
      }
      if (typeof node.value !== 'string') return;
      const reading = YAML11_BOOLEAN.test(written)
        ? { vi: 'đúng/sai (true/false)', en: 'true/false', hint: { vi: `Nếu là chữ, viết "${written}"; nếu là đúng/sai, viết true hoặc false.`, en: `If it is text, write "${written}"; for yes/no write true or false.` } }
        : YAML11_TIMESTAMP.test(written)
          ? { vi: 'một ngày giờ', en: 'a timestamp', hint: { vi: `Đặt trong dấu ngoặc kép: "${written}".`, en: `Quote it: "${written}".` } }
          : YAML11_NUMBER.test(written)
            ? { vi: 'một số', en: 'a number', hint: { vi: `Đặt trong dấu ngoặc kép: "${written}", hoặc viết số không có dấu gạch dưới.`, en: `Quote it, or write the number without underscores.` } }
            : undefined;
      if (!reading) return;
      warn(
        start,
        end,
        `Giá trị ${written} không có ngoặc kép: tieuchi đọc là chữ, nhưng nhiều công cụ YAML (và Excel) đọc là ${reading.vi}.`,
        `Unquoted ${written}: tieuchi reads it as text, but many YAML tools read it as ${reading.en}.`,
        reading.hint,
      );
    },
  });
  return problems;
}

/** The last `opening` bracket before `before` that is not closed before it (ignoring quoted text roughly). */
function unmatchedOpening(text: string, before: number, opening: '{' | '['): number | undefined {
  const closing = opening === '{' ? '}' : ']';
  let depth = 0;
  for (let i = before - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === closing) depth++;
    else if (ch === opening) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return undefined;
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
