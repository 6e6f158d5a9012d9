/**
 * What the commands share: loading a criteria set and reading submission
 * files, with problems shown the same way everywhere.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { criteriaStatus, loadCriteriaSet, type CriteriaSet } from '../criteria-set.js';
import { chooseCriteria, type CriteriaChoice } from '../load/catalog.js';
import { fileParseCache } from '../load/parse-cache.js';
import { readSubmissionsCsv, readSubmissionsJson } from '../load/submissions.js';
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
  return set;
}

/** Read every submission file given (a folder means its .json, .csv and .xlsx files). Spreadsheets need the criteria to read their cells. */
export async function readSubmissionFiles(io: CliIo, paths: readonly string[], set: CriteriaSet): Promise<{ submissions: Submission[]; problems: Problem[] }> {
  const submissions: Submission[] = [];
  const problems: Problem[] = [];
  const show = displayPath(io);
  for (const path of paths) {
    const full = resolvePath(io, path);
    let files: string[];
    try {
      files = statSync(full).isDirectory()
        ? readdirSync(full)
            // "~$name.xlsx" is the lock file Excel keeps beside an open workbook.
            .filter((n) => /\.(json|csv|xlsx)$/i.test(n) && !n.startsWith('~$'))
            .sort()
            .map((n) => join(full, n))
        : [full];
    } catch {
      problems.push(problem('submission.unreadable', { vi: `Không tìm thấy tệp số liệu "${path}".`, en: `Submission file "${path}" not found.` }, { file: path }));
      continue;
    }
    for (const file of files) {
      if (/\.xlsx$/i.test(file)) {
        // exceljs is loaded only when a workbook is read.
        const { readWorkbookFile } = await import('../xlsx/read-workbook.js');
        const read = await readWorkbookFile(file, show(file), set);
        submissions.push(...read.submissions);
        problems.push(...read.problems);
        continue;
      }
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        problems.push(problem('submission.unreadable', { vi: `Không đọc được "${show(file)}": ${(err as Error).message}`, en: `Cannot read "${show(file)}": ${(err as Error).message}` }, { file: show(file) }));
        continue;
      }
      const read = /\.csv$/i.test(basename(file)) ? readSubmissionsCsv(show(file), text) : readSubmissionsJson(show(file), text);
      submissions.push(...read.submissions);
      problems.push(...read.problems);
    }
  }
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
