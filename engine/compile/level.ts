/**
 * Compile one validated criteria file: resolve each criterion's names,
 * compile its formula, and lay out the array its formula reads from
 * (max_points and parameters filled in once; inputs filled per unit).
 */
import { Rational } from '../exact/rational.js';
import type { Locator, YamlSource } from '../load/yaml-source.js';
import type { CriteriaLevelDoc, CriterionDef, InputDef, ParameterDef, ParameterType } from '../model.js';
import { problem, type Problem } from '../problems.js';
import { parseIsoDate } from './dates.js';
import { compileFormula, type FormulaNode, type Scope, type VarBinding } from './formula.js';
import { valueTypeOf } from './input-types.js';
import type { NumberUnit, Value, ValueType } from './values.js';
import { compileStructure, levelValueDecls, partPathOf, type LevelStructure } from './structure.js'; // structures (issue 11)

export interface CompiledParameter {
  id: string;
  def: ParameterDef;
  value: Value;
  type: ValueType;
}

export interface CompiledInput {
  id: string;
  def: InputDef;
  type: ValueType;
  /** Slot in the evaluation array; undefined when the formula never reads it. */
  slot?: number;
}

export interface CompiledCriterion {
  id: string;
  number: string;
  name: string;
  maxPoints: Rational;
  /** maxPoints as a JavaScript number, for output. */
  maxPointsNumber: number;
  /** Position in the file's criteria list (for locating problems). */
  index: number;
  def: CriterionDef;
  inputs: CompiledInput[];
  /** Every name the formula reads, by slot. */
  bindings: VarBinding[];
  /** The evaluation array with max_points and parameters filled in. */
  envTemplate: Value[];
  formula: FormulaNode;
  /** structures (issue 11): slots of the level values (statistics, round values) the formula reads, filled per run. */
  levelSlots?: { slot: number; name: string }[];
}

export interface CompiledLevel {
  file: string;
  /** SHA-256 of the file's bytes, so a score can name the exact rules behind it. */
  sha256: string;
  doc: CriteriaLevelDoc;
  source: YamlSource;
  locate: Locator;
  year: number;
  id: string;
  name: string;
  order: number;
  totalPoints: Rational;
  parameters: Map<string, CompiledParameter>;
  criteria: CompiledCriterion[];
  /** structures (issue 11): groups, kinds, applicability, level values (engine/compile/structure.ts). */
  structure?: LevelStructure;
}

const PARAMETER_UNITS: Record<Exclude<ParameterType, 'date'>, NumberUnit> = { percent: 'percent', points: 'points', count: 'count', number: 'plain' };

function parameterType(def: ParameterDef): ValueType {
  return def.type === 'date' ? { kind: 'date', nullable: false } : { kind: 'number', unit: PARAMETER_UNITS[def.type] };
}

export interface CompileLevelResult {
  level?: CompiledLevel;
  problems: Problem[];
}

