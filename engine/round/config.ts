/**
 * An assessment round is a folder a person can read, back up and version:
 *
 *   round.yaml          which criteria set, the deadline, the providers and who supplies which input,
 *                       the API keys' hashes, the award rule
 *   units.yaml          the register of units assessed (id, name, level, type, attributes, parent, predecessors);
 *                       on a level that declares unit_types / unit_attributes (issue 11) the type and
 *                       attributes are checked against them and are what the unit is scored as
 *   received/<who>/     every file received, named <UTC time>-<sha8>.<ext>, never overwritten
 *   appraisals/*.yaml   the department's decisions per unit and criterion, with reasons
 *   journal.jsonl       append-only: who sent what, when, with its SHA-256
 *   round-values.yaml   the values the department supplies once per round (issue 11,
 *                       engine/load/round-values.ts), when the set declares round_values: read by
 *                       `round score` (results.ts) and by `tieuchi serve --round` for the web view
 *
 * This module reads round.yaml and units.yaml, checks them against the criteria
 * set, and reports every mistake at its line and column.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { CompiledLevel } from '../compile/level.js';
import { readAttributeValue } from '../contract/unit-attributes.js';
import { loadCriteriaSet, type CriteriaSet } from '../criteria-set.js';
import type { UnitAttributeDef } from '../model.js';
import { hasErrors, problem, type Problem, type SourceLocation } from '../problems.js';
import { FieldChecker, has, isRecord, readYamlFile } from './yaml-file.js';

export const ROUND_FILE = 'round.yaml';
export const UNITS_FILE = 'units.yaml';
export const RECEIVED_DIR = 'received';
export const APPRAISALS_DIR = 'appraisals';
export const JOURNAL_FILE = 'journal.jsonl';
export const ROUND_VALUES_FILE = 'round-values.yaml';

/** The provider id meaning "the unit itself": every input no agency supplies is the unit's own. */
export const UNIT_SELF = 'don-vi';

export interface ProviderDecl {
  id: string;
  name: string;
  /** Position in round.yaml's providers list, for messages. */
  index: number;
  /** level id → "criterion.input" keys this provider supplies. */
  supplies: Map<string, Set<string>>;
}

export type TieBreak = { kind: 'criterion'; criterion: string } | { kind: 'earlier-submission' };

export interface AwardLevelRule {
  top?: number;
  minTotal?: number;
  title?: string;
}

export interface AwardRule {
  levels: Map<string, AwardLevelRule>;
  tieBreak: TieBreak[];
}

export interface KeyDecl {
  /** A provider id, a unit id, or the department's id. */
  holder: string;
  /** Hex SHA-256 of the key; the key itself is never stored. */
  sha256: string;
}

export interface RoundConfig {
  name: string;
  year: number;
  /** As written in round.yaml (relative to the round folder). */
  criteria: string;
  /** The last day to send data (inclusive, Vietnam time, UTC+7). */
  deadline: string;
  /** What happens to a file received after the deadline: kept and reported either way; used only with "accept". */
  late: 'reject' | 'accept';
  department: { id: string; name: string };
  providers: ProviderDecl[];
  keys: KeyDecl[];
  award?: AwardRule;
}

export interface RegisteredUnit {
  id: string;
  name: string;
  level: string;
  type?: string;
  /**
   * structures (issue 11): the unit's attributes (the level's unit_attributes), as read
   * against the declaration: true/false or an option id. Passed to the scorer with the type.
   */
  attributes?: Record<string, boolean | string>;
  parent?: string;
  /** Units of an earlier round this unit was formed from (a merger), by id. */
  predecessors: string[];
  /** Position in units.yaml, for messages. */
  path: (string | number)[];
  /** The unit's entry in units.yaml (file, line, column): where a problem about the unit as registered points. */
  location?: SourceLocation;
}

