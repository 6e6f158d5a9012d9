/**
 * What the commands share: loading a criteria set and reading submission
 * files, with problems shown the same way everywhere.
 */
import { closeSync, createReadStream, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { criteriaStatus, loadCriteriaSet, type CriteriaSet } from '../criteria-set.js';
import { chooseCriteria, type CriteriaChoice } from '../load/catalog.js';
import { fileParseCache } from '../load/parse-cache.js';
import { CsvSubmissionRows, DEFAULT_SUBMISSION_LIMITS, csvErrorProblem, csvOptions, firstLineOf, jsonSubmissionReader, type SubmissionLimits, type SubmissionSink } from '../load/submissions.js';
import type { Submission } from '../model.js';
import type { ScoreRun } from '../scoring.js';
import { hasErrors, problem, type Lang, type Problem } from '../problems.js';
import { countLine, formatProblems } from '../report/problems.js';
import { displayPath, resolvePath, sourceLookup, type CliIo } from './io.js';

/**
 * The set a command uses when --criteria is not given: the newest SIGNED year
 * under the working directory's criteria/ (or the criteria bundled in the
 * package, outside a clone). Undefined when there is none.
 */
export function defaultCriteriaDir(io: CliIo): string | undefined {
  const choice = chooseCriteria(undefined, io.cwd);
  return choice.ok ? displayPath(io)(choice.path) : undefined;
}

export function printProblems(io: CliIo, problems: readonly Problem[], lang: Lang): void {
  if (problems.length === 0) return;
  io.stderr(formatProblems(problems, lang, sourceLookup(io)) + '\n\n' + countLine(problems, lang) + '\n');
}

/** Why no set could be chosen, as a problem (no criteria/ at all, or only drafts). */
function choiceProblem(choice: Extract<CriteriaChoice, { ok: false }>, show: (p: string) => string): Problem {
  if (choice.reason === 'no-signed') {
    const drafts = choice.drafts.map((d) => show(d.dir));
    return problem(
      'set.no-signed',
      {
        vi: `${show(choice.root.dir)} chỉ có bộ tiêu chí dự thảo (${drafts.join(', ')}), chưa có bộ nào đã ký.`,
        en: `${show(choice.root.dir)} holds only drafts (${drafts.join(', ')}), no signed set.`,
      },
      {
        file: show(choice.root.dir),
        hint: {
          vi: `Dự thảo chỉ được dùng khi chỉ rõ, ví dụ --criteria ${drafts[drafts.length - 1] ?? 'criteria/2025'}; khi quyết định đã ký, ghi decision.status: signed cùng số và ngày ký.`,
          en: `A draft is used only when named, e.g. --criteria ${drafts[drafts.length - 1] ?? 'criteria/2025'}; once the decision is signed, write decision.status: signed with its number and date.`,
        },
      },
    );
  }
  return problem('cli.usage', { vi: 'Chưa chỉ ra bộ tiêu chí: dùng --criteria criteria/2023.', en: 'No criteria given: use --criteria criteria/2023.' });
}

/**
 * The folder or file --criteria names (a year folder, a level file, a bare
 * year, or the criteria root: then its newest signed year), or the default.
 * Prints why when there is none.
 */
export function resolveCriteriaOption(io: CliIo, dir: string | undefined, lang: Lang): string | undefined {
  const choice = chooseCriteria(dir, io.cwd);
  if (!choice.ok) {
    printProblems(io, [choiceProblem(choice, displayPath(io))], lang);
    return undefined;
  }
  return choice.path;
}

/** "DỰ THẢO" notice on stderr: whoever runs a command on a draft is told, whatever the output format. */
export function draftNotice(io: CliIo, set: CriteriaSet, lang: Lang): void {
  if (criteriaStatus(set) !== 'draft') return;
  io.stderr(
    lang === 'vi'
      ? `DỰ THẢO: bộ tiêu chí ${set.dir} (năm ${set.year}) chưa ký; kết quả chỉ để tham khảo và đều ghi "DỰ THẢO".\n`
      : `DRAFT: the criteria in ${set.dir} (${set.year}) are not signed; results are for review only and are marked "DỰ THẢO" (draft).\n`,
  );
}

/** Load the set; on errors print them and return undefined. Warnings are printed either way. */
export function loadSetOrReport(io: CliIo, dir: string | undefined, lang: Lang): CriteriaSet | undefined {
  return loadSetAndPathOrReport(io, dir, lang)?.set;
}

/** loadSetOrReport, and the full path of the folder or file the set was loaded from (for worker threads that load it again). */
export function loadSetAndPathOrReport(io: CliIo, dir: string | undefined, lang: Lang): { set: CriteriaSet; path: string } | undefined {
  const full = resolveCriteriaOption(io, dir, lang);
  if (!full) return undefined;
  const chosen = displayPath(io)(full);
  // The domain search is validate's job; commands that use a set skip it to start faster.
  const { set, problems } = loadCriteriaSet(full, { displayPath: displayPath(io), checkDomains: false, cache: fileParseCache() });
  if (!set || hasErrors(problems)) {
    printProblems(io, problems, lang);
    io.stderr(lang === 'vi' ? `Bộ tiêu chí ${chosen} có lỗi; sửa rồi chạy lại "tieuchi validate ${chosen}".\n` : `The criteria in ${chosen} have errors; fix them and run "tieuchi validate ${chosen}".\n`);
    return undefined;
  }
  printProblems(io, problems, lang);
  draftNotice(io, set, lang);
  return { set, path: full };
}

/** The submission files named on the command line: a folder means its .json, .csv and .xlsx files, in name order. */
function submissionFilesOf(io: CliIo, paths: readonly string[], problems: { problem(p: Problem): void }): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const full = resolvePath(io, path);
    try {
      if (statSync(full).isDirectory()) {
        files.push(
          ...readdirSync(full)
            // "~$name.xlsx" is the lock file Excel keeps beside an open workbook; ".tieuchi-*.tmp" are ours.
            .filter((n) => /\.(json|csv|xlsx)$/i.test(n) && !n.startsWith('~$'))
            .sort()
            .map((n) => join(full, n)),
        );
      } else files.push(full);
    } catch {
      problems.problem(problem('submission.unreadable', { vi: `Không tìm thấy tệp số liệu "${path}".`, en: `Submission file "${path}" not found.` }, { file: path }));
    }
  }
  return files;
}

