/**
 * tieuchi compare ROUND_A ROUND_B: each unit's change in total and rank between two
 * assessment rounds, through the later round's units register (predecessors after mergers).
 */
import { Option, type Command } from 'commander';
import { hasErrors, type Lang } from '../../problems.js';
import { loadRound } from '../../round/config.js';
import { compareRounds, comparisonText } from '../../round/compare.js';
import { scoreRound } from '../../round/results.js';
import { EXIT, displayPath, resolvePath, type CliIo } from '../io.js';
import { writeOutput } from '../output.js';
import { type CommandContext, say } from '../context.js';
import { printRoundProblems } from './round.js';

export async function compareCommand(a: string, b: string, opts: { format: 'text' | 'json'; out?: string }, io: CliIo, lang: Lang): Promise<number> {
  const loaded = [a, b].map((dir) => {
    const full = resolvePath(io, dir);
    const { round, problems } = loadRound(full, { show: displayPath(io) });
    printRoundProblems(io, full, problems, lang);
    return round;
  });
  const [earlier, later] = loaded;
  if (!earlier || !later) return EXIT.problems;
  const comparison = compareRounds({ round: earlier, result: await scoreRound(earlier, { lang }) }, { round: later, result: await scoreRound(later, { lang }) });
  const ok = writeOutput(io, opts.out, opts.format === 'json' ? JSON.stringify(comparison, null, 2) : comparisonText(comparison), lang);
  printRoundProblems(io, later.dir, comparison.problems, lang);
  return ok && !hasErrors(comparison.problems) ? EXIT.ok : EXIT.problems;
}

export function registerCompare(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('compare <earlier> <later>')
    .description(say(lang, 'so sánh hai đợt đánh giá: tổng điểm và thứ hạng của từng đơn vị, qua danh sách đơn vị (kể cả đơn vị hợp nhất)', "compare two assessment rounds: each unit's total and rank, through the units register (merged units too)"))
    .addOption(new Option('--format <format>', say(lang, 'định dạng kết quả', 'output format')).choices(['text', 'json']).default('text'))
    .option('--out <file>', say(lang, 'ghi kết quả vào tệp (ghi trọn vẹn hoặc không ghi gì)', 'write the result to a file (all or nothing)'))
    .action(async (earlier: string, later: string, opts) => setExit(await compareCommand(earlier, later, opts, io, lang)));
}
