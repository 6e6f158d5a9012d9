/**
 * What scoreUnit does differently on a structured level (issue 11), kept
 * apart so score.ts only calls in: the unit's declared type, criteria that
 * do not apply to it, and the structured total.
 */
import type { CompiledCriterion, CompiledLevel } from '../compile/level.js';
import { appliesTo, type CriterionPlace, type LevelStructure, type UnitAttributes } from '../compile/structure.js';
import { readAttributeValue } from '../contract/unit-attributes.js';
import type { Submission, UnitAttributeDef } from '../model.js';
import { problem, type Problem } from '../problems.js';
import type { CriterionScore, UnitScore } from './score.js';
import { computeTotals } from './totals.js';

const NO_PROBLEMS = Object.freeze([]) as unknown as Problem[];

/**
 * A unit's attributes as read against its level's declarations (only the
 * valid ones; a missing or wrong one is reported by checkUnitType). Read
 * once per submission object and level.
 */
const attributesRead = new WeakMap<Submission, { level: string; values: UnitAttributes; problems: Problem[] }>();

function readUnitAttributes(level: CompiledLevel, submission: Submission): { values: UnitAttributes; problems: Problem[] } {
  const cached = attributesRead.get(submission);
  if (cached && cached.level === level.id) return cached;
  const values = new Map<string, boolean | string>();
  const problems: Problem[] = [];
  const declared: ReadonlyMap<string, UnitAttributeDef> = level.structure?.attributes ?? new Map();
  const stated = submission.attributes ?? {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(stated, key);
  const where = (key: string) => {
    const column = submission.origin?.columns?.[`attributes.${key}`];
    let location: Problem['location'];
    try {
      location = submission.origin?.locate?.(has(key) ? ['attributes', key] : submission.attributes ? ['attributes'] : []);
    } catch {
      location = undefined;
    }
    if (!location && submission.origin?.file && submission.origin.line) location = { file: submission.origin.file, start: 0, end: 0, line: submission.origin.line, column: column ?? 1 };
    return { level: level.id, unit: submission.id, ...(location ? { location } : submission.origin?.file ? { file: submission.origin.file } : {}) };
  };
  for (const def of declared.values()) {
    if (!has(def.id) || stated[def.id] === undefined || stated[def.id] === '') {
      problems.push(
        problem(
          'submission.unit-attribute',
          { vi: `Đơn vị "${submission.id}" chưa ghi thuộc tính «${def.label}» (${def.id}); cấp "${level.name}" chấm một số tiêu chí tùy theo thuộc tính này, nên đơn vị chưa có tổng điểm.`, en: `Unit "${submission.id}" does not state its attribute "${def.label}" (${def.id}); level "${level.id}" scores some criteria by it, so the unit has no total.` },
          {
            ...where(def.id),
            hint:
              def.type === 'boolean'
                ? { vi: `Ghi "attributes": {"${def.id}": true} hoặc false (JSON), cột attributes.${def.id} (CSV) hoặc cột «${def.label}» của mẫu Excel: Có hoặc Không.`, en: `Add "attributes": {"${def.id}": true or false} (JSON), a column attributes.${def.id} (CSV), or fill the template's column.` }
                : { vi: `Ghi "attributes": {"${def.id}": mã mức} với mã mức là một trong: ${(def.options ?? []).map((o) => `${o.id} (${o.label})`).join('; ')}.`, en: `Add "attributes": {"${def.id}": option}, one of ${(def.options ?? []).map((o) => o.id).join(', ')}.` },
          },
        ),
      );
      continue;
    }
    const read = readAttributeValue(def, stated[def.id], submission.mode);
    if ('value' in read) values.set(def.id, read.value);
    else problems.push(problem('submission.unit-attribute', { vi: `Đơn vị "${submission.id}": ${read.wrong.vi}.`, en: `Unit "${submission.id}": ${read.wrong.en}.` }, { ...where(def.id), hint: read.hint }));
  }
  for (const key of Object.keys(stated)) {
    if (declared.has(key)) continue;
    problems.push(
      problem('submission.unit-attribute', { vi: `Đơn vị "${submission.id}" ghi thuộc tính "${key}", nhưng cấp "${level.name}" không khai báo thuộc tính này; giá trị không được dùng.`, en: `Unit "${submission.id}" states attribute "${key}", which level "${level.id}" does not declare; it is not used.` }, {
        ...where(key),
        severity: 'warning',
        hint: declared.size ? { vi: `Các thuộc tính của cấp: ${[...declared.keys()].join(', ')}.`, en: `This level's attributes: ${[...declared.keys()].join(', ')}.` } : { vi: 'Bỏ "attributes" khỏi số liệu của đơn vị.', en: 'Drop "attributes" from the submission.' },
      }),
    );
  }
  const entry = { level: level.id, values, problems };
  attributesRead.set(submission, entry);
  return entry;
}

/** The unit's valid attributes (for applicability). */
export function unitAttributesOf(level: CompiledLevel, submission: Submission): UnitAttributes | undefined {
  return level.structure?.attributes.size || submission.attributes ? readUnitAttributes(level, submission).values : undefined;
}

/** Whether a level needs each unit to state something about itself (its type, its attributes). */
export function checksUnits(structure: LevelStructure | undefined): boolean {
  return Boolean(structure && (structure.unitTypes.size || structure.attributes.size));
}

/** A level with unit types needs each unit to say which it is; a level with attributes, each unit's attributes. */
export function checkUnitType(level: CompiledLevel, submission: Submission): Problem[] {
  const attributes = level.structure!.attributes.size || submission.attributes ? readUnitAttributes(level, submission).problems : [];
  if (!level.structure!.unitTypes.size) return attributes;
  return [...checkTypeOnly(level, submission), ...attributes];
}

function checkTypeOnly(level: CompiledLevel, submission: Submission): Problem[] {
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
export function notApplicableScore(structure: LevelStructure, criterion: CompiledCriterion, reported: unknown, submission: Submission, level?: CompiledLevel): CriterionScore | undefined {
  const place = structure.places.get(criterion.id);
  const attributes = place?.appliesWhen ? (level ? unitAttributesOf(level, submission) : attributesOfSubmission(structure, submission)) : undefined;
  const unknown = unknownApplicability(structure, place, submission, attributes);
  if (unknown) {
    // Not "không áp dụng": whether it applies depends on what the unit did not say (or said wrongly).
    const wrong = problem(
      unknown.code,
      {
        vi: `Chưa biết tiêu chí ${criterion.number} có áp dụng cho đơn vị này không: ${unknown.vi}; tiêu chí chưa được chấm.`,
        en: `Whether criterion ${criterion.number} applies to this unit is unknown: ${unknown.en}; it is not scored.`,
      },
      { level: submission.level, unit: submission.id, criterion: criterion.id, hint: { vi: 'Ghi loại đơn vị (type) và thuộc tính (attributes) của đơn vị như cấp này khai báo.', en: "State the unit's type and attributes as the level declares them." } },
    );
    return { id: criterion.id, number: criterion.number, name: criterion.name, maxPoints: criterion.maxPointsNumber, status: 'error', inputs: {}, problems: [wrong] };
  }
  if (appliesTo(place, submission.type, attributes)) return undefined;
  const problems =
    reported === undefined
      ? NO_PROBLEMS
      : [
          problem(
            'submission.unit-type',
            {
              vi: place?.appliesTo && !appliesTo({ ...place, appliesWhen: undefined } as typeof place, submission.type)
                ? `Tiêu chí ${criterion.number} không áp dụng cho loại đơn vị ${submission.type === undefined ? '(chưa ghi)' : `"${structure.unitTypes.get(submission.type)?.label ?? submission.type}"`}; số liệu đã khai của tiêu chí này không được dùng.`
                : `Tiêu chí ${criterion.number} không áp dụng cho đơn vị theo thuộc tính của đơn vị (${whenText(structure, place)}); số liệu đã khai của tiêu chí này không được dùng.`,
              en: `Criterion ${criterion.number} does not apply to this unit (its type ${submission.type ?? '(none)'} or attributes); the data reported for it is not used.`,
            },
            { severity: 'warning', level: submission.level, unit: submission.id, criterion: criterion.id, hint: { vi: 'Kiểm tra loại đơn vị (type) và thuộc tính (attributes), hoặc bỏ số liệu của tiêu chí này.', en: "Check the unit's type and attributes, or drop this criterion's data." } },
          ),
        ];
  return { id: criterion.id, number: criterion.number, name: criterion.name, maxPoints: criterion.maxPointsNumber, status: 'not_applicable', inputs: {}, problems };
}

/** What the unit left unsaid (or said wrongly) that decides whether a criterion applies; undefined when applicability is known. */
function unknownApplicability(
  structure: LevelStructure,
  place: CriterionPlace | undefined,
  submission: Submission,
  attributes: UnitAttributes | undefined,
): { code: 'submission.unit-type' | 'submission.unit-attribute'; vi: string; en: string } | undefined {
  if (place?.appliesTo && (submission.type === undefined || !structure.unitTypes.has(submission.type))) {
    return submission.type === undefined
      ? { code: 'submission.unit-type', vi: 'đơn vị chưa ghi loại đơn vị (type)', en: 'the unit states no type' }
      : { code: 'submission.unit-type', vi: `loại đơn vị "${submission.type}" không có trong khai báo của cấp`, en: `type "${submission.type}" is not declared by the level` };
  }
  for (const condition of place?.appliesWhen ?? []) {
    if (attributes?.get(condition.attribute) !== undefined) continue;
    const label = structure.attributes.get(condition.attribute)?.label ?? condition.attribute;
    return { code: 'submission.unit-attribute', vi: `đơn vị chưa ghi (hoặc ghi sai) thuộc tính «${label}»`, en: `the unit's attribute "${condition.attribute}" is missing or invalid` };
  }
  return undefined;
}

/** Attributes without the level at hand (a caller that passes only the structure): read against the structure's declarations. */
function attributesOfSubmission(structure: LevelStructure, submission: Submission): UnitAttributes {
  const values = new Map<string, boolean | string>();
  for (const def of structure.attributes.values()) {
    const raw = submission.attributes && Object.prototype.hasOwnProperty.call(submission.attributes, def.id) ? submission.attributes[def.id] : undefined;
    const read = raw === undefined ? undefined : readAttributeValue(def, raw, submission.mode);
    if (read && 'value' in read) values.set(def.id, read.value);
  }
  return values;
}

/** A criterion's attribute conditions in words: «Có dịch vụ công trực tuyến» = Có. */
export function whenText(structure: LevelStructure, place: { appliesWhen?: readonly { attribute: string; values: ReadonlySet<boolean | string> }[] } | undefined): string {
  return (place?.appliesWhen ?? [])
    .map((c) => {
      const def = structure.attributes.get(c.attribute);
      const values = [...c.values].map((v) => (typeof v === 'boolean' ? (v ? 'Có' : 'Không') : (def?.options?.find((o) => o.id === v)?.label ?? v)));
      return `${def?.label ?? c.attribute}: ${values.join(' hoặc ')}`;
    })
    .join('; ');
}

/** The unit's score with the structured total (subtotals, bonus, penalty, rescaling), or without a total when it has none. */
export function structuredTotals(level: CompiledLevel, structure: LevelStructure, submission: Submission, criteria: CriterionScore[], problems: Problem[], complete: boolean): UnitScore {
  const attributes = structure.attributes.size ? unitAttributesOf(level, submission) : undefined;
  const type = {
    ...(submission.type !== undefined && structure.unitTypes.size ? { type: submission.type } : {}),
    ...(attributes?.size ? { attributes: Object.fromEntries(attributes) } : {}),
  };
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
