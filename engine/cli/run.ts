/**
 * The command line as a function: run(argv, io) → exit code. No process
 * globals inside, so tests call it directly with fake streams.
 */
import { Command, CommanderError, Option } from 'commander';
import { engineVersion } from '../paths.js';
import type { Lang } from '../problems.js';
import { explainCommand } from './commands/explain.js';
import { scoreCommand } from './commands/score.js';
import { validateCommand } from './commands/validate.js';
import { EXIT, languageOf, type CliIo } from './io.js';

const TEXT = {
  vi: {
    program: 'Chấm điểm thi đua Chuyển đổi số theo bộ tiêu chí YAML của từng năm.',
    lang: 'ngôn ngữ thông báo: vi (mặc định) hoặc en',
    help: 'hiện hướng dẫn',
    version: 'hiện phiên bản',
    validate: 'kiểm tra bộ tiêu chí (mọi lỗi của mọi tệp, kèm dòng:cột); thoát với mã 1 nếu có lỗi',
    paths: 'thư mục năm (criteria/2023), tệp .yaml, hoặc thư mục chứa các năm (mặc định: criteria)',
    score: 'chấm điểm các đơn vị từ tệp số liệu JSON hoặc CSV, xếp hạng theo cấp',
    explain: 'giải thích điểm từng tiêu chí của một đơn vị',
    criteria: 'thư mục bộ tiêu chí của năm (mặc định: năm mới nhất trong criteria/)',
    input: 'tệp số liệu .json hoặc .csv, hoặc thư mục chứa chúng (dùng nhiều lần được)',
    format: 'định dạng kết quả',
    out: 'ghi kết quả vào tệp (ghi trọn vẹn hoặc không ghi gì)',
    trace: 'kèm vết tính toán và lời giải thích của từng tiêu chí (với --format json)',
    strict: 'thoát với mã 1 nếu có bất kỳ lỗi số liệu nào',
    unit: 'mã đơn vị cần giải thích',
  },
  en: {
    program: 'Score the digital-transformation emulation from each year\'s YAML criteria.',
    lang: 'message language: vi (default) or en',
    help: 'show help',
    version: 'show the version',
    validate: 'check criteria (every problem of every file, with line:column); exit 1 on errors',
    paths: 'a year folder (criteria/2023), a .yaml file, or a folder of years (default: criteria)',
    score: 'score units from JSON or CSV submissions and rank them per level',
    explain: 'explain, criterion by criterion, how a unit\'s points were reached',
    criteria: 'the year\'s criteria folder (default: the newest year under criteria/)',
    input: 'a .json or .csv submission file, or a folder of them (repeatable)',
    format: 'output format',
    out: 'write the result to a file (all of it or nothing)',
    trace: 'include each criterion\'s trace and explanation (with --format json)',
    strict: 'exit 1 when any data problem is found',
    unit: 'id of the unit to explain',
  },
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Commander prints its headings and errors in English; these read them in Vietnamese. */
const VI_TITLES: Record<string, string> = { 'Usage:': 'Cách dùng:', 'Options:': 'Tùy chọn:', 'Commands:': 'Lệnh:', 'Arguments:': 'Đối số:', 'Global Options:': 'Tùy chọn chung:' };
const VI_ERRORS: [RegExp, string][] = [
  [/^error: required option '(.+)' not specified/, 'lỗi: thiếu tùy chọn bắt buộc $1'],
  [/^error: unknown option '(.+?)'(\n\(Did you mean (.+)\?\))?/, 'lỗi: không có tùy chọn $1'],
  [/^error: unknown command '(.+?)'/, 'lỗi: không có lệnh $1 (các lệnh: validate, score, explain)'],
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

function configure(command: Command, io: CliIo, lang: Lang, t: (typeof TEXT)['vi']): Command {
  command
    .exitOverride()
    .helpOption('-h, --help', t.help)
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
  return command;
}

function buildProgram(io: CliIo, lang: Lang, setExit: (code: number) => void): Command {
  const t = TEXT[lang];
  const program = new Command('tieuchi')
    .description(t.program)
    .version(engineVersion(), '-V, --version', t.version)
    .addOption(new Option('--lang <lang>', t.lang).choices(['vi', 'en']).default('vi'))
    .showHelpAfterError(lang === 'vi' ? '(xem thêm: tieuchi --help)' : '(see: tieuchi --help)');
  program.helpCommand('help [command]', t.help);

  program
    .command('validate')
    .description(t.validate)
    .argument('[paths...]', t.paths)
    .addOption(new Option('--format <format>', t.format).choices(['text', 'json']).default('text'))
    .action((paths: string[], opts) => setExit(validateCommand(paths, opts, io, lang)));

  program
    .command('score')
    .description(t.score)
    .option('--criteria <dir>', t.criteria)
    .requiredOption('--input <file>', t.input, collect)
    .addOption(new Option('--format <format>', t.format).choices(['table', 'json', 'csv']).default('table'))
    .option('--out <file>', t.out)
    .option('--trace', t.trace)
    .option('--strict', t.strict)
    .action((opts) => setExit(scoreCommand(opts, io, lang)));

  program
    .command('explain')
    .description(t.explain)
    .option('--criteria <dir>', t.criteria)
    .requiredOption('--input <file>', t.input, collect)
    .requiredOption('--unit <id>', t.unit)
    .addOption(new Option('--format <format>', t.format).choices(['text', 'json']).default('text'))
    .option('--out <file>', t.out)
    .action((opts) => setExit(explainCommand(opts, io, lang)));

  configure(program, io, lang, t);
  for (const command of program.commands) configure(command, io, lang, t);
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
