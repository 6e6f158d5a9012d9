/** Calendar operators: months of lateness against a deadline. */
import { monthsLate } from '../../compile/dates.js';
import { EvalFailure } from '../../compile/values.js';
import { Rational } from '../../exact/rational.js';
import { bound, UNCERTAIN } from '../bounded.js';
import { defineOperator, expressions } from '../operator.js';
import { complain } from '../wording.js';

/**
 * Units report a handful of distinct dates against fixed deadlines: remember
 * the answers (bounded), by deadline then date, so that a look-up builds no
 * key string (a concatenated key cost more than the formula around it).
 */
const cache = new Map<string, Map<string, number>>();
let cached = 0;

function cachedMonthsLate(done: string, deadline: string): number {
  let byDone = cache.get(deadline);
  let months = byDone?.get(done);
  if (months === undefined) {
    months = monthsLate(done, deadline);
    if (cached >= 50_000) {
      cache.clear();
      cached = 0;
      byDone = undefined;
    }
    if (!byDone) cache.set(deadline, (byDone = new Map()));
    byDone.set(done, months);
    cached++;
  }
  return months;
}

export const lateMonths = defineOperator({
  name: 'months_late',
  group: 'dates',
  arity: { min: 2, max: 2 },
  argument: expressions,
  typeOf: (args) => {
    if (args.every((t) => t.kind === 'date')) return { kind: 'number', unit: 'months' };
    return complain('"months_late" cần hai ngày: [ngày thực hiện, hạn chót].', '"months_late" takes two dates: [date done, deadline].');
  },
  exact: ([a, b]) => (env) => {
    const done = a!(env);
    const deadline = b!(env);
    if (typeof done !== 'string' || typeof deadline !== 'string') {
      throw new EvalFailure('eval.no-value', {
        vi: 'không tính được số tháng trễ vì văn bản chưa có ngày ban hành (null); công thức cần xử lý trường hợp chưa ban hành trước',
        en: 'cannot count months late of a document with no date (null); the formula must handle "not issued" first',
      });
    }
    return Rational.of(BigInt(cachedMonthsLate(done, deadline)));
  },
  float: ([a, b]) => (values, errors) => {
    const done = a!(values, errors);
    const deadline = b!(values, errors);
    if (typeof done !== 'string' || typeof deadline !== 'string') throw UNCERTAIN;
    bound.err = 0;
    return cachedMonthsLate(done, deadline);
  },
  floatSource: ([a, b], out) => {
    const done = a!.emit();
    const deadline = b!.emit();
    const r = out.local();
    out.line(`if (typeof ${done.value} !== STRING || typeof ${deadline.value} !== STRING) ${out.uncertain}`);
    out.line(`${r} = ${out.constant(cachedMonthsLate)}(${done.value}, ${deadline.value});`);
    return { value: r, error: '0' };
  },
  wording: { vi: 'số tháng trễ', en: 'months late' },
  guide: {
    meaning: { vi: 'Số tháng trễ so với hạn, mỗi tháng bắt đầu tính là một (đúng hạn: 0; trễ 1 ngày: 1)', en: 'Months late against a deadline, each started month counts (on time: 0; one day late: 1)' },
    example: '{"months_late": [{"var": "ngay_ban_hanh"}, {"var": "han_ban_hanh"}]}',
  },
  math: { form: 'function', name: { vi: 'số tháng trễ', en: 'months_late' } },
  explain: {
    form: 'custom',
    precedence: 10,
    ownStep: true,
    render: ([done, deadline], lang) => (lang === 'vi' ? `số tháng trễ (${done!.text} so với hạn ${deadline!.text})` : `months late (${done!.text} against the deadline ${deadline!.text})`),
  },
});
