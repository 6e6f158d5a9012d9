/**
 * Mistakes new authors make that the YAML parser and the schema report in
 * misleading terms, diagnosed as what they are, with the fix:
 *
 * - an indentation slip (a key indented 3 spaces among keys at 4; a
 *   `label:` dedented out of its input) is reported by yaml as a missing
 *   bracket or by the schema as a missing field: here it is "indentation",
 *   with the column the key should be at;
 * - a comma decimal in a flow mapping (`{ ty_le: 59,5 }`) silently becomes
 *   `ty_le: 59` plus a key "5": here it is "write 59.5";
 * - curly quotes (“7”, typed by Word or a phone) are not quotes for YAML;
 * - an unquoted text with a comma inside `{ }` is cut at the comma;
 * - a duplicate key is reported with the line of its first occurrence;
 * - a file that is not UTF-8 (saved as "ANSI", Windows-1258) is an error,
 *   not a valid file with garbled labels;
 * - text is normalised to NFC, so that decomposed Vietnamese (as some
 *   Mac and web tools save it) reads the same as composed and never shows
 *   as a change in a diff.
 *
 * One entry point, `refineProblems`, is called by the loader
 * (criteria-set.ts) with the text, the parser's and the schema's problems.
 * A hint found on a line supersedes the parser's and the schema's problems
 * on that line: they describe the same mistake, worse.
 */
import { isMap, isPair, isScalar, type Document, type Pair } from 'yaml';
import { problem, type Localized, type Problem, type SourceLocation } from '../problems.js';

/** Offsets of line starts, for line/column of an offset. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function at(file: string, starts: number[], offset: number, length = 1): SourceLocation {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { file, start: offset, end: offset + length, line: lo + 1, column: offset - starts[lo]! + 1 };
}

const err = (code: Problem['code'], message: Localized, location: SourceLocation, hint: Localized, severity: Problem['severity'] = 'error'): Problem =>
  problem(code, message, { location, hint, severity });

/** The text read from bytes: refused when it is not UTF-8, rather than decoded with replacement characters. */
export function decodeUtf8(file: string, bytes: Uint8Array): { text?: string; problem?: Problem } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text };
  } catch {
    // Where the first byte that is not UTF-8 is: lines are the same in any decoding (\n is ASCII).
    const loose = new TextDecoder('utf-8').decode(bytes);
    const bad = loose.indexOf('\uFFFD');
    return { problem: encodingProblem(file, bad >= 0 ? at(file, lineStarts(loose), bad) : undefined) };
  }
}

function encodingProblem(file: string, location?: SourceLocation): Problem {
  return problem(
    'file.encoding',
    {
      vi: `Tệp "${file}" không được lưu dạng UTF-8 (có thể là "ANSI"/Windows-1258): chữ tiếng Việt sẽ bị sai.`,
      en: `"${file}" is not saved as UTF-8 (perhaps "ANSI"/Windows-1258): Vietnamese text would be garbled.`,
    },
    {
      ...(location ? { location } : { file }),
      hint: {
        vi: 'Mở tệp bằng VS Code, bấm vào chữ mã hóa ở góc dưới bên phải (ví dụ "Windows 1258"), chọn "Save with Encoding" → "UTF-8". Trong Notepad: Lưu thành… → Mã hóa: UTF-8.',
        en: 'Open it in VS Code, click the encoding in the status bar, choose "Save with Encoding" → "UTF-8". In Notepad: Save as… → Encoding: UTF-8.',
      },
    },
  );
}

/** Strings (and keys) of a parsed value in NFC. Returns the same value when nothing changes. */
export function normalizeNfc<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const n = normalizeNfc(v);
      if (n !== v) changed = true;
      return n;
    });
    return (changed ? out : value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const nk = k.normalize('NFC');
      const nv = normalizeNfc(v);
      if (nk !== k || nv !== v) changed = true;
      Object.defineProperty(out, nk, { value: nv, enumerable: true, writable: true, configurable: true });
    }
    return (changed ? out : value) as T;
  }
  return value;
}

