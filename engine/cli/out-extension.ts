/**
 * --out names the file a command writes, and its extension promises a format: a name that
 * promises another one (ket-qua.docx given to `score` or `report`) is refused before anything
 * is computed, so no file ends up holding text under a name that says Word or Excel.
 */
import type { Lang } from '../problems.js';
import type { CliIo } from './io.js';

export interface OutFormat {
  /** Extensions accepted, lower case with the dot; '' accepts a name without one. */
  extensions: readonly string[];
  /** What is written, as the message says it ("báo cáo ghi ra tệp .html hoặc .pdf"). */
  vi: string;
  en: string;
  /** What to do instead (other commands, other formats), one sentence each. */
  hintVi?: string;
  hintEn?: string;
}

/** The extension of a file name, lower case with its dot ('' when there is none). */
export function extensionOf(file: string): string {
  const base = file.replace(/^.*[/\\]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** Whether --out's extension fits; when not, says so on stderr (the caller exits with EXIT.usage). */
export function outExtensionFits(io: CliIo, out: string, format: OutFormat, lang: Lang): boolean {
  if (format.extensions.includes(extensionOf(out))) return true;
  io.stderr(
    lang === 'vi'
      ? `lỗi: --out "${out}": ${format.vi}.${format.hintVi ? ` ${format.hintVi}` : ''}\n`
      : `error: --out "${out}": ${format.en}.${format.hintEn ? ` ${format.hintEn}` : ''}\n`,
  );
  return false;
}
