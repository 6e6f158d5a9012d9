/**
 * A list of units to pre-fill a template with: CSV with a header that has
 * "id" and "name" (and optionally "level"), or JSON: a list of {id, name,
 * level?}, {"units": [...]}, or a submissions file (its id, name and level
 * are used, its values ignored). When the list gives levels, only the
 * template's level is kept.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { readAttributeValue } from '../contract/unit-attributes.js';
import type { UnitAttributeDef, UnitTypeDef } from '../model.js';
import { problem, type Problem } from '../problems.js';
import { DEFAULT_WORKBOOK_LIMITS } from './limits.js';
import type { TemplateUnit } from './template.js';

const MAX_BYTES = 5 * 1024 * 1024;
const MAX_UNITS = 20_000;
const UNIT_ID = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u;

export interface ReadUnits {
  units: TemplateUnit[];
  /** Units of other levels left out. */
  skipped: number;
  problems: Problem[];
}

function unreadable(file: string, vi: string, en: string): ReadUnits {
  return { units: [], skipped: 0, problems: [problem('units.unreadable', { vi, en }, { file })] };
}

/** What a structured level declares of its units (issue 11): a listed type or attribute is checked against it. */
export interface UnitsDeclared {
  unitTypes: ReadonlyMap<string, UnitTypeDef>;
  attributes: ReadonlyMap<string, UnitAttributeDef>;
}

const folded = (text: string) => text.normalize('NFC').toLocaleLowerCase('vi').trim();

/**
 * Read a units list for the template of `level`. With the level's declarations, a type or an
 * attribute value it does not know is a warning at its line and column (the template is still
 * written, the cell left as listed for the unit to pick from the dropdown), never a silent blank.
 */
export function readUnitsList(file: string, text: string, level: string, declared?: UnitsDeclared): ReadUnits {
  if (Buffer.byteLength(text, 'utf8') > MAX_BYTES) return unreadable(file, `Danh sách đơn vị quá lớn (tối đa ${MAX_BYTES} byte).`, `Units list too large (at most ${MAX_BYTES} bytes).`);
  let records: { raw: Record<string, unknown>; where: string; whereEn: string; line?: number }[];
  /** The CSV column (from 1) of a header name, for locating a value. */
  let columnOf = (_name: string): number => 1;
  if (/\.json$/i.test(file)) {
    let data: unknown;
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      return unreadable(file, `Danh sách đơn vị không phải JSON hợp lệ: ${(err as Error).message}`, `Units list is not valid JSON: ${(err as Error).message}`);
    }
    const object = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
    const list = Array.isArray(data) ? data : Array.isArray(object?.units) ? object.units : Array.isArray(object?.submissions) ? object.submissions : undefined;
    if (!list) return unreadable(file, 'Danh sách đơn vị JSON phải là một mảng [{id, name, level}] hoặc {"units": [...]}.', 'A JSON units list must be an array [{id, name, level}] or {"units": [...]}.');
    records = list.map((raw, i) => ({ raw: (raw ?? {}) as Record<string, unknown>, where: `mục thứ ${i + 1}`, whereEn: `entry ${i + 1}` }));
  } else {
    let rows: string[][];
    try {
      const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
      const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
      rows = parseCsv(text, { bom: true, skip_empty_lines: true, relax_column_count: true, delimiter }) as string[][];
    } catch (err) {
      return unreadable(file, `Danh sách đơn vị CSV không đọc được: ${(err as Error).message}`, `Cannot read the units CSV: ${(err as Error).message}`);
    }
    const [head, ...body] = rows;
    const columns = (head ?? []).map((h) => h.trim().toLowerCase());
    if (!columns.includes('id') || !columns.includes('name')) return unreadable(file, 'Danh sách đơn vị CSV cần dòng tiêu đề có cột "id" và "name" (và "level" nếu có nhiều cấp).', 'A units CSV needs a header with "id" and "name" (and "level" for several levels).');
    columnOf = (name) => Math.max(1, columns.indexOf(name) + 1);
    records = body.map((row, i) => ({ raw: Object.fromEntries(columns.map((c, j) => [c, row[j]?.trim()]).filter(([c]) => c !== '__proto__')), where: `dòng ${i + 2}`, whereEn: `line ${i + 2}`, line: i + 2 }));
  }
  if (records.length > MAX_UNITS) return unreadable(file, `Quá nhiều đơn vị (${records.length}, tối đa ${MAX_UNITS}).`, `Too many units (${records.length}, at most ${MAX_UNITS}).`);

  const units: TemplateUnit[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const { raw, where, whereEn, line } of records) {
    const located = line ? { location: { file, start: 0, end: 0, line, column: 1 } } : { file };
    const unitLevel = typeof raw.level === 'string' && raw.level !== '' ? raw.level : undefined;
    if (unitLevel && unitLevel !== level) {
      skipped++;
      continue;
    }
    const id = typeof raw.id === 'string' ? raw.id.trim() : '';
    const name = typeof raw.name === 'string' ? raw.name.trim() : '';
    if (name.length > DEFAULT_WORKBOOK_LIMITS.maxNameChars) {
      problems.push(problem('units.unreadable', { vi: `${where}: tên đơn vị "${id}" dài ${name.length} ký tự, vượt giới hạn ${DEFAULT_WORKBOOK_LIMITS.maxNameChars}.`, en: `${whereEn}: the name of unit "${id}" is ${name.length} characters long, over the limit of ${DEFAULT_WORKBOOK_LIMITS.maxNameChars}.` }, located));
      continue;
    }
    if (!UNIT_ID.test(id) || name === '') {
      problems.push(problem('units.unreadable', { vi: `${where}: thiếu hoặc sai mã đơn vị (id) hoặc tên (name).`, en: `${whereEn}: missing or invalid unit id or name.` }, located));
      continue;
    }
    if (seen.has(id)) {
      problems.push(problem('units.unreadable', { vi: `${where}: mã đơn vị "${id}" bị trùng; chỉ giữ lần đầu.`, en: `${whereEn}: unit id "${id}" is repeated; the first is kept.` }, { ...located, severity: 'warning' }));
      continue;
    }
    seen.add(id);
    // structures (issue 11): a unit's type and attributes, when the list gives them, are pre-filled too.
    const type = typeof raw.type === 'string' && raw.type.trim() !== '' && raw.type.length <= 64 ? raw.type.trim() : undefined;
    const attributes = Object.create(null) as Record<string, unknown>;
    if (raw.attributes !== null && typeof raw.attributes === 'object' && !Array.isArray(raw.attributes)) {
      for (const [key, value] of Object.entries(raw.attributes as Record<string, unknown>)) if (typeof value === 'boolean' || (typeof value === 'string' && value.length <= 200)) attributes[key] = value;
    }
    for (const [key, value] of Object.entries(raw)) if (key.startsWith('attributes.') && typeof value === 'string' && value !== '' && value.length <= 200) attributes[key.slice('attributes.'.length)] = value;
    if (declared) problems.push(...declaredProblems(declared, { id, type, attributes }, file, where, whereEn, line, columnOf));
    units.push({ id, name, ...(type ? { type } : {}), ...(Object.keys(attributes).length ? { attributes } : {}) });
  }
  return { units, skipped, problems };
}

