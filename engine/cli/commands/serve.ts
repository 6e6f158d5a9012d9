import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { CriteriaSet } from '../../criteria-set.js';
import { problem, type Lang } from '../../problems.js';
import { EXIT, resolvePath, type CliIo } from '../io.js';
import { loadSetOrReport, printProblems, readSubmissionFiles } from '../load.js';
import type { ServerOptions } from '../../serve/app.js';
import { hashedFiles } from './report.js';
import { collect, say, type CommandContext } from '../context.js';

export interface ServeOptions {
  port: string;
  host: string;
  criteria?: string[];
  input?: string[];
}

/** Every criteria/<year> folder under the working directory. */
function allYears(io: CliIo): string[] {
  try {
    const root = resolvePath(io, 'criteria');
    return readdirSync(root)
      .filter((n) => /^\d{4}$/.test(n) && statSync(join(root, n)).isDirectory())
      .sort()
      .map((n) => join('criteria', n));
  } catch {
    return [];
  }
}

/**
 * tieuchi serve: load the criteria sets once, answer HTTP until SIGINT or
 * SIGTERM, then stop accepting and let the requests in flight finish.
 * Resolves with the exit code once the server has closed.
 */
export async function serveCommand(options: ServeOptions, io: CliIo, lang: Lang, signals: NodeJS.EventEmitter = process): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    printProblems(io, [problem('cli.usage', { vi: `Cổng không hợp lệ "${options.port}".`, en: `Invalid port "${options.port}".` })], lang);
    return EXIT.usage;
  }
  const dirs = options.criteria?.length ? options.criteria : allYears(io);
  if (dirs.length === 0) {
    printProblems(io, [problem('cli.usage', { vi: 'Không tìm thấy bộ tiêu chí: dùng --criteria criteria/2023.', en: 'No criteria found: use --criteria criteria/2023.' })], lang);
    return EXIT.problems;
  }
  const sets: CriteriaSet[] = [];
  for (const dir of dirs) {
    const set = loadSetOrReport(io, dir, lang);
    if (!set) return EXIT.problems;
    sets.push(set);
  }
  // Data for the web view's results, diff impact and what-if. It belongs to the year whose
  // levels take most of its units (the newest such year), e.g. 2023's data beside a 2024 draft.
  let web: ServerOptions['web'];
  if (options.input?.length) {
    const newestFirst = [...sets].sort((a, b) => b.year - a.year);
    const read = await readSubmissionFiles(io, options.input, newestFirst[0]!);
    printProblems(io, read.problems, lang);
    const fit = (set: CriteriaSet) => read.submissions.filter((s) => set.levels.some((l) => l.id === s.level)).length;
    const year = newestFirst.reduce((best, set) => (fit(set) > fit(best) ? set : best)).year;
    web = { submissions: read.submissions, year, files: hashedFiles(io, options.input) };
  }
  // Fastify only here, so that the other commands start fast.
  const { buildServer } = await import('../../serve/app.js');
  const app = buildServer({ sets, logger: true, ...(web ? { web } : {}) });
  const address = await app.listen({ port, host: options.host });
  io.stderr(
    lang === 'vi'
      ? `tieuchi đang phục vụ tại ${address} (năm: ${sets.map((s) => s.year).join(', ')}); tài liệu API: ${address}/openapi.json; giao diện web: ${address}/web. Ctrl+C để dừng.\n`
      : `tieuchi listening on ${address} (years: ${sets.map((s) => s.year).join(', ')}); API description: ${address}/openapi.json; web view: ${address}/web. Ctrl+C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      io.stderr(lang === 'vi' ? 'Đang dừng: chờ các yêu cầu đang xử lý xong…\n' : 'Stopping: waiting for requests in flight…\n');
      void app.close().then(() => resolve());
    };
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
  return EXIT.ok;
}

export function registerServe(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('serve')
    .description(say(lang, 'chạy dịch vụ HTTP (JSON): chấm điểm, kiểm tra tiêu chí, lược đồ số liệu; xem /openapi.json', 'run the HTTP (JSON) service: scoring, criteria validation, submission schemas; see /openapi.json'))
    .addOption(new Option('--port <port>', say(lang, 'cổng', 'port')).default('8080'))
    .addOption(new Option('--host <host>', say(lang, 'địa chỉ lắng nghe (0.0.0.0 để mở ra mạng)', 'address to listen on (0.0.0.0 to open it to the network)')).default('127.0.0.1'))
    .option('--criteria <dir>', say(lang, 'thư mục bộ tiêu chí của một năm (dùng nhiều lần được; mặc định: mọi năm trong criteria/)', "a year's criteria folder (repeatable; default: every year under criteria/)"), collect)
    .option('--input <file>', say(lang, 'số liệu cho giao diện web (/web): kết quả, tác động, thử thay đổi; dùng nhiều lần được', 'data for the web view (/web): results, impact, what-if; repeatable'), collect)
    .action(async (opts: ServeOptions) => setExit(await serveCommand(opts, io, lang)));
}
