/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD), done on integers so that
 * no time zone or daylight rule can move a deadline.
 */

export interface CalendarDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parse a real calendar date; undefined for 2023-02-30 or a malformed string. */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function compare(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The same day m months later, or the month's last day when it is shorter (31/01 + 1 month = 28/02). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/**
 * Months of lateness, counting every started month: done on or before the
 * deadline is 0; 1 day to 1 month late is 1; a day past one month is 2.
 * (Decision 2435 says "trừ 01 điểm/tháng" without saying how a part month
 * counts; the criteria YAML records this reading.)
 */
export function monthsLate(doneIso: string, deadlineIso: string): number {
  const done = parseIsoDate(doneIso);
  const deadline = parseIsoDate(deadlineIso);
  if (!done || !deadline) throw new Error(`monthsLate: invalid date ${doneIso} / ${deadlineIso}`);
  if (compare(done, deadline) <= 0) return 0;
  // Start just below the whole-month difference; the loop then settles the part month.
  let months = Math.max(1, (done.year - deadline.year) * 12 + (done.month - deadline.month) - 1);
  while (compare(addMonths(deadline, months), done) < 0) months++;
  return months;
}
