/**
 * What scoreUnit does differently on a structured level (issue 11), kept
 * apart so score.ts only calls in: the unit's declared type, criteria that
 * do not apply to it, and the structured total.
 */
import type { CompiledCriterion, CompiledLevel } from '../compile/level.js';
import { appliesTo, type LevelStructure } from '../compile/structure.js';
import type { Submission } from '../model.js';
import { problem, type Problem } from '../problems.js';
import type { CriterionScore, UnitScore } from './score.js';
import { computeTotals } from './totals.js';

const NO_PROBLEMS = Object.freeze([]) as unknown as Problem[];

/** A level with unit types needs each unit to say which it is. */
export function checkUnitType(level: CompiledLevel, submission: Submission): Problem[] {
  const types = level.structure!.unitTypes;
  const list = [...types.values()].map((t) => `${t.id} (${t.label})`).join('; ');
  const where = { level: level.id, unit: submission.id };
  if (submission.type === undefined) {
    return [
      problem('submission.unit-type', { vi: `Đơn vị "${submission.id}" chưa ghi loại đơn vị (type); cấp "${level.name}" có nhiều loại đơn vị, chấm theo tiêu chí áp dụng cho từng loại.`, en: `Unit "${submission.id}" does not state its type; level "${level.id}" scores each unit type on its own criteria.` }, {
        ...where,
        hint: { vi: `Ghi "type" (JSON) hoặc cột type (CSV) là một trong: ${list}.`, en: `Add "type" (JSON) or a type column (CSV): one of ${[...types.keys()].join(', ')}.` },
      }),
    ];
  }
  if (!types.has(submission.type)) {
    return [
      problem('submission.unit-type', { vi: `Đơn vị "${submission.id}" ghi loại "${submission.type}", nhưng cấp "${level.name}" không có loại này.`, en: `Unit "${submission.id}" states type "${submission.type}", which level "${level.id}" does not have.` }, {
        ...where,
        hint: { vi: `Các loại đơn vị của cấp: ${list}.`, en: `This level's unit types: ${[...types.keys()].join(', ')}.` },
      }),
    ];
  }
  return [];
}

/** The score of a criterion that does not apply to the unit's type, or undefined when it applies. */
export function notApplicableScore(structure: LevelStructure, criterion: CompiledCriterion, reported: unknown, submission: Submission): CriterionScore | undefined {
  if (appliesTo(structure.places.get(criterion.id), submission.type)) return undefined;
  const problems =
    reported === undefined
      ? NO_PROBLEMS
      : [
          problem(
            'submission.unit-type',
            {
              vi: `Tiêu chí ${criterion.number} không áp dụng cho loại đơn vị ${submission.type === undefined ? '(chưa ghi)' : `"${structure.unitTypes.get(submission.type)?.label ?? submission.type}"`}; số liệu đã khai của tiêu chí này không được dùng.`,
              en: `Criterion ${criterion.number} does not apply to unit type ${submission.type ?? '(none)'}; the data reported for it is not used.`,
            },
            { severity: 'warning', level: submission.level, unit: submission.id, criterion: criterion.id, hint: { vi: 'Kiểm tra loại đơn vị (type), hoặc bỏ số liệu của tiêu chí này.', en: "Check the unit's type, or drop this criterion's data." } },
          ),
        ];
  return { id: criterion.id, number: criterion.number, name: criterion.name, maxPoints: criterion.maxPointsNumber, status: 'not_applicable', inputs: {}, problems };
}

/** The unit's score with the structured total (subtotals, bonus, penalty, rescaling), or without a total when it has none. */
export function structuredTotals(level: CompiledLevel, structure: LevelStructure, submission: Submission, criteria: CriterionScore[], problems: Problem[], complete: boolean): UnitScore {
  const type = submission.type !== undefined && structure.unitTypes.size ? { type: submission.type } : {};
  const incomplete = (all: Problem[]): UnitScore => ({
    id: submission.id,
    name: submission.name,
    level: level.id,
    levelName: level.name,
    year: level.year,
    status: 'incomplete',
    totalPoints: level.totalPoints.toNumber(),
    criteria,
    problems: all,
    criteriaFile: level.file,
    criteriaSha256: level.sha256,
    ...type,
  });
  if (!complete) return incomplete(problems);
  const result = computeTotals(level, structure, criteria, submission.id);
  if ('problem' in result) return incomplete([...problems, result.problem]);
  return {
    id: submission.id,
    name: submission.name,
    level: level.id,
    levelName: level.name,
    year: level.year,
    status: 'complete',
    total: result.total,
    totalPoints: level.totalPoints.toNumber(),
    criteria,
    problems,
    criteriaFile: level.file,
    criteriaSha256: level.sha256,
    ...type,
    ...result.breakdown,
  };
}
