/**
 * The submission contract: a JSON Schema (draft-07) of one unit's
 * submission for a year and level, generated from the criteria YAML, so that
 * other systems (a reporting portal, a spreadsheet macro, a script in another
 * language) can check their data before sending it.
 *
 * The schema and the engine's reader (engine/language/inputs, JSON mode)
 * agree: whatever the engine reads, the schema accepts. A few rules need two
 * values or a calendar and stay the engine's alone: a ratio's achieved ≤
 * total, a total of 0 where the criterion has no if_total_zero, a date that
 * does not exist (2023-02-30). Tools may rely on the schema for shape and
 * ranges; the engine's problems remain the authority.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { CompiledLevel } from '../compile/level.js';
import type { CriteriaSet } from '../criteria-set.js';
import { isConditional } from '../compile/structure.js';
import type { JsonSchema } from '../language/input-type.js';
import { inputTypeOf } from '../language/registry.js';
import type { InputDef } from '../model.js';
import { problem, type Problem } from '../problems.js';

// ajv ships CommonJS with a default export; under NodeNext the class sits on .default.
// ajv (CommonJS) is loaded on first use, so commands that never validate a submission start faster.
const require = createRequire(import.meta.url);
const loadAjv = (): typeof import('ajv').default => (require('ajv') as { default: typeof import('ajv').default }).default;

export type { JsonSchema };

/** Same rule as load/submissions.ts: letters, digits, dots, dashes, underscores. */
const UNIT_ID_PATTERN = '^[\\p{L}\\p{N}][\\p{L}\\p{N}._-]{0,99}$';

/** The JSON Schema of one reported value: its input type's fragment (engine/language/inputs), titled and described. */
export function inputSchema(def: InputDef): JsonSchema {
  const { schema, note } = inputTypeOf(def.type).schema(def);
  const description = [def.description, note].filter(Boolean).join(' ');
  return { title: def.label, ...(description ? { description } : {}), ...schema };
}

