/**
 * Which criteria set a request is about. One function, so that the rule
 * (the year asked for, a draft year too when named; else the newest SIGNED
 * set: an unsigned draft never scores by default) is changed in one place.
 */
import { criteriaStatus, type CriteriaSet } from '../criteria-set.js';
import { fail, type Failure } from './failures.js';

/** The loaded sets by year, and the one used when a request names none. */
export interface LoadedSets {
  byYear: Map<number, CriteriaSet>;
  fallback: CriteriaSet | undefined;
}

export function loadedSets(sets: CriteriaSet[]): LoadedSets {
  const signed = sets.filter((s) => criteriaStatus(s) === 'signed');
  return { byYear: new Map(sets.map((s) => [s.year, s])), fallback: signed.sort((a, b) => b.year - a.year)[0] };
}

/** Four decimal digits: 0x7e7, 2023.0, " 2023" and 2e3 are not years. */
const YEAR = /^[0-9]{4}$/;

/**
 * The set for `year` (a path or query string, or a number from a JSON body), or a failure:
 * 400 when it is not a year, 404 when no set of that year is loaded.
 */
export function pickSet(sets: LoadedSets, year: unknown): CriteriaSet | Failure {
  if (year === undefined || year === null || year === '') {
    const years = [...sets.byYear.keys()].sort().join(', ');
    return (
      sets.fallback ??
      fail(404, 'http.not-found', 'Máy chủ chưa nạp bộ tiêu chí đã ký nào (dự thảo chỉ dùng khi ghi rõ năm).', 'No signed criteria set is loaded (a draft is used only when its year is named).', {
        vi: `Các năm: ${years}; ghi ?year=… hoặc "year" trong nội dung gửi.`,
        en: `Years: ${years}; pass ?year=… or "year" in the body.`,
      })
    );
  }
  const text = typeof year === 'number' && Number.isInteger(year) ? String(year) : typeof year === 'string' ? year : undefined;
  if (text === undefined || !YEAR.test(text)) {
    return fail(400, 'http.bad-request', `Năm "${String(year).slice(0, 40)}" không hợp lệ: cần 4 chữ số, ví dụ 2023.`, `Invalid year "${String(year).slice(0, 40)}": four digits expected, e.g. 2023.`);
  }
  const set = sets.byYear.get(Number(text));
  if (set) return set;
  const years = [...sets.byYear.keys()].sort().join(', ');
  return fail(404, 'http.not-found', `Không có bộ tiêu chí năm ${text}.`, `No criteria for year ${text}.`, { vi: `Các năm: ${years}.`, en: `Years: ${years}.` });
}
