/**
 * What the registry generates for people and tools: the operator and input
 * type parts of schemas/criteria-level.schema.json, and the staff guide's
 * tables of operators and input types. `npm run gen:schema` writes them;
 * test/language-registry.test.ts fails when a committed file is stale.
 */
import type { Registry } from './registry.js';
import type { OperatorGroup } from './operator.js';

type JsonObject = Record<string, unknown>;

const GROUP_NAMES: Record<OperatorGroup, string> = {
  reference: 'Tên',
  arithmetic: 'Số học',
  comparison: 'So sánh',
  logic: 'Điều kiện',
  choice: 'Lựa chọn',
  dates: 'Ngày tháng',
};

function object(parent: JsonObject, key: string): JsonObject {
  const child = parent[key];
  if (!child || typeof child !== 'object' || Array.isArray(child)) throw new Error(`schema has no object at ${key}`);
  return child as JsonObject;
}

/** The schema with its operator list and input type list taken from the registry (everything else untouched). */
export function withLanguage(schema: JsonObject, registry: Registry): JsonObject {
  const copy = structuredClone(schema);
  const definitions = object(copy, 'definitions');
  const formula = object(definitions, 'formula');
  const names = registry.operatorNames;
  formula.description = `Số, chuỗi, true/false, null, hoặc một phép toán { toán_tử: [đối số...] }. Toán tử được phép: ${names.join(', ')}.`;
  object(formula, 'propertyNames').enum = [...names];
  formula.errorMessage = `Toán tử không được phép. Dùng một trong: ${names.join(' ')}. Mỗi phép toán chỉ có một toán tử, ví dụ { "+": [1, 2] }.`;
  const type = object(object(object(definitions, 'input'), 'properties'), 'type');
  type.description = `${[...registry.inputTypes.values()].map((t) => `${t.name}: ${t.wording.meaning.vi}`).join('; ')}.`;
  type.enum = [...registry.inputTypeNames];
  return copy;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The staff guide's operator table (Markdown). */
export function operatorTable(registry: Registry): string {
  const rows = [...registry.operators.values()].map((op) => `| ${GROUP_NAMES[op.group]} | \`${cell(op.name)}\` | ${arityText(op.arity)} | ${cell(op.guide.meaning.vi)} | \`${cell(op.guide.example)}\` |`);
  return ['| nhóm | toán tử | số đối số | ý nghĩa | ví dụ |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The staff guide's input type table (Markdown). */
export function inputTypeTable(registry: Registry): string {
  const rows = [...registry.inputTypes.values()].map((t) => `| \`${t.name}\` | ${cell(t.wording.meaning.vi)} | ${cell(t.wording.json)} | ${cell(t.wording.text)} |`);
  return ['| loại | ý nghĩa | trong JSON | trong CSV / bảng tính |', '|---|---|---|---|', ...rows].join('\n');
}

function arityText({ min, max }: { min: number; max: number }): string {
  if (max === Infinity) return `từ ${min}`;
  return min === max ? `${min}` : `${min}–${max}`;
}

/** Replace what lies between `<!-- name:start -->` and `<!-- name:end -->`; throws when the markers are missing. */
export function replaceBetweenMarkers(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${start} … ${end} not found`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** The guide with both tables regenerated. */
export function withLanguageTables(guide: string, registry: Registry): string {
  return replaceBetweenMarkers(replaceBetweenMarkers(guide, 'language-operators', operatorTable(registry)), 'language-input-types', inputTypeTable(registry));
}
