/**
 * The structure of a level beyond its list of criteria (issue 11), compiled
 * from the file and checked once, before any unit is scored:
 *
 * - groups of any depth (pillar → main index → component), each with a
 *   printed number, an optional declared maximum checked against its
 *   children, and an optional weight;
 * - unit types, and which criteria and groups apply to which types;
 * - criterion kinds: ordinary (counts in total_points), bonus, penalty,
 *   information only;
 * - named parts inside one criterion (its formula is the sum of the parts);
 * - the level values a formula may read besides inputs and parameters:
 *   statistics over the units being scored and values supplied once per
 *   round.
 *
 * Everything here is data read from the file; nothing depends on which
 * decision it came from.
 */
import { Rational } from '../exact/rational.js';
import type { Locator } from '../load/yaml-source.js';
import type { AppliesWhen, CriteriaLevelDoc, CriterionDef, CriterionKind, FormulaJson, GroupDef, RoundValueDef, StatisticDef, TotalsPolicy, UnitAttributeDef, UnitTypeDef } from '../model.js';
import { problem, type Problem } from '../problems.js';
import type { NumberUnit, ValueType } from './values.js';

export interface CompiledGroup {
  id: string;
  number: string;
  name: string;
  parent?: string;
  /** 0 for a top-level group. */
  depth: number;
  /** Declared maximum, when the file gives one. */
  declaredMax?: number;
  /** Exact weight of this group in its parent (1 unless declared). */
  weight: Rational;
  appliesTo?: ReadonlySet<string>;
  /** Conditions on unit attributes (applies_when), compiled. */
  appliesWhen?: readonly AttributeCondition[];
  /** Position in the file's groups list. */
  index: number;
  /** No ordinary criterion in it or below: information only, "không tính điểm". */
  infoOnly: boolean;
  weightRational: Rational;
}

export interface CriterionPlace {
  kind: CriterionKind;
  group?: string;
  /** Unit types this criterion applies to, its own and its groups' (all must hold); undefined: every unit. */
  appliesTo?: readonly ReadonlySet<string>[];
  /** Conditions on unit attributes, its own and its groups' (all must hold); undefined: none. */
  appliesWhen?: readonly AttributeCondition[];
  /** Product of the weights of its groups: how much one point here counts in the total. */
  weight: Rational;
  /** The same weight as a rational, and its groups from the innermost out, for totals (computed once). */
  weightRational: Rational;
  groupChain: readonly CompiledGroup[];
}

/** A name a formula reads whose value comes from the run, not from the unit or the file. */
export interface LevelValueDecl {
  name: string;
  source: 'statistic' | 'round';
  label: string;
  type: ValueType;
  statistic?: StatisticDef;
  round?: RoundValueDef;
}

/** One condition of an applies_when: the attribute must have one of these values. */
export interface AttributeCondition {
  attribute: string;
  /** Values that satisfy it (a boolean, or option ids). */
  values: ReadonlySet<boolean | string>;
}

/** A unit's attributes as read and checked (engine/evaluate/structure-hooks.ts): id → true/false or an option id. */
export type UnitAttributes = ReadonlyMap<string, boolean | string>;

export interface LevelStructure {
  unitTypes: ReadonlyMap<string, UnitTypeDef>;
  /** Declared unit attributes, by id, in file order. */
  attributes: ReadonlyMap<string, UnitAttributeDef>;
  groups: readonly CompiledGroup[];
  groupById: ReadonlyMap<string, CompiledGroup>;
  /** By criterion id. */
  places: ReadonlyMap<string, CriterionPlace>;
  totals: Required<Pick<TotalsPolicy, 'not_applicable' | 'floor'>> & Omit<TotalsPolicy, 'not_applicable' | 'floor'>;
  levelValues: ReadonlyMap<string, LevelValueDecl>;
  /**
   * True when totals take the structured path (groups, kinds, applicability
   * or a totals block). False keeps a plain level's total exactly as before.
   */
  shaped: boolean;
  /** Some formula reads run values: those criteria are scored on exact values only (score.ts), the others keep the fast path. */
  exactOnly: boolean;
}