/** A listed unit's type and attributes against what its level declares (structures, issue 11). */
function declaredProblems(declared: UnitsDeclared, unit: { id: string; type?: string; attributes: Record<string, unknown> }, file: string, where: string, whereEn: string, line: number | undefined, columnOf: (name: string) => number): Problem[] {
  const problems: Problem[] = [];
  const at = (column: string) => (line ? { location: { file, start: 0, end: 0, line, column: columnOf(column) } } : { file });
  const types = [...declared.unitTypes.values()];
  if (unit.type !== undefined && types.length && !types.some((t) => t.id === unit.type || folded(t.label) === folded(unit.type!))) {
    const names = types.map((t) => `${t.label} (${t.id})`).join('; ');
    problems.push(
      problem(
        'units.unreadable',
        { vi: `${where}: đơn vị "${unit.id}" có loại "${unit.type}", cấp này không khai loại đó.`, en: `${whereEn}: unit "${unit.id}" has type "${unit.type}", which this level does not declare.` },
        { ...at('type'), severity: 'warning', unit: unit.id, hint: { vi: `Ghi mã hoặc tên một loại của cấp: ${names}. Mẫu vẫn được tạo; đơn vị chọn lại loại trong danh sách.`, en: `Write the id or name of one of the level's types: ${names}. The template is still written; the unit picks its type from the list.` } },
      ),
    );
  }
  for (const [attribute, value] of Object.entries(unit.attributes)) {
    const def = declared.attributes.get(attribute);
    if (!def) {
      if (!declared.attributes.size) continue;
      problems.push(problem('units.unreadable', { vi: `${where}: cấp này không có thuộc tính "${attribute}" (đơn vị "${unit.id}").`, en: `${whereEn}: this level has no attribute "${attribute}" (unit "${unit.id}").` }, { ...at(`attributes.${attribute}`), severity: 'warning', unit: unit.id, hint: { vi: `Các thuộc tính của cấp: ${[...declared.attributes.keys()].join(', ')}.`, en: `The level's attributes: ${[...declared.attributes.keys()].join(', ')}.` } }));
      continue;
    }
    const read = readAttributeValue(def, value, 'text');
    if ('wrong' in read) problems.push(problem('units.unreadable', { vi: `${where}: đơn vị "${unit.id}": ${read.wrong.vi}.`, en: `${whereEn}: unit "${unit.id}": ${read.wrong.en}.` }, { ...at(`attributes.${attribute}`), severity: 'warning', unit: unit.id, hint: read.hint }));
  }
  return problems;
}
