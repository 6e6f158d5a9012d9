import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadCriteriaSet } from '../../criteria-set.js';
import { datesStillIn, newYearText, type DateChange } from '../../diff/new-year.js';
import { criteriaRoot } from '../../load/catalog.js';
import { hasErrors, problem, type Lang, type Problem } from '../../problems.js';
import { formatDate } from '../../report/format.js';
import { displayPath, EXIT, resolvePath, type CliIo } from '../io.js';
import { printProblems } from '../load.js';
import { say, type CommandContext } from '../context.js';

export interface NewYearOptions {
  from?: string;
  out?: string;
  /** Leave the dates (deadlines, examples) as they are. */
  keepDates?: boolean;
}

const usage = (vi: string, en: string): Problem => problem('cli.usage', { vi, en });

/** tieuchi new-year 2024 --from 2023: criteria/2024 as a copy of criteria/2023, decision left blank. */
export function newYearCommand(yearArg: string, options: NewYearOptions, io: CliIo, lang: Lang): number {
  if (!/^\d{4}$/.test(yearArg)) {
    printProblems(io, [usage(`Năm phải có 4 chữ số, ví dụ 2024; nhận được "${yearArg}".`, `The year must have 4 digits, e.g. 2024; got "${yearArg}".`)], lang);
    return EXIT.usage;
  }
  const year = Number(yearArg);
  const from = options.from ?? String(year - 1);
  // A bare year is a folder of the criteria root (the working directory's criteria/, or the bundled one).
  const source = /^\d{4}$/.test(from) && !existsSync(resolvePath(io, from)) ? join(criteriaRoot(io.cwd).dir, from) : resolvePath(io, from);
  const sourceDir = displayPath(io)(source);
  const targetDir = options.out ?? join('criteria', yearArg);
  const target = resolvePath(io, targetDir);
  const show = displayPath(io);

  if (/^\d{4}$/.test(basename(target)) && basename(target) !== yearArg) {
    printProblems(io, [usage(`Thư mục đích "${targetDir}" mang tên một năm khác ${year}; tieuchi validate sẽ báo lỗi năm.`, `Target folder "${targetDir}" is named after a year other than ${year}; validate would reject it.`)], lang);
    return EXIT.usage;
  }
  if (existsSync(target)) {
    printProblems(
      io,
      [
        problem('new-year.target-exists', { vi: `Thư mục "${targetDir}" đã có; tieuchi không ghi đè một bộ tiêu chí có sẵn.`, en: `Folder "${targetDir}" already exists; tieuchi never overwrites an existing criteria set.` }, {
          file: targetDir,
          hint: { vi: 'Đổi tên hoặc xóa thư mục đó nếu thật sự muốn tạo lại, hoặc chọn nơi khác bằng --out.', en: 'Rename or remove it if you really mean to start again, or choose another place with --out.' },
        }),
      ],
      lang,
    );
    return EXIT.problems;
  }

  // Copy only a set that loads: scaffolding a broken set would hand its errors to next year.
  const loaded = loadCriteriaSet(source, { displayPath: show });
  if (!loaded.set || hasErrors(loaded.problems)) {
    printProblems(io, loaded.problems, lang);
    io.stderr(say(lang, `Bộ tiêu chí ${sourceDir} có lỗi; sửa trước khi tạo năm mới.\n`, `The criteria in ${sourceDir} have errors; fix them before starting a new year.\n`));
    return EXIT.problems;
  }
  const fromYear = loaded.set.year;
  const names = statSync(source).isDirectory() ? readdirSync(source).filter((n) => /\.ya?ml$/i.test(n)).sort() : [];
  const problems: Problem[] = [];
  const outputs: { name: string; text: string; changes: DateChange[] }[] = [];
  for (const name of names) {
    const file = join(source, name);
    const result = newYearText(show(file), readFileSync(file, 'utf8'), {
      year,
      fromYear,
      keepDates: options.keepDates === true,
      source: show(file),
      // The $schema path is relative to the file: re-aim it from the new folder at the same schema.
      schemaPath: (old) => {
        const schema = resolve(source, old);
        return existsSync(schema) ? relative(target, schema).split('\\').join('/') : old;
      },
    });
    problems.push(...result.problems);
    if (result.text !== undefined) outputs.push({ name, text: result.text, changes: result.changes });
  }
  if (hasErrors(problems) || outputs.length === 0) {
    printProblems(io, problems, lang);
    return EXIT.problems;
  }

  // Write into a fresh sibling folder, then rename: never half a set under the final name.
  let staging: string | undefined;
  try {
    mkdirSync(dirname(target), { recursive: true });
    staging = join(dirname(target), `.${basename(target)}-${process.pid}-${Date.now()}`);
    mkdirSync(staging);
    for (const { name, text } of outputs) writeFileSync(join(staging, name), text, 'utf8');
    renameSync(staging, target);
    staging = undefined;
  } catch (err) {
    printProblems(io, [problem('cli.output', { vi: `Không ghi được "${targetDir}": ${(err as Error).message}`, en: `Cannot write "${targetDir}": ${(err as Error).message}` }, { file: targetDir })], lang);
    return EXIT.problems;
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }

  // What validate says about the new set (the blank decision is expected to be flagged).
  const created = loadCriteriaSet(target, { displayPath: show });
  printProblems(io, created.problems, lang);
  const lines = [
    say(lang, `Đã tạo ${show(target)} (năm ${year}, DỰ THẢO) từ ${show(source)}: ${outputs.map((o) => o.name).join(', ')}.`, `Created ${show(target)} (${year}, draft) from ${show(source)}: ${outputs.map((o) => o.name).join(', ')}.`),
  ];
  // Each date moved, by file and line, so that staff can check the ones that should not have.
  const moved = outputs.flatMap((o) => o.changes.map((c) => ({ ...c, file: show(join(target, o.name)) })));
  if (moved.length) {
    lines.push(say(lang, `Đã dời ${moved.length} ngày sang năm ${year} (thêm --keep-dates để giữ nguyên):`, `Moved ${moved.length} date(s) to ${year} (add --keep-dates to keep them):`));
    for (const c of moved) {
      const what = c.kind === 'parameter' ? say(lang, `hạn ${c.what.slice('parameters.'.length)}`, `deadline ${c.what.slice('parameters.'.length)}`) : say(lang, `ví dụ: ${c.what}`, `example: ${c.what}`);
      lines.push(`  ${c.file}:${c.line}  ${what}: ${formatDate(c.old)} → ${formatDate(c.new)}`);
    }
  }
  lines.push(
    say(lang, 'Còn phải làm:', 'Still to do:'),
    say(lang, '  - điền decision.number và decision.date khi quyết định mới được ký (hiện để trống ""), rồi đổi decision.status thành signed;', '  - fill in decision.number and decision.date once the new decision is signed (now ""), then set decision.status to signed;'),
  );
  if (moved.some((c) => c.kind === 'parameter')) {
    lines.push(say(lang, '  - xem lại các hạn đã dời (một hạn rơi vào ngày nghỉ, hay đổi theo văn bản mới, thì sửa tay);', '  - review the moved deadlines (fix by hand one that falls on a holiday or that the new decision changes);'));
  }
  for (const level of options.keepDates ? loaded.set.levels : []) {
    const dates = datesStillIn(level.doc.parameters, fromYear);
    if (dates.length) {
      lines.push(
        say(
          lang,
          `  - cấp ${level.id}: các hạn còn ở năm ${fromYear}, dời hoặc xác nhận: ${dates.map((d) => `${d.id} (${formatDate(d.value)})`).join(', ')};`,
          `  - level ${level.id}: deadlines still in ${fromYear}, move or confirm: ${dates.map((d) => `${d.id} (${formatDate(d.value)})`).join(', ')};`,
        ),
      );
    }
  }
  lines.push(
    say(
      lang,
      `  - sửa tiêu chí, rồi xem thay đổi: tieuchi diff ${show(source)} ${show(target)} (thêm --impact <số liệu> để xem tác động lên điểm, thứ hạng).`,
      `  - amend the criteria, then review: tieuchi diff ${show(source)} ${show(target)} (add --impact <data> for the effect on scores and ranks).`,
    ),
  );
  io.stdout(lines.join('\n') + '\n');
  return created.set && !hasErrors(created.problems) ? EXIT.ok : EXIT.problems;
}

export function registerNewYear(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('new-year')
    .description(say(lang, 'tạo dự thảo bộ tiêu chí năm mới từ năm trước (giữ mã tiêu chí; dời các ngày sang năm mới; số, ngày quyết định để trống)', "start a new year's draft criteria from last year's (ids kept; dates moved to the new year; decision number and date left blank)"))
    .argument('<year>', say(lang, 'năm mới, ví dụ 2024', 'the new year, e.g. 2024'))
    .option('--from <year|dir>', say(lang, 'năm hoặc thư mục gốc (mặc định: năm trước, criteria/<năm>)', 'source year or folder (default: the year before, criteria/<year>)'))
    .option('--out <dir>', say(lang, 'thư mục tạo ra (mặc định: criteria/<năm>); không được có sẵn', 'folder to create (default: criteria/<year>); must not exist'))
    .option('--keep-dates', say(lang, 'giữ nguyên các ngày (hạn chót, ngày trong ví dụ); mặc định dời sang năm mới', 'keep every date (deadlines, examples) as it is; by default they move to the new year'))
    .action((year: string, opts: NewYearOptions) => setExit(newYearCommand(year, opts, io, lang)));
}
