import { Option, type Command } from 'commander';
import { diffCriteriaSets } from '../../diff/compare.js';
import { impactOfChange, mergeSubmissions, type ImpactReport } from '../../diff/impact.js';
import { diffMarkdown, escapeMarkdown, impactMarkdown } from '../../diff/render-markdown.js';
import { bannerLines, bannerNeeded, bannerTitle, leftOutOfImpact, reviewSide, submissionsWithout, withoutCriteria, type ReviewBanner } from '../../diff/review.js';
import { loadCriteriaSet, type CriteriaSet } from '../../criteria-set.js';
import { fileParseCache } from '../../load/parse-cache.js';
import { writeBinaryOutput } from './template.js';
import { diffText, impactText } from '../../diff/render-text.js';
import { problem, type Lang, type Problem } from '../../problems.js';
import { displayPath, EXIT, type CliIo } from '../io.js';
import { printProblems, readSubmissionFiles, resolveCriteriaOption } from '../load.js';
import { writeOutput } from '../output.js';
import { type CommandContext, collect, say, sharedOptionText } from '../context.js';
import { loadRoundValuesOption } from '../round-values.js'; // structures (issue 11)

export interface DiffOptions {
  level?: string;
  format: 'text' | 'md' | 'json' | 'docx';
  impact?: string[];
  out?: string;
  /** structures (issue 11): round values for --impact; the first for the old set, the second (or the first) for the new. */
  roundValues?: string[];
}

/**
 * A set for review: whatever parses, with its problems (a draft in progress
 * has errors; they go into the banner, they do not stop the diff).
 */
function loadForReview(io: CliIo, path: string, lang: Lang): { set?: CriteriaSet; problems: Problem[] } {
  const full = resolveCriteriaOption(io, path, lang);
  if (!full) return { problems: [] };
  const loaded = loadCriteriaSet(full, { displayPath: displayPath(io), checkDomains: false, cache: fileParseCache(), partial: true });
  printProblems(io, loaded.problems, lang);
  if (!loaded.set) {
    io.stderr(lang === 'vi' ? `Không đọc được bộ tiêu chí ${path} (không tệp nào đọc được); sửa các lỗi trên rồi chạy lại.\n` : `Cannot read the criteria in ${path} (no file could be read); fix the errors above and try again.\n`);
  }
  return loaded;
}

/** tieuchi diff OLD NEW: what changed, criterion by criterion, and with --impact what it does to the units. */
export async function diffCommand(oldDir: string, newDir: string, options: DiffOptions, io: CliIo, lang: Lang): Promise<number> {
  if (options.format === 'docx' && !options.out) {
    io.stderr(lang === 'vi' ? 'lỗi: --format docx cần --out TỆP.docx (văn bản Word không in ra màn hình được)\n' : 'error: --format docx needs --out FILE.docx (a Word document cannot be printed)\n');
    return EXIT.usage;
  }
  const oldLoaded = loadForReview(io, oldDir, lang);
  const newLoaded = loadForReview(io, newDir, lang);
  const before = oldLoaded.set;
  const after = newLoaded.set;
  if (!before || !after) return EXIT.problems;
  const banner: ReviewBanner = { old: reviewSide(before, oldLoaded.problems), new: reviewSide(after, newLoaded.problems) };
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
    // Criteria whose formulas do not compile (on either side) are left out of both, so totals compare like with like.
    const skip = leftOutOfImpact(banner);
    impact = impactOfChange(withoutCriteria(before, skip), withoutCriteria(after, skip), submissionsWithout(merged.submissions, skip), { ...(options.level === undefined ? {} : { level: options.level }), roundValues });
  }

  if (options.format === 'docx') {
    // docx is loaded only for this output.
    const { diffDocxBytes, rulesOf } = await import('../../diff/render-docx.js');
    const issuer = after.levels[0]?.doc.decision.issuer;
    const bytes = await diffDocxBytes(diff, { old: rulesOf(before), new: rulesOf(after) }, { lang, banner, ...(impact ? { impact } : {}), ...(issuer ? { issuer } : {}) });
    printProblems(io, dataProblems, lang);
    return writeBinaryOutput(io, options.out!, bytes, lang) ? EXIT.ok : EXIT.problems;
  }
  const withBanner = bannerNeeded(banner);
  let text: string;
  if (options.format === 'json') {
    // Both sides' problems travel with the diff: a tool sees that a draft is incomplete.
    const criteria = { old: banner.old, new: banner.new };
    text = JSON.stringify({ criteria, diff, ...(impact ? { impact } : {}), ...(dataProblems.length ? { problems: dataProblems } : {}) }, null, 2);
  } else if (options.format === 'md') text = (withBanner ? bannerMarkdown(banner, lang) + '\n\n' : '') + diffMarkdown(diff, lang) + (impact ? '\n\n' + impactMarkdown(impact, lang) : '');
  else text = (withBanner ? bannerText(banner, lang) + '\n\n' : '') + diffText(diff, lang) + (impact ? '\n\n' + impactText(impact, lang) : '');
  if (options.format !== 'json') printProblems(io, dataProblems, lang);
  return writeOutput(io, options.out, text, lang) ? EXIT.ok : EXIT.problems;
}

function bannerText(banner: ReviewBanner, lang: Lang): string {
  const lines = bannerLines(banner, lang);
  const rule = '!'.repeat(60);
  return [rule, ...lines.map((l) => `! ${l}`), rule].join('\n');
}

function bannerMarkdown(banner: ReviewBanner, lang: Lang): string {
  return [`> **${bannerTitle(lang)}**`, ...bannerLines(banner, lang).map((l) => `> ${escapeMarkdown(l.replace(/^ {2}- /, '- '))}`.replace(/^> \\- /, '> - '))].join('\n>\n');
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
    .addOption(
      new Option('--format <format>', say(lang, 'định dạng: text, md (Markdown để làm phụ lục), docx (phụ lục Word, cần --out), json', 'format: text, md (Markdown, for an annex), docx (a Word annex, needs --out), json'))
        .choices(['text', 'md', 'json', 'docx'])
        .default('text'),
    )
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
