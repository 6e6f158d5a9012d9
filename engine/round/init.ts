/**
 * `tieuchi round init`: a new round folder with a commented round.yaml, the
 * units register (from a CSV list or an existing units.yaml), and empty
 * received/ and appraisals/ folders. Refuses to touch an existing round.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'yaml';
import writeFileAtomic from 'write-file-atomic';
import type { CriteriaSet } from '../criteria-set.js';
import { readAttributeValue } from '../contract/unit-attributes.js';
import { problem, type Problem } from '../problems.js';
import { APPRAISALS_DIR, JOURNAL_FILE, RECEIVED_DIR, ROUND_FILE, UNITS_FILE } from './config.js';
import { appendJournal } from './received.js';
import { ID_PATTERN } from './yaml-file.js';

export interface InitOptions {
  dir: string;
  /** The criteria folder, absolute. */
  criteriaDir: string;
  set: CriteriaSet;
  deadline: string;
  name?: string;
  /** Units list: CSV (id,name,level[,type,attributes.<id>…,parent,predecessors]) text, or units YAML text. */
  units?: { file: string; text: string };
  now?: Date;
}

interface UnitRow {
  id: string;
  name: string;
  level: string;
  type?: string;
  /** structures (issue 11): columns attributes.<id>, read against the level's unit_attributes (Có/Không, an option). */
  attributes?: Record<string, boolean | string>;
  parent?: string;
  predecessors?: string[];
}

export function readUnitsCsv(file: string, text: string, set: CriteriaSet): { units: UnitRow[]; problems: Problem[] } {
  const problems: Problem[] = [];
  let rows: string[][];
  try {
    const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
    rows = parseCsv(text, { bom: true, skip_empty_lines: true, relax_column_count: true, delimiter }) as string[][];
  } catch (err) {
    return { units: [], problems: [problem('round.units', { vi: `Danh sách đơn vị CSV không đọc được: ${(err as Error).message}`, en: `Cannot read the units CSV: ${(err as Error).message}` }, { file })] };
  }
  const [head, ...body] = rows;
  const columns = (head ?? []).map((h) => h.trim().toLowerCase());
  for (const need of ['id', 'name', 'level']) {
    if (!columns.includes(need)) problems.push(problem('round.units', { vi: `Danh sách đơn vị thiếu cột "${need}" (cần: id, name, level; có thể thêm type, attributes.<mã thuộc tính>, parent, predecessors).`, en: `The units list has no "${need}" column.` }, { location: { file, start: 0, end: 0, line: 1, column: 1 } }));
  }
  if (problems.length) return { units: [], problems };
  const levels = new Set(set.levels.map((l) => l.id));
  const seen = new Set<string>();
  const units: UnitRow[] = [];
  body.forEach((row, i) => {
    const line = i + 2;
    const cell = (name: string) => row[columns.indexOf(name)]?.trim() ?? '';
    const at = (name: string) => ({ location: { file, start: 0, end: 0, line, column: Math.max(1, columns.indexOf(name) + 1) } });
    const id = cell('id');
    const level = cell('level');
    if (!ID_PATTERN.test(id)) return void problems.push(problem('round.units', { vi: `Dòng ${line}: mã đơn vị "${id}" không hợp lệ.`, en: `Line ${line}: invalid unit id "${id}".` }, at('id')));
    if (seen.has(id)) return void problems.push(problem('round.units', { vi: `Dòng ${line}: mã đơn vị "${id}" bị trùng.`, en: `Line ${line}: unit id "${id}" is repeated.` }, at('id')));
    if (!cell('name')) return void problems.push(problem('round.units', { vi: `Dòng ${line}: thiếu tên đơn vị.`, en: `Line ${line}: missing name.` }, at('name')));
    if (!levels.has(level)) return void problems.push(problem('round.units', { vi: `Dòng ${line}: cấp "${level}" không có trong bộ tiêu chí năm ${set.year} (${[...levels].join(', ')}).`, en: `Line ${line}: level "${level}" is not in the ${set.year} criteria.` }, at('level')));
    seen.add(id);
    const predecessors = cell('predecessors').split(/[|\s]+/).filter(Boolean);
    const attributes: Record<string, boolean | string> = {};
    const declared = set.levels.find((l) => l.id === level)!.structure?.attributes;
    for (const column of columns.filter((c) => c.startsWith('attributes.'))) {
      const key = column.slice('attributes.'.length);
      const text = cell(column);
      if (text === '') continue;
      const def = declared?.get(key);
      if (!def) {
        problems.push(problem('round.units', { vi: `Dòng ${line}: cấp "${level}" không khai báo thuộc tính đơn vị "${key}" (cột ${column}).`, en: `Line ${line}: level "${level}" declares no unit attribute "${key}".` }, at(column)));
        continue;
      }
      const read = readAttributeValue(def, text, 'text');
      if ('value' in read) attributes[key] = read.value;
      else problems.push(problem('round.units', { vi: `Dòng ${line}: ${read.wrong.vi}.`, en: `Line ${line}: ${read.wrong.en}.` }, { ...at(column), hint: read.hint }));
    }
    units.push({ id, name: cell('name'), level, ...(cell('type') ? { type: cell('type') } : {}), ...(Object.keys(attributes).length ? { attributes } : {}), ...(cell('parent') ? { parent: cell('parent') } : {}), ...(predecessors.length ? { predecessors } : {}) });
  });
  return { units, problems };
}