export interface UnitsRegister {
  year: number;
  /** How a merged unit's result is compared with its predecessors'. */
  comparison: 'mean' | 'max' | 'min';
  units: RegisteredUnit[];
}

export interface Round {
  /** Absolute path of the round folder. */
  dir: string;
  /** How the folder is shown in messages. */
  shown: string;
  config: RoundConfig;
  set: CriteriaSet;
  register: UnitsRegister;
  /** unit id → unit. */
  units: Map<string, RegisteredUnit>;
}

const T = {
  name: { vi: 'tên đợt đánh giá', en: 'the round name' },
  criteria: { vi: 'thư mục bộ tiêu chí', en: 'the criteria folder' },
  deadline: { vi: 'hạn gửi số liệu', en: 'the deadline' },
  id: { vi: 'mã', en: 'the id' },
  providerName: { vi: 'tên cơ quan cung cấp', en: 'the provider name' },
  unitName: { vi: 'tên đơn vị', en: 'the unit name' },
  level: { vi: 'cấp', en: 'the level' },
  type: { vi: 'loại đơn vị', en: 'the unit type' },
  parent: { vi: 'đơn vị cấp trên', en: 'the parent unit' },
  holder: { vi: 'người giữ khóa', en: 'the key holder' },
};

export interface LoadRoundOptions {
  /** How paths are shown in messages (default: as given). */
  show?: (path: string) => string;
}

/** Read a round folder: round.yaml, the criteria set it names, and units.yaml. */
export function loadRound(dir: string, options: LoadRoundOptions = {}): { round?: Round; problems: Problem[] } {
  const show = options.show ?? ((p: string) => p);
  const roundFile = join(dir, ROUND_FILE);
  if (!existsSync(roundFile)) {
    return {
      problems: [
        problem('round.config', { vi: `Thư mục "${show(dir)}" không phải một đợt đánh giá: không có tệp ${ROUND_FILE}.`, en: `"${show(dir)}" is not a round folder: it has no ${ROUND_FILE}.` }, {
          file: show(dir),
          hint: { vi: 'Tạo đợt đánh giá bằng: tieuchi round init THƯ_MỤC --criteria criteria/2023 --deadline 2023-12-15 --units danh-sach.csv', en: 'Create one with: tieuchi round init DIR --criteria criteria/2023 --deadline 2023-12-15 --units list.csv' },
        }),
      ],
    };
  }
  const read = readYamlFile(roundFile, show(roundFile), 'round.config');
  const problems = [...read.problems];
  if (read.value === undefined) return { problems };
  const check = new FieldChecker(show(roundFile), read.locate, 'round.config');
  const config = readConfig(read.value, check);
  problems.push(...check.problems);
  if (!config) return { problems };

  const criteriaDir = isAbsolute(config.criteria) ? config.criteria : resolve(dir, config.criteria);
  const loaded = loadCriteriaSet(criteriaDir, { displayPath: show, checkDomains: false });
  if (!loaded.set || hasErrors(loaded.problems)) {
    problems.push(...loaded.problems);
    problems.push(problem('round.config', { vi: `Bộ tiêu chí "${config.criteria}" mà ${ROUND_FILE} chỉ ra có lỗi hoặc không có.`, en: `The criteria "${config.criteria}" named in ${ROUND_FILE} have errors or are missing.` }, { ...check.where(['criteria']) }));
    return { problems };
  }
  const set = loaded.set;
  if (set.year !== config.year) {
    check.report(['year'], { vi: `Đợt đánh giá năm ${config.year} nhưng bộ tiêu chí "${config.criteria}" là của năm ${set.year}.`, en: `The round is for ${config.year} but the criteria "${config.criteria}" are for ${set.year}.` });
  }
  checkAgainstSet(read.value as Record<string, unknown>, config, set, check);
  problems.push(...check.problems.filter((p) => !problems.includes(p)));

  const unitsPath = join(dir, UNITS_FILE);
  const units = readUnitsRegister(unitsPath, show(unitsPath), set);
  problems.push(...units.problems);
  if (hasErrors(problems) || !units.register) return { problems };
  // A key must name someone the round knows.
  const known = new Set([config.department.id, ...config.providers.map((p) => p.id), ...units.register.units.map((u) => u.id)]);
  config.keys.forEach((k, i) => {
    if (!known.has(k.holder)) check.report(['keys', i, 'holder'], { vi: `Khóa của "${k.holder}": không có cơ quan cung cấp, đơn vị hay sở chủ trì nào có mã này.`, en: `Key for "${k.holder}": no provider, unit or department has this id.` });
  });
  problems.push(...check.problems.filter((p) => !problems.includes(p)));
  if (hasErrors(problems)) return { problems };
  return {
    round: { dir, shown: show(dir), config, set, register: units.register, units: new Map(units.register.units.map((u) => [u.id, u])) },
    problems,
  };
}

