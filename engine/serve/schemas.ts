/**
 * The JSON Schemas of the HTTP contract, written once: Fastify validates
 * requests and serializes responses with them, and @fastify/swagger builds
 * the OpenAPI document from the very same objects (openapi.ts). Each one has
 * an $id, is registered with `app.addSchema` and is referred to as
 * `{ $ref: 'Name#' }`; swagger turns them into #/components/schemas/Name.
 *
 * Objects allow properties not listed here (additionalProperties: true), so
 * a field added to the engine's results is passed through rather than
 * silently dropped by the serializer; what is listed is typed.
 */
export type Schema = Record<string, unknown>;

const localized: Schema = {
  type: 'object',
  required: ['vi', 'en'],
  properties: { vi: { type: 'string' }, en: { type: 'string' } },
  additionalProperties: false,
};

export const ProblemSchema: Schema = {
  $id: 'Problem',
  title: 'Problem',
  description: 'One mistake or warning, as the CLI prints it: a stable code, a message in Vietnamese and English, what to do, and where.',
  type: 'object',
  required: ['code', 'severity', 'message'],
  properties: {
    code: { type: 'string', description: 'Stable code, e.g. submission.bad-value, yaml.syntax, http.too-large (the staff guide lists every code).', examples: ['submission.out-of-range'] },
    severity: { type: 'string', enum: ['error', 'warning'] },
    message: localized,
    hint: localized,
    location: {
      type: 'object',
      description: 'Where in a file: offsets (0-based) and line, column (1-based).',
      required: ['file', 'start', 'end', 'line', 'column'],
      properties: { file: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' }, line: { type: 'integer' }, column: { type: 'integer' } },
      additionalProperties: false,
    },
    file: { type: 'string' },
    level: { type: 'string' },
    criterion: { type: 'string' },
    unit: { type: 'string' },
    input: { type: 'string' },
  },
  additionalProperties: true,
};

const problems = { type: 'array', items: { $ref: 'Problem#' } };

export const FailureSchema: Schema = {
  $id: 'Failure',
  title: 'Failure',
  description: 'A request that could not be processed at all (bad JSON, bad query, unknown route or year, too large, not allowed).',
  type: 'object',
  required: ['ok', 'problems'],
  properties: { ok: { type: 'boolean', const: false }, problems },
  additionalProperties: false,
};

/** JSON as the engine carries it: a number, text, true/false, null, a list or an object. */
const jsonValue: Schema = { description: 'Any JSON value.' };

export const TraceNodeSchema: Schema = {
  $id: 'TraceNode',
  title: 'TraceNode',
  description: 'How a formula reached its value: one node per operation, with the value it produced and its evaluated arguments.',
  type: 'object',
  required: ['op'],
  properties: {
    op: { type: 'string', description: "Operator name, or 'var' / 'literal'." },
    value: jsonValue,
    exact: { type: 'string', description: 'Exact decimal text when the JSON number cannot carry every digit.' },
    name: { type: 'string' },
    source: { type: 'string', enum: ['input', 'parameter', 'max_points'] },
    label: { type: 'string' },
    unit: { type: 'string', enum: ['percent', 'points', 'count', 'months', 'plain'] },
    display: { type: 'string' },
    args: { type: 'array', items: { $ref: 'TraceNode#' } },
    taken: { type: 'integer' },
  },
  additionalProperties: true,
};

/** One level statistic or round value a formula read (structured levels), and which unit set a best value. */
export const levelValueUseSchema: Schema = {
  type: 'object',
  required: ['name', 'source', 'label', 'value'],
  properties: {
    name: { type: 'string' },
    source: { type: 'string', enum: ['statistic', 'round'] },
    label: { type: 'string' },
    value: { type: 'number' },
    exact: { type: 'string', description: 'Exact fraction when the value is not a short decimal (a mean).' },
    setBy: { type: 'array', items: { type: 'string' }, description: 'Units whose value is the maximum or minimum (ties: all of them).' },
    over: { type: 'integer', description: 'How many units the statistic is over.' },
    percent: { type: 'boolean' },
  },
  additionalProperties: false,
};

export const CriterionScoreSchema: Schema = {
  $id: 'CriterionScore',
  title: 'CriterionScore',
  description: "One criterion of one unit: its points (rounded by the file's rule), the normalised inputs, and with ?trace=true the exact value, the trace and a Vietnamese explanation.",
  type: 'object',
  required: ['id', 'number', 'name', 'maxPoints', 'status', 'inputs', 'problems'],
  properties: {
    id: { type: 'string' },
    number: { type: 'string' },
    name: { type: 'string' },
    maxPoints: { type: 'number' },
    status: { type: 'string', enum: ['scored', 'error', 'not_applicable'], description: 'not_applicable: the criterion does not apply to the unit type (never 0, never missing data; left out of the total).' },
    points: { type: 'number', description: 'Final points, clamped and rounded; absent when status is error or not_applicable.' },
    raw: { type: 'string', description: "The formula's exact value before clamping and rounding (with traces)." },
    exact: { type: 'string', description: 'The same value as an exact fraction ("72/19"), with traces.' },
    clamped: { type: 'string', description: 'The value after clamping, when clamping changed it.' },
    levelValues: {
      type: 'array',
      description: 'Level statistics and round values the formula read (structured levels), and which unit set a best value.',
      items: levelValueUseSchema,
    },
    inputs: { type: 'object', additionalProperties: jsonValue, description: 'Reported values, normalised.' },
    trace: { $ref: 'TraceNode#' },
    explanation: { type: 'string', description: 'How the points were reached, in plain Vietnamese (English with ?lang=en); with ?trace=true.' },
    problems,
  },
  additionalProperties: true,
};

export const UnitScoreSchema: Schema = {
  $id: 'UnitScore',
  title: 'UnitScore',
  description: 'One unit (agency, district, commune) scored against its level.',
  type: 'object',
  required: ['id', 'name', 'level', 'levelName', 'year', 'status', 'totalPoints', 'criteria', 'problems', 'criteriaFile', 'criteriaSha256'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    level: { type: 'string' },
    levelName: { type: 'string' },
    year: { type: 'integer' },
    status: { type: 'string', enum: ['complete', 'incomplete', 'rejected'], description: 'complete: every criterion scored and a total; incomplete: some criterion has an error (no total, no rank).' },
    total: { type: 'number', description: 'Sum of the rounded criterion points; complete units only.' },
    totalPoints: { type: 'number' },
    rank: { type: 'integer', description: 'Rank within the level among complete units (1 = best; ties share a rank).' },
    type: { type: 'string', description: "The unit's type, when its level declares unit types." },
    attributes: { type: 'object', description: "The unit's attributes as read (true/false or an option id), when its level declares unit attributes.", additionalProperties: { anyOf: [{ type: 'boolean' }, { type: 'string' }] } },
    base: { type: 'number', description: 'Structured levels: sum of the ordinary criteria (group-weighted), after rescaling.' },
    bonus: { type: 'number', description: 'Structured levels: bonus points, after their cap.' },
    penalty: { type: 'number', description: 'Structured levels: penalty points, after their cap.' },
    index: { type: 'number', description: 'total / total_points with the file\'s index_decimals, when it shows indices.' },
    applicable: {
      type: 'object',
      description: 'What of total_points applies to the unit, and how the base was rescaled.',
      required: ['maxPoints', 'totalPoints', 'rule'],
      properties: { maxPoints: { type: 'number' }, totalPoints: { type: 'number' }, rule: { type: 'string', enum: ['rescale', 'none', 'all'] }, before: { type: 'number' }, exact: { type: 'string' } },
      additionalProperties: false,
    },
    capped: { type: 'object', description: 'Sums cut by their caps, and the floor, when they acted.', properties: { bonus: { type: 'number' }, penalty: { type: 'number' }, floor: { type: 'number' } }, additionalProperties: false },
    groups: {
      type: 'array',
      description: 'Subtotal of every group (pillar, index), in file order.',
      items: {
        type: 'object',
        required: ['id', 'number', 'name', 'depth', 'status', 'maxPoints'],
        properties: {
          id: { type: 'string' },
          number: { type: 'string' },
          name: { type: 'string' },
          parent: { type: 'string' },
          depth: { type: 'integer' },
          status: { type: 'string', enum: ['scored', 'not_applicable', 'info'] },
          points: { type: 'number' },
          maxPoints: { type: 'number' },
          index: { type: 'number' },
        },
        additionalProperties: false,
      },
    },
    totalExplanation: { type: 'array', items: { type: 'string' }, description: 'How the total was reached (rescaling, bonus, penalty, floor, subtotals); with ?trace=true.' },
    criteria: { type: 'array', items: { $ref: 'CriterionScore#' } },
    problems,
    criteriaFile: { type: 'string' },
    criteriaSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
  additionalProperties: true,
};

const levelSummary: Schema = {
  type: 'object',
  required: ['id', 'name', 'order', 'totalPoints', 'criteria'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    order: { type: 'number' },
    totalPoints: { type: 'number' },
    criteria: {
      type: 'array',
      items: { type: 'object', required: ['id', 'number', 'name', 'maxPoints'], properties: { id: { type: 'string' }, number: { type: 'string' }, name: { type: 'string' }, maxPoints: { type: 'number' } }, additionalProperties: true },
    },
    structure: {
      type: 'object',
      description: 'Structured levels: unit types, groups, each criterion\'s kind, group and applicability.',
      properties: {
        unitTypes: { type: 'array', items: { type: 'object', required: ['id', 'label'], properties: { id: { type: 'string' }, label: { type: 'string' } }, additionalProperties: false } },
        attributes: {
          type: 'array',
          description: 'Unit attributes the level declares (unit_attributes); a criterion or group with appliesWhen applies only to units whose attributes match.',
          items: {
            type: 'object',
            required: ['id', 'label', 'type'],
            properties: {
              id: { type: 'string' },
              label: { type: 'string' },
              type: { type: 'string', enum: ['boolean', 'choice'] },
              options: { type: 'array', items: { type: 'object', required: ['id', 'label'], properties: { id: { type: 'string' }, label: { type: 'string' } }, additionalProperties: false } },
            },
            additionalProperties: false,
          },
        },
        groups: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'number', 'name', 'depth'],
            properties: { id: { type: 'string' }, number: { type: 'string' }, name: { type: 'string' }, parent: { type: 'string' }, depth: { type: 'integer' }, maxPoints: { type: 'number' } },
            additionalProperties: false,
          },
        },
        criteria: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'kind'],
            properties: { id: { type: 'string' }, kind: { type: 'string', enum: ['ordinary', 'bonus', 'penalty', 'info'] }, group: { type: 'string' }, appliesTo: { type: 'array', items: { type: 'string' } }, appliesWhen: { type: 'object', additionalProperties: { anyOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'array', items: { type: 'string' } }] } } },
            additionalProperties: false,
          },
        },
        hasBonus: { type: 'boolean' },
        hasPenalty: { type: 'boolean' },
        hasApplicability: { type: 'boolean' },
        notApplicable: { type: 'string', enum: ['rescale', 'none'], description: 'With applicability: totals rescaled to total_points over what applies, or not.' },
        decimals: { type: 'integer' },
        indexDecimals: { type: 'integer' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: true,
};

