import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { CriteriaSet } from '../../criteria-set.js';
import { mergeSubmissions } from '../../diff/impact.js';
import type { Submission } from '../../model.js';
import { hasErrors, problem, type Lang, type Problem } from '../../problems.js';
import { scoreSubmissions, type ScoreRun } from '../../scoring.js';
import { displayPath, EXIT, resolvePath, type CliIo } from '../io.js';
import { loadSetOrReport, mergeReadProblems, printProblems, readSubmissionFiles } from '../load.js';
import { writeOutput } from '../output.js';
import { outExtensionFits, type OutFormat } from '../out-extension.js';
import { type CommandContext, collect, say, sharedOptionText } from '../context.js';
import { writeBinaryOutput } from './template.js';
import type { ReportFile } from '../../report/html/report-model.js';

export interface ReportOptions {
  criteria?: string;
  input: string[];
  out?: string;
  format?: 'html' | 'pdf';
  unit?: string[];
  sheets?: boolean;
  compareCriteria?: string;
  compareInput?: string[];
}

/** The files a --input names (a folder: its .json/.csv/.xlsx), each with the SHA-256 of its bytes, for the provenance. */
export function hashedFiles(io: CliIo, paths: readonly string[]): { file: string; sha256: string }[] {
  const show = displayPath(io);
  const out: { file: string; sha256: string }[] = [];
  for (const path of paths) {
    const full = resolvePath(io, path);
    let files: string[];
    try {
      files = statSync(full).isDirectory()
        ? readdirSync(full)
            .filter((n) => /\.(json|csv|xlsx)$/i.test(n) && !n.startsWith('~$'))
            .sort()
            .map((n) => join(full, n))
        : [full];
    } catch {
      continue;
    }
    for (const file of files) {
      try {
        out.push({ file: show(file), sha256: createHash('sha256').update(readFileSync(file)).digest('hex') });
      } catch {
        // Unreadable: readSubmissionFiles reports it.
      }
    }
  }
  return out;
}

function setLabel(set: CriteriaSet, lang: Lang): string {
  return lang === 'vi' ? `năm ${set.year} (${set.dir})` : `${set.year} (${set.dir})`;
}

/**
 * Last year's data scored under a draft: criteria the draft retired are set
 * aside (as impactOfChange does for its new side), so a unit is not failed
 * for reporting what the old rules asked. Said on stderr.
 */
function setAsideRetired(submissions: Submission[], set: CriteriaSet, before: CriteriaSet, io: CliIo, lang: Lang): Submission[] {
  const retired = new Map<string, Set<string>>();
  for (const old of before.levels) {
    const current = set.levels.find((l) => l.id === old.id);
    if (!current) continue;
    const ids = new Set(current.criteria.map((c) => c.id));
    retired.set(old.id, new Set(old.criteria.filter((c) => !ids.has(c.id)).map((c) => c.id)));
  }
  const dropped = new Set<string>();
  const result = submissions.map((s) => {
    const gone = retired.get(s.level);
    if (!gone?.size || s.inputs === null || typeof s.inputs !== 'object') return s;
    const keys = Object.keys(s.inputs).filter((k) => gone.has(k));
    if (!keys.length) return s;
    const inputs = { ...s.inputs };
    for (const k of keys) {
      delete inputs[k];
      dropped.add(`${s.level}.${k}`);
    }
    return { ...s, inputs };
  });
  if (dropped.size) io.stderr(lang === 'vi' ? `Để riêng số liệu của tiêu chí đã bỏ ở ${set.dir}: ${[...dropped].join(', ')}.\n` : `Set aside data of criteria retired in ${set.dir}: ${[...dropped].join(', ')}.\n`);
  return result;
}

/** The Vietnamese (or English) message when no Chromium is there to print the PDF. */
export function noBrowserMessage(lang: Lang, out: string): Problem {
  const html = out.replace(/\.pdf$/i, '') + '.html';
  return problem(
    'cli.output',
    {
      vi: `Không tạo được tệp PDF "${out}": máy này chưa cài trình duyệt Chromium (tìm ở /usr/bin/chromium hoặc biến môi trường TIEUCHI_CHROMIUM).`,
      en: `Cannot make the PDF "${out}": no Chromium browser is installed (looked for /usr/bin/chromium and TIEUCHI_CHROMIUM).`,
    },
    {
      file: out,
      hint: {
        vi: `Cài Chromium (sudo apt-get install chromium), hoặc tạo bản HTML: tieuchi report … --out ${html}, mở bằng trình duyệt rồi chọn In → Lưu thành PDF (khổ A4).`,
        en: `Install Chromium (sudo apt-get install chromium), or make the HTML: tieuchi report … --out ${html}, open it in a browser and print to PDF (A4).`,
      },
    },
  );
}