function readConfig(value: unknown, check: FieldChecker): RoundConfig | undefined {
  if (!isRecord(value)) {
    check.report([], { vi: `${ROUND_FILE} phải là một khối khóa: giá trị (name, year, criteria, deadline, …).`, en: `${ROUND_FILE} must be a mapping (name, year, criteria, deadline, …).` });
    return undefined;
  }
  check.keys(value, [], ['format_version', 'name', 'year', 'criteria', 'deadline', 'late', 'department', 'providers', 'keys', 'award']);
  if (value.format_version !== 1) check.report(['format_version'], { vi: 'format_version phải là 1.', en: 'format_version must be 1.' });
  const name = check.string(value, [], 'name', true, T.name);
  const year = value.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100) check.report(['year'], { vi: 'Năm ("year") phải là một số nguyên, ví dụ 2023.', en: '"year" must be a whole number, e.g. 2023.' });
  const criteria = check.string(value, [], 'criteria', true, T.criteria);
  const deadline = check.date(value, [], 'deadline', true, T.deadline);
  const late = value.late ?? 'reject';
  if (late !== 'reject' && late !== 'accept') check.report(['late'], { vi: '"late" là "reject" (tệp gửi trễ được giữ lại nhưng không dùng để chấm) hoặc "accept" (vẫn dùng, có cảnh báo).', en: '"late" is "reject" (late files kept, not scored) or "accept" (scored, with a warning).' });

  let department = { id: 'so-chu-tri', name: 'Sở chủ trì' };
  if (isRecord(value.department)) {
    check.keys(value.department, ['department'], ['id', 'name']);
    const id = check.id(value.department, ['department'], 'id', true, T.id);
    const dname = check.string(value.department, ['department'], 'name', true, T.providerName);
    if (id && dname) department = { id, name: dname };
  } else if (value.department !== undefined) check.report(['department'], { vi: '"department" là khối {id, name} của sở chủ trì.', en: '"department" is {id, name} of the department.' });

  const providers: ProviderDecl[] = [];
  const providerList = check.list(value, [], 'providers', { vi: 'danh sách cơ quan cung cấp số liệu', en: 'the providers list' }) ?? [];
  const seen = new Set<string>();
  providerList.forEach((raw, i) => {
    const path = ['providers', i];
    if (!isRecord(raw)) {
      check.report(path, { vi: 'Mỗi cơ quan cung cấp là một khối {id, name, supplies}.', en: 'Each provider is {id, name, supplies}.' });
      return;
    }
    check.keys(raw, path, ['id', 'name', 'supplies']);
    const id = check.id(raw, path, 'id', true, T.id);
    const pname = check.string(raw, path, 'name', true, T.providerName);
    if (id && seen.has(id)) check.report([...path, 'id'], { vi: `Mã cơ quan cung cấp "${id}" bị trùng.`, en: `Provider id "${id}" is repeated.` });
    if (id) seen.add(id);
    const supplies = new Map<string, Set<string>>();
    if (!isRecord(raw.supplies)) {
      check.report(path, { vi: `Cơ quan "${id ?? i + 1}" cần "supplies": theo từng cấp, danh sách số liệu cơ quan này cung cấp (mã_tiêu_chí.mã_số_liệu, hoặc mã_tiêu_chí cho mọi số liệu của tiêu chí).`, en: `Provider "${id ?? i + 1}" needs "supplies": per level, the inputs it supplies (criterion.input, or criterion for all its inputs).` });
    } else {
      for (const [level, list] of Object.entries(raw.supplies)) {
        if (!Array.isArray(list) || list.some((k) => typeof k !== 'string')) {
          check.report([...path, 'supplies', level], { vi: `Số liệu cấp "${level}" phải là danh sách mã, ví dụ [vneid-can-bo.ty_le].`, en: `Inputs of level "${level}" must be a list of keys, e.g. [vneid-can-bo.ty_le].` });
          continue;
        }
        supplies.set(level, new Set(list as string[]));
      }
    }
    if (id && pname) providers.push({ id, name: pname, index: i, supplies });
  });
  if (seen.has(UNIT_SELF)) check.report(['providers'], { vi: `"${UNIT_SELF}" là mã dành cho chính đơn vị được đánh giá; không khai nó là cơ quan cung cấp.`, en: `"${UNIT_SELF}" stands for the unit itself; do not declare it as a provider.` });

  const keys: KeyDecl[] = [];
  (check.list(value, [], 'keys', { vi: 'danh sách khóa truy cập', en: 'the keys list' }) ?? []).forEach((raw, i) => {
    const path = ['keys', i];
    if (!isRecord(raw)) {
      check.report(path, { vi: 'Mỗi khóa là {holder, sha256}.', en: 'Each key is {holder, sha256}.' });
      return;
    }
    check.keys(raw, path, ['holder', 'sha256', 'note']);
    const holder = check.id(raw, path, 'holder', true, T.holder);
    const sha = raw.sha256;
    if (typeof sha !== 'string' || !/^[0-9a-f]{64}$/.test(sha)) {
      check.report([...path, 'sha256'], { vi: '"sha256" là mã băm SHA-256 (64 ký tự hex) của khóa; tạo bằng tieuchi round key.', en: '"sha256" is the SHA-256 (64 hex characters) of the key; make one with tieuchi round key.' });
      return;
    }
    if (holder) keys.push({ holder, sha256: sha });
  });

  const award = value.award === undefined ? undefined : readAward(value.award, check);
  if (!name || typeof year !== 'number' || !criteria || !deadline || (late !== 'reject' && late !== 'accept')) return undefined;
  return { name, year, criteria, deadline, late, department, providers, keys, ...(award ? { award } : {}) };
}

