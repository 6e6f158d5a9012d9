/**
 * The round's own values (issue 11: what the department supplies once per
 * round — a province-wide target, a denominator), read from the round
 * folder's round-values.yaml when the criteria set declares round_values.
 *
 * A file that is not there, or a value it does not give, is a located
 * problem (at the declaration in the criteria file, saying which file to
 * write); the criteria reading that value are then not scored for any unit
 * — never taken as 0 — and every other criterion still is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoundValues } from '../evaluate/statistics.js';
import { missingRoundValue, readRoundValues } from '../load/round-values.js';
import { problem, type Problem } from '../problems.js';
import { ROUND_VALUES_FILE, type Round } from './config.js';

export interface RoundValuesRead {
  /** Whether any level of the set declares round values (else the file is not read). */
  declared: boolean;
  /** The file as shown in messages. */
  file: string;
  values?: RoundValues;
  problems: Problem[];
}

export function roundValuesOf(round: Round): RoundValuesRead {
  const file = `${round.shown.replace(/[\\/]+$/, '')}/${ROUND_VALUES_FILE}`;
  const declared = round.set.levels.some((l) => Object.keys(l.doc.round_values ?? {}).length > 0);
  const path = join(round.dir, ROUND_VALUES_FILE);
  if (!declared) {
    // A file the set has no use for is said to be unused, not silently ignored.
    const unused = existsSync(path)
      ? [problem('round-value.unknown', { vi: `Thư mục đợt đánh giá có tệp ${file}, nhưng bộ tiêu chí năm ${round.set.year} không khai báo giá trị của đợt (round_values) nào; tệp không được dùng.`, en: `The round folder has ${file}, but the ${round.set.year} criteria declare no round_values; it is not used.` }, { file, severity: 'warning', hint: { vi: 'Xóa tệp, hoặc kiểm tra round.yaml trỏ đúng bộ tiêu chí.', en: 'Remove the file, or check that round.yaml names the right criteria.' } })]
      : [];
    return { declared, file, problems: unused };
  }
  const hint = {
    vi: `Tạo tệp ${ROUND_VALUES_FILE} trong thư mục đợt đánh giá (${round.shown}), ghi dưới values: mỗi giá trị sở chủ trì cung cấp cho cả đợt, rồi chấm lại.`,
    en: `Create ${ROUND_VALUES_FILE} in the round folder, with each value under values:, then score again.`,
  };
  if (!existsSync(path)) {
    const problems: Problem[] = [];
    for (const level of round.set.levels) {
      for (const [name, def] of Object.entries(level.doc.round_values ?? {})) problems.push(missingRoundValue(level.locate(['round_values', name], true), level.id, name, def.label, { vi: `thư mục đợt đánh giá (chưa có tệp ${file})`, en: `the round folder (no ${file})` }, hint));
    }
    return { declared, file, problems };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { declared, file, problems: [problem('file.unreadable', { vi: `Không đọc được tệp giá trị của đợt ${file}: ${(err as Error).message}`, en: `Cannot read ${file}: ${(err as Error).message}` }, { file })] };
  }
  const read = readRoundValues(file, text, round.set);
  // A value the file does not give is reported at its declaration; the file's own mistakes where they are.
  return { declared, file, ...(read.values ? { values: read.values } : {}), problems: read.problems };
}
