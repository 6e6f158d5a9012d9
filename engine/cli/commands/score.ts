import { Option, type Command } from 'commander';
import type { CriteriaSet } from '../../criteria-set.js';
import { hasErrors, type Lang } from '../../problems.js';
import { withExplanations } from '../../report/explain.js';
import { rankingCsv, rankingText } from '../../report/tables.js';
import { scoreSubmissions, type ScoreRun } from '../../scoring.js';
import { EXIT, type CliIo } from '../io.js';
import { loadSetOrReport, mergeReadProblems, printProblems, readSubmissionFiles } from '../load.js';
import { writeOutput } from '../output.js';
import { type CommandContext, collect, say, sharedOptionText } from '../context.js';
import { writeBinaryOutput } from './template.js';
import { loadRoundValuesOption, roundValuesHelp } from '../round-values.js'; // structures (issue 11)

export interface ScoreOptions {
  criteria?: string;
  input: string[];
  format: 'table' | 'json' | 'csv' | 'xlsx';
  out?: string;
  trace?: boolean;
  strict?: boolean;
  roundValues?: string;
}

export function runToJson(set: CriteriaSet, run: ScoreRun, lang: Lang, trace: boolean): string {
  const units = trace ? run.units.map((u) => withExplanations(set, u, lang)) : run.units.map((u) => ({ ...u, criteria: u.criteria.map(({ trace: _t, ...rest }) => rest) }));
  return JSON.stringify({ ok: !hasErrors(run.problems), ...run, units }, null, 2);
}

/** tieuchi score: score every submission, rank per level, report problems per unit; other units still score. */
export async function scoreCommand(options: ScoreOptions, io: CliIo, lang: Lang): Promise<number> {
  // --out results.xlsx asks for a workbook unless another format is named.
  const format = options.format === 'table' && options.out && /\.xlsx$/i.test(options.out) ? 'xlsx' : options.format;
  if (format === 'xlsx' && !options.out) {
    io.stderr(lang === 'vi' ? 'lỗi: --format xlsx cần --out TỆP.xlsx (bảng tính không in ra màn hình được)\n' : 'error: --format xlsx needs --out FILE.xlsx (a workbook cannot be printed)\n');
    return EXIT.usage;
  }
  const set = loadSetOrReport(io, options.criteria, lang);
  if (!set) return EXIT.problems;
  const roundValues = loadRoundValuesOption(io, set, options.roundValues, lang); // structures (issue 11)
  if (roundValues === false) return EXIT.problems;
  const read = await readSubmissionFiles(io, options.input, set);
  const run = scoreSubmissions(set, read.submissions, { trace: format === 'xlsx' || (format === 'json' && options.trace === true), ...(roundValues ? { roundValues } : {}) });
  mergeReadProblems(run, read.problems);

  let written: boolean;
  if (format === 'xlsx') {
    // exceljs is loaded only for this output.
    const { resultsWorkbookBytes } = await import('../../xlsx/results-workbook.js');
    written = writeBinaryOutput(io, options.out!, await resultsWorkbookBytes(set, run, lang), lang);
  } else {
    let text: string;
    if (format === 'json') text = runToJson(set, run, lang, options.trace === true);
    else if (format === 'csv') text = rankingCsv(run);
    else text = rankingText(run, lang);
    written = writeOutput(io, options.out, text, lang);
  }

  if (format !== 'json') printProblems(io, run.problems, lang);
  const complete = run.units.filter((u) => u.status === 'complete').length;
  const withProblems = run.units.length - complete + run.rejected.length;
  io.stderr(
    lang === 'vi'
      ? `Đã chấm ${complete} đơn vị${withProblems ? `; ${withProblems} đơn vị có lỗi số liệu, chưa xếp hạng` : ''}${read.problems.length ? `; ${read.problems.length} lỗi đọc tệp số liệu` : ''}.\n`
      : `Scored ${complete} unit(s)${withProblems ? `; ${withProblems} with data problems, not ranked` : ''}${read.problems.length ? `; ${read.problems.length} problem(s) reading submission files` : ''}.\n`,
  );
  if (!written) return EXIT.problems;
  if (options.strict && hasErrors(run.problems)) return EXIT.problems;
  if (run.units.length === 0 && hasErrors(run.problems)) return EXIT.problems;
  return EXIT.ok;
}

export function registerScore(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('score')
    .description(say(lang, 'chấm điểm các đơn vị từ tệp số liệu JSON, CSV hoặc Excel (.xlsx), xếp hạng theo cấp', 'score units from JSON, CSV or Excel (.xlsx) submissions and rank them per level'))
    .option('--criteria <dir>', sharedOptionText(lang).criteria)
    .requiredOption('--input <file>', sharedOptionText(lang).input, collect)
    .addOption(new Option('--format <format>', say(lang, 'định dạng kết quả (xlsx: bảng tính kết quả, cần --out; --out *.xlsx tự chọn xlsx)', 'output format (xlsx: a results workbook, needs --out; --out *.xlsx implies it)')).choices(['table', 'json', 'csv', 'xlsx']).default('table'))
    .option('--out <file>', sharedOptionText(lang).out)
    .option('--trace', say(lang, 'kèm vết tính toán và lời giải thích của từng tiêu chí (với --format json)', "include each criterion's trace and explanation (with --format json)"))
    .option('--strict', say(lang, 'thoát với mã 1 nếu có bất kỳ lỗi số liệu nào', 'exit 1 when any data problem is found'))
    .option('--round-values <file>', roundValuesHelp(lang)) // structures (issue 11)
    .action(async (opts: ScoreOptions) => setExit(await scoreCommand(opts, io, lang)));
}
