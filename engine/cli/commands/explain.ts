import { Option, type Command } from 'commander';
import { problem, type Lang } from '../../problems.js';
import { draftBanner } from '../../report/draft.js';
import { explainCriterion, withExplanations } from '../../report/explain.js';
import { formatPoints } from '../../report/format.js';
import { escapeForTerminal } from '../../report/tables.js';
import { explainTotals, groupHeadings, kindTag, levelValueLines, notApplicableText, unitAttributesText } from '../../report/structure.js'; // structures (issue 11)
import { loadRoundValuesOption, roundValuesHelp } from '../round-values.js'; // structures (issue 11)
import { scoreSubmissions } from '../../scoring.js';
import { EXIT, type CliIo } from '../io.js';
import { loadSetOrReport, mergeReadProblems, printProblems, readSubmissionFiles } from '../load.js';
import { writeOutput } from '../output.js';
import { type CommandContext, collect, say, sharedOptionText } from '../context.js';

export interface ExplainOptions {
  criteria?: string;
  input: string[];
  unit: string;
  format: 'text' | 'json';
  out?: string;
  roundValues?: string;
}

/** The first ids of a list, for a hint (a file may hold a million units). */
function listed(ids: readonly string[]): string {
  return ids.length > 20 ? `${ids.slice(0, 20).join(', ')}, … (${ids.length})` : ids.join(', ');
}

