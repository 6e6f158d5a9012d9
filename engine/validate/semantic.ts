/**
 * Checks on one criteria file that JSON Schema cannot express: unique ids,
 * points that add up, parameter values that fit their type and range, and
 * input declarations whose keys fit their type.
 */
import type { Locator } from '../load/yaml-source.js';
import { parseIsoDate } from '../compile/dates.js';
import { Rational } from '../exact/rational.js';
import type { CriteriaLevelDoc, DecisionInfo, DecisionStatus, InputDef, ParameterDef } from '../model.js';
import { problem, type Problem } from '../problems.js';
import { ordinaryMaxSum } from '../compile/structure.js';

/**
 * A file's status: `decision.status` when written, else derived — signed
 * when both the decision number and the signing date are filled in.
 */
export function decisionStatus(decision: Pick<DecisionInfo, 'status' | 'number' | 'date'>): DecisionStatus {
  if (decision.status) return decision.status;
  return decision.number.trim() !== '' && decision.date.trim() !== '' ? 'signed' : 'draft';
}

export function checkSemantics(doc: CriteriaLevelDoc, locate: Locator): Problem[] {
  const problems: Problem[] = [];
  const level = doc.level.id;

  const unfilled = (['number', 'date'] as const).filter((key) => doc.decision[key].trim() === '');
  const declared = doc.decision.status;
  if (declared === 'signed' && unfilled.length) {
    // Outputs of a signed set cite the decision: "Theo Quyết định số . …" must never be printed.
    problems.push(
      problem(
        'decision.signed-unfilled',
        {
          vi: `Bộ tiêu chí ghi "status: signed" (đã ký) nhưng chưa có ${unfilled.map((k) => (k === 'number' ? 'số quyết định' : 'ngày ký')).join(' và ')}.`,
          en: `The set says "status: signed" but the decision's ${unfilled.join(' and ')} ${unfilled.length > 1 ? 'are' : 'is'} blank.`,
        },
        {
          location: locate(['decision', 'status']),
          level,
          hint: {
            vi: 'Khi quyết định đã ký: điền decision.number (ví dụ 2435/QĐ-UBND) và decision.date (NNNN-TT-NN). Nếu chưa ký: ghi status: draft.',
            en: 'Once signed: fill in decision.number and decision.date (YYYY-MM-DD). If not signed yet: write status: draft.',
          },
        },
      ),
    );
  } else if (declared === 'draft' && !unfilled.length) {
    problems.push(
      problem(
        'decision.draft-filled',
        {
          vi: `Bộ tiêu chí ghi "status: draft" (dự thảo) nhưng đã có số ${doc.decision.number} và ngày ký ${doc.decision.date}.`,
          en: `The set says "status: draft" but has a decision number (${doc.decision.number}) and date (${doc.decision.date}).`,
        },
        {
          severity: 'warning',
          location: locate(['decision', 'status']),
          level,
          hint: {
            vi: 'Nếu quyết định đã ký: đổi thành status: signed (các lệnh sẽ dùng bộ này mặc định). Nếu chưa: để trống số và ngày ("").',
            en: 'If the decision is signed: change to status: signed (commands then use this set by default). If not: leave number and date blank ("").',
          },
        },
      ),
    );
  }
  if (unfilled.length && declared !== 'signed') {
    problems.push(
      problem(
        'decision.unfilled',
        {
          vi: `Chưa điền ${unfilled.map((k) => (k === 'number' ? 'số quyết định' : 'ngày ký')).join(' và ')} (decision.${unfilled.join(', decision.')}).`,
          en: `The decision's ${unfilled.join(' and ')} ${unfilled.length > 1 ? 'are' : 'is'} not filled in yet.`,
        },
        {
          severity: 'warning',
          location: locate(['decision', unfilled[0]!]),
          level,
          hint: {
            vi: 'Bình thường khi đang soạn dự thảo; điền số và ngày (NNNN-TT-NN) khi quyết định được ký.',
            en: 'Normal for a draft; fill in the number and the date (YYYY-MM-DD) once the decision is signed.',
          },
        },
      ),
    );
  }
  if (doc.decision.date !== '' && !parseIsoDate(doc.decision.date)) {
    problems.push(
      problem('schema.format', { vi: `Ngày ký "${doc.decision.date}" không phải là một ngày có thật.`, en: `Decision date "${doc.decision.date}" is not a real date.` }, { location: locate(['decision', 'date']), level }),
    );
  }

  const seenIds = new Map<string, number>();
  const seenNumbers = new Map<string, number>();
  doc.criteria.forEach((criterion, index) => {
    const firstId = seenIds.get(criterion.id);
    if (firstId !== undefined) {
      problems.push(
        problem(
          'criterion.duplicate-id',
          {
            vi: `Mã tiêu chí "${criterion.id}" bị trùng với tiêu chí số ${doc.criteria[firstId]!.number} (dòng ${locate(['criteria', firstId, 'id']).line}).`,
            en: `Criterion id "${criterion.id}" is already used by criterion ${doc.criteria[firstId]!.number} (line ${locate(['criteria', firstId, 'id']).line}).`,
          },
          {
            location: locate(['criteria', index, 'id']),
            level,
            criterion: criterion.id,
            hint: {
              vi: 'Mỗi tiêu chí cần một mã riêng, giữ nguyên qua các năm. Tiêu chí mới thì đặt mã mới.',
              en: 'Each criterion needs its own id, kept across years. Give a new criterion a new id.',
            },
          },
        ),
      );
    } else seenIds.set(criterion.id, index);
    const firstNumber = seenNumbers.get(criterion.number);
    if (firstNumber !== undefined) {
      problems.push(
        problem(
          'criterion.duplicate-number',
          {
            vi: `Số thứ tự "${criterion.number}" bị trùng với tiêu chí "${doc.criteria[firstNumber]!.id}".`,
            en: `Number "${criterion.number}" is already used by criterion "${doc.criteria[firstNumber]!.id}".`,
          },
          { location: locate(['criteria', index, 'number']), level, criterion: criterion.id },
        ),
      );
    } else seenNumbers.set(criterion.number, index);

    for (const [inputId, input] of Object.entries(criterion.inputs)) {
      problems.push(...checkInputDef(input, ['criteria', index, 'inputs', inputId], locate).map((p) => ({ ...p, level, criterion: criterion.id, input: inputId })));
    }
  });

  // structures (issue 11): only ordinary criteria count, each weighted by its groups; bonus, penalty and info do not.
  const sum = ordinaryMaxSum(doc);
  const declaredTotal = Rational.fromNumber(doc.total_points);
  const gap = sum.gt(declaredTotal) ? sum.sub(declaredTotal) : declaredTotal.sub(sum);
  if (!sum.equals(declaredTotal)) {
    problems.push(
      problem(
        'level.points-sum',
        {
          vi: `Tổng điểm chuẩn các tiêu chí là ${sum.toString()}, khác tổng điểm của cấp (total_points: ${doc.total_points}).`,
          en: `The criteria's max points add up to ${sum.toString()}, not the level's total_points ${doc.total_points}.`,
        },
        {
          location: locate(['total_points']),
          level,
          hint: {
            vi: `Sửa max_points của tiêu chí cho đủ ${doc.total_points} điểm (đang ${sum.gt(declaredTotal) ? 'thừa' : 'thiếu'} ${gap.toString()}), hoặc sửa total_points.`,
            en: `Adjust criteria max_points to total ${doc.total_points} (now ${gap.toString()} ${sum.gt(declaredTotal) ? 'over' : 'short'}), or change total_points.`,
          },
        },
      ),
    );
  }

  for (const [id, parameter] of Object.entries(doc.parameters ?? {})) {
    problems.push(...checkParameter(id, parameter, locate).map((p) => ({ ...p, level })));
  }
  return problems;
}

