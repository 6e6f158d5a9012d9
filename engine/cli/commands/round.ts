/**
 * tieuchi round: an assessment round as the department runs it (see engine/round/).
 *
 *   round init DIR --criteria criteria/2023 --deadline 2023-12-15 --units list.csv
 *   round receive DIR --from SENDER FILE…        keep a file (never overwritten), journal it, report its problems
 *   round status DIR                              who sent what, what is missing, late, evidence
 *   round score DIR                               self / computed / appraised, ranks, award proposal
 *   round explain DIR --unit ID                   one unit, criterion by criterion, with sources and appraisal
 *   round template DIR --provider P --level L     a provider's own sheet (rows: units; columns: its inputs)
 *   round appraisal-workbook DIR --out F.xlsx     one row per unit × criterion, for the appraisers
 *   round appraise DIR --workbook F.xlsx          read it back into appraisals/ (cell-located errors)
 *   round key DIR --holder ID                     a new API key and the hash to put in round.yaml
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { loadCriteriaSet } from '../../criteria-set.js';
import { hasErrors, problem, type Lang, type Problem } from '../../problems.js';
import { formatProblems, countLine } from '../../report/problems.js';
import { loadRound, type Round } from '../../round/config.js';
import { collectRound } from '../../round/collect.js';
import { initRound } from '../../round/init.js';
import { MAX_RECEIVED_BYTES, receiveFile, type ReceivedExtension } from '../../round/received.js';
import { resultsText, statusText, unitExplanation } from '../../round/render.js';
import { scoreRound } from '../../round/results.js';
import { roundStatus } from '../../round/status.js';
import { isRealDate } from '../../round/yaml-file.js';
import { EXIT, displayPath, resolvePath, type CliIo } from '../io.js';
import { writeOutput } from '../output.js';
import { type CommandContext, say } from '../context.js';
import { writeBinaryOutput } from './template.js';

/** What the status and results already list unit by unit: printed as a count, not one by one. */
const LISTED = new Set(['round.missing-data', 'round.evidence-missing']);

/** Problems of a round name files relative to the round folder: frames are read from there. */
export function printRoundProblems(io: CliIo, dir: string, all: readonly Problem[], lang: Lang): void {
  const problems = all.filter((p) => !LISTED.has(p.code));
  const listed = all.length - problems.length;
  if (listed) io.stderr(say(lang, `(${listed} mục thiếu số liệu hoặc minh chứng: xem danh sách theo đơn vị ở trên, hoặc --format json.)\n`, `(${listed} missing inputs or evidence: see the list per unit above, or --format json.)\n`));
  if (problems.length === 0) return;
  const lookup = (file: string) => {
    for (const base of [dir, io.cwd]) {
      try {
        return readFileSync(resolve(base, file), 'utf8');
      } catch {
        /* try the next base */
      }
    }
    return undefined;
  };
  io.stderr(formatProblems(problems, lang, lookup) + '\n\n' + countLine(problems, lang) + '\n');
}

function openRound(io: CliIo, dir: string, lang: Lang): Round | undefined {
  const full = resolvePath(io, dir);
  const { round, problems } = loadRound(full, { show: displayPath(io) });
  printRoundProblems(io, full, problems, lang);
  if (!round) io.stderr(say(lang, `Đợt đánh giá "${dir}" có lỗi cấu hình; sửa rồi chạy lại.\n`, `The round "${dir}" is misconfigured; fix it and run again.\n`));
  return round;
}

const usage = (io: CliIo, lang: Lang, vi: string, en: string): number => {
  io.stderr(`${say(lang, 'lỗi', 'error')}: ${say(lang, vi, en)}\n`);
  return EXIT.usage;
};