export const ProvenanceSchema: Schema = {
  $id: 'Provenance',
  title: 'Provenance',
  description: 'What the scores were computed with: engine version, the decision, the SHA-256 of every criteria file, the rounding policy, when.',
  type: 'object',
  required: ['engine', 'engineVersion', 'year', 'status', 'decision', 'files', 'rounding', 'scoredAt'],
  properties: {
    engine: { type: 'string' },
    engineVersion: { type: 'string' },
    year: { type: 'integer' },
    status: { type: 'string', enum: ['draft', 'signed'], description: 'draft: scored under unsigned criteria (every output says "DỰ THẢO"); signed: under the decision in force.' },
    decision: { type: 'object', properties: { number: { type: 'string' }, date: { type: 'string' }, issuer: { type: 'string' } }, additionalProperties: true },
    files: { type: 'array', items: { type: 'object', required: ['level', 'file', 'sha256'], properties: { level: { type: 'string' }, file: { type: 'string' }, sha256: { type: 'string' } }, additionalProperties: false } },
    rounding: { type: 'object', properties: { decimals: { type: 'integer' }, mode: { type: 'string' }, total: { type: 'string' }, clampToMax: { type: 'boolean' } }, additionalProperties: true },
    scoredAt: { type: 'string', format: 'date-time' },
  },
  additionalProperties: true,
};