function checkParameter(id: string, parameter: ParameterDef, locate: Locator): Problem[] {
  // Only problems need a position, and on a cached parse a position costs a parse.
  const at = () => locate(['parameters', id, 'value']);
  const { type, value } = parameter;
  if (type === 'date') {
    if (typeof value !== 'string' || !parseIsoDate(value)) {
      return [
        problem(
          'schema.type',
          { vi: `Tham số "${id}" là ngày, giá trị phải dạng NNNN-TT-NN (ví dụ 2023-12-15), đang là ${JSON.stringify(value)}.`, en: `Parameter "${id}" is a date; its value must be YYYY-MM-DD, got ${JSON.stringify(value)}.` },
          { location: at() },
        ),
      ];
    }
    return [];
  }
  if (typeof value !== 'number') {
    return [
      problem(
        'schema.type',
        { vi: `Tham số "${id}" (${type}) phải có giá trị là số, đang là ${JSON.stringify(value)}.`, en: `Parameter "${id}" (${type}) must have a number value, got ${JSON.stringify(value)}.` },
        { location: at(), hint: /%$/.test(String(value)) ? { vi: 'Bỏ dấu %: viết 95 thay vì 95%.', en: 'Drop the %: write 95, not 95%.' } : undefined },
      ),
    ];
  }
  const bounds: { min?: number; max?: number } = {
    percent: { min: 0, max: 100 },
    points: { min: 0 },
    count: { min: 0 },
    number: {},
  }[type];
  const min = parameter.min ?? bounds.min;
  const max = parameter.max ?? bounds.max;
  const problems: Problem[] = [];
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range = `${min ?? '−∞'} – ${max ?? '+∞'}`;
    problems.push(
      problem(
        'parameter.out-of-range',
        { vi: `Tham số "${id}" = ${value} nằm ngoài khoảng hợp lệ ${range}.`, en: `Parameter "${id}" = ${value} is outside its valid range ${range}.` },
        {
          location: at(),
          hint: type === 'percent' ? { vi: 'Tỉ lệ ghi theo phần trăm từ 0 đến 100: 95 nghĩa là 95%.', en: 'Percentages run from 0 to 100: 95 means 95%.' } : undefined,
        },
      ),
    );
  }
  if (type === 'count' && !Number.isInteger(value)) {
    problems.push(problem('parameter.out-of-range', { vi: `Tham số "${id}" là số đếm nên phải là số nguyên.`, en: `Parameter "${id}" is a count and must be whole.` }, { location: at() }));
  }
  return problems;
}