async function initCommand(dir: string, opts: { criteria: string; deadline: string; units?: string; name?: string }, io: CliIo, lang: Lang): Promise<number> {
  if (!isRealDate(opts.deadline)) return usage(io, lang, `--deadline cần một ngày YYYY-MM-DD, ví dụ 2023-12-15 (nhận được "${opts.deadline}").`, `--deadline needs a YYYY-MM-DD date (got "${opts.deadline}").`);
  const criteriaDir = resolvePath(io, opts.criteria);
  const loaded = loadCriteriaSet(criteriaDir, { displayPath: displayPath(io), checkDomains: false });
  if (!loaded.set || hasErrors(loaded.problems)) {
    printRoundProblems(io, io.cwd, loaded.problems, lang);
    return EXIT.problems;
  }
  let units: { file: string; text: string } | undefined;
  if (opts.units) {
    try {
      units = { file: opts.units, text: readFileSync(resolvePath(io, opts.units), 'utf8') };
    } catch (err) {
      printRoundProblems(io, io.cwd, [problem('round.units', { vi: `Không đọc được danh sách đơn vị "${opts.units}": ${(err as Error).message}`, en: `Cannot read the units list "${opts.units}": ${(err as Error).message}` }, { file: opts.units })], lang);
      return EXIT.problems;
    }
  }
  const problems = initRound({ dir: resolvePath(io, dir), criteriaDir, set: loaded.set, deadline: opts.deadline, ...(opts.name ? { name: opts.name } : {}), ...(units ? { units } : {}) });
  printRoundProblems(io, io.cwd, problems, lang);
  if (hasErrors(problems)) return EXIT.problems;
  io.stderr(say(lang, `Đã tạo đợt đánh giá ${dir} (round.yaml, units.yaml, received/, appraisals/, journal.jsonl). Khai các cơ quan cung cấp số liệu trong round.yaml.\n`, `Created the round ${dir}. Declare the data providers in round.yaml.\n`));
  return EXIT.ok;
}

async function receiveCommand(dir: string, files: string[], opts: { from: string; at?: string; by?: string }, io: CliIo, lang: Lang): Promise<number> {
  const round = openRound(io, dir, lang);
  if (!round) return EXIT.problems;
  let at: Date | undefined;
  if (opts.at !== undefined) {
    at = new Date(opts.at);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(opts.at)) return usage(io, lang, `--at cần thời điểm ISO, ví dụ 2023-12-10T08:30:00+07:00 (nhận được "${opts.at}").`, `--at needs an ISO time (got "${opts.at}").`);
  }
  const known = new Set([round.config.department.id, ...round.config.providers.map((p) => p.id), ...round.units.keys()]);
  if (!known.has(opts.from)) {
    printRoundProblems(io, round.dir, [problem('round.wrong-provider', { vi: `"${opts.from}" không phải đơn vị, cơ quan cung cấp hay sở chủ trì của đợt đánh giá; không nhận tệp.`, en: `"${opts.from}" is no unit, provider or department of the round; nothing received.` }, {
      hint: { vi: `Các cơ quan cung cấp: ${round.config.providers.map((p) => p.id).join(', ') || '(chưa khai)'}; sở chủ trì: ${round.config.department.id}; hoặc một mã đơn vị trong units.yaml.`, en: 'Use a provider id, the department id, or a unit id from units.yaml.' },
    })], lang);
    return EXIT.problems;
  }
  const received: string[] = [];
  for (const file of files) {
    const path = resolvePath(io, file);
    const ext = extname(path).slice(1).toLowerCase().replace('yml', 'yaml') as ReceivedExtension;
    if (!['json', 'csv', 'xlsx', 'yaml'].includes(ext)) {
      printRoundProblems(io, round.dir, [problem('round.received', { vi: `Tệp "${file}": chỉ nhận .json, .csv, .xlsx (số liệu) và .yaml (tự đánh giá, minh chứng).`, en: `"${file}": only .json, .csv, .xlsx (data) and .yaml (declarations) are received.` }, { file })], lang);
      return EXIT.problems;
    }
    let bytes: Buffer;
    try {
      if (statSync(path).size > MAX_RECEIVED_BYTES) throw new Error(say(lang, `quá lớn (tối đa ${MAX_RECEIVED_BYTES} byte)`, `too large (at most ${MAX_RECEIVED_BYTES} bytes)`));
      bytes = readFileSync(path);
    } catch (err) {
      printRoundProblems(io, round.dir, [problem('round.received', { vi: `Không đọc được "${file}": ${(err as Error).message}`, en: `Cannot read "${file}": ${(err as Error).message}` }, { file })], lang);
      return EXIT.problems;
    }
    const result = receiveFile(round, opts.from, bytes, ext, { ...(at ? { now: at } : {}), original: file, ...(opts.by ? { by: opts.by } : {}) });
    if (!result.ok) {
      printRoundProblems(io, round.dir, result.problems, lang);
      return EXIT.problems;
    }
    received.push(result.file.file);
    io.stdout(say(lang, `Đã nhận ${file} → ${result.file.file}${result.duplicate ? ' (trùng nội dung với tệp đã nhận trước, không lưu thêm bản)' : ''}\n`, `Received ${file} → ${result.file.file}${result.duplicate ? ' (same content as an earlier file)' : ''}\n`));
  }
  // What the department needs to know now: the problems of the files just received.
  const collected = await collectRound(round);
  const mine = collected.files.filter((f) => received.includes(f.file)).flatMap((f) => f.problems);
  printRoundProblems(io, round.dir, mine, lang);
  return hasErrors(mine) ? EXIT.problems : EXIT.ok;
}