function readAward(value: unknown, check: FieldChecker): AwardRule | undefined {
  if (!isRecord(value)) {
    check.report(['award'], { vi: '"award" là khối {levels, tie_break}.', en: '"award" is {levels, tie_break}.' });
    return undefined;
  }
  check.keys(value, ['award'], ['levels', 'tie_break']);
  const levels = new Map<string, AwardLevelRule>();
  if (!isRecord(value.levels)) check.report(['award'], { vi: 'Thiếu "levels": theo từng cấp, {top: số đơn vị, min_total: tổng điểm tối thiểu, title: danh hiệu}.', en: 'Missing "levels": per level, {top, min_total, title}.' });
  else {
    for (const [level, raw] of Object.entries(value.levels)) {
      const path = ['award', 'levels', level];
      if (!isRecord(raw)) {
        check.report(path, { vi: `Quy tắc cấp "${level}" là {top, min_total, title}.`, en: `The rule of level "${level}" is {top, min_total, title}.` });
        continue;
      }
      check.keys(raw, path, ['top', 'min_total', 'title']);
      const rule: AwardLevelRule = {};
      if (raw.top !== undefined) {
        if (typeof raw.top !== 'number' || !Number.isInteger(raw.top) || raw.top < 1) check.report([...path, 'top'], { vi: '"top" là số đơn vị được đề nghị (số nguyên ≥ 1).', en: '"top" is how many units are proposed (a whole number ≥ 1).' });
        else rule.top = raw.top;
      }
      if (raw.min_total !== undefined) {
        if (typeof raw.min_total !== 'number' || raw.min_total < 0) check.report([...path, 'min_total'], { vi: '"min_total" là tổng điểm tối thiểu (số ≥ 0).', en: '"min_total" is the minimum total (a number ≥ 0).' });
        else rule.minTotal = raw.min_total;
      }
      if (raw.title !== undefined) rule.title = check.string(raw, path, 'title', false, { vi: 'danh hiệu', en: 'the title' });
      if (rule.top === undefined && rule.minTotal === undefined) check.report(path, { vi: `Quy tắc cấp "${level}" cần "top", "min_total" hoặc cả hai.`, en: `The rule of level "${level}" needs "top", "min_total" or both.` });
      levels.set(level, rule);
    }
  }
  const tieBreak: TieBreak[] = [];
  (check.list(value, ['award'], 'tie_break', { vi: 'thứ tự phân định khi bằng điểm', en: 'the tie-break order' }) ?? []).forEach((raw, i) => {
    if (raw === 'earlier_submission') tieBreak.push({ kind: 'earlier-submission' });
    else if (isRecord(raw) && typeof raw.criterion === 'string' && Object.keys(raw).length === 1) tieBreak.push({ kind: 'criterion', criterion: raw.criterion });
    else check.report(['award', 'tie_break', i], { vi: 'Mỗi bước phân định là {criterion: mã_tiêu_chí} (điểm tiêu chí đó cao hơn xếp trước) hoặc earlier_submission (gửi đủ số liệu sớm hơn xếp trước).', en: 'Each tie-break is {criterion: id} (higher points first) or earlier_submission (complete data sent earlier first).' });
  });
  return { levels, tieBreak };
}

