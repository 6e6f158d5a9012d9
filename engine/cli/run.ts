/**
 * The command line as a function: run(argv, io) → exit code. No process
 * globals inside, so tests call it directly with fake streams. Each command
 * lives in its own file under commands/ and registers itself here.
 */
import { Command, CommanderError, Option } from 'commander';
import { engineVersion } from '../paths.js';
import type { Lang } from '../problems.js';
import { say, type RegisterCommand } from './context.js';
import { EXIT, languageOf, type CliIo } from './io.js';

/**
 * The subcommands, in the order --help lists them. Each is imported only
 * when it runs (or for --help), so `tieuchi validate` never loads what
 * score, serve or template need: start-up time is paid per command.
 */
const COMMANDS: { name: string; load: () => Promise<RegisterCommand> }[] = [
  { name: 'validate', load: async () => (await import('./commands/validate.js')).registerValidate },
  { name: 'score', load: async () => (await import('./commands/score.js')).registerScore },
  { name: 'explain', load: async () => (await import('./commands/explain.js')).registerExplain },
  { name: 'new-year', load: async () => (await import('./commands/new-year.js')).registerNewYear },
  { name: 'diff', load: async () => (await import('./commands/diff.js')).registerDiff },
  { name: 'template', load: async () => (await import('./commands/template.js')).registerTemplate },
  { name: 'schema', load: async () => (await import('./commands/schema.js')).registerSchema },
  { name: 'report', load: async () => (await import('./commands/report.js')).registerReport },
  { name: 'serve', load: async () => (await import('./commands/serve.js')).registerServe },
  { name: 'round', load: async () => (await import('./commands/round.js')).registerRound },
  { name: 'compare', load: async () => (await import('./commands/compare.js')).registerCompare },
];

/** The command named on the command line: the first word that is not an option or an option's value. */
function requestedCommand(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--lang') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

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

async function buildProgram(argv: readonly string[], io: CliIo, lang: Lang, setExit: (code: number) => void): Promise<Command> {
  const program = new Command('tieuchi')
    .description(say(lang, 'Chấm điểm thi đua Chuyển đổi số theo bộ tiêu chí YAML của từng năm.', "Score the digital-transformation emulation from each year's YAML criteria."))
    .version(engineVersion(), '-V, --version', say(lang, 'hiện phiên bản', 'show the version'))
    .addOption(new Option('--lang <lang>', say(lang, 'ngôn ngữ thông báo: vi (mặc định) hoặc en', 'message language: vi (default) or en')).choices(['vi', 'en']).default('vi'))
    .showHelpAfterError(say(lang, '(xem thêm: tieuchi --help)', '(see: tieuchi --help)'));
  program.helpCommand('help [command]', say(lang, 'hiện hướng dẫn của một lệnh', 'show help for a command'));
  const requested = COMMANDS.find((c) => c.name === requestedCommand(argv));
  for (const command of requested ? [requested] : COMMANDS) (await command.load())(program, { io, lang, setExit });
  configure(program, io, lang);
  for (const command of program.commands) configure(command, io, lang);
  return program;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const lang = languageOf(argv);
  let exitCode: number = EXIT.ok;
  const program = await buildProgram(argv, io, lang, (code) => (exitCode = code));
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