/** What reading submission files hands over, one at a time. */
export interface SubmissionFileSink extends SubmissionSink {
  /** A file starts; `cellProblems` are a spreadsheet reader's problems per cell, which replace the scorer's for the same input. */
  fileStart(file: string, cellProblems?: readonly Problem[]): void;
  /** The file ended; `complete` false: it could not be read to its end, so what came from it must be dropped. */
  fileEnd(complete: boolean): void;
}

const READ_CHUNK = 1024 * 1024;

/** UTF-16 files (Excel's "Unicode text") start with a byte-order mark; they are refused with a reason, not read as garbage. */
function encodingProblem(path: string, file: string): Problem | undefined {
  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const n = readSync(fd, head, 0, 4, 0);
    if (n >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
      return problem('submission.unreadable', { vi: `Tệp "${file}" mã hóa UTF-16; tieuchi đọc UTF-8.`, en: `"${file}" is UTF-16; tieuchi reads UTF-8.` }, {
        file,
        location: { file, start: 0, end: 0, line: 1, column: 1 },
        hint: { vi: 'Lưu lại tệp dưới dạng "CSV UTF-8" hoặc JSON UTF-8.', en: 'Save the file again as "CSV UTF-8" or UTF-8 JSON.' },
      });
    }
  } catch {
    // reported when the file is read
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return undefined;
}

/** Read a JSON submissions file as a stream; `skipEntries`: its first entries were handed over already (see jsonSubmissionReader). */
export async function streamJsonFile(path: string, file: string, sink: SubmissionSink, limits: SubmissionLimits, skipEntries = 0): Promise<boolean> {
  const reader = jsonSubmissionReader(file, sink, limits, skipEntries);
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: READ_CHUNK })) reader.push(chunk as string);
  return reader.end();
}

async function streamCsvFile(path: string, file: string, sink: SubmissionSink, limits: SubmissionLimits): Promise<boolean> {
  const head = Buffer.alloc(64 * 1024);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const { parse } = await import('csv-parse');
  const parser = createReadStream(path, { highWaterMark: READ_CHUNK }).pipe(parse(csvOptions(firstLineOf(head.subarray(0, n).toString('utf8')), limits)));
  const rows = new CsvSubmissionRows(file, sink, limits);
  let header = true;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header) {
        header = false;
        if (!rows.header(record, info.lines)) {
          parser.destroy();
          return true;
        }
      } else rows.row(record, info.lines);
    }
  } catch (err) {
    sink.problem(csvErrorProblem(file, err));
    return false;
  }
  if (header) {
    sink.problem(problem('submission.unreadable', { vi: 'Tệp CSV trống.', en: 'The CSV file is empty.' }, { file }));
    return true;
  }
  return !rows.failed;
}

/**
 * Read the submission files given, one submission at a time (JSON and CSV as
 * streams: a file is never held whole, and its units reach `sink` as they are
 * read). Spreadsheets need the criteria to read their cells, and are read whole.
 */