/** What only the criteria set can tell: levels and inputs named in supplies and award exist. */
function checkAgainstSet(raw: Record<string, unknown>, config: RoundConfig, set: CriteriaSet, check: FieldChecker): void {
  const levels = new Map(set.levels.map((l) => [l.id, l]));
  const levelHint = { vi: `Các cấp năm ${set.year}: ${set.levels.map((l) => l.id).join(', ')}.`, en: `Levels in ${set.year}: ${set.levels.map((l) => l.id).join(', ')}.` };
  config.providers.forEach((provider) => {
    const i = provider.index;
    for (const levelId of provider.supplies.keys()) {
      const level = levels.get(levelId);
      if (!level) {
        check.report(['providers', i, 'supplies', levelId], { vi: `Bộ tiêu chí năm ${set.year} không có cấp "${levelId}".`, en: `The ${set.year} criteria have no level "${levelId}".` }, { hint: levelHint });
        continue;
      }
      const expanded = new Set<string>();
      const list = ((raw.providers as unknown[])[i] as { supplies: Record<string, string[]> }).supplies[levelId]!;
      list.forEach((key, j) => {
        const [criterionId, inputId, extra] = key.split('.');
        const criterion = level.criteria.find((c) => c.id === criterionId);
        if (!criterion || extra !== undefined || (inputId !== undefined && !has(criterion.def.inputs, inputId))) {
          check.report(['providers', i, 'supplies', levelId, j], { vi: `Cấp "${levelId}" không có số liệu "${key}".`, en: `Level "${levelId}" has no input "${key}".` }, {
            hint: { vi: `Viết mã_tiêu_chí.mã_số_liệu, ví dụ ${level.criteria[0]!.id}.${Object.keys(level.criteria[0]!.def.inputs)[0]}, hoặc chỉ mã tiêu chí.`, en: 'Write criterion.input, or just the criterion id.' },
          });
          return;
        }
        for (const input of inputId ? [inputId] : Object.keys(criterion.def.inputs)) expanded.add(`${criterion.id}.${input}`);
      });
      provider.supplies.set(levelId, expanded);
    }
  });
  if (config.award) {
    for (const levelId of config.award.levels.keys()) {
      if (!levels.has(levelId)) check.report(['award', 'levels', levelId], { vi: `Bộ tiêu chí năm ${set.year} không có cấp "${levelId}".`, en: `The ${set.year} criteria have no level "${levelId}".` }, { hint: levelHint });
    }
    config.award.tieBreak.forEach((t, i) => {
      if (t.kind === 'criterion' && !set.levels.some((l) => l.criteria.some((c) => c.id === t.criterion))) {
        check.report(['award', 'tie_break', i], { vi: `Không có tiêu chí "${t.criterion}" ở cấp nào.`, en: `No level has criterion "${t.criterion}".` });
      }
    });
  }
}

