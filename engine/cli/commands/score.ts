import { Option, type Command } from 'commander';
import type { CriteriaSet } from '../../criteria-set.js';
import type { UnitScore } from '../../evaluate/score.js';
import { hasErrors, type Lang } from '../../problems.js';
import { explainCriterion } from '../../report/explain.js';
import { rankingCsv, rankingText } from '../../report/tables.js';
import { scoreSubmissions, type ScoreRun } from '../../scoring.js';
import { EXIT, type CliIo } from '../io.js';
import { loadSetOrReport, printProblems, readSubmissionFiles } from '../load.js';
import { writeOutput } from '../output.js';
import { collect, say, type CommandContext } from '../context.js';

export interface ScoreOptions {
  criteria?: string;
  input: string[];
  format: 'table' | 'json' | 'csv';
  out?: string;
  trace?: boolean;
  strict?: boolean;
}

/** A unit with each criterion's explanation in words, for JSON readers that do not render traces. */
export function withExplanations(set: CriteriaSet, unit: UnitScore, lang: Lang): UnitScore & { criteria: (UnitScore['criteria'][number] & { explanation?: string })[] } {
  const level = set.levels.find((l) => l.id === unit.level)!;
  return {
    ...unit,
    criteria: unit.criteria.map((c) => {
      const criterion = level.criteria.find((x) => x.id === c.id)!;
      return { ...c, explanation: explainCriterion(c, level.doc.scoring, lang, criterion.def.inputs).summary };
    }),
  };
}

export function runToJson(set: CriteriaSet, run: ScoreRun, lang: Lang, trace: boolean): string {
  const units = trace ? run.units.map((u) => withExplanations(set, u, lang)) : run.units.map((u) => ({ ...u, criteria: u.criteria.map(({ trace: _t, ...rest }) => rest) }));
  return JSON.stringify({ ok: !hasErrors(run.problems), ...run, units }, null, 2);
}

/** tieuchi score: score every submission, rank per level, report problems per unit; other units still score. */
export function scoreCommand(options: ScoreOptions, io: CliIo, lang: Lang): number {
  const set = loadSetOrReport(io, options.criteria, lang);
  if (!set) return EXIT.problems;
  const read = readSubmissionFiles(io, options.input);
  const run = scoreSubmissions(set, read.submissions, { trace: options.format === 'json' && options.trace === true });
  run.problems.unshift(...read.problems);

  let text: string;
  if (options.format === 'json') text = runToJson(set, run, lang, options.trace === true);
  else if (options.format === 'csv') text = rankingCsv(run);
  else text = rankingText(run, lang);
  const written = writeOutput(io, options.out, text, lang);

  if (options.format !== 'json') printProblems(io, run.problems, lang);
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
    .description(say(lang, 'chấm điểm các đơn vị từ tệp số liệu JSON hoặc CSV, xếp hạng theo cấp', 'score units from JSON or CSV submissions and rank them per level'))
    .option('--criteria <dir>', say(lang, 'thư mục bộ tiêu chí của năm (mặc định: năm mới nhất trong criteria/)', "the year's criteria folder (default: the newest year under criteria/)"))
    .requiredOption('--input <file>', say(lang, 'tệp số liệu .json hoặc .csv, hoặc thư mục chứa chúng (dùng nhiều lần được)', 'a .json or .csv submission file, or a folder of them (repeatable)'), collect)
    .addOption(new Option('--format <format>', say(lang, 'định dạng kết quả', 'output format')).choices(['table', 'json', 'csv']).default('table'))
    .option('--out <file>', say(lang, 'ghi kết quả vào tệp (ghi trọn vẹn hoặc không ghi gì)', 'write the result to a file (all of it or nothing)'))
    .option('--trace', say(lang, 'kèm vết tính toán và lời giải thích của từng tiêu chí (với --format json)', "include each criterion's trace and explanation (with --format json)"))
    .option('--strict', say(lang, 'thoát với mã 1 nếu có bất kỳ lỗi số liệu nào', 'exit 1 when any data problem is found'))
    .action((opts: ScoreOptions) => setExit(scoreCommand(opts, io, lang)));
}
