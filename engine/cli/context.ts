import type { Command } from 'commander';
import type { Lang } from '../problems.js';
import type { CliIo } from './io.js';

/** What every command gets: its streams, the message language, and a way to set the exit code. */
export interface CommandContext {
  io: CliIo;
  lang: Lang;
  setExit: (code: number) => void;
}

/**
 * Each command file exports one of these: it adds its subcommand to the
 * program. Heavy libraries (exceljs, fastify) must be imported inside the
 * action, not at the top of the file, so that other commands start fast.
 */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

/** Pick the message for the context's language. */
export function say(lang: Lang, vi: string, en: string): string {
  return lang === 'vi' ? vi : en;
}

/** For repeatable options: --input a --input b. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Help texts of the options several commands share, so they read the same everywhere. */
export function sharedOptionText(lang: Lang): { criteria: string; input: string; out: string } {
  return {
    criteria: say(
      lang,
      'bộ tiêu chí: thư mục năm (criteria/2023), một tệp .yaml, hoặc thư mục gốc criteria (khi đó là năm đã ký mới nhất); mặc định: năm đã ký mới nhất trong criteria/ (dự thảo chỉ dùng khi chỉ rõ)',
      "the criteria: a year folder (criteria/2023), a .yaml file, or the criteria root (then its newest signed year); default: the newest signed year under criteria/ (a draft only when named)",
    ),
    input: say(lang, 'tệp số liệu .json, .csv hoặc .xlsx, hoặc thư mục chứa chúng (dùng nhiều lần được)', 'a .json, .csv or .xlsx submission file, or a folder of them (repeatable)'),
    out: say(lang, 'ghi kết quả vào tệp (ghi trọn vẹn hoặc không ghi gì)', 'write the result to a file (all of it or nothing)'),
  };
}