async function statusCommand(dir: string, opts: { format: 'text' | 'json'; out?: string }, io: CliIo, lang: Lang): Promise<number> {
  const round = openRound(io, dir, lang);
  if (!round) return EXIT.problems;
  const result = await scoreRound(round, { lang });
  const status = roundStatus(round, result);
  if (opts.format === 'json') return writeOutput(io, opts.out, JSON.stringify(status, null, 2), lang) ? EXIT.ok : EXIT.problems;
  const ok = writeOutput(io, opts.out, statusText(round, status, lang), lang);
  printRoundProblems(io, round.dir, status.problems, lang);
  return ok ? EXIT.ok : EXIT.problems;
}

async function scoreCommand(dir: string, opts: { format: 'text' | 'json'; out?: string; strict?: boolean }, io: CliIo, lang: Lang): Promise<number> {
  const round = openRound(io, dir, lang);
  if (!round) return EXIT.problems;
  const result = await scoreRound(round, { lang });
  const ok = writeOutput(io, opts.out, opts.format === 'json' ? JSON.stringify({ ok: !hasErrors(result.problems), ...result }, null, 2) : resultsText(result, lang, round.set), lang);
  if (opts.format !== 'json') printRoundProblems(io, round.dir, result.problems, lang);
  const ranked = result.units.filter((u) => u.finalTotal !== undefined).length;
  io.stderr(say(lang, `Đã chấm ${ranked}/${result.units.length} đơn vị có đủ số liệu.\n`, `Scored ${ranked}/${result.units.length} units with complete data.\n`));
  if (!ok) return EXIT.problems;
  return opts.strict && hasErrors(result.problems) ? EXIT.problems : EXIT.ok;
}

async function explainCommand(dir: string, opts: { unit: string; format: 'text' | 'json'; out?: string }, io: CliIo, lang: Lang): Promise<number> {
  const round = openRound(io, dir, lang);
  if (!round) return EXIT.problems;
  const result = await scoreRound(round, { lang });
  const unit = result.units.find((u) => u.id === opts.unit);
  if (!unit) {
    printRoundProblems(io, round.dir, [problem('cli.usage', { vi: `Không có đơn vị "${opts.unit}" trong đợt đánh giá.`, en: `No unit "${opts.unit}" in the round.` }, { hint: { vi: `Các đơn vị: ${result.units.map((u) => u.id).join(', ')}.`, en: `Units: ${result.units.map((u) => u.id).join(', ')}.` } })], lang);
    return EXIT.problems;
  }
  const level = round.set.levels.find((l) => l.id === unit.level)!;
  const text = opts.format === 'json' ? JSON.stringify(unit, null, 2) : unitExplanation(result, unit, level, lang);
  return writeOutput(io, opts.out, text, lang) ? EXIT.ok : EXIT.problems;
}