/** Read units.yaml against the set: every unit names a level of the set, ids are unique. */
export function readUnitsRegister(path: string, file: string, set?: CriteriaSet): { register?: UnitsRegister; problems: Problem[] } {
  const read = readYamlFile(path, file, 'round.units');
  if (read.value === undefined) return { problems: read.problems };
  const check = new FieldChecker(file, read.locate, 'round.units');
  const value = read.value;
  if (!isRecord(value) || !Array.isArray(value.units)) {
    check.report([], { vi: `${UNITS_FILE} phải có "units": danh sách {id, name, level, type, attributes, parent, predecessors}.`, en: `${UNITS_FILE} needs "units": a list of {id, name, level, type, parent, predecessors}.` });
    return { problems: [...read.problems, ...check.problems] };
  }
  check.keys(value, [], ['format_version', 'year', 'comparison', 'units']);
  const comparison = value.comparison ?? 'mean';
  if (comparison !== 'mean' && comparison !== 'max' && comparison !== 'min') {
    check.report(['comparison'], { vi: '"comparison" (cách so sánh đơn vị sáp nhập với các đơn vị cũ): mean (trung bình tổng điểm), max hoặc min.', en: '"comparison" (how a merged unit compares with its predecessors): mean, max or min.' });
  }
  const year = typeof value.year === 'number' ? value.year : (set?.year ?? 0);
  if (set && value.year !== undefined && value.year !== set.year) check.report(['year'], { vi: `Danh sách đơn vị năm ${String(value.year)} nhưng bộ tiêu chí là năm ${set.year}.`, en: `The units register is for ${String(value.year)} but the criteria are for ${set.year}.` });
  const units: RegisteredUnit[] = [];
  const seen = new Set<string>();
  const levelIds = set ? new Set(set.levels.map((l) => l.id)) : undefined;
  value.units.forEach((raw: unknown, i: number) => {
    const path = ['units', i];
    if (!isRecord(raw)) {
      check.report(path, { vi: 'Mỗi đơn vị là một khối {id, name, level}.', en: 'Each unit is {id, name, level}.' });
      return;
    }
    check.keys(raw, path, ['id', 'name', 'level', 'type', 'attributes', 'parent', 'predecessors']);
    const id = check.id(raw, path, 'id', true, T.id);
    const name = check.string(raw, path, 'name', true, T.unitName);
    const level = check.id(raw, path, 'level', true, T.level);
    const type = check.string(raw, path, 'type', false, T.type);
    const levelDef = set && level ? set.levels.find((l) => l.id === level) : undefined;
    if (levelDef) checkUnitType(levelDef, raw, path, id ?? String(i + 1), type, check);
    const attributes = levelDef ? readUnitAttributes(levelDef, raw, path, id ?? String(i + 1), check) : undefined;
    const parent = check.id(raw, path, 'parent', false, T.parent);
    if (id && seen.has(id)) check.report([...path, 'id'], { vi: `Mã đơn vị "${id}" bị trùng.`, en: `Unit id "${id}" is repeated.` });
    if (level && levelIds && !levelIds.has(level)) {
      check.report([...path, 'level'], { vi: `Đơn vị "${id ?? i + 1}" ghi cấp "${level}", nhưng bộ tiêu chí năm ${set!.year} không có cấp này.`, en: `Unit "${id ?? i + 1}" names level "${level}", which the ${set!.year} criteria do not have.` }, {
        hint: { vi: `Các cấp: ${[...levelIds].join(', ')}.`, en: `Levels: ${[...levelIds].join(', ')}.` },
      });
    }
    const predecessors: string[] = [];
    (check.list(raw, path, 'predecessors', { vi: 'danh sách đơn vị trước sáp nhập', en: 'the predecessors list' }) ?? []).forEach((p, j) => {
      if (typeof p === 'string' && p.trim() !== '') predecessors.push(p.trim());
      else check.report([...path, 'predecessors', j], { vi: 'Mỗi đơn vị trước sáp nhập ghi bằng mã của nó trong đợt đánh giá trước.', en: "Each predecessor is its id in the earlier round." });
    });
    if (id) seen.add(id);
    if (id && name && level) units.push({ id, name, level, ...(type ? { type } : {}), ...(attributes ? { attributes } : {}), ...(parent ? { parent } : {}), predecessors, path, ...(read.locate ? { location: read.locate(path) } : {}) });
  });
  const problems = [...read.problems, ...check.problems];
  if (hasErrors(problems)) return { problems };
  return { register: { year, comparison: comparison as UnitsRegister['comparison'], units }, problems };
}