/** The JSON Schema of one unit's submission for this level (draft-07, Vietnamese titles). */
export function submissionSchema(level: CompiledLevel): JsonSchema {
  const criteria: Record<string, JsonSchema> = {};
  for (const criterion of level.criteria) {
    criteria[criterion.id] = {
      title: `${criterion.number}. ${criterion.name}`,
      description: `Điểm chuẩn ${criterion.maxPointsNumber}. ${criterion.def.evidence}`,
      type: 'object',
      properties: Object.fromEntries(criterion.inputs.map((input) => [input.id, inputSchema(input.def)])),
      required: criterion.inputs.map((input) => input.id),
      additionalProperties: false,
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `tieuchi:submission/${level.year}/${level.id}`,
    title: `Số liệu của một đơn vị — ${level.name}, năm ${level.year}`,
    description: `Theo ${level.doc.decision.number} (${level.doc.decision.date}). Sinh từ ${level.file} (sha256 ${level.sha256}).`,
    type: 'object',
    properties: {
      id: { title: 'Mã đơn vị', description: 'Chữ, số, dấu chấm, gạch ngang, gạch dưới; ví dụ so-tttt.', type: 'string', pattern: UNIT_ID_PATTERN },
      name: { title: 'Tên đơn vị', type: 'string', pattern: '\\S' },
      level: { title: 'Cấp đơn vị', const: level.id },
      note: { title: 'Ghi chú', description: 'Không dùng để chấm điểm.' },
      // structures (issue 11): the unit's type, when the level declares unit types.
      ...(level.structure?.unitTypes.size
        ? { type: { title: 'Loại đơn vị', description: [...level.structure.unitTypes.values()].map((t) => `${t.id}: ${t.label}`).join('; '), enum: [...level.structure.unitTypes.keys()] } }
        : {}),
      // structures (issue 11): the unit's attributes, when the level declares some (engine/contract/unit-attributes.ts).
      ...(level.structure?.attributes.size ? { attributes: attributesSchema(level) } : {}),
      inputs: {
        title: 'Số liệu theo từng tiêu chí',
        type: 'object',
        properties: criteria,
        // structures (issue 11): a criterion for some unit types only is not required of every unit.
        required: level.criteria.filter((c) => !isConditional(level.structure?.places.get(c.id))).map((c) => c.id),
        additionalProperties: false,
      },
    },
    required: ['id', 'name', 'level', 'inputs', ...(level.structure?.unitTypes.size ? ['type'] : []), ...(level.structure?.attributes.size ? ['attributes'] : [])],
    additionalProperties: false,
  };
}

/** The "attributes" of a submission: each declared attribute, true/false or one of its option ids. */
function attributesSchema(level: CompiledLevel): JsonSchema {
  const defs = [...level.structure!.attributes.values()];
  return {
    title: 'Thuộc tính của đơn vị',
    description: 'Các tiêu chí ghi applies_when chỉ áp dụng cho đơn vị có thuộc tính tương ứng.',
    type: 'object',
    properties: Object.fromEntries(
      defs.map((def) => [
        def.id,
        def.type === 'boolean'
          ? { title: def.label, ...(def.description ? { description: def.description } : {}), type: 'boolean' }
          : { title: def.label, description: [def.description, (def.options ?? []).map((o) => `${o.id}: ${o.label}`).join('; ')].filter(Boolean).join(' '), enum: (def.options ?? []).map((o) => o.id) },
      ]),
    ),
    required: defs.map((def) => def.id),
    additionalProperties: false,
  };
}

/** Checks submissions against the schemas of a criteria set (compiled once per level). */
export class SubmissionValidator {
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(readonly set: CriteriaSet) {
    const Ajv = loadAjv();
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    for (const level of set.levels) this.#validators.set(level.id, ajv.compile(submissionSchema(level)));
  }

  /**
   * Schema errors of one submission, as problems (code submission.schema),
   * or [] when it conforms. A submission naming no known level gets one
   * problem saying so.
   */
  check(value: unknown): Problem[] {
    const levelId = (value as { level?: unknown } | null)?.level;
    const validate = typeof levelId === 'string' ? this.#validators.get(levelId) : undefined;
    const unit = typeof (value as { id?: unknown } | null)?.id === 'string' ? ((value as { id: string }).id) : undefined;
    if (!validate) {
      return [
        problem(
          'submission.schema',
          { vi: `Cấp "${String(levelId)}" không có trong bộ tiêu chí năm ${this.set.year}.`, en: `Level "${String(levelId)}" is not in the ${this.set.year} criteria.` },
          { ...(unit ? { unit } : {}), hint: { vi: `Các cấp: ${this.set.levels.map((l) => l.id).join(', ')}.`, en: `Levels: ${this.set.levels.map((l) => l.id).join(', ')}.` } },
        ),
      ];
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => schemaProblem(error, unit, levelId as string));
  }
}

/** One ajv error as a problem naming the unit, criterion and input it is about. */
function schemaProblem(error: ErrorObject, unit: string | undefined, level: string): Problem {
  const path = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const [head, criterion, input] = path;
  const params = error.params as Record<string, unknown>;
  const key = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  const where = path.length ? path.join('.') : '(gốc)';
  return problem(
    'submission.schema',
    {
      vi: `Số liệu không khớp lược đồ tại ${where}${key ? ` ("${key}")` : ''}: ${error.message ?? error.keyword}.`,
      en: `Submission does not match the schema at ${where}${key ? ` ("${key}")` : ''}: ${error.message ?? error.keyword}.`,
    },
    {
      level,
      ...(unit ? { unit } : {}),
      ...(head === 'inputs' && criterion ? { criterion } : head === 'inputs' && key ? { criterion: key } : {}),
      ...(head === 'inputs' && criterion && (input ?? key) ? { input: (input ?? key)! } : {}),
    },
  );
}