/** Keys that only make sense for one input type. */
const ONLY_FOR: Record<string, InputDef['type'] | InputDef['type'][]> = { options: 'choice', none_allowed: 'date', none_label: 'date', if_total_zero: 'ratio', max: ['count', 'number'], min: 'number', unit: 'number' };

function checkInputDef(input: InputDef, path: (string | number)[], locate: Locator): Problem[] {
  const problems: Problem[] = [];
  for (const [key, only] of Object.entries(ONLY_FOR)) {
    const onlyType = Array.isArray(only) ? only.join(' hoặc ') : only;
    if (key in input && !(Array.isArray(only) ? only.includes(input.type) : input.type === only)) {
      problems.push(
        problem(
          'schema.invalid',
          { vi: `Khóa "${key}" chỉ dùng cho số liệu loại ${onlyType}, nhưng số liệu này là ${input.type}.`, en: `Key "${key}" applies only to ${onlyType} inputs, but this input is ${input.type}.` },
          { location: locate([...path, key], true), hint: { vi: `Xóa dòng "${key}" hoặc đổi type thành ${onlyType}.`, en: `Remove "${key}" or change type to ${onlyType}.` } },
        ),
      );
    }
  }
  if (input.type === 'choice') {
    if (!input.options) {
      problems.push(
        problem(
          'schema.required',
          { vi: 'Số liệu loại choice phải có danh sách "options" (các mức lựa chọn).', en: 'A choice input needs "options".' },
          { location: locate([...path, 'type']), hint: { vi: 'Thêm options: - id: ... label: ...', en: 'Add options: - id: ... label: ...' } },
        ),
      );
    } else {
      const seen = new Set<string>();
      input.options.forEach((option, i) => {
        if (seen.has(option.id)) {
          problems.push(problem('schema.invalid', { vi: `Mức "${option.id}" bị lặp.`, en: `Option "${option.id}" is repeated.` }, { location: locate([...path, 'options', i, 'id']) }));
        }
        seen.add(option.id);
      });
    }
  }
  // structures (issue 11): a count's maximum is whole; a number's bounds are ordered.
  if (input.type === 'count' && input.max !== undefined && !Number.isInteger(input.max)) {
    problems.push(problem('schema.type', { vi: 'max của số đếm phải là số nguyên.', en: 'A count’s max must be whole.' }, { location: locate([...path, 'max']) }));
  }
  if (input.type === 'number' && input.min !== undefined && input.max !== undefined && input.min > input.max) {
    problems.push(problem('schema.range', { vi: `min (${input.min}) lớn hơn max (${input.max}).`, en: `min (${input.min}) is greater than max (${input.max}).` }, { location: locate([...path, 'min']) }));
  }
  if (input.none_label !== undefined && input.none_allowed !== true && input.type === 'date') {
    problems.push(
      problem('schema.invalid', { vi: 'none_label chỉ có nghĩa khi none_allowed: true.', en: 'none_label only means something with none_allowed: true.' }, { location: locate([...path, 'none_label'], true) }),
    );
  }
  return problems;
}