const ONE = Rational.ONE;

// --- named parts ------------------------------------------------------------

/** The formula of a criterion written as parts: the sum of the parts, each limited to [0, its maximum] when the level clamps. */
export function partsFormula(def: CriterionDef, clamp: boolean): FormulaJson {
  return { '+': (def.parts ?? []).map((part) => (clamp ? { min: [{ max: [0, part.formula] }, part.max_points] } : part.formula)) };
}

/** Where a node of a synthesized parts formula sits in the file: ['formula', '+', i, 'min', 0, 'max', 1, ...] → ['parts', i, 'formula', ...]. */
export function partPathOf(def: CriterionDef, clamp: boolean, path: (string | number)[]): (string | number)[] {
  if (!def.parts || path[0] !== 'formula' || path[1] !== '+' || typeof path[2] !== 'number') return path;
  const prefix = clamp ? 7 : 3;
  return ['parts', path[2], 'formula', ...path.slice(prefix)];
}

/**
 * Give each criterion written as parts its formula (the sum of the parts), so
 * every later stage (compile, diff, formula rendering) sees one formula.
 * A criterion with both, or neither, is reported here.
 */
/** Formulas made from parts; the parsed document may be cached and loaded again, so a made formula is not "written". */
const SYNTHESIZED = new WeakSet<object>();

export function normaliseParts(doc: CriteriaLevelDoc, locate: Locator): Problem[] {
  const problems: Problem[] = [];
  const level = doc.level.id;
  doc.criteria.forEach((def, index) => {
    const hasFormula = def.formula !== undefined && !(typeof def.formula === 'object' && def.formula !== null && SYNTHESIZED.has(def.formula));
    if (def.parts && hasFormula) {
      problems.push(
        problem(
          'criterion.parts',
          { vi: `Tiêu chí ${def.number} có cả formula lẫn parts; điểm của tiêu chí chia phần là tổng các phần.`, en: `Criterion ${def.number} has both formula and parts; a criterion in parts scores the sum of its parts.` },
          { location: locate(['criteria', index, 'formula'], true), level, criterion: def.id, hint: { vi: 'Xóa formula, hoặc xóa parts.', en: 'Remove formula, or remove parts.' } },
        ),
      );
    } else if (!def.parts && !hasFormula) {
      problems.push(
        problem(
          'schema.required',
          { vi: `Tiêu chí ${def.number} thiếu công thức "formula" (hoặc các phần "parts").`, en: `Criterion ${def.number} has no "formula" (nor "parts").` },
          { location: locate(['criteria', index]), level, criterion: def.id, hint: { vi: 'Thêm formula: ... tính điểm của tiêu chí.', en: 'Add a formula computing its points.' } },
        ),
      );
    } else if (def.parts) {
      const sum = def.parts.reduce((acc, p) => acc.add(Rational.fromNumber(p.max_points)), Rational.ZERO);
      if (!sum.equals(Rational.fromNumber(def.max_points))) {
        problems.push(
          problem(
            'criterion.parts',
            {
              vi: `Điểm tối đa các phần của tiêu chí ${def.number} cộng lại là ${sum.toString()}, khác điểm chuẩn ${def.max_points} của tiêu chí.`,
              en: `The parts of criterion ${def.number} add up to ${sum.toString()}, not its max_points ${def.max_points}.`,
            },
            { location: locate(['criteria', index, 'max_points']), level, criterion: def.id, hint: { vi: 'Sửa max_points của các phần hoặc của tiêu chí cho khớp.', en: 'Make the parts and the criterion agree.' } },
          ),
        );
      }
      const seen = new Set<string>();
      def.parts.forEach((part, i) => {
        if (seen.has(part.id)) {
          problems.push(problem('criterion.parts', { vi: `Mã phần "${part.id}" bị lặp trong tiêu chí ${def.number}.`, en: `Part id "${part.id}" is repeated in criterion ${def.number}.` }, { location: locate(['criteria', index, 'parts', i, 'id']), level, criterion: def.id }));
        }
        seen.add(part.id);
      });
      const formula = partsFormula(def, doc.scoring.clamp_to_max);
      SYNTHESIZED.add(formula as object);
      def.formula = formula;
    }
  });
  return problems;
}