/** tieuchi explain --unit ID: how each of the unit's points was reached, criterion by criterion. */
export async function explainCommand(options: ExplainOptions, io: CliIo, lang: Lang): Promise<number> {
  const set = loadSetOrReport(io, options.criteria, lang);
  if (!set) return EXIT.problems;
  const read = await readSubmissionFiles(io, options.input, set);
  const mine = read.submissions.filter((s) => s.id === options.unit);
  if (mine.length === 0) {
    const known = read.submissions.map((s) => s.id);
    printProblems(
      io,
      [
        ...read.problems,
        problem('cli.usage', { vi: `Không có đơn vị "${options.unit}" trong số liệu.`, en: `No unit "${options.unit}" in the data.` }, {
          hint: { vi: `Các đơn vị có trong số liệu: ${listed(known) || '(không có)'}.`, en: `Units in the data: ${listed(known) || '(none)'}.` },
        }),
      ],
      lang,
    );
    return EXIT.problems;
  }
  const roundValues = loadRoundValuesOption(io, set, options.roundValues, lang); // structures (issue 11)
  if (roundValues === false) return EXIT.problems;
  // Rank among all units of the level, so the explanation can say where the unit stands.
  const run = scoreSubmissions(set, read.submissions, { trace: true, ...(roundValues ? { roundValues } : {}) });
  mergeReadProblems(run, read.problems);
  const units = run.units.filter((u) => u.id === options.unit);
  const rejected = run.rejected.filter((r) => r.id === options.unit);
  if (options.format === 'json') {
    const ok = writeOutput(io, options.out, JSON.stringify({ units: units.map((u) => withExplanations(set, u, lang)), rejected, provenance: run.provenance }, null, 2), lang);
    return ok ? EXIT.ok : EXIT.problems;
  }
  const w = lang === 'vi' ? { level: 'Cấp', total: 'Tổng điểm', rank: 'xếp hạng', of: 'trên', max: 'điểm chuẩn', data: 'Số liệu', how: 'Cách tính', points: 'Điểm', none: 'chưa có tổng điểm vì còn lỗi số liệu' } : { level: 'Level', total: 'Total', rank: 'rank', of: 'of', max: 'max', data: 'Data', how: 'How', points: 'Points', none: 'no total: the data has errors' };
  const blocks: string[] = [];
  for (const unit of units) {
    const level = set.levels.find((l) => l.id === unit.level)!;
    const peers = run.units.filter((u) => u.level === unit.level && u.rank !== undefined).length;
    // Scores with the level file's own decimals (16,67 when it says 2); maxima as they are.
    const decimals = level.doc.scoring.rounding.decimals;
    const points = (value: number) => formatPoints(value, lang, decimals, decimals);
    const max = (value: number) => formatPoints(value, lang, 4);
    const lines = [
      `${escapeForTerminal(unit.name)} (${unit.id})`,
      `${w.level}: ${level.name} — ${lang === 'vi' ? 'năm' : 'year'} ${set.year}, ${level.doc.decision.number || (lang === 'vi' ? 'DỰ THẢO (chưa có số quyết định)' : 'DRAFT (no decision number yet)')}`,
      unit.total !== undefined ? `${w.total}: ${points(unit.total)} / ${max(unit.totalPoints)} — ${w.rank} ${unit.rank} ${w.of} ${peers}` : `${w.total}: ${w.none}`,
      // structures (issue 11): type, rescaling, bonus and penalty, index, subtotals per group.
      ...(unit.type !== undefined ? [`${lang === 'vi' ? 'Loại đơn vị' : 'Unit type'}: ${level.structure?.unitTypes.get(unit.type)?.label ?? unit.type} (${unit.type})`] : []),
      ...(unit.attributes ? [`${lang === 'vi' ? 'Thuộc tính' : 'Attributes'}: ${unitAttributesText(level, unit.attributes, lang)}`] : []),
      ...(level.structure?.shaped ? explainTotals(level, unit, lang) : []),
      '',
    ];
    const opened = new Set<string>();
    for (const score of unit.criteria) {
      const criterion = level.criteria.find((c) => c.id === score.id)!;
      const explanation = explainCriterion(score, level.doc.scoring, lang, criterion.def.inputs, criterion.def.parts);
      lines.push(...groupHeadings(level, score.id, opened, lang));
      lines.push(`${score.number}. ${score.name} [${score.id}] (${w.max} ${max(score.maxPoints)})${kindTag(criterion.def.kind, lang)}`);
      if (explanation.inputs.length) lines.push(`   ${w.data}: ${explanation.inputs.join('; ')}`);
      for (const line of levelValueLines(score, lang)) lines.push(`   ${line}`);
      if (score.status === 'not_applicable') {
        lines.push(`   ${w.points}: ${notApplicableText(level, score.id, unit, lang)}`);
      } else if (score.status === 'scored') {
        lines.push(`   ${w.how}: ${explanation.summary}`);
        lines.push(`   ${w.points}: ${points(score.points!)} / ${max(score.maxPoints)}`);
      } else {
        for (const p of score.problems) lines.push(`   ${lang === 'vi' ? 'Lỗi' : 'Error'}: ${escapeForTerminal(p.message[lang])}${p.hint ? ` → ${escapeForTerminal(p.hint[lang])}` : ''}`);
      }
      lines.push('');
    }
    for (const p of unit.problems) lines.push(`${lang === 'vi' ? 'Lỗi' : 'Error'}: ${escapeForTerminal(p.message[lang])}${p.hint ? ` → ${escapeForTerminal(p.hint[lang])}` : ''}`);
    blocks.push(lines.join('\n').trimEnd());
  }
  for (const r of rejected) printProblems(io, r.problems, lang);
  // An explanation under unsigned criteria says so above everything else, as every other output does.
  const banner = run.provenance.status === 'draft' ? draftBanner(set.year, lang) + '\n\n' : '';
  const ok = blocks.length ? writeOutput(io, options.out, banner + blocks.join('\n\n' + '-'.repeat(60) + '\n\n'), lang) : true;
  return ok && rejected.length === 0 ? EXIT.ok : EXIT.problems;
}

export function registerExplain(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('explain')
    .description(say(lang, 'giải thích điểm từng tiêu chí của một đơn vị', "explain, criterion by criterion, how a unit's points were reached"))
    .option('--criteria <dir>', sharedOptionText(lang).criteria)
    .requiredOption('--input <file>', sharedOptionText(lang).input, collect)
    .requiredOption('--unit <id>', say(lang, 'mã đơn vị cần giải thích', 'id of the unit to explain'))
    .addOption(new Option('--format <format>', say(lang, 'định dạng kết quả', 'output format')).choices(['text', 'json']).default('text'))
    .option('--out <file>', sharedOptionText(lang).out)
    .option('--round-values <file>', roundValuesHelp(lang)) // structures (issue 11)
    .action(async (opts: ExplainOptions) => setExit(await explainCommand(opts, io, lang)));
}
