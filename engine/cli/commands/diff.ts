import { Option, type Command } from 'commander';
import { diffCriteriaSets } from '../../diff/compare.js';
import { impactOfChange, mergeSubmissions, type ImpactReport } from '../../diff/impact.js';
import { diffMarkdown, impactMarkdown } from '../../diff/render-markdown.js';
import { diffText, impactText } from '../../diff/render-text.js';
import { problem, type Lang, type Problem } from '../../problems.js';
import { EXIT, type CliIo } from '../io.js';
import { loadSetOrReport, printProblems, readSubmissionFiles } from '../load.js';
import { writeOutput } from '../output.js';
import { type CommandContext, collect, say, sharedOptionText } from '../context.js';
import { loadRoundValuesOption } from '../round-values.js'; // structures (issue 11)

export interface DiffOptions {
  level?: string;
  format: 'text' | 'md' | 'json';
  impact?: string[];
  out?: string;
  /** structures (issue 11): round values for --impact; the first for the old set, the second (or the first) for the new. */
  roundValues?: string[];
}

/** tieuchi diff OLD NEW: what changed, criterion by criterion, and with --impact what it does to the units. */
export async function diffCommand(oldDir: string, newDir: string, options: DiffOptions, io: CliIo, lang: Lang): Promise<number> {
  const before = loadSetOrReport(io, oldDir, lang);
  const after = loadSetOrReport(io, newDir, lang);
  if (!before || !after) return EXIT.problems;
  if (options.level !== undefined && ![...before.levels, ...after.levels].some((l) => l.id === options.level)) {
    const known = [...new Set([...before.levels, ...after.levels].map((l) => l.id))];
    printProblems(
      io,
      [
        problem('diff.unknown-level', { vi: `Không bộ tiêu chí nào có cấp "${options.level}".`, en: `Neither set has a level "${options.level}".` }, {
          hint: { vi: `Các cấp: ${known.join(', ')}.`, en: `Levels: ${known.join(', ')}.` },
        }),
      ],
      lang,
    );
    return EXIT.problems;
  }
  const diff = diffCriteriaSets(before, after, options.level === undefined ? {} : { level: options.level });

  let impact: ImpactReport | undefined;
  const dataProblems: Problem[] = [];
  if (options.impact?.length) {
    // The data was collected for the old rules (a workbook is read against them).
    const read = await readSubmissionFiles(io, options.impact, before);
    const merged = mergeSubmissions(read.submissions);
    dataProblems.push(...read.problems, ...merged.problems);
    // structures (issue 11): round values of each side.
    const [oldFile, newFile = oldFile] = options.roundValues ?? [];
    const oldValues = loadRoundValuesOption(io, before, oldFile, lang);
    const newValues = loadRoundValuesOption(io, after, newFile, lang);
    if (oldValues === false || newValues === false) return EXIT.problems;
    const roundValues = { ...(oldValues ? { old: oldValues } : {}), ...(newValues ? { new: newValues } : {}) };
    impact = impactOfChange(before, after, merged.submissions, { ...(options.level === undefined ? {} : { level: options.level }), roundValues });
  }

  let text: string;
  if (options.format === 'json') text = JSON.stringify({ diff, ...(impact ? { impact } : {}), ...(dataProblems.length ? { problems: dataProblems } : {}) }, null, 2);
  else if (options.format === 'md') text = diffMarkdown(diff, lang) + (impact ? '\n\n' + impactMarkdown(impact, lang) : '');
  else text = diffText(diff, lang) + (impact ? '\n\n' + impactText(impact, lang) : '');
  if (options.format !== 'json') printProblems(io, dataProblems, lang);
  return writeOutput(io, options.out, text, lang) ? EXIT.ok : EXIT.problems;
}

export function registerDiff(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('diff')
    .description(
      say(
        lang,
        'so sánh hai bộ tiêu chí theo từng tiêu chí (ghép theo mã); với --impact: tác động lên điểm và thứ hạng của các đơn vị',
        'compare two criteria sets criterion by criterion (matched by id); with --impact: the effect on units’ scores and ranks',
      ),
    )
    .argument('<old>', say(lang, 'bộ tiêu chí cũ, ví dụ criteria/2023', 'the old set, e.g. criteria/2023'))
    .argument('<new>', say(lang, 'bộ tiêu chí mới, ví dụ criteria/2024', 'the new set, e.g. criteria/2024'))
    .option('--level <id>', say(lang, 'chỉ so sánh một cấp (mã cấp, ví dụ province)', 'compare one level only (its id, e.g. province)'))
    .addOption(new Option('--format <format>', say(lang, 'định dạng: text, md (Markdown để làm phụ lục), json', 'format: text, md (Markdown, for an annex), json')).choices(['text', 'md', 'json']).default('text'))
    .option(
      '--impact <file>',
      say(
        lang,
        'chấm cùng số liệu (.json/.csv hoặc thư mục) theo cả hai bộ và so sánh; dùng nhiều lần được, số liệu của một đơn vị ở nhiều tệp được ghép theo tiêu chí',
        'score the same data (.json/.csv or a folder) under both sets and compare; repeatable, a unit’s data in several files is combined criterion by criterion',
      ),
      collect,
    )
    .option('--round-values <file>', say(lang, 'giá trị của đợt chấm cho --impact (YAML): lần thứ nhất cho bộ cũ, lần thứ hai cho bộ mới', 'round values for --impact (YAML): the first for the old set, the second for the new'), collect) // structures (issue 11)
    .option('--out <file>', sharedOptionText(lang).out)
    .action(async (oldDir: string, newDir: string, opts: DiffOptions) => setExit(await diffCommand(oldDir, newDir, opts, io, lang)));
}
