import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { criteriaRoot, setsUnderPath } from '../../load/catalog.js';
import { criteriaStatus, type CriteriaSet } from '../../criteria-set.js';
import type { TieuchiPlugin } from '../../serve/app.js';
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
  corsOrigin?: string[];
  apiKeyFile?: string;
  rateLimit?: string;
  publicUrl?: string;
  /** An assessment round to serve under /round (engine/round/serve.ts). */
  round?: string;
  /** Data for the web view (/web): results, impact, what-if. */
  input?: string[];
  /** Round values for the web view's results and what-if (issue 11); default with --round: DIR/round-values.yaml when present. */
  roundValues?: string;
  /** Log every request (JSON lines on stderr); without it only server errors are logged. */
  log?: boolean;
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
  const rateLimit = options.rateLimit === undefined ? undefined : Number(options.rateLimit);
  if (rateLimit !== undefined && (!Number.isInteger(rateLimit) || rateLimit < 1)) {
    printProblems(io, [problem('cli.usage', { vi: `--rate-limit phải là số nguyên dương (số yêu cầu mỗi phút), không phải "${options.rateLimit}".`, en: `--rate-limit must be a positive integer (requests per minute), not "${options.rateLimit}".` })], lang);
    return EXIT.usage;
  }
  const origins = options.corsOrigin ?? [];
  const badOrigin = origins.find((o) => !/^https?:\/\/[^/\s]+$/.test(o));
  if (badOrigin !== undefined) {
    printProblems(io, [problem('cli.usage', { vi: `--cors-origin "${badOrigin}" không phải một nguồn (ví dụ https://cong.soctrang.gov.vn, không có đường dẫn).`, en: `--cors-origin "${badOrigin}" is not an origin (e.g. https://portal.example.vn, no path).` })], lang);
    return EXIT.usage;
  }
  let apiKeyHashes: Buffer[] | undefined;
  if (options.apiKeyFile !== undefined) {
    const { readApiKeyFile } = await import('../../serve/api-keys.js');
    let file;
    try {
      file = readApiKeyFile(resolvePath(io, options.apiKeyFile));
    } catch (err) {
      printProblems(io, [problem('cli.usage', { vi: `Không đọc được tệp khóa API "${options.apiKeyFile}": ${(err as Error).message}`, en: `Cannot read the API key file "${options.apiKeyFile}": ${(err as Error).message}` })], lang);
      return EXIT.usage;
    }
    if (file.badLines.length || file.hashes.length === 0) {
      printProblems(
        io,
        [
          problem(
            'cli.usage',
            file.hashes.length === 0 && !file.badLines.length
              ? { vi: `Tệp khóa API "${options.apiKeyFile}" không có khóa nào.`, en: `The API key file "${options.apiKeyFile}" holds no key.` }
              : { vi: `Tệp khóa API "${options.apiKeyFile}": dòng ${file.badLines.join(', ')} không phải mã SHA-256 (64 chữ số hex).`, en: `API key file "${options.apiKeyFile}": line ${file.badLines.join(', ')} is not a SHA-256 (64 hex digits).` },
            { hint: { vi: 'Mỗi dòng một mã băm của khóa: printf %s "$KHOA" | sha256sum. Không ghi khóa gốc vào tệp.', en: 'One hash per line: printf %s "$KEY" | sha256sum. Never write the key itself.' } },
          ),
        ],
        lang,
      );
      return EXIT.usage;
    }
    apiKeyHashes = file.hashes;
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
  const plugins: TieuchiPlugin[] = [];
  let roundValuesInRound: string | undefined;
  if (options.round) {
    const { loadRound, ROUND_VALUES_FILE } = await import('../../round/config.js');
    const { roundRoutes, roundWebData } = await import('../../round/serve.js');
    const { round, problems } = loadRound(resolvePath(io, options.round));
    printProblems(io, problems, lang);
    if (!round) return EXIT.problems;
    plugins.push(roundRoutes({ round }));
    roundValuesInRound = join(round.dir, ROUND_VALUES_FILE);
    // The web view shows the round's data (as received so far) unless --input names other data.
    if (!web) web = { source: roundWebData(round) };
  }
  // Round values (issue 11) for the web view, read again whenever the file changes.
  const roundValuesPath = options.roundValues !== undefined ? resolvePath(io, options.roundValues) : roundValuesInRound;
  if (options.roundValues !== undefined && !existsSync(roundValuesPath!)) {
    printProblems(io, [problem('file.unreadable', { vi: `Không có tệp giá trị của đợt "${options.roundValues}".`, en: `No round-values file "${options.roundValues}".` }, { file: options.roundValues })], lang);
    return EXIT.usage;
  }
  if (roundValuesPath !== undefined) {
    const { roundValuesFile } = await import('../../serve/web/round-values.js');
    web = { ...(web ?? {}), roundValues: roundValuesFile(roundValuesPath, { optional: options.roundValues === undefined }) };
  }
  // Staff see only the banner below: Fastify's own lines are JSON for operators, on stderr,
  // every request with --log, otherwise only server errors (a bug's stack, never sent to clients).
  const logger = { level: options.log ? ('info' as const) : ('error' as const), stream: { write: (line: string) => io.stderr(line) } };
  const app = buildServer({
    sets,
    logger,
    plugins,
    ...(web ? { web } : {}),
    corsOrigins: origins,
    ...(apiKeyHashes ? { apiKeyHashes } : {}),
    ...(rateLimit ? { rateLimit: { max: rateLimit } } : {}),
    ...(options.publicUrl ? { servers: [{ url: options.publicUrl, description: 'tieuchi' }] } : {}),
  });
  let address: string;
  try {
    address = await app.listen({ port, host: options.host });
  } catch (err) {
    // A port in use or an address this machine does not have is the user's choice of --port/--host: said in words, no stack.
    const message = listenFailure(err as NodeJS.ErrnoException, options.host, port);
    if (!message) throw err;
    await app.close().catch(() => {});
    printProblems(io, [problem('cli.usage', message.text, { hint: message.hint })], lang);
    return EXIT.usage;
  }
  io.stderr(serveBanner(address, sets, { round: options.round !== undefined, everyInterface: options.host === '0.0.0.0' || options.host === '::', log: options.log === true }, lang));
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

/** Why the server could not listen, in words, for the errors a user's --port or --host causes. */
function listenFailure(err: NodeJS.ErrnoException, host: string, port: number): { text: { vi: string; en: string }; hint: { vi: string; en: string } } | undefined {
  switch (err.code) {
    case 'EADDRINUSE':
      return {
        text: { vi: `Cổng ${port} trên ${host} đang được một chương trình khác dùng (có thể là một tieuchi serve khác).`, en: `Port ${port} on ${host} is already in use by another program (perhaps another tieuchi serve).` },
        hint: { vi: `Chọn cổng khác, ví dụ --port ${port === 65535 ? 8081 : port + 1}, hoặc dừng chương trình kia.`, en: `Pick another port, e.g. --port ${port === 65535 ? 8081 : port + 1}, or stop the other program.` },
      };
    case 'EACCES':
      return {
        text: { vi: `Không được phép mở cổng ${port} trên ${host} (cổng dưới 1024 cần quyền quản trị).`, en: `Not allowed to open port ${port} on ${host} (ports below 1024 need administrator rights).` },
        hint: { vi: 'Dùng cổng từ 1024 trở lên, ví dụ --port 8080.', en: 'Use a port of 1024 or above, e.g. --port 8080.' },
      };
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        text: { vi: `Máy này không có địa chỉ "${host}" để lắng nghe.`, en: `This machine has no address "${host}" to listen on.` },
        hint: { vi: 'Dùng --host 127.0.0.1 (chỉ máy này) hoặc --host 0.0.0.0 (mọi địa chỉ của máy).', en: 'Use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every address of the machine).' },
      };
    default:
      return undefined;
  }
}

