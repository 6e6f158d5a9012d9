/**
 * Problems as text for people: position, severity, code, who and what it is
 * about, the message, what to do, and the source line with a caret.
 */
import type { Lang, Problem } from '../problems.js';
import { escapeForTerminal } from './tables.js';

const SEVERITY: Record<Lang, Record<Problem['severity'], string>> = {
  vi: { error: 'lỗi', warning: 'cảnh báo' },
  en: { error: 'error', warning: 'warning' },
};

/** Source text by file name, to print the offending line; undefined when not available. */
export type SourceLookup = (file: string) => string | undefined;

function subject(p: Problem, lang: Lang): string {
  const parts: string[] = [];
  const words = lang === 'vi' ? { unit: 'đơn vị', level: 'cấp', criterion: 'tiêu chí', input: 'số liệu' } : { unit: 'unit', level: 'level', criterion: 'criterion', input: 'input' };
  if (p.unit) parts.push(`${words.unit} ${p.unit}`);
  else if (p.level) parts.push(`${words.level} ${p.level}`);
  if (p.criterion) parts.push(`${words.criterion} ${p.criterion}`);
  if (p.input) parts.push(`${words.input} ${p.input}`);
  return parts.length ? `[${parts.join(', ')}]` : '';
}

/** Offset where 1-based line `line` starts, or -1; walks line ends only, never splits the text. */
function lineStartOf(text: string, line: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl === -1) return -1;
    at = nl + 1;
  }
  return at;
}

/**
 * The line at `line` with a caret under [column, column + width). With
 * `start` (the offset of the column), the line is found around it, whatever
 * the size of the text. Long lines are cut around the caret; control
 * characters are escaped.
 */
export function caretFrame(text: string, line: number, column: number, width: number, start?: number): string[] {
  const lineStart = start !== undefined && start >= column - 1 ? start - (column - 1) : lineStartOf(text, line);
  if (lineStart < 0 || lineStart > text.length) return [];
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd === -1) lineEnd = text.length;
  if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
  // A window of the line around the caret: at most 160 characters.
  const from = column - 1 > 120 ? lineStart + column - 1 - 40 : lineStart;
  const to = Math.min(lineEnd, from + 160);
  const prefix = from > lineStart ? '…' : '';
  const shown = prefix + escapeForTerminal(text.slice(from, to)) + (to < lineEnd ? '…' : '');
  const caretColumn = prefix.length + (lineStart + column - 1 - from);
  const gutter = String(line).length;
  const caretWidth = Math.max(1, Math.min(width, shown.length - caretColumn));
  return [`  ${String(line)} | ${shown}`, `  ${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, caretColumn))}${'^'.repeat(caretWidth)}`];
}

export function formatProblem(p: Problem, lang: Lang, lookup?: SourceLookup): string {
  const where = p.location ? `${p.location.file}:${p.location.line}:${p.location.column}` : p.file ?? '';
  const head = [where, SEVERITY[lang][p.severity], p.code, subject(p, lang)].filter(Boolean).join('  ');
  // Messages quote what users wrote (unit names, values): never raw control characters to a terminal.
  const lines = [escapeForTerminal(head), `  ${escapeForTerminal(p.message[lang])}`];
  if (p.hint) lines.push(`  → ${escapeForTerminal(p.hint[lang])}`);
  if (p.location && p.location.end > p.location.start && lookup) {
    const text = lookup(p.location.file);
    if (text !== undefined) {
      const firstLineEnd = text.indexOf('\n', p.location.start);
      const end = firstLineEnd === -1 ? p.location.end : Math.min(p.location.end, firstLineEnd);
      lines.push(...caretFrame(text, p.location.line, p.location.column, end - p.location.start, p.location.start));
    }
  }
  return lines.join('\n');
}

export function formatProblems(problems: readonly Problem[], lang: Lang, lookup?: SourceLookup): string {
  return problems.map((p) => formatProblem(p, lang, lookup)).join('\n\n');
}

export function countLine(problems: readonly Problem[], lang: Lang): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return lang === 'vi' ? `${errors} lỗi, ${warnings} cảnh báo.` : `${errors} error(s), ${warnings} warning(s).`;
}