/**
 * structures (issue 11): a level that declares unit types scores each unit by its type, so the
 * register must give one of them; on a level without types, `type` stays free text (as before).
 */
function checkUnitType(level: CompiledLevel, raw: Record<string, unknown>, path: (string | number)[], id: string, type: string | undefined, check: FieldChecker): void {
  const types = level.structure?.unitTypes;
  if (!types?.size) return;
  const list = [...types.values()].map((t) => `${t.id} (${t.label})`).join('; ');
  if (type === undefined) {
    if (raw.type === undefined) check.report(path, { vi: `Đơn vị "${id}" chưa ghi loại đơn vị ("type"); cấp "${level.name}" chấm mỗi loại đơn vị theo các tiêu chí áp dụng cho loại đó.`, en: `Unit "${id}" has no "type"; level "${level.id}" scores each unit type on its own criteria.` }, { hint: { vi: `Ghi type: là một trong: ${list}.`, en: `Add type: one of ${[...types.keys()].join(', ')}.` } });
    return;
  }
  if (!types.has(type)) {
    check.report([...path, 'type'], { vi: `Đơn vị "${id}" ghi loại "${type}", nhưng cấp "${level.name}" không có loại đơn vị này.`, en: `Unit "${id}" has type "${type}", which level "${level.id}" does not declare.` }, { hint: { vi: `Các loại đơn vị của cấp: ${list}.`, en: `This level's unit types: ${[...types.keys()].join(', ')}.` } });
  }
}

/**
 * structures (issue 11): the unit's attributes, read against its level's unit_attributes
 * (true/false, or an option id); every attribute the level declares must be given, and only those.
 */
