/**
 * A year's criteria set: one YAML file per level in criteria/<year>/.
 * Loading runs the whole pipeline on every file (parse → schema → meaning →
 * compile → examples) and collects every problem of every file at once.
 * Levels are whatever files are there: a set with two levels, or five,
 * needs no code change.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { compileLevel, type CompiledLevel } from './compile/level.js';
import { checkDomains } from './check/domain.js';
import { checkExamples } from './check/examples.js';
import type { ParseCache } from './load/parse-cache.js';
import { DEFAULT_YAML_LIMITS, locator, parseYaml, type Locator, type YamlLimits, type YamlSource } from './load/yaml-source.js';
import { hasErrors, problem, sortProblems, type Problem } from './problems.js';
import { checkCriteriaLimits } from './validate/limits.js';
import type { Document } from 'yaml';
import { checkStaleCopy } from './check/stale-copy.js';
import { decodeUtf8, normalizeNfc, refineProblems } from './load/authoring-hints.js';
import { validateAgainstSchema } from './validate/schema.js';
import { checkSemantics, decisionStatus } from './validate/semantic.js';
import type { CriteriaLevelDoc, DecisionStatus } from './model.js';
import { normaliseParts } from './compile/structure.js';

export interface CriteriaSet {
  /** Folder the set was read from (or a label for in-memory sets). */
  dir: string;
  year: number;
  /** Levels in display order (level.order, then id). */
  levels: CompiledLevel[];
  /**
   * Only for a set loaded with `partial: true` (a draft under review): what is
   * missing because of errors. Levels listed here compiled only some of their
   * criteria (the others are in `criteria`); `files` did not load at all.
   */
  incomplete?: { levels: { level: string; file: string; criteria: { id: string; number: string; name: string }[] }[]; files: string[] };
}

export interface LoadOptions {
  limits?: YamlLimits;
  /** Run the criteria's examples (default true). */
  checkExamples?: boolean;
  /**
   * Search each formula over its inputs' domains for failures (default true). An
   * authoring check: `validate` runs it; scoring reports a failure per unit anyway.
   */
  checkDomains?: boolean;
  /** How file names appear in messages (default: relative to the working directory). */
  displayPath?: (path: string) => string;
  /** Reuse YAML parsed by an earlier run (the CLI passes fileParseCache()); default none. */
  cache?: ParseCache;
  /**
   * Return what loads even when there are errors (default false): every level
   * that parses and matches the schema, with the criteria whose formulas
   * compile. For reviewing a draft in progress (diff and impact); never for scoring.
   */
  partial?: boolean;
}

export interface CriteriaFileText {
  /** Name shown in messages. */
  file: string;
  text: string;
}

export interface LoadedFile {
  level?: CompiledLevel;
  problems: Problem[];
  /** With `partial`: criteria of the level left out because their formula does not compile. */
  uncompiled?: { id: string; number: string; name: string }[];
}

/** A set is signed only when every one of its files is: one draft file makes the whole set a draft. */
export function criteriaStatus(set: Pick<CriteriaSet, 'levels'>): DecisionStatus {
  return set.levels.some((l) => decisionStatus(l.doc.decision) === 'draft') ? 'draft' : 'signed';
}

/** Run the pipeline on one file's text. */
export function loadCriteriaFile(input: CriteriaFileText, options: LoadOptions = {}): LoadedFile {
  const result = loadCriteriaFileRaw(input, options);
  // Authoring hints (indentation slips, comma decimals, curly quotes...) replace the
  // parser's and the schema's account of the same mistake. Clean files skip it.
  if (!result.problems.length) return result;
  const problems = refineProblems({ file: input.file, text: input.text, doc: result.doc, problems: result.problems });
  // A hint that finds an error in a file that compiled (a comma decimal read as two keys) withholds the level.
  const newErrors = hasErrors(problems) && !hasErrors(result.problems);
  return result.level && !newErrors ? { level: result.level, problems, ...(result.uncompiled ? { uncompiled: result.uncompiled } : {}) } : { problems };
}

