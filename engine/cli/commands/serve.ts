import { Option, type Command } from 'commander';
import { criteriaRoot, setsUnderPath } from '../../load/catalog.js';
import { criteriaStatus, type CriteriaSet } from '../../criteria-set.js';
import { problem, type Lang } from '../../problems.js';
import { EXIT, resolvePath, type CliIo } from '../io.js';
import { loadSetOrReport, printProblems } from '../load.js';
import { collect, say, type CommandContext } from '../context.js';

export interface ServeOptions {
  port: string;
  host: string;
  criteria?: string[];
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
  // A criteria root (the default: criteria/, or the bundled criteria outside a clone) stands for all its years.
  const dirs = (options.criteria?.length ? options.criteria.map((c) => resolvePath(io, c)) : [criteriaRoot(io.cwd).dir]).flatMap((p) => setsUnderPath(p));
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
  // Fastify only here, so that the other commands start fast.
  const { buildServer } = await import('../../serve/app.js');
  const app = buildServer({ sets, logger: true });
  const address = await app.listen({ port, host: options.host });
  io.stderr(
    lang === 'vi'
      ? `tieuchi đang phục vụ tại ${address} (năm: ${sets.map((s) => s.year + (criteriaStatus(s) === 'draft' ? ' (dự thảo)' : '')).join(', ')}); tài liệu API: ${address}/openapi.json. Ctrl+C để dừng.\n`
      : `tieuchi listening on ${address} (years: ${sets.map((s) => s.year + (criteriaStatus(s) === 'draft' ? ' (draft)' : '')).join(', ')}); API description: ${address}/openapi.json. Ctrl+C to stop.\n`,
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
    .option('--criteria <dir>', say(lang, 'thư mục bộ tiêu chí của một năm, hoặc thư mục gốc criteria (mọi năm); dùng nhiều lần được; mặc định: mọi năm trong criteria/', "a year's criteria folder, or the criteria root (every year); repeatable; default: every year under criteria/"), collect)
    .action(async (opts: ServeOptions) => setExit(await serveCommand(opts, io, lang)));
}