async function templateCommand(dir: string, opts: { provider: string; level?: string; out: string }, io: CliIo, lang: Lang): Promise<number> {
  const round = openRound(io, dir, lang);
  if (!round) return EXIT.problems;
  const { providerTemplates } = await import('../../round/provider-template.js');
  const made = await providerTemplates(round, opts.provider, opts.level);
  if ('problems' in made) {
    printRoundProblems(io, round.dir, made.problems, lang);
    return EXIT.problems;
  }
  if (made.length > 1 && !opts.out.includes('{level}')) return usage(io, lang, `"${opts.provider}" cung cấp số liệu cho ${made.length} cấp: chọn --level, hoặc ghi {level} trong --out (ví dụ mau-{level}.xlsx).`, `"${opts.provider}" supplies ${made.length} levels: pass --level, or put {level} in --out.`);
  for (const t of made) if (!writeBinaryOutput(io, opts.out.replace('{level}', t.level), t.bytes, lang)) return EXIT.problems;
  return EXIT.ok;
}

async function appraisalWorkbookCommand(dir: string, opts: { out: string }, io: CliIo, lang: Lang): Promise<number> {
  const round = openRound(io, dir, lang);
  if (!round) return EXIT.problems;
  const result = await scoreRound(round, { lang });
  const { appraisalWorkbookBytes } = await import('../../round/appraisal-workbook.js');
  return writeBinaryOutput(io, opts.out, await appraisalWorkbookBytes(round, result), lang) ? EXIT.ok : EXIT.problems;
}

async function appraiseCommand(dir: string, opts: { workbook: string; by?: string }, io: CliIo, lang: Lang): Promise<number> {
  const round = openRound(io, dir, lang);
  if (!round) return EXIT.problems;
  const { readAppraisalWorkbook, writeAppraisalFile } = await import('../../round/appraisal-workbook.js');
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolvePath(io, opts.workbook));
  } catch (err) {
    printRoundProblems(io, round.dir, [problem('round.appraisal', { vi: `Không đọc được "${opts.workbook}": ${(err as Error).message}`, en: `Cannot read "${opts.workbook}": ${(err as Error).message}` }, { file: opts.workbook })], lang);
    return EXIT.problems;
  }
  const read = await readAppraisalWorkbook(round, opts.workbook, bytes, opts.by);
  printRoundProblems(io, round.dir, read.problems, lang);
  if (hasErrors(read.problems)) {
    io.stderr(say(lang, 'Bảng thẩm định có lỗi: chưa ghi quyết định nào; sửa các ô trên rồi chạy lại.\n', 'The appraisal workbook has errors: nothing recorded; fix the cells above and run again.\n'));
    return EXIT.problems;
  }
  if (read.decisions.length === 0) {
    io.stderr(say(lang, 'Bảng thẩm định chưa có quyết định nào (cột "Quyết định" trống).\n', 'The workbook has no decision yet.\n'));
    return EXIT.ok;
  }
  const file = writeAppraisalFile(round, read.decisions, opts.workbook);
  io.stdout(say(lang, `Đã ghi ${read.decisions.length} quyết định thẩm định vào ${file}.\n`, `Recorded ${read.decisions.length} decisions in ${file}.\n`));
  return EXIT.ok;
}

function keyCommand(dir: string, opts: { holder: string }, io: CliIo, lang: Lang): number {
  const round = openRound(io, dir, lang);
  if (!round) return EXIT.problems;
  const known = new Set([round.config.department.id, ...round.config.providers.map((p) => p.id), ...round.units.keys()]);
  if (!known.has(opts.holder)) return usage(io, lang, `"${opts.holder}" không phải đơn vị, cơ quan cung cấp hay sở chủ trì của đợt đánh giá.`, `"${opts.holder}" is no unit, provider or department of the round.`);
  const key = `tc_${randomBytes(32).toString('base64url')}`;
  const sha256 = createHash('sha256').update(key, 'utf8').digest('hex');
  io.stdout(
    say(
      lang,
      `Khóa mới của ${opts.holder} (chỉ hiện một lần; gửi riêng cho người giữ khóa):\n  ${key}\nThêm vào round.yaml, mục keys:\n  - { holder: ${opts.holder}, sha256: ${sha256} }\n`,
      `New key for ${opts.holder} (shown once):\n  ${key}\nAdd to round.yaml, under keys:\n  - { holder: ${opts.holder}, sha256: ${sha256} }\n`,
    ),
  );
  return EXIT.ok;
}

