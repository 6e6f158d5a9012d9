/**
 * The command line as a function: run(argv, io) → exit code. No process
 * globals inside, so tests call it directly with fake streams. Each command
 * lives in its own file under commands/ and registers itself here.
 */
import { Command, CommanderError, Option } from 'commander';
import { engineVersion } from '../paths.js';
import type { Lang } from '../problems.js';
import { registerExplain } from './commands/explain.js';
import { registerScore } from './commands/score.js';
import { registerValidate } from './commands/validate.js';
import { say, type RegisterCommand } from './context.js';
import { EXIT, languageOf, type CliIo } from './io.js';

/** The subcommands, in the order --help lists them. */
const COMMANDS: RegisterCommand[] = [registerValidate, registerScore, registerExplain];

/** Commander prints its headings and errors in English; these read them in Vietnamese. */
const VI_TITLES: Record<string, string> = { 'Usage:': 'Cách dùng:', 'Options:': 'Tùy chọn:', 'Commands:': 'Lệnh:', 'Arguments:': 'Đối số:', 'Global Options:': 'Tùy chọn chung:' };
const VI_ERRORS: [RegExp, string][] = [
  [/^error: required option '(.+)' not specified/, 'lỗi: thiếu tùy chọn bắt buộc $1'],
  [/^error: unknown option '(.+?)'/, 'lỗi: không có tùy chọn $1'],
  [/^error: unknown command '(.+?)'/, 'lỗi: không có lệnh $1 (xem: tieuchi --help)'],
  [/^error: option '(.+)' argument '(.+)' is invalid\. Allowed choices are (.+)\./, 'lỗi: giá trị "$2" của $1 không hợp lệ; chọn một trong: $3.'],
  [/^error: option '(.+)' argument missing/, 'lỗi: tùy chọn $1 cần một giá trị'],
  [/^error: too many arguments.*/, 'lỗi: thừa đối số'],
  [/^error: missing required argument '(.+)'/, 'lỗi: thiếu đối số $1'],
];

function localizeError(message: string, lang: Lang): string {
  if (lang !== 'vi') return message;
  for (const [pattern, replacement] of VI_ERRORS) {
    if (pattern.test(message)) return message.replace(pattern, replacement);
  }
  return message;
}

/** Streams, exit handling and (in Vietnamese) help headings, for the program and each subcommand. */
function configure(command: Command, io: CliIo, lang: Lang): void {
  command
    .exitOverride()
    .helpOption('-h, --help', say(lang, 'hiện hướng dẫn', 'show help'))
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: (s, write) => write(localizeError(s, lang)) });
  if (lang === 'vi') {
    command.configureHelp({
      styleTitle: (title) => VI_TITLES[title] ?? title,
      optionDescription: (option) => {
        const extra: string[] = [];
        if (option.argChoices) extra.push(`chọn: ${option.argChoices.join(', ')}`);
        if (option.defaultValue !== undefined) extra.push(`mặc định: ${String(option.defaultValue)}`);
        return extra.length ? `${option.description} (${extra.join('; ')})` : option.description;
      },
    });
  }
}

function buildProgram(io: CliIo, lang: Lang, setExit: (code: number) => void): Command {
  const program = new Command('tieuchi')
    .description(say(lang, 'Chấm điểm thi đua Chuyển đổi số theo bộ tiêu chí YAML của từng năm.', "Score the digital-transformation emulation from each year's YAML criteria."))
    .version(engineVersion(), '-V, --version', say(lang, 'hiện phiên bản', 'show the version'))
    .addOption(new Option('--lang <lang>', say(lang, 'ngôn ngữ thông báo: vi (mặc định) hoặc en', 'message language: vi (default) or en')).choices(['vi', 'en']).default('vi'))
    .showHelpAfterError(say(lang, '(xem thêm: tieuchi --help)', '(see: tieuchi --help)'));
  program.helpCommand('help [command]', say(lang, 'hiện hướng dẫn của một lệnh', 'show help for a command'));
  for (const register of COMMANDS) register(program, { io, lang, setExit });
  configure(program, io, lang);
  for (const command of program.commands) configure(command, io, lang);
  return program;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const lang = languageOf(argv);
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, lang, (code) => (exitCode = code));
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    throw err;
  }
}