const REPORT_OUT: OutFormat = {
  extensions: ['.html', '.htm', '.pdf'],
  vi: 'báo cáo ghi ra tệp .html hoặc .pdf (ví dụ --out ket-qua.html)',
  en: 'the report is written to a .html or .pdf file (e.g. --out results.html)',
  hintVi: 'Bảng tính kết quả: tieuchi score --out ket-qua.xlsx; phụ lục Word: tieuchi diff --format docx.',
  hintEn: 'A results workbook: tieuchi score --out results.xlsx; a Word annex: tieuchi diff --format docx.',
};

/** tieuchi report: the results report (or the units' score sheets) as one self-contained HTML file, or a PDF. */
export async function reportCommand(options: ReportOptions, io: CliIo, lang: Lang): Promise<number> {
  // The file's extension says what to write; another one (ket-qua.docx, ket-qua.xlsx) would get HTML under a name that promises something else.
  if (!options.format && options.out && !outExtensionFits(io, options.out, REPORT_OUT, lang)) return EXIT.usage;
  const format = options.format ?? (options.out && /\.pdf$/i.test(options.out) ? 'pdf' : 'html');
  if (format === 'pdf' && !options.out) {
    io.stderr(lang === 'vi' ? 'lỗi: --format pdf cần --out TỆP.pdf\n' : 'error: --format pdf needs --out FILE.pdf\n');
    return EXIT.usage;
  }
  if (options.compareInput?.length && (options.unit?.length || options.sheets)) {
    io.stderr(lang === 'vi' ? 'lỗi: phiếu chấm điểm (--unit, --sheets) không dùng với --compare-input\n' : 'error: score sheets (--unit, --sheets) do not take --compare-input\n');
    return EXIT.usage;
  }
  const set = loadSetOrReport(io, options.criteria, lang);
  if (!set) return EXIT.problems;
  const read = await readSubmissionFiles(io, options.input, set);
  const before = options.compareCriteria ? loadSetOrReport(io, options.compareCriteria, lang) : set;
  if (!before) return EXIT.problems;
  // A unit's data may come in several files (last year's plus a supplement for new criteria): combined criterion by criterion, as diff --impact does.
  const merged = mergeSubmissions(read.submissions);
  const scored = options.compareCriteria && !options.compareInput?.length ? setAsideRetired(merged.submissions, set, before, io, lang) : merged.submissions;
  const sheets = options.sheets === true || (options.unit?.length ?? 0) > 0;
  const run = scoreSubmissions(set, scored, { trace: sheets });
  mergeReadProblems(run, [...read.problems, ...merged.problems]);
  if (run.units.length === 0) {
    printProblems(io, run.problems, lang);
    io.stderr(lang === 'vi' ? 'Không có đơn vị nào chấm được: không tạo báo cáo.\n' : 'No unit could be scored: no report made.\n');
    return EXIT.problems;
  }

  const { renderResultsReport, buildResultsReport, comparisonFromImpact, comparisonFromRuns, renderScoreSheets, buildScoreSheets } = await import('../../report/html/index.js');
  let html: string;
  if (sheets) {
    const unknown = (options.unit ?? []).filter((id) => !run.units.some((u) => u.id === id));
    if (unknown.length) {
      printProblems(
        io,
        [
          problem('cli.usage', { vi: `Không có đơn vị ${unknown.map((u) => `"${u}"`).join(', ')} trong số liệu.`, en: `No unit ${unknown.map((u) => `"${u}"`).join(', ')} in the data.` }, {
            hint: { vi: `Các đơn vị có trong số liệu: ${run.units.map((u) => u.id).join(', ')}.`, en: `Units in the data: ${run.units.map((u) => u.id).join(', ')}.` },
          }),
        ],
        lang,
      );
      return EXIT.problems;
    }
    html = renderScoreSheets(buildScoreSheets(set, run, lang, options.unit?.length ? { units: options.unit } : {}), lang);
  } else {
    const files: ReportFile[] = [...set.levels.map((l) => ({ file: l.file, sha256: l.sha256, role: 'criteria' as const })), ...hashedFiles(io, options.input).map((f) => ({ ...f, role: 'input' as const }))];
    let comparison;
    if (options.compareCriteria || options.compareInput?.length) {
      if (options.compareCriteria) files.push(...before.levels.map((l) => ({ file: l.file, sha256: l.sha256, role: 'compare-criteria' as const })));
      if (options.compareInput?.length) {
        // Another year or round: its own data under its own rules, matched to this run by unit.
        const old = await readSubmissionFiles(io, options.compareInput, before);
        const oldMerged = mergeSubmissions(old.submissions);
        const oldRun: ScoreRun = scoreSubmissions(before, oldMerged.submissions, { trace: false });
        mergeReadProblems(oldRun, [...old.problems, ...oldMerged.problems]);
        printProblems(io, oldRun.problems, lang);
        files.push(...hashedFiles(io, options.compareInput).map((f) => ({ ...f, role: 'compare-input' as const })));
        const label = (s: CriteriaSet, paths: string[]) => (s === set ? paths.join(', ') : setLabel(s, lang));
        comparison = comparisonFromRuns(oldRun, run, { from: label(before, options.compareInput), to: label(set, options.input) });
      } else {
        // The same data under the other rules: the impact analysis of `tieuchi diff --impact`.
        const { impactOfChange } = await import('../../diff/impact.js');
        comparison = comparisonFromImpact(impactOfChange(before, set, merged.submissions), { from: setLabel(before, lang), to: setLabel(set, lang) });
      }
    }
    html = renderResultsReport(buildResultsReport(set, run, { files, ...(comparison ? { comparison } : {}) }), lang);
  }

  printProblems(io, run.problems, lang);
  let written: boolean;
  if (format === 'pdf') {
    const { htmlToPdf } = await import('../../report/html/pdf.js');
    const pdf = await htmlToPdf(html);
    if (!pdf.ok) {
      printProblems(io, [pdf.reason === 'no-browser' ? noBrowserMessage(lang, options.out!) : pdf.reason === 'no-driver' ? problem('cli.output', { vi: `Không tạo được PDF: thiếu gói playwright-core để điều khiển Chromium (${pdf.detail}).`, en: `Cannot make the PDF: the playwright-core package, which drives Chromium, is missing (${pdf.detail}).` }, { file: options.out!, hint: { vi: 'Cài: npm install playwright-core (không tải trình duyệt), hoặc tạo bản HTML rồi in ra PDF từ trình duyệt.', en: 'Install it: npm install playwright-core (no browser download), or make the HTML and print it to PDF from a browser.' } }) : problem('cli.output', { vi: `Chromium không in được PDF: ${pdf.detail}`, en: `Chromium could not print the PDF: ${pdf.detail}` }, { file: options.out! })], lang);
      return EXIT.problems;
    }
    written = writeBinaryOutput(io, options.out!, pdf.bytes, lang);
  } else written = writeOutput(io, options.out, html, lang);
  const complete = run.units.filter((u) => u.status === 'complete').length;
  const withProblems = run.units.length - complete + run.rejected.length;
  io.stderr(
    lang === 'vi'
      ? `${sheets ? 'Phiếu chấm điểm' : 'Báo cáo'}: ${complete} đơn vị xếp hạng${withProblems ? `, ${withProblems} đơn vị có lỗi số liệu (liệt kê riêng)` : ''}.\n`
      : `${sheets ? 'Score sheets' : 'Report'}: ${complete} unit(s) ranked${withProblems ? `, ${withProblems} with data problems (listed apart)` : ''}.\n`,
  );
  if (!written) return EXIT.problems;
  return hasErrors(run.problems) && complete === 0 ? EXIT.problems : EXIT.ok;
}

