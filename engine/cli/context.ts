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