export function compileLevel(doc: CriteriaLevelDoc, source: YamlSource, locate: Locator, sha256: string): CompileLevelResult {
  const problems: Problem[] = [];
  const levelId = doc.level.id;
  const parameters = new Map<string, CompiledParameter>();
  for (const [id, def] of Object.entries(doc.parameters ?? {})) {
    // A value of the wrong kind is reported by checkSemantics; a placeholder of the right kind
    // lets the formulas still be type-checked, so every problem shows in one run.
    const value: Value =
      def.type === 'date'
        ? typeof def.value === 'string' && parseIsoDate(def.value)
          ? def.value
          : '2000-01-01'
        : typeof def.value === 'number' && Number.isFinite(def.value)
          ? Rational.fromNumber(def.value)
          : Rational.ZERO;
    parameters.set(id, { id, def, value, type: parameterType(def) });
  }
  const usedParameters = new Set<string>();
  const levelValues = levelValueDecls(doc); // structures (issue 11)
  const readsLevelValues = new Map<string, string[]>();

  const criteria: CompiledCriterion[] = [];
  doc.criteria.forEach((def, index) => {
    const at = (path: (string | number)[], key = false) => locate(['criteria', index, ...path], key);
    const inputs: CompiledInput[] = Object.entries(def.inputs).map(([id, inputDef]) => ({ id, def: inputDef, type: valueTypeOf(inputDef) }));
    const maxPoints = Rational.fromNumber(def.max_points);

    for (const input of inputs) {
      if (parameters.has(input.id) || input.id === 'max_points') {
        problems.push(
          problem(
            'name.clash',
            {
              vi: `Tên số liệu "${input.id}" trùng với ${input.id === 'max_points' ? 'tên dành riêng max_points' : 'một tham số của tệp'}.`,
              en: `Input name "${input.id}" clashes with ${input.id === 'max_points' ? 'the reserved name max_points' : 'a parameter of the file'}.`,
            },
            { location: at(['inputs', input.id], true), level: levelId, criterion: def.id, hint: { vi: 'Đổi tên số liệu.', en: 'Rename the input.' } },
          ),
        );
      }
    }

    const bindings: VarBinding[] = [];
    const envTemplate: Value[] = [];
    const bound = new Map<string, VarBinding>();
    const levelSlots: { slot: number; name: string }[] = [];
    const bind = (binding: Omit<VarBinding, 'slot'>, value: Value | undefined): VarBinding => {
      const full = { ...binding, slot: bindings.length };
      bindings.push(full);
      envTemplate.push(value === undefined ? null : value);
      bound.set(binding.name, full);
      return full;
    };
    const scope: Scope = {
      resolve(name) {
        const existing = bound.get(name);
        if (existing) return existing;
        const input = inputs.find((i) => i.id === name);
        if (input) {
          const binding = bind({ name, source: 'input', type: input.type, label: input.def.label }, undefined);
          input.slot = binding.slot;
          return binding;
        }
        const parameter = parameters.get(name);
        if (parameter) {
          usedParameters.add(name);
          return bind({ name, source: 'parameter', type: parameter.type, label: parameter.def.label }, parameter.value);
        }
        if (name === 'max_points') {
          return bind({ name, source: 'max_points', type: { kind: 'number', unit: 'points' }, label: 'điểm chuẩn' }, maxPoints);
        }
        // structures (issue 11): a statistic or round value, fixed for a run like a parameter, filled in per run.
        const levelValue = levelValues.get(name);
        if (levelValue) {
          const binding = bind({ name, source: 'parameter', type: levelValue.type, label: levelValue.label }, null);
          levelSlots.push({ slot: binding.slot, name });
          return binding;
        }
        return undefined;
      },
      names: () => [...inputs.map((i) => i.id), ...parameters.keys(), 'max_points', ...levelValues.keys()],
    };

    const formula = compileFormula(def.formula, scope, (code, path, message, hint) =>
      problems.push(problem(code, message, { location: at(partPathOf(def, doc.scoring.clamp_to_max, ['formula', ...path]), code === 'formula.unknown-operator'), level: levelId, criterion: def.id, ...(hint ? { hint } : {}) })),
    );

    for (const input of inputs) {
      if (input.slot === undefined && formula) {
        problems.push(
          problem(
            'input.unused',
            { vi: `Số liệu "${input.id}" được khai báo nhưng công thức không dùng.`, en: `Input "${input.id}" is declared but the formula never uses it.` },
            {
              severity: 'warning',
              location: at(['inputs', input.id], true),
              level: levelId,
              criterion: def.id,
              input: input.id,
              hint: { vi: 'Xóa số liệu này, hoặc sửa công thức để dùng nó; nếu không, đơn vị phải khai một số liệu vô ích.', en: 'Remove it, or use it in the formula; otherwise units report it for nothing.' },
            },
          ),
        );
      }
    }
    if (levelSlots.length) readsLevelValues.set(def.id, levelSlots.map((s) => s.name));
    if (formula) criteria.push({ id: def.id, number: def.number, name: def.name, maxPoints, maxPointsNumber: maxPoints.toNumber(), index, def, inputs, bindings, envTemplate, formula, ...(levelSlots.length ? { levelSlots } : {}) });
  });

  for (const id of parameters.keys()) {
    if (!usedParameters.has(id)) {
      problems.push(
        problem(
          'parameter.unused',
          { vi: `Tham số "${id}" được khai báo nhưng không công thức nào dùng.`, en: `Parameter "${id}" is declared but no formula uses it.` },
          { severity: 'warning', location: locate(['parameters', id], true), level: levelId, hint: { vi: 'Xóa tham số, hoặc kiểm tra tên tham số trong công thức.', en: 'Remove it, or check the name used in the formulas.' } },
        ),
      );
    }
  }

  const structured = compileStructure({ doc, locate, readsLevelValues }); // structures (issue 11)
  problems.push(...structured.problems);
  if (criteria.length !== doc.criteria.length) return { problems };
  return {
    problems,
    level: {
      file: source.file,
      sha256,
      doc,
      source,
      locate,
      year: doc.year,
      id: levelId,
      name: doc.level.name,
      order: doc.level.order ?? 0,
      totalPoints: Rational.fromNumber(doc.total_points),
      parameters,
      criteria,
      structure: structured.structure,
    },
  };
}
