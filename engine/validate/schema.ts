import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { closest } from 'fastest-levenshtein';
import { locationAt, rangeOf, type YamlSource } from '../load/yaml-source.js';
import type { CriteriaLevelDoc } from '../model.js';
import { problem, type Localized, type Problem, type ProblemCode } from '../problems.js';
import { schemaPath } from '../paths.js';

const require = createRequire(import.meta.url);

let compiled: ValidateFunction | undefined;

/**
 * The criteria-file validator, made once per process. The build precompiles
 * it (scripts/build-validator.mjs) so that the CLI neither loads ajv nor
 * compiles the schema at start-up; from source, or when the schema changed
 * after the build, it is compiled here with the same options.
 */
export function criteriaValidator(): ValidateFunction {
  if (!compiled) {
    const schemaText = readFileSync(schemaPath('criteria-level.schema.json'), 'utf8');
    compiled = precompiled(schemaText) ?? compileSchema(JSON.parse(schemaText));
  }
  return compiled;
}

function precompiled(schemaText: string): ValidateFunction | undefined {
  const path = join(dirname(fileURLToPath(import.meta.url)), 'criteria-validator.cjs');
  if (!existsSync(path)) return undefined;
  const validate = require(path) as ValidateFunction & { schemaSha256?: string };
  const current = createHash('sha256').update(schemaText).digest('hex');
  return validate.schemaSha256 === current ? validate : undefined;
}

/** Keep the options in step with scripts/build-validator.mjs. */
function compileSchema(schema: object): ValidateFunction {
  // ajv ships CommonJS; loaded only when there is no precompiled validator.
  const Ajv = (require('ajv') as { default: typeof import('ajv').default }).default;
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  // errorMessage / patternErrorMessage carry Vietnamese messages for editors (VS Code's
  // YAML extension shows them instead of its English ones); for ajv they are annotations.
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  return ajv.compile(schema);
}

/** Validate a parsed criteria file against the JSON Schema; every error located in the YAML. */
export function validateAgainstSchema(value: unknown, source: YamlSource): { doc?: CriteriaLevelDoc; problems: Problem[] } {
  const validate = criteriaValidator();
  if (validate(value)) return { doc: value as CriteriaLevelDoc, problems: [] };
  const errors = pruneErrors(validate.errors ?? []);
  return { problems: errors.map((error) => toProblem(error, value, source)) };
}

/**
 * ajv reports a failed `propertyNames` twice (the inner enum and the outer
 * keyword). Keep the one that names the key.
 */
function pruneErrors(errors: ErrorObject[]): ErrorObject[] {
  // An if/then (a parameter's value typed by its declared type) also reports "must match then";
  // the inner error already says what is wrong, and where.
  return errors.filter((e) => !(e.keyword === 'propertyNames' || e.keyword === 'if'));
}