function loadCriteriaFileRaw(input: CriteriaFileText, options: LoadOptions): LoadedFile & { doc?: Document.Parsed } {
  const parsed = parseYaml(input.file, input.text, options.limits ?? DEFAULT_YAML_LIMITS, options.cache);
  const problems = [...parsed.problems];
  if (!parsed.source || parsed.value === undefined || hasErrors(problems)) return { problems, ...(parsed.source && parsed.value !== undefined ? { doc: parsed.source.doc } : {}) };
  const locate = locator(parsed.source);
  // Formula depth and text lengths, before the schema and the compiler walk the value.
  const beyondLimits = checkCriteriaLimits(parsed.value, locate);
  if (beyondLimits.length) return { problems: [...problems, ...beyondLimits], doc: parsed.source.doc };
  // Decomposed Vietnamese (NFD, as some tools save it) reads as composed (NFC) everywhere after this.
  const value = normalizeNfc(parsed.value);
  const validated = validateAgainstSchema(value, parsed.source);
  problems.push(...validated.problems);
  if (!validated.doc) return { problems, doc: parsed.source.doc };
  // structures (issue 11): a criterion written as parts gets its formula (their sum) before anything reads it.
  const parts = normaliseParts(validated.doc, locate);
  problems.push(...parts);
  if (hasErrors(parts)) return { problems, doc: parsed.source.doc };
  const semantic = checkSemantics(validated.doc, locate);
  problems.push(...semantic);
  problems.push(...checkStaleCopy(validated.doc, locate));
  const sha256 = createHash('sha256').update(input.text, 'utf8').digest('hex');
  const compiled = compileLevel(validated.doc, parsed.source, locate, sha256);
  problems.push(...compiled.problems);
  if (!compiled.level) {
    // The examples of the criteria that compile still run: every problem at once, and a
    // reviewer sees which examples the amendment broke. The level itself only for `partial`.
    const { examples = [], ...partial } = compileWithout(validated.doc, parsed.source, locate, sha256, compiled.problems);
    const all = [...problems, ...(options.checkExamples === false ? [] : examples)];
    return options.partial ? { problems: all, ...partial } : { problems: all };
  }
  // A parameter with a value of the wrong kind was compiled as a placeholder: running the
  // formulas would only produce noise. Other problems (points not adding up, duplicate ids)
  // do not change what a formula computes, so its examples still run in the same pass.
  if (semantic.some((p) => p.severity === 'error' && p.code === 'schema.type')) return options.partial ? { problems, level: compiled.level } : { problems };
  if (options.checkDomains !== false) problems.push(...checkDomains(compiled.level));
  if (options.checkExamples !== false) problems.push(...checkExamples(compiled.level));
  if (hasErrors(semantic) && !options.partial) return { problems };
  return { level: compiled.level, problems };
}

/**
 * The level with only the criteria whose formulas compile, for a review of a
 * draft: compiled from a copy of the document without the others, then given
 * back the whole document (a diff compares what is written) and each
 * criterion its position in the file.
 */
function compileWithout(doc: CriteriaLevelDoc, source: YamlSource, locate: Locator, sha256: string, problems: readonly Problem[]): { level?: CompiledLevel; examples?: Problem[]; uncompiled?: LoadedFile['uncompiled'] } {
  const failing = new Set(problems.filter((p) => p.severity === 'error' && p.criterion).map((p) => p.criterion!));
  const kept = doc.criteria.map((c, index) => ({ c, index })).filter(({ c }) => !failing.has(c.id));
  if (kept.length === doc.criteria.length) return {};
  const subset = compileLevel({ ...doc, criteria: kept.map((k) => k.c) }, source, (path, key) => locate(path[0] === 'criteria' && typeof path[1] === 'number' ? ['criteria', kept[path[1]]?.index ?? path[1], ...path.slice(2)] : path, key), sha256);
  if (!subset.level) return {};
  const level: CompiledLevel = { ...subset.level, doc, locate, criteria: subset.level.criteria.map((c) => ({ ...c, index: kept[c.index]!.index })) };
  return { level, examples: checkExamples(level), uncompiled: doc.criteria.filter((c) => failing.has(c.id)).map((c) => ({ id: c.id, number: c.number, name: c.name })) };
}

/** Load several files as one set: every problem of every file, and the set only when there is no error. */
export function loadCriteriaTexts(dir: string, files: CriteriaFileText[], options: LoadOptions = {}): { set?: CriteriaSet; problems: Problem[] } {
  const problems: Problem[] = [];
  const levels: CompiledLevel[] = [];
  if (files.length === 0) {
    problems.push(
      problem('set.empty', { vi: `Thư mục "${dir}" không có tệp tiêu chí (.yaml) nào.`, en: `Folder "${dir}" has no criteria files (.yaml).` }, {
        file: dir,
        hint: { vi: 'Mỗi cấp đơn vị là một tệp .yaml trong thư mục của năm, ví dụ criteria/2023/province.yaml.', en: 'Each level is one .yaml file in the year folder, e.g. criteria/2023/province.yaml.' },
      }),
    );
    return { problems };
  }
  const incomplete: NonNullable<CriteriaSet['incomplete']> = { levels: [], files: [] };
  for (const file of files) {
    const loaded = loadCriteriaFile(file, options);
    problems.push(...loaded.problems);
    if (loaded.level) levels.push(loaded.level);
    else incomplete.files.push(file.file);
    if (loaded.level && loaded.uncompiled?.length) incomplete.levels.push({ level: loaded.level.id, file: file.file, criteria: loaded.uncompiled });
  }
  problems.push(...checkSetConsistency(dir, levels));
  levels.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  const sorted = sortProblems(problems);
  if (options.partial) {
    if (levels.length === 0) return { problems: sorted };
    return { set: { dir, year: levels[0]!.year, levels, ...(hasErrors(sorted) || incomplete.files.length ? { incomplete } : {}) }, problems: sorted };
  }
  if (hasErrors(sorted) || levels.length !== files.length) return { problems: sorted };
  return { set: { dir, year: levels[0]!.year, levels }, problems: sorted };
}