/** Create the round; returns problems (and writes nothing) when the folder already holds a round or the list is wrong. */
export function initRound(options: InitOptions): Problem[] {
  const roundFile = join(options.dir, ROUND_FILE);
  if (existsSync(roundFile)) {
    return [problem('round.config', { vi: `Thư mục "${options.dir}" đã là một đợt đánh giá (có ${ROUND_FILE}); không ghi đè.`, en: `"${options.dir}" already holds a round (${ROUND_FILE}); not overwritten.` }, { file: roundFile })];
  }
  let unitsText: string;
  if (options.units && /\.ya?ml$/i.test(options.units.file)) unitsText = options.units.text;
  else {
    const read = options.units ? readUnitsCsv(options.units.file, options.units.text, options.set) : { units: [], problems: [] };
    if (read.problems.some((p) => p.severity === 'error')) return read.problems;
    unitsText = `# Danh sách đơn vị được đánh giá năm ${options.set.year}: mã, tên, cấp (theo bộ tiêu chí), loại, thuộc tính (khi cấp khai báo), đơn vị cấp trên,\n# và (khi sáp nhập) các đơn vị cũ được hợp thành (predecessors, theo mã ở đợt trước).\n${stringify({ format_version: 1, year: options.set.year, comparison: 'mean', units: read.units })}`;
  }
  const criteria = relative(options.dir, options.criteriaDir) || '.';
  const levels = options.set.levels.map((l) => l.id);
  const roundYaml = `# Đợt đánh giá thi đua Chuyển đổi số. Tệp này do tieuchi round init tạo; sửa trực tiếp được.
format_version: 1
name: ${JSON.stringify(options.name ?? `Đánh giá Chuyển đổi số năm ${options.set.year}`)}
year: ${options.set.year}
criteria: ${JSON.stringify(criteria.split('\\').join('/'))}   # bộ tiêu chí, đường dẫn tính từ thư mục này
deadline: "${options.deadline}"    # hạn gửi số liệu (hết ngày, giờ Việt Nam)
late: reject                 # tệp gửi trễ: reject (giữ lại, không chấm) hoặc accept (vẫn chấm, có cảnh báo)
department: { id: so-chu-tri, name: Sở chủ trì }
# Cơ quan cung cấp số liệu: mỗi cơ quan khai các số liệu mình cung cấp theo từng cấp
# (mã_tiêu_chí.mã_số_liệu, hoặc mã_tiêu_chí). Số liệu không cơ quan nào khai là do đơn vị tự báo cáo.
providers: []
#  - id: cong-an-tinh
#    name: Công an tỉnh
#    supplies:
#      ${levels[0] ?? 'province'}: [vneid-can-bo.ty_le]
# Khóa truy cập dịch vụ (tieuchi serve --round): chỉ lưu mã băm SHA-256; tạo bằng tieuchi round key.
keys: []
# Đề nghị khen thưởng: theo từng cấp, số đơn vị đứng đầu (top) và/hoặc tổng điểm tối thiểu (min_total);
# phân định khi bằng điểm (quyết định không quy định): điểm một tiêu chí, rồi gửi đủ số liệu sớm hơn.
# award:
#   levels:
#     ${levels[0] ?? 'province'}: { top: 3, min_total: 80, title: Bằng khen }
#   tie_break: [ { criterion: ho-so-dung-han }, earlier_submission ]
`;
  mkdirSync(join(options.dir, RECEIVED_DIR), { recursive: true });
  mkdirSync(join(options.dir, APPRAISALS_DIR), { recursive: true });
  writeFileAtomic.sync(join(options.dir, UNITS_FILE), unitsText, { encoding: 'utf8' });
  writeFileAtomic.sync(roundFile, roundYaml, { encoding: 'utf8' });
  if (!existsSync(join(options.dir, JOURNAL_FILE))) writeFileAtomic.sync(join(options.dir, JOURNAL_FILE), '', { encoding: 'utf8' });
  appendJournal(options.dir, { at: (options.now ?? new Date()).toISOString(), who: 'tieuchi round init', action: 'init', note: `criteria ${criteria}, deadline ${options.deadline}` });
  return [];
}

export function readTextFile(path: string): string {
  return readFileSync(path, 'utf8');
}