// --- level values (statistics, round values) --------------------------------

const ROUND_UNITS: Record<RoundValueDef['type'], NumberUnit> = { number: 'plain', count: 'count', percent: 'percent' };

export function levelValueDecls(doc: CriteriaLevelDoc): Map<string, LevelValueDecl> {
  const decls = new Map<string, LevelValueDecl>();
  for (const [name, statistic] of Object.entries(doc.statistics ?? {})) {
    const unit: NumberUnit = statistic.stat === 'count' || statistic.stat === 'rank' ? 'count' : statisticUnit(doc, statistic.of);
    decls.set(name, { name, source: 'statistic', label: statistic.label, type: { kind: 'number', unit }, statistic });
  }
  for (const [name, round] of Object.entries(doc.round_values ?? {})) {
    decls.set(name, { name, source: 'round', label: round.label, type: { kind: 'number', unit: ROUND_UNITS[round.type] }, round });
  }
  return decls;
}

function statisticUnit(doc: CriteriaLevelDoc, of: string): NumberUnit {
  const [criterionId, inputId] = of.split('.');
  const criterion = doc.criteria.find((c) => c.id === criterionId);
  if (!inputId) return 'points';
  const type = criterion?.inputs[inputId]?.type;
  return type === 'percent' || type === 'ratio' ? 'percent' : type === 'count' ? 'count' : 'plain';
}

/** The criterion and input a statistic reads. */
export function statisticSource(statistic: StatisticDef): { criterion: string; input?: string } {
  const [criterion, input] = statistic.of.split('.') as [string, string | undefined];
  return input ? { criterion, input } : { criterion };
}

// --- groups, kinds, applicability ------------------------------------------

/** The sum that total_points is checked against: ordinary criteria only, each weighted by its groups. */
export function ordinaryMaxSum(doc: CriteriaLevelDoc): Rational {
  const groups = new Map((doc.groups ?? []).map((g) => [g.id, g]));
  return doc.criteria.reduce((acc, c) => ((c.kind ?? 'ordinary') === 'ordinary' ? acc.add(Rational.fromNumber(c.max_points).mul(weightOf(c.group, groups))) : acc), Rational.ZERO);
}

function weightOf(groupId: string | undefined, groups: ReadonlyMap<string, GroupDef>): Rational {
  let weight = ONE;
  const seen = new Set<string>();
  for (let id = groupId; id !== undefined && !seen.has(id); id = groups.get(id)?.parent) {
    seen.add(id);
    const group = groups.get(id);
    if (!group) break;
    if (group.weight !== undefined) weight = weight.mul(Rational.fromNumber(group.weight));
  }
  return weight;
}

export interface CompileStructureInput {
  doc: CriteriaLevelDoc;
  locate: Locator;
  /** Criteria reading level values, by id → the names they read. */
  readsLevelValues: ReadonlyMap<string, readonly string[]>;
}