export const ScoreRunSchema: Schema = {
  $id: 'ScoreRun',
  title: 'ScoreRun',
  description: 'The answer of POST /score: every unit that could be read, ranked within its level; what was refused and why; provenance.',
  type: 'object',
  required: ['ok', 'year', 'levels', 'units', 'rejected', 'problems', 'provenance'],
  properties: {
    ok: { type: 'boolean', description: 'true when no submission had an error.' },
    year: { type: 'integer' },
    levels: { type: 'array', items: levelSummary, description: 'The levels of the units in `units`, with their criteria.' },
    units: { type: 'array', items: { $ref: 'UnitScore#' } },
    rejected: {
      type: 'array',
      description: 'Submissions that could not be scored at all (unreadable, unknown level, duplicate id), with their problems.',
      items: { type: 'object', required: ['problems'], properties: { index: { type: 'integer' }, id: { type: 'string' }, name: { type: 'string' }, level: { type: 'string' }, problems }, additionalProperties: true },
    },
    problems: { ...problems, description: 'Every problem of the run, flattened, at most `problemsLimit`; each unit lists all of its own.' },
    problemsOmitted: { type: 'integer', description: 'How many problems were left out of `problems` (still in the units).' },
    provenance: { $ref: 'Provenance#' },
  },
  additionalProperties: true,
};

