import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import { isReadError, readInput } from '../../compile/input-types.js';
import { hasErrors, problem, type Lang } from '../../problems.js';
import { EXIT, resolvePath, type CliIo } from '../io.js';
import { loadSetOrReport, printProblems } from '../load.js';
import { type CommandContext, say, sharedOptionText } from '../context.js';

export interface TemplateCommandOptions {
  criteria?: string;
  level: string;
  units?: string;
  out?: string;
  deadline?: string;
  rows?: string;
}

/** Write bytes (a workbook) to a file atomically: all of it or, on failure, nothing and the old file intact. */
export function writeBinaryOutput(io: CliIo, out: string, bytes: Buffer, lang: Lang): boolean {
  const path = resolvePath(io, out);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic.sync(path, bytes);
    io.stderr(lang === 'vi' ? `Đã ghi ${out}\n` : `Wrote ${out}\n`);
    return true;
  } catch (err) {
    printProblems(io, [problem('cli.output', { vi: `Không ghi được "${out}": ${(err as Error).message}`, en: `Cannot write "${out}": ${(err as Error).message}` }, { file: out })], lang);
    return false;
  }
}

/** tieuchi template: the data template of one level, generated from the criteria. */
export async function templateCommand(options: TemplateCommandOptions, io: CliIo, lang: Lang): Promise<number> {
  const usage = (vi: string, en: string) => {
    io.stderr(`${lang === 'vi' ? 'lỗi' : 'error'}: ${lang === 'vi' ? vi : en}\n`);
    return EXIT.usage;
  };
  let deadline: string | undefined;
  if (options.deadline !== undefined) {
    const read = readInput({ type: 'date', label: '--deadline' }, options.deadline, 'text');
    if (isReadError(read)) return usage(`--deadline phải là một ngày dạng dd/mm/yyyy, nhận được "${options.deadline}".`, `--deadline must be a date as dd/mm/yyyy, got "${options.deadline}".`);
    deadline = read.reported as string;
  }
  let emptyRows: number | undefined;
  if (options.rows !== undefined) {
    emptyRows = Number(options.rows);
    if (!Number.isInteger(emptyRows) || emptyRows < 1 || emptyRows > 10_000) return usage(`--rows phải là số nguyên từ 1 đến 10000, nhận được "${options.rows}".`, `--rows must be a whole number from 1 to 10000, got "${options.rows}".`);
  }
  const set = loadSetOrReport(io, options.criteria, lang);
  if (!set) return EXIT.problems;
  const level = set.levels.find((l) => l.id === options.level);
  if (!level) {
    return usage(
      `bộ tiêu chí năm ${set.year} không có cấp "${options.level}"; các cấp: ${set.levels.map((l) => `${l.id} (${l.name})`).join(', ')}.`,
      `the ${set.year} criteria have no level "${options.level}"; levels: ${set.levels.map((l) => l.id).join(', ')}.`,
    );
  }

  let units: { id: string; name: string }[] | undefined;
  if (options.units) {
    let text: string;
    try {
      text = readFileSync(resolvePath(io, options.units), 'utf8');
    } catch (err) {
      // The common causes in words; Node's own message (English) only for the others.
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? { vi: 'không có tệp này', en: 'no such file' }
          : code === 'EISDIR'
            ? { vi: 'đây là một thư mục, cần một tệp .csv hoặc .json', en: 'it is a folder; a .csv or .json file is needed' }
            : code === 'EACCES'
              ? { vi: 'không có quyền đọc tệp', en: 'no permission to read it' }
              : { vi: (err as Error).message, en: (err as Error).message };
      printProblems(io, [problem('units.unreadable', { vi: `Không đọc được danh sách đơn vị "${options.units}": ${why.vi}.`, en: `Cannot read the units list "${options.units}": ${why.en}.` }, { file: options.units })], lang);
      return EXIT.problems;
    }
    const { readUnitsList } = await import('../../xlsx/units.js');
    // structures (issue 11): a listed type or attribute the level does not declare is said at once.
    const read = readUnitsList(options.units, text, level.id, level.structure);
    printProblems(io, read.problems, lang);
    if (hasErrors(read.problems)) return EXIT.problems;
    if (read.units.length === 0) {
      printProblems(io, [problem('units.unreadable', { vi: `Danh sách "${options.units}" không có đơn vị nào thuộc cấp ${level.id} (${level.name}).`, en: `"${options.units}" lists no unit of level ${level.id}.` }, { file: options.units })], lang);
      return EXIT.problems;
    }
    units = read.units;
  }

  // exceljs is loaded only by the commands that write or read workbooks.
  const { templateBytes } = await import('../../xlsx/template.js');
  const out = options.out ?? `mau-${level.id}-${set.year}.xlsx`;
  const bytes = await templateBytes(set, level, { ...(units ? { units } : {}), ...(deadline ? { deadline } : {}), ...(emptyRows ? { emptyRows } : {}) });
  if (!writeBinaryOutput(io, out, bytes, lang)) return EXIT.problems;
  const inputs = level.criteria.reduce((n, c) => n + Object.keys(c.def.inputs).length, 0);
  io.stderr(
    lang === 'vi'
      ? `Mẫu số liệu năm ${set.year}, ${level.name}: ${level.criteria.length} tiêu chí, ${inputs} số liệu, ${units ? `${units.length} đơn vị điền sẵn` : `${emptyRows ?? 50} dòng trống`}.\n`
      : `Data template ${set.year}, ${level.id}: ${level.criteria.length} criteria, ${inputs} inputs, ${units ? `${units.length} units pre-filled` : `${emptyRows ?? 50} blank rows`}.\n`,
  );
  return EXIT.ok;
}

export function registerTemplate(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('template')
    .description(say(lang, 'tạo mẫu số liệu Excel (.xlsx) của một cấp từ bộ tiêu chí, để các đơn vị điền và gửi lại', "generate a level's Excel data template (.xlsx) from the criteria, for units to fill in and send back"))
    .option('--criteria <dir>', sharedOptionText(lang).criteria)
    .requiredOption('--level <id>', say(lang, 'mã cấp đơn vị, ví dụ province, district, commune', 'level id, e.g. province, district, commune'))
    .option('--units <file>', say(lang, 'danh sách đơn vị để điền sẵn (CSV có cột id,name[,level,type,attributes.<mã>], hoặc JSON)', 'units to pre-fill (CSV with id,name[,level,type,attributes.<id>] columns, or JSON)'))
    .option('--out <file>', say(lang, 'tệp .xlsx cần ghi (mặc định: mau-<cấp>-<năm>.xlsx)', 'the .xlsx file to write (default: mau-<level>-<year>.xlsx)'))
    .option('--deadline <date>', say(lang, 'hạn gửi số liệu, dd/mm/yyyy, ghi ở trang Hướng dẫn', 'deadline for sending the data back, dd/mm/yyyy, shown in the guide'))
    .option('--rows <n>', say(lang, 'số dòng trống khi không có --units (mặc định 50)', 'blank rows when --units is not given (default 50)'))
    .action(async (opts: TemplateCommandOptions) => setExit(await templateCommand(opts, io, lang)));
}
