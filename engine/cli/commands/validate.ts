import { Option, type Command } from 'commander';
import { criteriaStatus, loadCriteriaSet } from '../../criteria-set.js';
import { criteriaRoot, setsUnderPath } from '../../load/catalog.js';
import { fileParseCache } from '../../load/parse-cache.js';
import { hasErrors, type Lang, type Problem } from '../../problems.js';
import { displayPath, EXIT, resolvePath, type CliIo } from '../io.js';
import { printProblems } from '../load.js';
import { writeOutput } from '../output.js';
import { say, type CommandContext } from '../context.js';

export interface ValidateOptions {
  format: 'text' | 'json';
}

/** tieuchi validate [path...]: every problem of every file at once; exit 1 when any is an error. */
export function validateCommand(paths: string[], options: ValidateOptions, io: CliIo, lang: Lang): number {
  // No path: every year of the working directory's criteria/ (or of the bundled criteria, outside a clone).
  const targets = (paths.length ? paths.map((p) => resolvePath(io, p)) : [criteriaRoot(io.cwd).dir]).flatMap((p) => setsUnderPath(p));
  const show = displayPath(io);
  const cache = fileParseCache();
  const results: { path: string; status?: 'draft' | 'signed'; levels: { id: string; name: string; criteria: number; file: string }[]; problems: Problem[] }[] = [];
  for (const target of targets) {
    const { set, problems } = loadCriteriaSet(target, { displayPath: show, cache });
    results.push({
      path: show(target),
      ...(set ? { status: criteriaStatus(set) } : {}),
      levels: set?.levels.map((l) => ({ id: l.id, name: l.name, criteria: l.criteria.length, file: l.file })) ?? [],
      problems,
    });
  }
  const allProblems = results.flatMap((r) => r.problems);
  const failed = hasErrors(allProblems);
  if (options.format === 'json') {
    writeOutput(io, undefined, JSON.stringify({ ok: !failed, sets: results }, null, 2), lang);
    return failed ? EXIT.problems : EXIT.ok;
  }
  printProblems(io, allProblems, lang);
  for (const r of results) {
    if (hasErrors(r.problems)) continue;
    const levels = r.levels.map((l) => `${l.id} (${l.criteria} ${lang === 'vi' ? 'tiêu chí' : 'criteria'})`).join(', ');
    const draft = r.status === 'draft' ? (lang === 'vi' ? ' (DỰ THẢO)' : ' (DRAFT)') : '';
    io.stdout(lang === 'vi' ? `${r.path}${draft}: hợp lệ — ${r.levels.length} cấp: ${levels}.\n` : `${r.path}${draft}: valid — ${r.levels.length} levels: ${levels}.\n`);
  }
  return failed ? EXIT.problems : EXIT.ok;
}

export function registerValidate(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('validate')
    .description(say(lang, 'kiểm tra bộ tiêu chí (mọi lỗi của mọi tệp, kèm dòng:cột); thoát với mã 1 nếu có lỗi', 'check criteria (every problem of every file, with line:column); exit 1 on errors'))
    .argument('[paths...]', say(lang, 'thư mục năm (criteria/2023), tệp .yaml, hoặc thư mục chứa các năm (mặc định: criteria, hoặc bộ tiêu chí kèm theo gói khi không có)', 'a year folder (criteria/2023), a .yaml file, or a folder of years (default: criteria, or the criteria bundled in the package when there is none)'))
    .addOption(new Option('--format <format>', say(lang, 'định dạng kết quả', 'output format')).choices(['text', 'json']).default('text'))
    .action((paths: string[], opts: ValidateOptions) => setExit(validateCommand(paths, opts, io, lang)));
}