function readUnitAttributes(level: CompiledLevel, raw: Record<string, unknown>, path: (string | number)[], id: string, check: FieldChecker): Record<string, boolean | string> | undefined {
  const declared = level.structure?.attributes ?? new Map<string, UnitAttributeDef>();
  const given = raw.attributes;
  if (given === undefined && declared.size === 0) return undefined;
  const list = [...declared.values()].map((d) => `${d.id} (${d.label}${d.type === 'boolean' ? ': true/false' : `: ${(d.options ?? []).map((o) => o.id).join(' | ')}`})`).join('; ');
  if (given !== undefined && !isRecord(given)) {
    check.report([...path, 'attributes'], { vi: `Thuộc tính của đơn vị "${id}" ("attributes") phải là một khối {mã_thuộc_tính: giá_trị}.`, en: `The attributes of unit "${id}" must be a mapping {attribute: value}.` }, { hint: { vi: declared.size ? `Các thuộc tính của cấp: ${list}.` : `Cấp "${level.name}" không khai báo thuộc tính đơn vị; bỏ "attributes".`, en: 'Write attributes: {id: value}.' } });
    return undefined;
  }
  const values: Record<string, boolean | string> = {};
  const stated = (given ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(stated)) {
    const def = declared.get(key);
    if (!def) {
      // At the attribute's name: the name is what is wrong.
      check.problems.push(problem(check.code, { vi: `Đơn vị "${id}" ghi thuộc tính "${key}", nhưng cấp "${level.name}" không khai báo thuộc tính này.`, en: `Unit "${id}" states attribute "${key}", which level "${level.id}" does not declare.` }, { hint: { vi: declared.size ? `Các thuộc tính của cấp: ${list}.` : `Cấp "${level.name}" không khai báo thuộc tính đơn vị; bỏ "attributes".`, en: declared.size ? `This level's attributes: ${[...declared.keys()].join(', ')}.` : 'Drop "attributes".' }, ...check.where([...path, 'attributes', key], true) }));
      continue;
    }
    const read = readAttributeValue(def, stated[key], 'json');
    if ('value' in read) values[key] = read.value;
    else check.report([...path, 'attributes', key], { vi: `Đơn vị "${id}": ${read.wrong.vi}.`, en: `Unit "${id}": ${read.wrong.en}.` }, { hint: read.hint });
  }
  for (const def of declared.values()) {
    if (Object.prototype.hasOwnProperty.call(stated, def.id)) continue;
    check.report(given === undefined ? path : [...path, 'attributes'], { vi: `Đơn vị "${id}" chưa ghi thuộc tính «${def.label}» (${def.id}); cấp "${level.name}" chấm một số tiêu chí tùy theo thuộc tính này.`, en: `Unit "${id}" does not state attribute "${def.label}" (${def.id}); level "${level.id}" scores some criteria by it.` }, {
      hint: { vi: `Ghi attributes: { ${def.id}: ${def.type === 'boolean' ? 'true hoặc false' : (def.options ?? []).map((o) => o.id).join(' hoặc ')} }.`, en: `Add attributes: { ${def.id}: ... }.` },
    });
  }
  return Object.keys(values).length ? values : undefined;
}

/** The providers of an input of a level: the agencies that declare it, else the unit itself. */
export function providersOf(config: RoundConfig, level: string, key: string): string[] {
  const agencies = config.providers.filter((p) => p.supplies.get(level)?.has(key)).map((p) => p.id);
  return agencies.length ? agencies : [UNIT_SELF];
}

/** The inputs one provider supplies at one level ("criterion.input"); for the unit itself, all not taken by an agency. */
export function inputsOfProvider(round: Round, provider: string, level: string): string[] {
  const levelDef = round.set.levels.find((l) => l.id === level);
  if (!levelDef) return [];
  const out: string[] = [];
  for (const criterion of levelDef.criteria) {
    for (const input of Object.keys(criterion.def.inputs)) {
      const key = `${criterion.id}.${input}`;
      if (providersOf(round.config, level, key).includes(provider)) out.push(key);
    }
  }
  return out;
}

/** A provider's display name. */
export function providerName(round: Round, id: string): string {
  if (id === UNIT_SELF) return 'chính đơn vị';
  if (id === round.config.department.id) return round.config.department.name;
  return round.config.providers.find((p) => p.id === id)?.name ?? round.units.get(id)?.name ?? id;
}