export function registerReport(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('report')
    .description(
      say(
        lang,
        'báo cáo kết quả (HTML tự chứa, có biểu đồ; in A4) hoặc phiếu chấm điểm từng đơn vị; --format pdf qua Chromium nếu máy có',
        "the results report (self-contained HTML with charts; prints on A4) or each unit's score sheet; --format pdf through Chromium when installed",
      ),
    )
    .option('--criteria <dir>', sharedOptionText(lang).criteria)
    .requiredOption('--input <file>', sharedOptionText(lang).input, collect)
    .option('--out <file>', say(lang, 'ghi vào tệp .html hoặc .pdf (ghi trọn vẹn hoặc không ghi gì); không có: in HTML ra màn hình', 'write to a .html or .pdf file (all or nothing); without it, print the HTML'))
    .addOption(new Option('--format <format>', say(lang, 'html hoặc pdf (mặc định theo đuôi tệp --out)', 'html or pdf (default: from the --out extension)')).choices(['html', 'pdf']))
    .option('--unit <id>', say(lang, 'phiếu chấm điểm của đơn vị này (dùng nhiều lần được)', "this unit's score sheet (repeatable)"), collect)
    .option('--sheets', say(lang, 'phiếu chấm điểm của mọi đơn vị, mỗi đơn vị một trang mới', 'a score sheet for every unit, each on a new page'))
    .option('--compare-criteria <dir>', say(lang, 'so sánh với bộ tiêu chí khác (năm trước, dự thảo): cùng số liệu chấm theo bộ đó, hoặc với --compare-input', 'compare with another criteria set (last year, a draft): the same data under it, or with --compare-input'))
    .option('--compare-input <file>', say(lang, 'số liệu của năm hoặc đợt so sánh (dùng nhiều lần được): thay đổi tổng điểm và thứ hạng của từng đơn vị', "the compared year's or round's data (repeatable): each unit's change of total and rank"), collect)
    .action(async (opts: ReportOptions) => setExit(await reportCommand(opts, io, lang)));
}