export const ValidateResultSchema: Schema = {
  $id: 'ValidateResult',
  title: 'ValidateResult',
  description: 'The answer of POST /validate: the levels that loaded and every problem, located by file, line and column.',
  type: 'object',
  required: ['ok', 'levels', 'problems'],
  properties: {
    ok: { type: 'boolean', description: 'true when the files have no error (warnings allowed).' },
    levels: {
      type: 'array',
      items: { type: 'object', required: ['id', 'name', 'year', 'criteria', 'file', 'sha256'], properties: { id: { type: 'string' }, name: { type: 'string' }, year: { type: 'integer' }, criteria: { type: 'integer' }, file: { type: 'string' }, sha256: { type: 'string' } }, additionalProperties: false },
    },
    problems,
  },
  additionalProperties: false,
};

export const HealthSchema: Schema = {
  $id: 'Health',
  title: 'Health',
  type: 'object',
  required: ['ok', 'engine', 'engineVersion', 'years'],
  properties: { ok: { type: 'boolean' }, engine: { type: 'string' }, engineVersion: { type: 'string' }, years: { type: 'array', items: { type: 'integer' } } },
  additionalProperties: false,
};

/** Loaded criteria sets as GET /criteria lists them (signed and drafts alike). */
const LISTED_SETS: Schema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['year', 'status', 'decision', 'levels'],
    properties: {
      year: { type: 'integer' },
      status: { type: 'string', enum: ['draft', 'signed'] },
      decision: { type: 'object', additionalProperties: true },
      levels: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'order', 'totalPoints', 'criteria', 'file', 'sha256'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, order: { type: 'number' }, totalPoints: { type: 'number' }, criteria: { type: 'integer' }, file: { type: 'string' }, sha256: { type: 'string' } },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: true,
  },
};

export const CriteriaListSchema: Schema = {
  $id: 'CriteriaList',
  title: 'CriteriaList',
  type: 'object',
  required: ['ok', 'default', 'years', 'drafts'],
  properties: {
    ok: { type: 'boolean' },
    default: { type: ['integer', 'null'], description: 'The year used when a request names none: the newest signed set (null when only drafts are loaded).' },
    years: { description: 'Signed sets.', ...LISTED_SETS },
    drafts: { description: 'Draft (unsigned) sets, used only when their year is named.', ...LISTED_SETS },
  },
  additionalProperties: true,
};

export const CriteriaLevelSchema: Schema = {
  $id: 'CriteriaLevel',
  title: 'CriteriaLevel',
  description: "One level's criteria file as written in the YAML (see schemas/criteria-level.schema.json), with its file name and SHA-256.",
  type: 'object',
  required: ['ok', 'file', 'sha256'],
  properties: { ok: { type: 'boolean' }, file: { type: 'string' }, sha256: { type: 'string' } },
  additionalProperties: true,
};

/** Every shared schema, in the order they must be registered ($refs point backwards only where needed). */
/** The round values of a POST /score body: the shape of the round-values file (engine/load/round-values.ts). */
export const RoundValuesSchema: Schema = {
  $id: 'RoundValues',
  type: 'object',
  description:
    'Values supplied once per round that formulas read (a level\'s `round_values`: a province-wide denominator, the best value of the year); the same shape as the file given to `tieuchi score --round-values`. Each name must be declared by some level; a value outside its declared kind or bounds is a `round-value.invalid` problem naming its path (round_values.values.name) and is not used; a declared value not supplied is `round-value.missing`, and the criteria reading it are not scored (every other criterion and unit is).',
  required: ['values'],
  properties: {
    year: { type: 'integer', description: 'Optional; checked against the criteria year.' },
    values: { type: 'object', description: 'name → number', additionalProperties: { type: 'number' }, maxProperties: 200 },
    note: { type: 'string', description: 'Not used for scoring.' },
  },
  additionalProperties: false,
  examples: [{ year: 2025, values: { muc_tieu_tai_khoan: 550 } }],
};

export const SHARED_SCHEMAS: Schema[] = [RoundValuesSchema, ProblemSchema, FailureSchema, TraceNodeSchema, CriterionScoreSchema, UnitScoreSchema, ProvenanceSchema, ScoreRunSchema, ValidateResultSchema, HealthSchema, CriteriaListSchema, CriteriaLevelSchema];

/** Path parameters: a year is four decimal digits (so 0x7e7 or 2023.0 are 400, not 2023). */
export const yearLevelParams: Schema = {
  type: 'object',
  required: ['year', 'level'],
  properties: {
    year: { type: 'string', pattern: '^[0-9]{4}$', description: 'Criteria year, four digits.', examples: ['2023'] },
    level: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,31}$', description: 'Level id.', examples: ['province'] },
  },
  additionalProperties: false,
};

export const failureResponse = (description: string): Schema => ({ description, $ref: 'Failure#' });

/** Answers any operation may give, depending on the server's configuration. */
export const commonFailures = (): Record<number, Schema> => ({
  429: failureResponse('Over the rate limit (when the server sets one); see Retry-After.'),
});