interface Line {
  index: number;
  start: number;
  text: string;
  indent: number;
}

/** The content of a line outside quotes and comments: quoted text blanked, so that brackets and commas inside quotes do not count. */
function code(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote && !(quote === '"' && text[i - 1] === '\\')) quote = undefined;
      out += ch === quote ? ch : ' ';
      continue;
    }
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) break;
    if (ch === '"' || ch === "'") quote = ch;
    out += ch;
  }
  return out;
}

/** Lines longer than this get no line hints (the scan of a flow mapping is quadratic in its length). */
const MAX_HINT_LINE = 2000;
/** Duplicate keys whose first occurrence is looked up (each lookup scans up the file). */
const MAX_FIRST_LOOKUPS = 50;

/** Hints found on the raw text, line by line. */
function lineHints(file: string, text: string, starts: number[]): Problem[] {
  const problems: Problem[] = [];
  const lines = text.split('\n');
  let blockIndent: number | undefined;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const indent = line.length - line.trimStart().length;
    if (blockIndent !== undefined) {
      if (line.trim() === '' || indent > blockIndent) return;
      blockIndent = undefined;
    }
    if (/^\s*#/.test(line) || line.trim() === '') return;
    // A line no person typed (untrusted input, a pasted blob) is not worth a hint, nor the time.
    if (line.length > MAX_HINT_LINE) return;
    const start = starts[index]!;
    const body = code(line);
    if (/:\s*[|>][-+0-9]*\s*$/.test(body)) blockIndent = indent + (/^\s*- /.test(line) ? 2 : 0);

    // Comma decimals: "key: 59,5" inside { } or as a whole block value.
    const inFlow = body.includes('{');
    const decimals = inFlow ? /([A-Za-z_][\w-]*):\s+(-?\d+),(\d+)(?=\s*(?:[,}]|$))/g : /^\s*(?:- )?([A-Za-z_][\w-]*):\s+(-?\d+),(\d+)\s*$/g;
    for (const m of body.matchAll(decimals)) {
      const written = `${m[2]},${m[3]}`;
      const fixed = `${m[2]}.${m[3]}`;
      const offset = start + m.index! + m[0].indexOf(written, m[1]!.length);
      problems.push(
        err(
          'yaml.comma-decimal',
          {
            vi: `"${m[1]}: ${written}" dùng dấu phẩy thập phân: YAML đọc ${inFlow ? `thành ${m[2]} và một khóa "${m[3]}"` : 'thành chữ, không phải số'}.`,
            en: `"${m[1]}: ${written}" uses a decimal comma: YAML reads it ${inFlow ? `as ${m[2]} plus a key "${m[3]}"` : 'as text, not a number'}.`,
          },
          at(file, starts, offset, written.length),
          { vi: `Viết ${fixed} (dấu chấm thập phân).`, en: `Write ${fixed} (a decimal point).` },
        ),
      );
    }

    // Curly quotes where a value starts: “7”, ‘x’.
    for (const m of line.matchAll(/(?:^\s*(?:- )?[\w-]+:\s+|^\s*- |[{,[]\s*(?:[\w-]+:\s*)?)([“”‘’])([^“”‘’\n]*)([“”‘’])?/g)) {
      const offset = start + m.index! + m[0].length - m[1]!.length - m[2]!.length - (m[3]?.length ?? 0);
      const inner = m[2]!;
      problems.push(
        err(
          'yaml.curly-quote',
          { vi: `Dấu ngoặc kép cong ${m[1]}…${m[3] ?? ''} không phải dấu ngoặc kép của YAML: giá trị được đọc kèm cả dấu ${m[1]}.`, en: `Curly quotes ${m[1]}…${m[3] ?? ''} are not YAML quotes: the value is read with the ${m[1]} in it.` },
          at(file, starts, offset, 1 + inner.length + (m[3]?.length ?? 0)),
          {
            vi: `Gõ lại bằng dấu ngoặc kép thẳng: "${inner}" (Word và bộ gõ trên điện thoại hay tự đổi " thành “ ”; tắt "Smart quotes" hoặc soạn bằng VS Code).`,
            en: `Retype with straight quotes: "${inner}" (Word and phone keyboards turn " into “ ”; turn off smart quotes or edit in VS Code).`,
          },
          // An error only when it breaks something on its line (see refineProblems).
          'warning',
        ),
      );
    }

    // A text with a comma inside { }: the part after the comma becomes a key of its own.
    if (inFlow) problems.push(...unquotedCommas(file, starts, start, line, body));
  });
  return problems;
}