export async function streamSubmissionFiles(
  io: CliIo,
  paths: readonly string[],
  set: CriteriaSet,
  sink: SubmissionFileSink,
  limits: SubmissionLimits = DEFAULT_SUBMISSION_LIMITS,
  /** Reads a JSON file instead of streamJsonFile (the parallel score), after the same checks of size and encoding. */
  readJson: (path: string, file: string, sink: SubmissionSink, limits: SubmissionLimits) => Promise<boolean> = streamJsonFile,
): Promise<void> {
  const show = displayPath(io);
  for (const path of submissionFilesOf(io, paths, sink)) {
    const file = show(path);
    if (/\.xlsx$/i.test(path)) {
      // exceljs is loaded only when a workbook is read.
      const { readWorkbookFile } = await import('../xlsx/read-workbook.js');
      const read = await readWorkbookFile(path, file, set);
      sink.fileStart(file, read.problems);
      for (const s of read.submissions) sink.submission(s);
      sink.fileEnd(true);
      continue;
    }
    sink.fileStart(file);
    let size: number;
    try {
      size = statSync(path).size;
    } catch (err) {
      sink.problem(problem('submission.unreadable', { vi: `Không đọc được "${file}": ${(err as NodeJS.ErrnoException).code ?? 'lỗi đọc tệp'}`, en: `Cannot read "${file}": ${(err as NodeJS.ErrnoException).code ?? 'read error'}` }, { file }));
      sink.fileEnd(false);
      continue;
    }
    if (size > limits.maxFileBytes) {
      sink.problem(problem('submission.too-large', { vi: `Tệp số liệu quá lớn (${size} byte, tối đa ${limits.maxFileBytes}).`, en: `Submission file too large (${size} bytes, at most ${limits.maxFileBytes}).` }, { file, hint: { vi: 'Chia số liệu thành nhiều tệp.', en: 'Split the data into several files.' } }));
      sink.fileEnd(false);
      continue;
    }
    const encoding = encodingProblem(path, file);
    if (encoding) {
      sink.problem(encoding);
      sink.fileEnd(false);
      continue;
    }
    let complete: boolean;
    try {
      complete = /\.csv$/i.test(basename(path)) ? await streamCsvFile(path, file, sink, limits) : await readJson(path, file, sink, limits);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw err;
      sink.problem(problem('submission.unreadable', { vi: `Không đọc được "${file}" (${code}).`, en: `Cannot read "${file}" (${code}).` }, { file }));
      complete = false;
    }
    sink.fileEnd(complete);
  }
}

/** Read every submission file given into memory (explain, diff --impact); `score` streams instead. */
export async function readSubmissionFiles(io: CliIo, paths: readonly string[], set: CriteriaSet): Promise<{ submissions: Submission[]; problems: Problem[] }> {
  const submissions: Submission[] = [];
  const problems: Problem[] = [];
  let fromFile: Submission[] = [];
  await streamSubmissionFiles(io, paths, set, {
    fileStart(_file, cellProblems) {
      fromFile = [];
      if (cellProblems) problems.push(...cellProblems);
    },
    submission: (s) => fromFile.push(s),
    problem: (p) => problems.push(p),
    fileEnd(complete) {
      if (complete) submissions.push(...fromFile);
      fromFile = [];
    },
  });
  return { submissions, problems };
}

/**
 * Add the problems found while reading files to a score run. A spreadsheet
 * reader checks each cell itself and names it ('Số liệu'!E7); scoring then
 * finds the same value bad and says so without the cell. For each unit's
 * input, the reader's problems replace the scorer's, so each mistake is
 * reported once, with its cell.
 */
export function mergeReadProblems(run: ScoreRun, readProblems: readonly Problem[]): void {
  const keyOf = (p: Problem) => (p.unit && p.criterion && p.input ? `${p.level ?? ''}\u0000${p.unit}\u0000${p.criterion}\u0000${p.input}` : undefined);
  const byInput = new Map<string, Problem[]>();
  for (const p of readProblems) {
    const key = keyOf(p);
    if (key) byInput.set(key, [...(byInput.get(key) ?? []), p]);
  }
  if (byInput.size === 0) {
    run.problems.unshift(...readProblems);
    return;
  }
  const used = new Set<string>();
  const replace = (list: Problem[]): Problem[] =>
    list.flatMap((p) => {
      const key = keyOf(p);
      const mine = key ? byInput.get(key) : undefined;
      if (!mine || !key) return [p];
      if (used.has(key)) return [];
      used.add(key);
      return mine;
    });
  for (const unit of run.units) {
    for (const criterion of unit.criteria) if (criterion.problems.length) criterion.problems = replace(criterion.problems);
  }
  used.clear();
  const scored = replace(run.problems);
  // Reader problems no scorer problem matched (a duplicate unit's row, say) are kept too.
  const unmatched = readProblems.filter((p) => {
    const key = keyOf(p);
    return !key || !used.has(key);
  });
  run.problems = [...unmatched, ...scored];
}