/**
 * What `tieuchi serve` prints once it listens: where it is, what to open, how to stop.
 * The first line keeps "đang phục vụ tại <address> " (scripts wait for it).
 */
export function serveBanner(address: string, sets: readonly CriteriaSet[], what: { round: boolean; everyInterface: boolean; log: boolean }, lang: Lang): string {
  const vi = lang === 'vi';
  const years = sets.map((s) => s.year + (criteriaStatus(s) === 'draft' ? (vi ? ' (dự thảo)' : ' (draft)') : '')).join(', ');
  const rows: [string, string][] = [
    [vi ? 'Giao diện web' : 'Web view', `${address}/web`],
    ...(what.round ? [[vi ? 'Đợt đánh giá' : 'Assessment round', `${address}/round`] as [string, string]] : []),
    [vi ? 'Tài liệu API' : 'API documentation', `${address}/docs (${address}/openapi.json)`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return [
    vi ? `tieuchi đang phục vụ tại ${address} (năm: ${years})` : `tieuchi listening on ${address} (years: ${years})`,
    ...rows.map(([label, url]) => `  ${`${label}:`.padEnd(width + 1)}${url}`),
    ...(what.everyInterface ? [vi ? '  Từ máy khác trong mạng: thay 0.0.0.0 bằng địa chỉ IP của máy này.' : '  From another machine: replace 0.0.0.0 with this machine\'s IP address.'] : []),
    ...(what.log ? [vi ? '  Nhật ký yêu cầu (JSON) ghi ra stderr.' : '  Request log (JSON) on stderr.'] : []),
    vi ? 'Nhấn Ctrl+C để dừng.' : 'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

export function registerServe(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('serve')
    .description(say(lang, 'chạy dịch vụ HTTP (JSON): chấm điểm, kiểm tra tiêu chí, lược đồ số liệu; xem /openapi.json', 'run the HTTP (JSON) service: scoring, criteria validation, submission schemas; see /openapi.json'))
    .addOption(new Option('--port <port>', say(lang, 'cổng', 'port')).default('8080'))
    .addOption(new Option('--host <host>', say(lang, 'địa chỉ lắng nghe (0.0.0.0 để mở ra mạng)', 'address to listen on (0.0.0.0 to open it to the network)')).default('127.0.0.1'))
    .option('--criteria <dir>', say(lang, 'thư mục bộ tiêu chí của một năm, hoặc thư mục gốc criteria (mọi năm); dùng nhiều lần được; mặc định: mọi năm trong criteria/', "a year's criteria folder, or the criteria root (every year); repeatable; default: every year under criteria/"), collect)
    .option('--cors-origin <origin>', say(lang, 'cho phép trang web ở nguồn này gọi API từ trình duyệt (CORS; dùng nhiều lần được; mặc định tắt)', 'let web pages from this origin call the API from a browser (CORS; repeatable; default off)'), collect)
    .option('--api-key-file <file>', say(lang, 'tệp mã băm SHA-256 của các khóa API, mỗi dòng một mã; khi có, POST /score và /validate cần khóa', 'file of SHA-256 hashes of API keys, one per line; when given, POST /score and /validate need a key'))
    .option('--rate-limit <n>', say(lang, 'tối đa n yêu cầu mỗi phút cho mỗi địa chỉ IP (mặc định không giới hạn)', 'at most n requests per minute per client address (default no limit)'))
    .option('--public-url <url>', say(lang, 'địa chỉ công khai của dịch vụ, ghi vào tài liệu OpenAPI (servers)', "the service's public address, for the OpenAPI document's servers"))
    .option('--round <dir>', say(lang, 'phục vụ cả một đợt đánh giá (/round: nhận số liệu, minh chứng; tình trạng, kết quả; theo khóa truy cập)', 'also serve an assessment round (/round: data, evidence, status, results; per-key access)'))
    .option('--input <file>', say(lang, 'số liệu cho giao diện web (/web): kết quả, tác động, thử thay đổi; dùng nhiều lần được (mặc định với --round: số liệu đợt đã nhận)', 'data for the web view (/web): results, impact, what-if; repeatable (default with --round: the data the round has received)'), collect)
    .option('--round-values <file>', say(lang, 'tệp YAML giá trị của đợt chấm (round_values) cho kết quả và thử thay đổi trên web; mặc định với --round: round-values.yaml trong thư mục đợt; đọc lại khi tệp đổi', "YAML file of the round values for the web view's results and what-if; default with --round: round-values.yaml in the round folder; read again when it changes"))
    .option('--log', say(lang, 'ghi nhật ký mọi yêu cầu (JSON, ra stderr); mặc định chỉ ghi lỗi của máy chủ', 'log every request (JSON, on stderr); by default only server errors'))
    .action(async (opts: ServeOptions) => setExit(await serveCommand(opts, io, lang)));
}