export function compileStructure({ doc, locate, readsLevelValues }: CompileStructureInput): { structure: LevelStructure; problems: Problem[] } {
  const problems: Problem[] = [];
  const level = doc.level.id;
  const unitTypes = new Map((doc.unit_types ?? []).map((t) => [t.id, t]));
  (doc.unit_types ?? []).forEach((t, i) => {
    if ((doc.unit_types ?? []).findIndex((u) => u.id === t.id) !== i) {
      problems.push(problem('unit-type.unknown', { vi: `Loại đơn vị "${t.id}" khai báo hai lần.`, en: `Unit type "${t.id}" is declared twice.` }, { location: locate(['unit_types', i, 'id']), level }));
    }
  });
  const checkTypes = (types: string[] | undefined, path: (string | number)[], what: { vi: string; en: string }, criterion?: string) => {
    types?.forEach((type, i) => {
      if (unitTypes.has(type)) return;
      problems.push(
        problem(
          'unit-type.unknown',
          { vi: `${what.vi} áp dụng cho loại đơn vị "${type}", nhưng cấp này không khai báo loại đó.`, en: `${what.en} applies to unit type "${type}", which this level does not declare.` },
          {
            location: locate([...path, 'applies_to', i]),
            level,
            ...(criterion ? { criterion } : {}),
            hint: unitTypes.size
              ? { vi: `Các loại đơn vị của cấp: ${[...unitTypes.keys()].join(', ')}.`, en: `This level's unit types: ${[...unitTypes.keys()].join(', ')}.` }
              : { vi: 'Khai báo các loại đơn vị ở unit_types: - id: ... label: ...', en: 'Declare unit_types: - id: ... label: ...' },
          },
        ),
      );
    });
  };

  // Unit attributes: unique ids, options only (and always) for a choice; then each applies_when against them.
  const attributes = new Map<string, UnitAttributeDef>();
  (doc.unit_attributes ?? []).forEach((a, i) => {
    if (attributes.has(a.id)) {
      problems.push(problem('unit-attribute.unknown', { vi: `Thuộc tính đơn vị "${a.id}" khai báo hai lần.`, en: `Unit attribute "${a.id}" is declared twice.` }, { location: locate(['unit_attributes', i, 'id']), level }));
      return;
    }
    if (a.type === 'boolean' && a.options) {
      problems.push(
        problem('unit-attribute.unknown', { vi: `Thuộc tính "${a.id}" là Có/Không (boolean) nên không có các mức (options).`, en: `Attribute "${a.id}" is yes/no (boolean) and has no options.` }, {
          location: locate(['unit_attributes', i, 'options'], true),
          level,
          hint: { vi: 'Xóa options, hoặc đổi type thành choice.', en: 'Remove options, or make it type: choice.' },
        }),
      );
    }
    if (a.type === 'choice' && !a.options?.length) {
      problems.push(
        problem('unit-attribute.unknown', { vi: `Thuộc tính "${a.id}" là lựa chọn (choice) nhưng chưa có các mức (options).`, en: `Attribute "${a.id}" is a choice without options.` }, {
          location: locate(['unit_attributes', i]),
          level,
          hint: { vi: 'Thêm options: [{ id: nhom-1, label: Nhóm 1 }, ...]', en: 'Add options: [{ id: ..., label: ... }, ...]' },
        }),
      );
    }
    const ids = (a.options ?? []).map((o) => o.id);
    ids.forEach((id, j) => {
      if (ids.indexOf(id) !== j) problems.push(problem('unit-attribute.unknown', { vi: `Mức "${id}" của thuộc tính "${a.id}" bị lặp.`, en: `Option "${id}" of attribute "${a.id}" is repeated.` }, { location: locate(['unit_attributes', i, 'options', j, 'id']), level }));
    });
    attributes.set(a.id, a);
  });
  const attributeHint = attributes.size
    ? { vi: `Các thuộc tính của cấp: ${[...attributes.values()].map((a) => `${a.id} (${a.label})`).join('; ')}.`, en: `This level's attributes: ${[...attributes.keys()].join(', ')}.` }
    : { vi: 'Khai báo thuộc tính ở unit_attributes: - id: ... label: ... type: boolean', en: 'Declare unit_attributes: - id: ... label: ... type: boolean' };
  const compileWhen = (when: AppliesWhen | undefined, path: (string | number)[], what: { vi: string; en: string }, criterion?: string): AttributeCondition[] | undefined => {
    if (!when) return undefined;
    const conditions: AttributeCondition[] = [];
    const at = (key: string, extra: (string | number)[] = [], isKey = false) => ({ location: locate([...path, 'applies_when', key, ...extra], isKey), level, ...(criterion ? { criterion } : {}) });
    for (const [name, wanted] of Object.entries(when)) {
      const def = attributes.get(name);
      if (!def) {
        problems.push(
          problem('unit-attribute.unknown', { vi: `${what.vi} áp dụng khi đơn vị có thuộc tính "${name}", nhưng cấp này không khai báo thuộc tính đó.`, en: `${what.en} depends on unit attribute "${name}", which this level does not declare.` }, {
            ...at(name, [], true),
            hint: attributeHint,
          }),
        );
        continue;
      }
      const values = Array.isArray(wanted) ? wanted : [wanted];
      if (def.type === 'boolean') {
        if (values.length !== 1 || typeof values[0] !== 'boolean') {
          problems.push(
            problem('unit-attribute.unknown', { vi: `${what.vi}: thuộc tính "${name}" (${def.label}) là Có/Không, điều kiện phải là true hoặc false, đang là ${JSON.stringify(wanted)}.`, en: `${what.en}: attribute "${name}" is yes/no; the condition must be true or false, got ${JSON.stringify(wanted)}.` }, {
              ...at(name),
              hint: { vi: `Ví dụ: applies_when: { ${name}: true }`, en: `E.g. applies_when: { ${name}: true }` },
            }),
          );
          continue;
        }
        conditions.push({ attribute: name, values: new Set(values) });
        continue;
      }
      const options = new Set((def.options ?? []).map((o) => o.id));
      let ok = true;
      values.forEach((value, i) => {
        if (typeof value === 'string' && options.has(value)) return;
        ok = false;
        problems.push(
          problem('unit-attribute.unknown', { vi: `${what.vi}: thuộc tính "${name}" (${def.label}) không có mức ${JSON.stringify(value)}.`, en: `${what.en}: attribute "${name}" has no option ${JSON.stringify(value)}.` }, {
            ...at(name, Array.isArray(wanted) ? [i] : []),
            hint: { vi: `Các mức: ${(def.options ?? []).map((o) => `${o.id} (${o.label})`).join('; ')}.`, en: `Options: ${[...options].join(', ')}.` },
          }),
        );
      });
      if (ok) conditions.push({ attribute: name, values: new Set(values) });
    }
    return conditions.length ? conditions : undefined;
  };

  // Groups: unique ids, known parents, no cycles.
  const defs = doc.groups ?? [];
  const byId = new Map<string, { def: GroupDef; index: number }>();
  const whenOf = new Map<string, AttributeCondition[]>();
  defs.forEach((def, index) => {
    if (byId.has(def.id)) {
      problems.push(
        problem('group.duplicate-id', { vi: `Mã nhóm "${def.id}" bị trùng (nhóm ${byId.get(def.id)!.def.number}).`, en: `Group id "${def.id}" is already used (group ${byId.get(def.id)!.def.number}).` }, {
          location: locate(['groups', index, 'id']),
          level,
          hint: { vi: 'Mỗi nhóm cần một mã riêng.', en: 'Each group needs its own id.' },
        }),
      );
    } else byId.set(def.id, { def, index });
    checkTypes(def.applies_to, ['groups', index], { vi: `Nhóm ${def.number}`, en: `Group ${def.number}` });
    const when = compileWhen(def.applies_when, ['groups', index], { vi: `Nhóm ${def.number}`, en: `Group ${def.number}` });
    if (when && !whenOf.has(def.id)) whenOf.set(def.id, when);
  });
  const groupHint = { vi: `Các nhóm: ${defs.map((g) => `${g.id} (${g.number})`).join(', ') || '(chưa khai báo groups)'}.`, en: `Groups: ${defs.map((g) => g.id).join(', ') || '(no groups declared)'}.` };
  defs.forEach((def, index) => {
    if (def.parent !== undefined && !byId.has(def.parent)) {
      problems.push(problem('group.unknown', { vi: `Nhóm ${def.number} ghi nhóm cha "${def.parent}", nhưng không có nhóm này.`, en: `Group ${def.number} names parent "${def.parent}", which does not exist.` }, { location: locate(['groups', index, 'parent']), level, hint: groupHint }));
    }
  });
  const depthOf = new Map<string, number>();
  for (const def of defs) {
    const chain: string[] = [];
    let id: string | undefined = def.id;
    while (id !== undefined && byId.has(id) && !chain.includes(id)) {
      chain.push(id);
      id = byId.get(id)!.def.parent;
    }
    if (id !== undefined && chain.includes(id)) {
      if (id === def.id) {
        problems.push(
          problem('group.cycle', { vi: `Nhóm ${def.number} nằm trong chính nó (chuỗi nhóm cha: ${[...chain, id].join(' → ')}).`, en: `Group ${def.number} contains itself (${[...chain, id].join(' → ')}).` }, {
            location: locate(['groups', byId.get(def.id)!.index, 'parent']),
            level,
            hint: { vi: 'Sửa parent để các nhóm tạo thành cây: trụ cột → chỉ số chính → chỉ số thành phần.', en: 'Fix parent so the groups form a tree.' },
          }),
        );
      }
      depthOf.set(def.id, 0);
    } else depthOf.set(def.id, chain.length - 1);
  }

  const groups: CompiledGroup[] = [];
  for (const [id, { def, index }] of byId) {
    groups.push({
      id,
      number: def.number,
      name: def.name,
      ...(def.parent !== undefined && byId.has(def.parent) ? { parent: def.parent } : {}),
      depth: depthOf.get(id) ?? 0,
      ...(def.max_points !== undefined ? { declaredMax: def.max_points } : {}),
      weight: def.weight !== undefined ? Rational.fromNumber(def.weight) : ONE,
      ...(def.applies_to ? { appliesTo: new Set(def.applies_to) } : {}),
      ...(whenOf.get(id) ? { appliesWhen: whenOf.get(id)! } : {}),
      index,
      infoOnly: true,
      weightRational: def.weight !== undefined ? Rational.fromNumber(def.weight) : ONE,
    });
  }
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const cyclic = problems.some((p) => p.code === 'group.cycle');

  // Criteria: their group, kind, applicability and weight.
  const places = new Map<string, CriterionPlace>();
  doc.criteria.forEach((def, index) => {
    checkTypes(def.applies_to, ['criteria', index], { vi: `Tiêu chí ${def.number}`, en: `Criterion ${def.number}` }, def.id);
    if (def.group !== undefined && !groupById.has(def.group)) {
      problems.push(problem('group.unknown', { vi: `Tiêu chí ${def.number} ghi nhóm "${def.group}", nhưng không có nhóm này.`, en: `Criterion ${def.number} names group "${def.group}", which does not exist.` }, { location: locate(['criteria', index, 'group']), level, criterion: def.id, hint: groupHint }));
    }
    const appliesTo: ReadonlySet<string>[] = [];
    if (def.applies_to) appliesTo.push(new Set(def.applies_to));
    const appliesWhen: AttributeCondition[] = [...(compileWhen(def.applies_when, ['criteria', index], { vi: `Tiêu chí ${def.number}`, en: `Criterion ${def.number}` }, def.id) ?? [])];
    let weight = ONE;
    const groupChain: CompiledGroup[] = [];
    if (!cyclic) {
      for (let g = def.group !== undefined ? groupById.get(def.group) : undefined; g; g = g.parent !== undefined ? groupById.get(g.parent) : undefined) {
        if (g.appliesTo) appliesTo.push(g.appliesTo);
        if (g.appliesWhen) appliesWhen.push(...g.appliesWhen);
        weight = weight.mul(g.weight);
        groupChain.push(g);
      }
    }
    if ((def.kind ?? 'ordinary') === 'ordinary' && !cyclic) for (let g = def.group !== undefined ? groupById.get(def.group) : undefined; g; g = g.parent !== undefined ? groupById.get(g.parent) : undefined) g.infoOnly = false;
    places.set(def.id, { kind: def.kind ?? 'ordinary', ...(def.group !== undefined && groupById.has(def.group) ? { group: def.group } : {}), ...(appliesTo.length ? { appliesTo } : {}), ...(appliesWhen.length ? { appliesWhen } : {}), weight, weightRational: weight, groupChain });
  });

  // A group's declared maximum holds its children: ordinary criteria directly in it, and child groups (their own maximum, or their children's).
  if (!cyclic) {
    const childSum = new Map<string, Rational>();
    const sumOf = (group: CompiledGroup): Rational => {
      const known = childSum.get(group.id);
      if (known) return known;
      let sum = Rational.ZERO;
      for (const def of doc.criteria) if (def.group === group.id && (def.kind ?? 'ordinary') === 'ordinary') sum = sum.add(Rational.fromNumber(def.max_points));
      for (const child of groups) if (child.parent === group.id) sum = sum.add((child.declaredMax !== undefined ? Rational.fromNumber(child.declaredMax) : sumOf(child)).mul(child.weight));
      childSum.set(group.id, sum);
      return sum;
    };
    for (const group of groups) {
      if (group.declaredMax === undefined) continue;
      const sum = sumOf(group);
      if (sum.gt(Rational.fromNumber(group.declaredMax))) {
        const children = [
          ...doc.criteria.filter((c) => c.group === group.id && (c.kind ?? 'ordinary') === 'ordinary').map((c) => `${c.number} (${c.max_points})`),
          ...groups.filter((g) => g.parent === group.id).map((g) => `${g.number} (${(g.declaredMax !== undefined ? Rational.fromNumber(g.declaredMax) : sumOf(g)).mul(g.weight).toString()})`),
        ];
        problems.push(
          problem(
            'group.exceeds-max',
            {
              vi: `Nhóm ${group.number} «${group.name}»: điểm chuẩn các tiêu chí và nhóm con cộng lại là ${sum.toString()}, vượt điểm tối đa ${group.declaredMax} của nhóm.`,
              en: `Group ${group.number} "${group.name}": its children's maxima add up to ${sum.toString()}, more than the group's max_points ${group.declaredMax}.`,
            },
            {
              location: locate(['groups', group.index, 'max_points']),
              level,
              hint: {
                vi: `Các thành phần: ${children.join(', ')}. Sửa max_points của nhóm hoặc của các thành phần (đang thừa ${sum.sub(Rational.fromNumber(group.declaredMax)).toString()}).`,
                en: `Children: ${children.join(', ')}. Adjust the group's or the children's max_points (${sum.sub(Rational.fromNumber(group.declaredMax)).toString()} over).`,
              },
            },
          ),
        );
      }
    }
  }

  // Statistics read a number input or another criterion's points, which must not itself read level values.
  const levelValues = levelValueDecls(doc);
  for (const [name, decl] of levelValues) {
    if (decl.source !== 'statistic') continue;
    const at = locate(['statistics', name, 'of']);
    const { criterion: criterionId, input: inputId } = statisticSource(decl.statistic!);
    const criterion = doc.criteria.find((c) => c.id === criterionId);
    const fail = (vi: string, en: string, hint?: { vi: string; en: string }) => problems.push(problem('statistic.invalid', { vi: `Thống kê "${name}": ${vi}`, en: `Statistic "${name}": ${en}` }, { location: at, level, ...(hint ? { hint } : {}) }));
    if (!criterion) {
      fail(`không có tiêu chí "${criterionId}".`, `there is no criterion "${criterionId}".`, { vi: `Các tiêu chí: ${doc.criteria.map((c) => c.id).join(', ')}.`, en: `Criteria: ${doc.criteria.map((c) => c.id).join(', ')}.` });
      continue;
    }
    if (inputId !== undefined) {
      const input = criterion.inputs[inputId];
      if (!input) fail(`tiêu chí ${criterion.number} không có số liệu "${inputId}".`, `criterion ${criterion.number} has no input "${inputId}".`, { vi: `Các số liệu: ${Object.keys(criterion.inputs).join(', ')}.`, en: `Inputs: ${Object.keys(criterion.inputs).join(', ')}.` });
      else if (!['percent', 'ratio', 'count', 'number'].includes(input.type)) fail(`số liệu "${inputId}" là ${input.type}, không phải một số.`, `input "${inputId}" is ${input.type}, not a number.`);
    } else if (readsLevelValues.has(criterion.id)) {
      fail(
        `tính trên điểm của tiêu chí ${criterion.number}, nhưng chính tiêu chí đó lại dùng thống kê hoặc giá trị của đợt (${readsLevelValues.get(criterion.id)!.join(', ')}).`,
        `reads the points of criterion ${criterion.number}, which itself reads level values (${readsLevelValues.get(criterion.id)!.join(', ')}).`,
        { vi: 'Thống kê trên điểm chỉ dùng được với tiêu chí tính từ số liệu của chính đơn vị.', en: 'A statistic of points needs a criterion computed from the unit’s own data.' },
      );
    }
    if (decl.statistic!.stat === 'rank' && inputId === undefined && criterion.kind !== undefined && criterion.kind !== 'ordinary') {
      fail('thứ hạng chỉ tính trên tiêu chí thường.', 'rank is computed over ordinary criteria only.');
    }
  }
  for (const name of levelValues.keys()) {
    if (doc.parameters && Object.prototype.hasOwnProperty.call(doc.parameters, name)) {
      problems.push(
        problem('name.clash', { vi: `Tên "${name}" vừa là tham số vừa là thống kê hoặc giá trị của đợt.`, en: `"${name}" is both a parameter and a statistic or round value.` }, {
          location: locate([levelValues.get(name)!.source === 'statistic' ? 'statistics' : 'round_values', name], true),
          level,
          hint: { vi: 'Đổi một trong hai tên.', en: 'Rename one of them.' },
        }),
      );
    }
  }

  const shaped = Boolean(doc.groups || doc.unit_types || doc.unit_attributes || doc.totals || doc.criteria.some((c) => c.kind !== undefined || c.applies_to !== undefined || c.applies_when !== undefined || c.group !== undefined));
  // Level values are filled per run, which the fast path's per-level constants cannot carry: the
  // criteria reading them take the exact path. (A number input has its own float reader.)
  const exactOnly = levelValues.size > 0;
  return {
    problems,
    structure: {
      unitTypes,
      attributes,
      groups,
      groupById,
      places,
      totals: { ...doc.totals, not_applicable: doc.totals?.not_applicable ?? 'rescale', floor: doc.totals?.floor ?? 0 },
      levelValues,
      shaped,
      exactOnly,
    },
  };
}

/**
 * Whether a criterion applies to a unit of this type and with these
 * attributes. An undefined type, or an attribute the unit did not state (or
 * stated wrongly), makes only the criteria that do not depend on it apply;
 * the unit is told about it once (structure-hooks.ts checkUnit) and has no total.
 */
export function appliesTo(place: CriterionPlace | undefined, type: string | undefined, attributes?: UnitAttributes): boolean {
  if (!place) return true;
  if (place.appliesTo && !(type !== undefined && place.appliesTo.every((types) => types.has(type)))) return false;
  if (place.appliesWhen) {
    for (const condition of place.appliesWhen) {
      const value = attributes?.get(condition.attribute);
      if (value === undefined || !condition.values.has(value)) return false;
    }
  }
  return true;
}

/** Whether a criterion depends on the unit's type or attributes at all. */
export function isConditional(place: CriterionPlace | undefined): boolean {
  return Boolean(place?.appliesTo || place?.appliesWhen);
}