export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** The criterion id behind a path like /criteria/3/..., when the file got that far. */
function criterionAt(value: unknown, path: (string | number)[]): string | undefined {
  if (path[0] !== 'criteria' || typeof path[1] !== 'number') return undefined;
  const criteria = (value as { criteria?: unknown[] })?.criteria;
  const criterion = Array.isArray(criteria) ? criteria[path[1]] : undefined;
  const id = (criterion as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : `#${path[1] + 1}`;
}

const TYPE_NAMES: Record<string, Localized> = {
  number: { vi: 'một số', en: 'a number' },
  integer: { vi: 'một số nguyên', en: 'a whole number' },
  string: { vi: 'một chuỗi chữ', en: 'a string' },
  boolean: { vi: 'true hoặc false', en: 'true or false' },
  object: { vi: 'một khối khóa: giá trị', en: 'a mapping of key: value' },
  array: { vi: 'một danh sách (các dòng bắt đầu bằng "- ")', en: 'a list (lines starting with "- ")' },
  null: { vi: 'null', en: 'null' },
};

function typeList(types: string | string[], lang: keyof Localized): string {
  const list = Array.isArray(types) ? types : String(types).split(',');
  return list.map((t) => TYPE_NAMES[t]?.[lang] ?? t).join(lang === 'vi' ? ' hoặc ' : ' or ');
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? '[]' : '[…]';
  if (typeof v === 'object') return '{…}';
  return String(v);
}

/** How a place in the file is named in a message: the key, or the criterion for a criterion itself. */
function fieldName(path: (string | number)[], criterion: string | undefined): string {
  if (path.length === 2 && path[0] === 'criteria' && criterion) return `tiêu chí ${criterion}`;
  const last = [...path].reverse().find((s) => typeof s === 'string');
  return last === undefined ? '(gốc)' : String(last);
}

function levelOf(value: unknown): string | undefined {
  const id = (value as { level?: { id?: unknown } } | undefined)?.level?.id;
  return typeof id === 'string' ? id : undefined;
}

function toProblem(error: ErrorObject, value: unknown, source: YamlSource): Problem {
  const path = pointerToPath(error.instancePath);
  const criterion = criterionAt(value, path);
  const here = fieldName(path, criterion);
  const level = levelOf(value);
  const actual = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
  const parent = error.parentSchema as
    | { title?: string; description?: string; errorMessage?: string; patternErrorMessage?: string; properties?: Record<string, { title?: string; description?: string }> }
    | undefined;
  const custom = error.keyword === 'pattern' ? (parent?.patternErrorMessage ?? parent?.errorMessage) : undefined;
  const about = parent?.description ? { vi: `${parent.title ? parent.title + ': ' : ''}${parent.description}`, en: '' } : undefined;

  let code: ProblemCode = 'schema.invalid';
  let message: Localized;
  let hint: Localized | undefined;
  let range = rangeOf(source, path);

  switch (error.keyword) {
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const meta = parent?.properties?.[missing];
      code = 'schema.required';
      message = {
        vi: `Thiếu trường bắt buộc "${missing}"${meta?.title ? ` (${meta.title})` : ''}${path.length ? ` trong "${here}"` : ''}.`,
        en: `Missing required field "${missing}"${path.length ? ` in "${here}"` : ''}.`,
      };
      hint = {
        vi: `Thêm dòng "${missing}: ..." vào khối này.${meta?.description ? ' ' + meta.description : ''}`,
        en: `Add a line "${missing}: ..." to this mapping.`,
      };
      if (path.length > 0) range = rangeOf(source, path, true);
      break;
    }
    case 'additionalProperties': {
      const unknown = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(parent?.properties ?? {});
      const nearest = allowed.length ? closest(unknown, allowed) : undefined;
      code = 'schema.unknown-key';
      message = {
        vi: `Khóa không hợp lệ "${unknown}"${path.length ? ` trong "${here}"` : ''}.`,
        en: `Unknown key "${unknown}"${path.length ? ` in "${here}"` : ''}.`,
      };
      hint = {
        vi: `${nearest ? `Có phải ý là "${nearest}"? ` : ''}Các khóa được phép: ${allowed.join(', ')}.`,
        en: `${nearest ? `Did you mean "${nearest}"? ` : ''}Allowed keys: ${allowed.join(', ')}.`,
      };
      range = rangeOf(source, [...path, unknown], true);
      break;
    }
    case 'type': {
      const expected = (error.params as { type: string | string[] }).type;
      code = 'schema.type';
      message = {
        vi: `"${here}" phải là ${typeList(expected, 'vi')}, nhưng đang là ${describeValue(actual)}.`,
        en: `"${here}" must be ${typeList(expected, 'en')}, but is ${describeValue(actual)}.`,
      };
      hint = typeHint(expected, actual);
      break;
    }
    case 'enum': {
      const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      if (propertyName !== undefined) {
        // propertyNames: only the formula uses an enum of key names (its operators).
        const nearest = closest(propertyName, allowed);
        code = 'formula.unknown-operator';
        message = {
          vi: `Toán tử không được phép "${propertyName}" trong công thức.`,
          en: `Operator "${propertyName}" is not allowed in a formula.`,
        };
        hint = {
          vi: `Có phải ý là "${nearest}"? Các toán tử được phép: ${allowed.join(' ')}.`,
          en: `Did you mean "${nearest}"? Allowed operators: ${allowed.join(' ')}.`,
        };
        range = rangeOf(source, [...path, propertyName], true);
        break;
      }
      const nearest = typeof actual === 'string' ? closest(actual, allowed) : undefined;
      code = 'schema.enum';
      message = {
        vi: `Giá trị ${describeValue(actual)} của "${here}" không hợp lệ.`,
        en: `Value ${describeValue(actual)} of "${here}" is not allowed.`,
      };
      hint = {
        vi: `${nearest ? `Có phải ý là "${nearest}"? ` : ''}Các giá trị được phép: ${allowed.join(', ')}.`,
        en: `${nearest ? `Did you mean "${nearest}"? ` : ''}Allowed values: ${allowed.join(', ')}.`,
      };
      break;
    }
    case 'const': {
      const allowed = (error.params as { allowedValue: unknown }).allowedValue;
      code = 'schema.enum';
      message = {
        vi: `"${here}" phải là ${JSON.stringify(allowed)}, nhưng đang là ${describeValue(actual)}.`,
        en: `"${here}" must be ${JSON.stringify(allowed)}, but is ${describeValue(actual)}.`,
      };
      break;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = error.params as { comparison: string; limit: number };
      code = 'schema.range';
      message = {
        vi: `"${here}" = ${describeValue(actual)} nằm ngoài giới hạn: phải ${comparison} ${limit}.`,
        en: `"${here}" = ${describeValue(actual)} is out of range: must be ${comparison} ${limit}.`,
      };
      break;
    }
    case 'pattern': {
      code = 'schema.pattern';
      message = {
        vi: `"${here}" có dạng không hợp lệ: ${describeValue(actual)}.`,
        en: `"${here}" has an invalid form: ${describeValue(actual)}.`,
      };
      hint = custom ? { vi: custom, en: patternHint(error).en } : (about ?? patternHint(error));
      break;
    }
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
    case 'minLength':
    case 'maxLength': {
      const limit = (error.params as { limit: number }).limit;
      const isMin = error.keyword.startsWith('min');
      const isFormula = error.keyword.endsWith('Properties') && path.includes('formula');
      code = isFormula ? 'schema.invalid' : 'schema.range';
      message = isFormula
        ? {
            vi: `Mỗi phép toán trong công thức phải có đúng một toán tử, ví dụ { "+": [1, 2] }.`,
            en: `Each operation in a formula must have exactly one operator, e.g. { "+": [1, 2] }.`,
          }
        : {
            vi: `"${here}" phải có ${isMin ? 'ít nhất' : 'nhiều nhất'} ${limit} ${unitOf(error.keyword, 'vi')}.`,
            en: `"${here}" must have ${isMin ? 'at least' : 'at most'} ${limit} ${unitOf(error.keyword, 'en')}.`,
          };
      break;
    }
    default:
      message = {
        vi: `"${here}" không hợp lệ (${error.keyword}: ${error.message ?? ''}).`,
        en: `"${here}" is invalid (${error.keyword}: ${error.message ?? ''}).`,
      };
  }

  return problem(code, message, {
    location: locationAt(source, range[0], range[1]),
    ...(level ? { level } : {}),
    ...(criterion ? { criterion } : {}),
    ...(hint ? { hint: hint.en ? hint : { vi: hint.vi, en: hint.vi } } : {}),
  });
}