/** Load criteria/<year>/ (or any folder of level files). */
export function loadCriteriaSet(dir: string, options: LoadOptions = {}): { set?: CriteriaSet; problems: Problem[] } {
  const display = options.displayPath ?? ((p: string) => relative(process.cwd(), p) || p);
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) {
      // A single file is a set of one level.
      const text = readText(dir, display);
      return isText(text) ? loadCriteriaTexts(display(dir), [text], options) : { problems: [text] };
    }
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch {
    return {
      problems: [
        problem('set.not-found', { vi: `Không tìm thấy thư mục tiêu chí "${display(dir)}".`, en: `Criteria folder "${display(dir)}" not found.` }, {
          file: display(dir),
          hint: { vi: 'Kiểm tra đường dẫn, ví dụ: criteria/2023', en: 'Check the path, e.g. criteria/2023' },
        }),
      ],
    };
  }
  const texts = names.map((n) => readText(join(dir, n), display));
  const unreadable = texts.filter((t): t is Problem => !isText(t));
  const result = loadCriteriaTexts(display(dir), texts.filter(isText), options);
  return unreadable.length ? { problems: [...unreadable, ...result.problems] } : result;
}

function isText(t: CriteriaFileText | Problem): t is CriteriaFileText {
  return 'text' in t;
}

function readText(path: string, display: (p: string) => string): CriteriaFileText | Problem {
  try {
    // Not UTF-8 (a file saved as "ANSI") is refused, not read with replacement characters.
    const decoded = decodeUtf8(display(path), readFileSync(path));
    return decoded.problem ?? { file: display(path), text: decoded.text! };
  } catch (err) {
    return problem('file.unreadable', { vi: `Không đọc được tệp "${display(path)}": ${(err as Error).message}`, en: `Cannot read "${display(path)}": ${(err as Error).message}` }, { file: display(path) });
  }
}

/** All files of a set describe one year and distinct levels. */
function checkSetConsistency(dir: string, levels: CompiledLevel[]): Problem[] {
  const problems: Problem[] = [];
  const first = levels[0];
  if (!first) return problems;
  const folderYear = /^\d{4}$/.test(basename(dir)) ? Number(basename(dir)) : undefined;
  const seen = new Map<string, CompiledLevel>();
  for (const level of levels) {
    if (folderYear !== undefined && level.year !== folderYear) {
      problems.push(
        problem('set.inconsistent', { vi: `Tệp ghi năm ${level.year} nhưng nằm trong thư mục năm ${folderYear}.`, en: `The file says year ${level.year} but sits in the ${folderYear} folder.` }, {
          location: level.locate(['year']),
          level: level.id,
          hint: { vi: `Sửa "year: ${folderYear}" hoặc chuyển tệp sang thư mục criteria/${level.year}/.`, en: `Set "year: ${folderYear}" or move the file to criteria/${level.year}/.` },
        }),
      );
    } else if (level.year !== first.year) {
      problems.push(
        problem('set.inconsistent', { vi: `Tệp ghi năm ${level.year}, khác năm ${first.year} của tệp ${first.file}.`, en: `The file says year ${level.year}, unlike ${first.file} (${first.year}).` }, {
          location: level.locate(['year']),
          level: level.id,
        }),
      );
    }
    if (level.doc.decision.number !== first.doc.decision.number || level.doc.decision.date !== first.doc.decision.date) {
      problems.push(
        problem(
          'set.inconsistent',
          {
            vi: `Số/ngày quyết định (${level.doc.decision.number}, ${level.doc.decision.date}) khác tệp ${first.file} (${first.doc.decision.number}, ${first.doc.decision.date}).`,
            en: `Decision number/date differ from ${first.file}.`,
          },
          { severity: 'warning', location: level.locate(['decision']), level: level.id },
        ),
      );
    }
    const other = seen.get(level.id);
    if (other) {
      problems.push(
        problem('set.duplicate-level', { vi: `Cấp "${level.id}" đã có trong tệp ${other.file}.`, en: `Level "${level.id}" is already defined in ${other.file}.` }, {
          location: level.locate(['level', 'id']),
          level: level.id,
          hint: { vi: 'Mỗi cấp chỉ một tệp; đổi level.id hoặc xóa tệp trùng.', en: 'One file per level; change level.id or remove the duplicate.' },
        }),
      );
    } else seen.set(level.id, level);
  }
  return problems;
}