export function registerRound(program: Command, { io, lang, setExit }: CommandContext): void {
  const round = program.command('round').description(say(lang, 'đợt đánh giá: nhận số liệu từ đơn vị và cơ quan cung cấp, tự đánh giá, thẩm định, minh chứng, đề nghị khen thưởng', 'an assessment round: data from units and providers, self-assessment, appraisal, evidence, award proposal'));
  const format = () => new Option('--format <format>', say(lang, 'định dạng kết quả', 'output format')).choices(['text', 'json']).default('text');
  const out = say(lang, 'ghi kết quả vào tệp (ghi trọn vẹn hoặc không ghi gì)', 'write the result to a file (all or nothing)');
  round
    .command('init <dir>')
    .description(say(lang, 'tạo thư mục đợt đánh giá', 'create a round folder'))
    .requiredOption('--criteria <dir>', say(lang, 'thư mục bộ tiêu chí của năm', "the year's criteria folder"))
    .requiredOption('--deadline <date>', say(lang, 'hạn gửi số liệu, YYYY-MM-DD', 'the deadline, YYYY-MM-DD'))
    .option('--units <file>', say(lang, 'danh sách đơn vị: CSV (id,name,level[,type,attributes.<mã>,parent,predecessors]) hoặc units.yaml', 'units list: CSV (id,name,level[,type,attributes.<id>,parent,predecessors]) or units.yaml'))
    .option('--name <text>', say(lang, 'tên đợt đánh giá', 'the round name'))
    .action(async (dir: string, opts) => setExit(await initCommand(dir, opts, io, lang)));
  round
    .command('receive <dir> <files...>')
    .description(say(lang, 'nhận tệp số liệu (.json, .csv, .xlsx) hoặc bản tự đánh giá, minh chứng (.yaml): lưu nguyên bản, không ghi đè, ghi nhật ký', 'receive data files (.json, .csv, .xlsx) or declarations (.yaml): kept as sent, never overwritten, journaled'))
    .requiredOption('--from <id>', say(lang, 'người gửi: mã đơn vị, mã cơ quan cung cấp hoặc mã sở chủ trì', 'the sender: a unit, provider or department id'))
    .option('--at <time>', say(lang, 'thời điểm nhận (ISO), khi nhập tệp đã nhận qua thư điện tử; mặc định: bây giờ', 'when it was received (ISO), for files received by e-mail; default now'))
    .option('--by <name>', say(lang, 'người nhập tệp (ghi vào nhật ký)', 'who recorded it (journal)'))
    .action(async (dir: string, files: string[], opts) => setExit(await receiveCommand(dir, files, opts, io, lang)));
  round
    .command('status <dir>')
    .description(say(lang, 'ai đã gửi gì, còn thiếu gì và từ ai, tệp trễ hạn, minh chứng còn thiếu', 'who sent what, what is missing and from whom, late files, missing evidence'))
    .addOption(format())
    .option('--out <file>', out)
    .action(async (dir: string, opts) => setExit(await statusCommand(dir, opts, io, lang)));
  round
    .command('score <dir>')
    .description(say(lang, 'kết quả: điểm tự chấm, máy chấm, thẩm định; xếp hạng; đề nghị khen thưởng', 'results: self, computed and appraised points; ranks; award proposal'))
    .addOption(format())
    .option('--out <file>', out)
    .option('--strict', say(lang, 'thoát với mã 1 nếu còn lỗi', 'exit 1 when problems remain'))
    .action(async (dir: string, opts) => setExit(await scoreCommand(dir, opts, io, lang)));
  round
    .command('explain <dir>')
    .description(say(lang, 'giải thích điểm của một đơn vị: số liệu và nguồn, cách tính, tự chấm, thẩm định và lý do, minh chứng', "explain one unit's points: data and sources, how, self-assessment, appraisal and reason, evidence"))
    .requiredOption('--unit <id>', say(lang, 'mã đơn vị', 'the unit id'))
    .addOption(format())
    .option('--out <file>', out)
    .action(async (dir: string, opts) => setExit(await explainCommand(dir, opts, io, lang)));
  round
    .command('template <dir>')
    .description(say(lang, 'mẫu số liệu riêng của một cơ quan cung cấp: mỗi đơn vị một dòng, chỉ các cột số liệu cơ quan đó cung cấp', "a provider's own sheet: one row per unit, only the inputs it supplies"))
    .requiredOption('--provider <id>', say(lang, `mã cơ quan cung cấp (hoặc don-vi: phần đơn vị tự báo cáo)`, 'provider id (or don-vi: what units report themselves)'))
    .option('--level <id>', say(lang, 'cấp (mặc định: mọi cấp cơ quan này cung cấp; khi đó ghi {level} trong --out)', 'level (default: every level it supplies; then put {level} in --out)'))
    .requiredOption('--out <file>', say(lang, 'tệp .xlsx', 'the .xlsx file'))
    .action(async (dir: string, opts) => setExit(await templateCommand(dir, opts, io, lang)));
  round
    .command('appraisal-workbook <dir>')
    .description(say(lang, 'bảng thẩm định: mỗi đơn vị × tiêu chí một dòng (tự chấm, máy chấm, quyết định, số liệu/điểm sửa, lý do)', 'the appraisal workbook: one row per unit × criterion'))
    .requiredOption('--out <file>', say(lang, 'tệp .xlsx', 'the .xlsx file'))
    .action(async (dir: string, opts) => setExit(await appraisalWorkbookCommand(dir, opts, io, lang)));
  round
    .command('appraise <dir>')
    .description(say(lang, 'đọc bảng thẩm định đã điền vào appraisals/ (lỗi chỉ rõ từng ô)', 'read a filled appraisal workbook into appraisals/ (cell-located errors)'))
    .requiredOption('--workbook <file>', say(lang, 'bảng thẩm định .xlsx đã điền', 'the filled .xlsx'))
    .option('--by <name>', say(lang, 'người thẩm định, cho các dòng không ghi', 'the appraiser, for rows that do not say'))
    .action(async (dir: string, opts) => setExit(await appraiseCommand(dir, opts, io, lang)));
  round
    .command('key <dir>')
    .description(say(lang, 'tạo khóa truy cập dịch vụ cho một đơn vị, cơ quan cung cấp hoặc sở chủ trì (chỉ lưu mã băm)', 'make a service API key for a unit, provider or the department (only its hash is stored)'))
    .requiredOption('--holder <id>', say(lang, 'người giữ khóa', 'the key holder'))
    .action((dir: string, opts) => setExit(keyCommand(dir, opts, io, lang)));
  // The program configures its own subcommands after registration; these nested ones get the same streams and exit handling here.
  const titles: Record<string, string> = { 'Usage:': 'Cách dùng:', 'Options:': 'Tùy chọn:', 'Arguments:': 'Đối số:', 'Global Options:': 'Tùy chọn chung:' };
  for (const sub of round.commands) {
    sub
      .exitOverride()
      .helpOption('-h, --help', say(lang, 'hiện hướng dẫn', 'show help'))
      .configureOutput({
        writeOut: (s) => io.stdout(s),
        writeErr: (s) => io.stderr(s),
        outputError: (s, write) => write(lang === 'vi' ? s.replace(/^error: required option '(.+)' not specified/, 'lỗi: thiếu tùy chọn bắt buộc $1').replace(/^error: missing required argument '(.+)'/, 'lỗi: thiếu đối số $1') : s),
      });
    if (lang === 'vi') sub.configureHelp({ styleTitle: (title) => titles[title] ?? title });
  }
}
