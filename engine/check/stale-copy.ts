/**
 * Checks that catch a stale copy of last year's criteria: what staff copy
 * with `new-year` and forget to move.
 *
 * - A date parameter outside the set's year (a deadline still in 2023 in a
 *   2025 set), unless the parameter declares `cross_year: true` (a report
 *   due in January of the next year). An example's date before the set's
 *   year, or more than a year after it (late documents in January are normal).
 * - Printed text that no longer cites its parameter's value. The link is
 *   declared, not guessed: a parameter lists in `printed_in` where the
 *   decision's text prints its value ("95%" in dvc-toan-trinh.name). When the
 *   value moves to 98 and that text still has no 98, the warning names both
 *   the parameter's line and the text's.
 *
 * All are warnings: a draft in progress is allowed to be stale, and the
 * message says what to move. (A blank decision number and date is
 * `decision.unfilled`, in validate/semantic.ts.)
 */
import type { Locator } from '../load/yaml-source.js';
import type { CriteriaLevelDoc, ParameterDef } from '../model.js';
import { problem, type Problem } from '../problems.js';
import { formatDate, formatNumber } from '../report/format.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TEXT_FIELDS = ['name', 'rule', 'evidence'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

const FIELD_NAMES: Record<TextField, { vi: string; en: string }> = {
  name: { vi: 'tên', en: 'name' },
  rule: { vi: 'cách tính', en: 'rule' },
  evidence: { vi: 'căn cứ', en: 'evidence' },
};

/** A date moved to another year, keeping day and month (29/02 becomes 28/02 in a common year). */
export function shiftDateToYear(iso: string, year: number): string {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  const month = Number(m[2]);
  let day = Number(m[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month === 2 && day === 29 && !leap) day = 28;
  return `${String(year).padStart(4, '0')}-${m[2]}-${String(day).padStart(2, '0')}`;
}

/** Every number printed in a text: "90/95*4 = 3,8" → 90, 95, 4, 3.8 ("01" is 1; a comma is the decimal mark). */
export function numbersIn(text: string): { value: number; text: string }[] {
  const found: { value: number; text: string }[] = [];
  for (const m of text.matchAll(/(?<![\d.,])(\d+(?:[.,]\d+)?)(\s*%)?/g)) {
    found.push({ value: Number(m[1]!.replace(',', '.')), text: m[1]! + (m[2] ? '%' : '') });
  }
  return found;
}

/** Every name a formula reads with `var`. */
function namesRead(formula: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(formula)) for (const item of formula) namesRead(item, into);
  else if (formula !== null && typeof formula === 'object') {
    for (const [op, args] of Object.entries(formula)) {
      if (op === 'var') {
        const name = Array.isArray(args) ? args[0] : args;
        if (typeof name === 'string') into.add(name);
      } else namesRead(args, into);
    }
  }
  return into;
}

function citesValue(text: string, parameter: ParameterDef): boolean {
  if (parameter.type === 'date') {
    // A date is printed as dd/mm or dd/mm/yyyy.
    const m = ISO_DATE.exec(String(parameter.value));
    if (!m) return true;
    const day = String(Number(m[3]));
    const month = String(Number(m[2]));
    return new RegExp(`(?<!\\d)0?${day}/0?${month}(?!\\d)`).test(text);
  }
  const value = parameter.value;
  return typeof value !== 'number' || numbersIn(text).some((n) => n.value === value);
}

