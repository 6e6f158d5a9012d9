import { describe, expect, it } from 'vitest';
import { addMonths, monthsLate, parseIsoDate } from '../engine/compile/dates.js';

describe('monthsLate counts every started month after the deadline', () => {
  it.each([
    ['2023-03-31', '2023-03-31', 0],
    ['2023-03-01', '2023-03-31', 0],
    ['2023-04-01', '2023-03-31', 1],
    ['2023-04-30', '2023-03-31', 1], // 31/03 + 1 month = 30/04
    ['2023-05-01', '2023-03-31', 2],
    ['2023-12-16', '2023-12-15', 1],
    ['2024-01-15', '2023-12-15', 1],
    ['2024-01-16', '2023-12-15', 2],
    ['2023-02-28', '2023-01-31', 1], // end-of-month clamping
    ['2023-03-01', '2023-01-31', 2],
    ['2024-02-29', '2024-01-31', 1], // leap year
    ['2026-03-31', '2023-03-31', 36],
    ['2026-04-01', '2023-03-31', 37],
  ])('done %s, deadline %s → %i', (done, deadline, months) => {
    expect(monthsLate(done, deadline)).toBe(months);
  });
});

describe('calendar dates', () => {
  it.each(['2023-02-29', '2023-13-01', '2023-00-10', '2023-04-31', '23-01-01', '2023-1-1', ''])('rejects %s', (text) => {
    expect(parseIsoDate(text)).toBeUndefined();
  });
  it('adds months clamping to the month end', () => {
    expect(addMonths({ year: 2023, month: 1, day: 31 }, 1)).toEqual({ year: 2023, month: 2, day: 28 });
    expect(addMonths({ year: 2023, month: 11, day: 30 }, 3)).toEqual({ year: 2024, month: 2, day: 29 });
  });
});
