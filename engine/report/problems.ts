/**
 * Problems as text for people: position, severity, code, who and what it is
 * about, the message, what to do, and the source line with a caret.
 */
import type { Lang, Problem } from '../problems.js';

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

/** The line at `line` with a caret under [column, column + width). */
export function caretFrame(text: string, line: number, column: number, width: number): string[] {
  const lines = text.split(/\r?\n/);
  const source = lines[line - 1];
  if (source === undefined) return [];
  const gutter = String(line).length;
  const shown = source.length > 160 ? source.slice(0, 160) + '…' : source;
  const caretWidth = Math.max(1, Math.min(width, shown.length - column + 1));
  return [`  ${String(line)} | ${shown}`, `  ${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, column - 1))}${'^'.repeat(caretWidth)}`];
}

export function formatProblem(p: Problem, lang: Lang, lookup?: SourceLookup): string {
  const where = p.location ? `${p.location.file}:${p.location.line}:${p.location.column}` : p.file ?? '';
  const head = [where, SEVERITY[lang][p.severity], p.code, subject(p, lang)].filter(Boolean).join('  ');
  const lines = [head, `  ${p.message[lang]}`];
  if (p.hint) lines.push(`  → ${p.hint[lang]}`);
  if (p.location && p.location.end > p.location.start && lookup) {
    const text = lookup(p.location.file);
    if (text !== undefined) {
      const firstLineEnd = text.indexOf('\n', p.location.start);
      const end = firstLineEnd === -1 ? p.location.end : Math.min(p.location.end, firstLineEnd);
      lines.push(...caretFrame(text, p.location.line, p.location.column, end - p.location.start));
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