export function checkStaleCopy(doc: CriteriaLevelDoc, locate: Locator): Problem[] {
  const problems: Problem[] = [];
  const level = doc.level.id;
  const year = doc.year;

  for (const [id, parameter] of Object.entries(doc.parameters ?? {})) {
    if (parameter.type !== 'date' || parameter.cross_year === true || typeof parameter.value !== 'string') continue;
    const m = ISO_DATE.exec(parameter.value);
    if (!m || Number(m[1]) === year) continue;
    const moved = shiftDateToYear(parameter.value, year);
    const at = locate(['parameters', id, 'value']);
    problems.push(
      problem(
        'stale.date-outside-year',
        {
          vi: `Hạn "${id}" (${parameter.label}) là ${formatDate(parameter.value)}, không thuộc năm ${year} của bộ tiêu chí: có thể chép từ năm ${m[1]} mà chưa dời.`,
          en: `Deadline "${id}" (${parameter.label}) is ${formatDate(parameter.value)}, outside the set's year ${year}: probably copied from ${m[1]} and not moved.`,
        },
        {
          severity: 'warning',
          location: at,
          level,
          hint: {
            vi: `Dời sang năm ${year}: value: "${moved}". Nếu hạn cố ý thuộc năm khác (ví dụ báo cáo vào tháng 1 năm sau), thêm dòng "cross_year: true" vào tham số.`,
            en: `Move it to ${year}: value: "${moved}". If the deadline is meant to fall in another year (a report due in January), add "cross_year: true" to the parameter.`,
          },
        },
      ),
    );
  }

  doc.criteria.forEach((criterion, index) => {
    // Examples' dates follow the criterion's deadlines: a deadline declared in another year
    // (cross_year) brings its year, and the next, into the window.
    const years = new Set([year, year + 1]);
    for (const name of namesRead(criterion.formula)) {
      const parameter = doc.parameters?.[name];
      const m = parameter?.type === 'date' && parameter.cross_year === true ? ISO_DATE.exec(String(parameter.value)) : null;
      if (m) years.add(Number(m[1])).add(Number(m[1]) + 1);
    }
    criterion.examples.forEach((example, e) => {
      for (const [input, value] of Object.entries(example.inputs ?? {})) {
        if (typeof value !== 'string') continue;
        const m = ISO_DATE.exec(value);
        if (!m) continue;
        const y = Number(m[1]);
        if (years.has(y)) continue;
        const moved = shiftDateToYear(value, y < year ? year : year + 1);
        problems.push(
          problem(
            'stale.date-outside-year',
            {
              vi: `Ví dụ ${e + 1} của tiêu chí ${criterion.number} ghi ngày ${formatDate(value)} (${input}), ${y < year ? 'trước' : 'sau'} năm ${year} của bộ tiêu chí: có thể chép từ năm cũ mà chưa dời.`,
              en: `Example ${e + 1} of criterion ${criterion.number} has the date ${formatDate(value)} (${input}), ${y < year ? 'before' : 'after'} the set's year ${year}: probably copied and not moved.`,
            },
            {
              severity: 'warning',
              location: locate(['criteria', index, 'examples', e, 'inputs', input]),
              level,
              criterion: criterion.id,
              input,
              hint: {
                vi: `Dời ngày cùng với các hạn (để ví dụ giữ nguyên nghĩa đúng hạn/trễ hạn), ví dụ "${moved}"; "tieuchi new-year" tự dời cả hạn và ngày trong ví dụ.`,
                en: `Move it together with the deadlines (so the example stays on time or late as before), e.g. "${moved}"; "tieuchi new-year" moves both.`,
              },
            },
          ),
        );
      }
    });
  });

  const criteria = new Map(doc.criteria.map((c, i) => [c.id, { criterion: c, index: i }]));
  for (const [id, parameter] of Object.entries(doc.parameters ?? {})) {
    (parameter.printed_in ?? []).forEach((ref, r) => {
      const dot = ref.lastIndexOf('.');
      const criterionId = ref.slice(0, dot);
      const field = ref.slice(dot + 1) as TextField;
      const found = criteria.get(criterionId);
      if (!found || !TEXT_FIELDS.includes(field)) {
        problems.push(
          problem(
            'parameter.printed-in-unknown',
            { vi: `printed_in của tham số "${id}" nêu "${ref}", nhưng không có tiêu chí "${criterionId}".`, en: `printed_in of parameter "${id}" names "${ref}", but there is no criterion "${criterionId}".` },
            {
              location: locate(['parameters', id, 'printed_in', r]),
              level,
              hint: {
                vi: `Viết <mã tiêu chí>.name, .rule hoặc .evidence; các mã: ${[...criteria.keys()].slice(0, 8).join(', ')}${criteria.size > 8 ? ', …' : ''}.`,
                en: `Write <criterion id>.name, .rule or .evidence; ids: ${[...criteria.keys()].slice(0, 8).join(', ')}${criteria.size > 8 ? ', …' : ''}.`,
              },
            },
          ),
        );
        return;
      }
      const text = found.criterion[field];
      if (typeof text !== 'string' || citesValue(text, parameter)) return;
      const shown = parameter.type === 'date' ? formatDate(String(parameter.value)) : `${formatNumber(parameter.value as number, 'vi', 6)}${parameter.type === 'percent' ? '%' : ''}`;
      const valueAt = locate(['parameters', id, 'value']);
      const textAt = locate(['criteria', found.index, field]);
      const printed = [...new Set(numbersIn(text).map((n) => n.text.replace('.', ',')))].slice(0, 6);
      const where = FIELD_NAMES[field];
      problems.push(
        problem(
          'stale.text-number',
          {
            vi: `Tham số "${id}" là ${shown} (dòng ${valueAt.line}) nhưng ${where.vi} của tiêu chí ${found.criterion.number} (dòng ${textAt.line}) không ghi ${shown}${printed.length ? `; chữ in đang ghi ${printed.join(', ')}` : ''}.`,
            en: `Parameter "${id}" is ${shown} (line ${valueAt.line}) but the ${where.en} of criterion ${found.criterion.number} (line ${textAt.line}) does not print ${shown}${printed.length ? `; it prints ${printed.join(', ')}` : ''}.`,
          },
          {
            severity: 'warning',
            location: textAt,
            level,
            criterion: found.criterion.id,
            hint: {
              vi: `Sửa chữ in (${field}) cho khớp giá trị mới ${shown}, hoặc sửa lại giá trị ở dòng ${valueAt.line}. Nếu chữ in không còn nêu con số này, bỏ "${ref}" khỏi printed_in.`,
              en: `Edit the printed ${field} to say ${shown}, or restore the value on line ${valueAt.line}. If the text no longer cites this number, remove "${ref}" from printed_in.`,
            },
          },
        ),
      );
    });
  }
  return problems;
}
