/**
 * --round-values FILE.yaml for score and explain (issue 11): read, check,
 * print its problems. A set that declares round values and gets no file is
 * told so once, at each declaration; the criteria reading them then report
 * per unit, and every other criterion still scores.
 */
import { readFileSync } from 'node:fs';
import type { CriteriaSet } from '../criteria-set.js';
import { readRoundValues, missingRoundValue } from '../load/round-values.js';
import type { RoundValues } from '../evaluate/statistics.js';
import { problem, type Lang, type Problem } from '../problems.js';
import { resolvePath, type CliIo } from './io.js';
import { printProblems } from './load.js';

export function roundValuesHelp(lang: Lang): string {
  return lang === 'vi' ? 'tệp YAML các giá trị của đợt chấm (round_values) mà công thức dùng' : 'YAML file of the round values the formulas read';
}

/** The round values, undefined when none are asked for, false when the file cannot be used (problems printed). */
export function loadRoundValuesOption(io: CliIo, set: CriteriaSet, file: string | undefined, lang: Lang): RoundValues | undefined | false {
  if (file === undefined) {
    const missing: Problem[] = [];
    for (const level of set.levels) for (const [name, def] of Object.entries(level.doc.round_values ?? {})) missing.push(missingRoundValue(level.locate(['round_values', name], true), level.id, name, def.label));
    if (missing.length) printProblems(io, missing, lang);
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(resolvePath(io, file), 'utf8');
  } catch (err) {
    printProblems(io, [problem('file.unreadable', { vi: `Không đọc được tệp giá trị của đợt "${file}": ${(err as Error).message}`, en: `Cannot read the round-values file "${file}": ${(err as Error).message}` }, { file })], lang);
    return false;
  }
  const loaded = readRoundValues(file, text, set);
  if (loaded.problems.length) printProblems(io, loaded.problems, lang);
  if (!loaded.values || loaded.problems.some((p) => p.severity === 'error' && p.code !== 'round-value.missing')) return false;
  return loaded.values;
}