function unitOf(keyword: string, lang: keyof Localized): string {
  if (keyword.endsWith('Items')) return lang === 'vi' ? 'phần tử' : 'items';
  if (keyword.endsWith('Properties')) return lang === 'vi' ? 'khóa' : 'keys';
  return lang === 'vi' ? 'ký tự' : 'characters';
}

function patternHint(error: ErrorObject): Localized {
  const pattern = (error.params as { pattern: string }).pattern;
  return { vi: `Phải khớp mẫu ${pattern}.`, en: `Must match ${pattern}.` };
}

/** The common YAML surprises behind a type error, explained. */
function typeHint(expected: string | string[], actual: unknown): Localized | undefined {
  const wanted = Array.isArray(expected) ? expected : [expected];
  if (wanted.includes('number') || wanted.includes('integer')) {
    if (typeof actual === 'string' && /%\s*$/.test(actual)) {
      return { vi: 'Bỏ dấu %: viết 90 thay vì 90%.', en: 'Drop the % sign: write 90, not 90%.' };
    }
    if (typeof actual === 'string' && /^\s*\d+,\d+\s*$/.test(actual)) {
      const fixed = actual.trim().replace(',', '.');
      return { vi: `Trong YAML dùng dấu chấm thập phân: viết ${fixed} thay vì ${actual.trim()}.`, en: `YAML uses a decimal point: write ${fixed}, not ${actual.trim()}.` };
    }
  }
  if (wanted.includes('boolean') && typeof actual === 'string') {
    return { vi: 'Viết true hoặc false (không dùng yes/no, có/không).', en: 'Write true or false (not yes/no).' };
  }
  if (wanted.includes('string') && (typeof actual === 'number' || typeof actual === 'boolean')) {
    return { vi: 'Đặt giá trị trong dấu ngoặc kép, ví dụ "3".', en: 'Put the value in double quotes, e.g. "3".' };
  }
  return undefined;
}
