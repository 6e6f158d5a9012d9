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
    criteria: say(lang, 'thư mục bộ tiêu chí của năm (mặc định: năm mới nhất trong criteria/)', "the year's criteria folder (default: the newest year under criteria/)"),
    input: say(lang, 'tệp số liệu .json, .csv hoặc .xlsx, hoặc thư mục chứa chúng (dùng nhiều lần được)', 'a .json, .csv or .xlsx submission file, or a folder of them (repeatable)'),
    out: say(lang, 'ghi kết quả vào tệp (ghi trọn vẹn hoặc không ghi gì)', 'write the result to a file (all of it or nothing)'),
  };
}