/** In `{ id: a, label: Có, đúng hạn }`, "đúng hạn" is a piece with no "key:". */
function unquotedCommas(file: string, starts: number[], lineStart: number, line: string, body: string): Problem[] {
  const problems: Problem[] = [];
  for (const open of body.matchAll(/\{/g)) {
    const from = open.index! + 1;
    let depth = 0;
    let end = -1;
    for (let i = from; i < body.length; i++) {
      const ch = body[i];
      if (ch === '{' || ch === '[') depth++;
      else if (ch === ']' || (ch === '}' && depth > 0)) depth--;
      else if (ch === '}') {
        end = i;
        break;
      }
    }
    if (end < 0) continue;
    // Top-level pieces of this mapping.
    const pieces: { text: string; offset: number }[] = [];
    depth = 0;
    let pieceStart = from;
    for (let i = from; i <= end; i++) {
      const ch = body[i];
      if (ch === '{' || ch === '[') depth++;
      else if ((ch === '}' || ch === ']') && i !== end) depth--;
      if ((ch === ',' && depth === 0) || i === end) {
        pieces.push({ text: body.slice(pieceStart, i), offset: pieceStart });
        pieceStart = i + 1;
      }
    }
    pieces.forEach((piece, i) => {
      if (i === 0 || piece.text.trim() === '' || /^\s*("[^"]*"|'[^']*'|[^:]+):(\s|$)/.test(piece.text) || /^\s*[[{]/.test(piece.text)) return;
      const previous = pieces[i - 1]!;
      // "59,5": a comma decimal, reported as such.
      if (/^\s*\d+\s*$/.test(piece.text) && /\d\s*$/.test(previous.text)) return;
      const key = /^\s*([^:]+):/.exec(previous.text)?.[1]?.trim();
      if (!key) return;
      const valueText = line.slice(previous.offset, piece.offset + piece.text.length).replace(/^\s*[^:]+:\s*/, '').trim();
      const offset = lineStart + piece.offset + (piece.text.length - piece.text.trimStart().length);
      problems.push(
        err(
          'yaml.needs-quotes',
          {
            vi: `Giá trị của "${key}" có dấu phẩy nhưng không nằm trong ngoặc kép: trong { } YAML cắt ở dấu phẩy và đọc "${piece.text.trim()}" thành một khóa riêng.`,
            en: `The value of "${key}" has a comma but no quotes: inside { } YAML cuts it at the comma and reads "${piece.text.trim()}" as a key of its own.`,
          },
          at(file, starts, offset, piece.text.trim().length),
          { vi: `Đặt cả giá trị trong ngoặc kép: ${key}: "${valueText}"`, en: `Quote the whole value: ${key}: "${valueText}"` },
        ),
      );
    });
  }
  return problems;
}

/**
 * The first line whose indentation fits no enclosing block, with the column
 * it should be at. Only asked when yaml reported a syntax error.
 */
function indentationSlip(file: string, text: string, starts: number[]): Problem | undefined {
  const raw = text.split('\n');
  const lines: Line[] = [];
  let blockIndent: number | undefined;
  let flowDepth = 0;
  raw.forEach((r, index) => {
    const t = r.replace(/\r$/, '');
    const indent = t.length - t.trimStart().length;
    if (blockIndent !== undefined) {
      if (t.trim() === '' || indent > blockIndent) return;
      blockIndent = undefined;
    }
    if (t.trim() === '' || /^\s*#/.test(t) || /^(---|\.\.\.)\s*$/.test(t)) return;
    const body = code(t);
    const inFlow = flowDepth > 0;
    for (const ch of body) {
      if (ch === '{' || ch === '[') flowDepth++;
      else if ((ch === '}' || ch === ']') && flowDepth > 0) flowDepth--;
    }
    if (inFlow) return;
    if (/:\s*[|>][-+0-9]*\s*$/.test(body)) blockIndent = indent + (/^\s*- /.test(t) ? 2 : 0);
    lines.push({ index, start: starts[index]!, text: t, indent });
  });

  // Each open block: the column of its keys (or dashes), and the line that set it.
  const stack: { indent: number; line: Line }[] = [];
  let previous: Line | undefined;
  for (const line of lines) {
    const { indent } = line;
    const opens = previous !== undefined && /:\s*(&\S+\s*)?$/.test(code(previous.text));
    const top = stack[stack.length - 1];
    if (!top || indent > top.indent) {
      if (!top || opens || /^\s*- /.test(previous?.text ?? '')) {
        // "- key: v" puts the item's keys 2 columns right of the dash.
        if (previous && /^\s*- /.test(previous.text) && !opens && indent !== previous.indent + 2) return slip(file, starts, line, previous.indent + 2, previous);
        stack.push({ indent, line });
        if (/^\s*- \S/.test(line.text) && !/^\s*- .*:\s*$/.test(code(line.text))) stack.push({ indent: indent + 2, line });
      } else if (previous && indent > previous.indent) {
        // More indented than the line above, which holds a complete value.
        return slip(file, starts, line, previous.indent, previous);
      }
    } else {
      while (stack.length && stack[stack.length - 1]!.indent > indent) stack.pop();
      const now = stack[stack.length - 1];
      if (!now || now.indent !== indent) {
        // Between two levels: the nearest one is most likely meant.
        const deeper = lines.filter((l) => l.index < line.index && l.indent > indent).pop();
        const target = deeper ? deeper.indent : (now?.indent ?? 0);
        return slip(file, starts, line, target, deeper ?? now?.line);
      }
      if (/^\s*- /.test(line.text) && !/^\s*- .*:\s*$/.test(code(line.text))) stack.push({ indent: indent + 2, line });
    }
    previous = line;
  }
  return undefined;
}

function slip(file: string, starts: number[], line: Line, column0: number, like: Line | undefined): Problem {
  const key = /^\s*(- )?([^:#]+):/.exec(line.text)?.[2]?.trim() ?? line.text.trim().slice(0, 30);
  const likeText = like ? /^\s*(- )?([^:#]+):/.exec(like.text)?.[2]?.trim() : undefined;
  return err(
    'yaml.indentation',
    {
      vi: `Thụt lề lệch: "${key}" bắt đầu ở cột ${line.indent + 1}, nhưng phải ở cột ${column0 + 1}${like && likeText ? ` (thẳng cột với "${likeText}" ở dòng ${like.index + 1})` : ''}.`,
      en: `Indentation slip: "${key}" starts at column ${line.indent + 1} but should be at column ${column0 + 1}${like && likeText ? ` (in line with "${likeText}" on line ${like.index + 1})` : ''}.`,
    },
    at(file, starts, line.start + line.indent, Math.max(1, key.length)),
    {
      vi: `Thụt "${key}" bằng ${column0} dấu cách (bắt đầu ở cột ${column0 + 1}); các khóa cùng khối phải thẳng cột, khối con thụt thêm 2 dấu cách.`,
      en: `Indent "${key}" by ${column0} spaces (column ${column0 + 1}); keys of one block line up, a nested block is 2 spaces further in.`,
    },
  );
}

/** Keys of an input or a parameter: one of these beside the entries is a key that slipped out of one. */
const ENTRY_FIELDS = new Set(['type', 'label', 'value', 'note', 'description', 'options', 'none_allowed', 'none_label', 'if_total_zero', 'max', 'min', 'printed_in', 'cross_year']);

/**
 * A key dedented out of the block it belongs to (`label:` at the column of
 * its input's id) is valid YAML: it becomes a sibling. Recognised in a
 * mapping whose other values are all mappings, as a key with a plain value
 * right after a mapping that lacks it.
 */
function dedentedKeys(file: string, doc: Document.Parsed, starts: number[]): Problem[] {
  const problems: Problem[] = [];
  const visitMap = (node: unknown, owner?: string): void => {
    if (!isMap(node)) {
      if (node && typeof node === 'object' && 'items' in node) for (const item of (node as { items: unknown[] }).items) visitMap(isPair(item) ? item.value : item);
      return;
    }
    const pairs = node.items as Pair[];
    const mapValued = pairs.filter((p) => isMap(p.value)).length;
    // Only maps of user-named entries (inputs, parameters), where any id is a valid key.
    const entries = owner === 'inputs' || owner === 'parameters';
    pairs.forEach((pair, i) => {
      visitMap(pair.value, isScalar(pair.key) ? String(pair.key.value) : undefined);
      if (!entries || i === 0 || mapValued < 1 || mapValued !== pairs.length - 1 || !isScalar(pair.key) || isMap(pair.value)) return;
      if (!ENTRY_FIELDS.has(String(pair.key.value))) return;
      const before = pairs[i - 1]!;
      if (!isMap(before.value) || !isScalar(pair.key) || !pair.key.range) return;
      const inner = before.value;
      const key = String(pair.key.value);
      if (inner.items.some((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key)) return;
      const first = inner.items[0];
      const innerKey = isPair(first) && isScalar(first.key) && first.key.range ? first.key.range[0] : undefined;
      if (innerKey === undefined || inner.flow) return;
      const column = at(file, starts, innerKey).column;
      const here = at(file, starts, pair.key.range[0], key.length);
      const owner = isScalar(before.key) ? String(before.key.value) : '';
      problems.push(
        err(
          'yaml.indentation',
          {
            vi: `Thụt lề lệch: "${key}:" ở cột ${here.column} nên YAML coi nó là một mục riêng cạnh "${owner}", không phải một khóa của "${owner}".`,
            en: `Indentation slip: "${key}:" at column ${here.column} makes it a sibling of "${owner}", not one of its keys.`,
          },
          here,
          {
            vi: `Thụt "${key}:" vào cột ${column} (thêm ${column - here.column} dấu cách), thẳng cột với các khóa khác của "${owner}".`,
            en: `Indent "${key}:" to column ${column} (${column - here.column} more spaces), in line with the other keys of "${owner}".`,
          },
        ),
      );
    });
  };
  visitMap(doc.contents);
  return problems;
}

/** The first "key:" of a duplicate, by the same key at the same indent above it in the same block (or earlier on a flow line). */
function firstOccurrence(text: string, starts: number[], offset: number): number | undefined {
  const here = at('', starts, offset);
  const lineText = text.slice(starts[here.line - 1]!, starts[here.line] ?? text.length);
  const key = /^([^:\s][^:]*):/.exec(text.slice(offset))?.[1]?.trim().replace(/^["']|["']$/g, '');
  if (!key) return undefined;
  const before = lineText.slice(0, here.column - 1);
  if (before.includes('{')) {
    const m = new RegExp(`[{,]\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`).exec(before);
    if (m) return here.line;
  }
  const indent = here.column - 1;
  for (let l = here.line - 2; l >= 0; l--) {
    const t = text.slice(starts[l]!, (starts[l + 1] ?? text.length) - 1).replace(/\r$/, '');
    if (t.trim() === '' || /^\s*#/.test(t)) continue;
    const ind = t.length - t.trimStart().length;
    const content = t.trimStart().replace(/^- /, '');
    const keyIndent = t.trimStart().startsWith('- ') ? ind + 2 : ind;
    if (keyIndent === indent && content.replace(/^["']|["']$/g, '').startsWith(`${key}:`)) return l + 1;
    if (content.replace(/^["']/, '').startsWith(`${key}"`) && keyIndent === indent) return l + 1;
    if (ind < indent && !t.trimStart().startsWith('- ')) return undefined;
    if (ind < indent - 2) return undefined;
  }
  return undefined;
}

export interface RefineInput {
  file: string;
  text: string;
  /** The parsed document, when yaml got that far. */
  doc?: Document.Parsed;
  /** Problems so far (parser, schema). */
  problems: Problem[];
}

/**
 * Better problems for the mistakes above. Returns the problems to report:
 * the hints, and the others minus those on a line a hint explains.
 */
export function refineProblems({ file, text, doc, problems }: RefineInput): Problem[] {
  const starts = lineStarts(text);
  const hints: Problem[] = [];
  if (text.includes('\uFFFD')) hints.push(encodingProblem(file, at(file, starts, text.indexOf('\uFFFD'))));
  hints.push(...lineHints(file, text, starts).slice(0, 200));
  const syntax = problems.some((p) => p.code === 'yaml.syntax');
  // An unclosed bracket found by the parser explains what follows it better than any indentation.
  const unclosed = problems.some((p) => p.code === 'yaml.syntax' && p.message.en.includes('is never closed'));
  if (syntax && !unclosed) {
    const slip = indentationSlip(file, text, starts);
    const firstSyntax = Math.min(...problems.filter((p) => p.code === 'yaml.syntax').map((p) => p.location?.line ?? Infinity));
    // A slip after the first syntax error is a consequence, not the cause.
    if (slip && slip.location!.line <= firstSyntax + 1) {
      // Every syntax error is the parser losing its way after the slip.
      return [...hints, slip, ...problems.filter((p) => p.code !== 'yaml.syntax')];
    }
  }
  if (doc && !syntax && problems.some((p) => p.code.startsWith('schema.'))) hints.push(...dedentedKeys(file, doc, starts));

  // Curly quotes on a line that has another problem are its cause.
  const problemLines = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.location?.line));
  for (let i = 0; i < hints.length; i++) {
    const h = hints[i]!;
    if (h.code === 'yaml.curly-quote' && problemLines.has(h.location?.line)) hints[i] = { ...h, severity: 'error' };
  }
  const explained = new Set(hints.filter((h) => h.severity === 'error').map((h) => h.location?.line));
  // A dedented key also explains the schema's complaints about the block it left.
  const dedents = hints.filter((h) => h.code === 'yaml.indentation' && h.location);
  let lookups = 0;
  const out = problems
    .filter((p) => !(p.location && explained.has(p.location.line) && p.code !== 'yaml.duplicate-key'))
    .filter((p) => !(p.code.startsWith('schema.') && p.location && dedents.some((d) => p.location!.line >= d.location!.line - 3 && p.location!.line <= d.location!.line + 1)))
    .map((p) => {
      if (p.code !== 'yaml.duplicate-key' || !p.location || lookups++ >= MAX_FIRST_LOOKUPS) return p;
      const first = firstOccurrence(text, starts, p.location.start);
      if (first === undefined) return p;
      return { ...p, message: { vi: `${p.message.vi.replace(/\.$/, '')} (lần đầu ở dòng ${first}).`, en: `${p.message.en.replace(/\.$/, '')} (first on line ${first}).` } };
    });
  return [...hints, ...out];
}
