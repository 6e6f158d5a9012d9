/**
 * The shape of one criteria file (one level, one year) once it has passed
 * schemas/criteria-level.schema.json. The schema is the authority; these
 * types mirror it for the compiler.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON-Logic expression as written in YAML. */
export type FormulaJson = JsonValue;

/**
 * Whether a criteria set is the signed decision or a draft still being
 * written. Written in the YAML as `decision.status`; when absent it is
 * derived: signed when both the decision number and date are filled in.
 */
export type DecisionStatus = 'draft' | 'signed';

export interface DecisionInfo {
  /** draft: being written, never used unless named; signed: the decision in force. Optional; see decisionStatus(). */
  status?: DecisionStatus;
  number: string;
  /** ISO date, or "" while the decision is unsigned. */
  date: string;
  issuer: string;
  signer?: string;
  title: string;
  jurisdiction?: string;
  managing_agency?: string;
  source?: string;
}

export interface LevelInfo {
  id: string;
  name: string;
  section?: string;
  order?: number;
  applies_to?: string[];
}

export interface ScoringPolicy {
  clamp_to_max: boolean;
  rounding: { decimals: number; mode: 'half_up' | 'half_even' | 'down' | 'up' };
  total: 'sum_of_rounded';
}

export type ParameterType = 'percent' | 'points' | 'count' | 'number' | 'date';

export interface ParameterDef {
  type: ParameterType;
  value: number | string;
  label: string;
  note?: string;
  min?: number;
  max?: number;
  /**
   * Where the printed text cites this value, as "<criterion id>.<name|rule|evidence>":
   * validate warns when the value changes and the text still says the old number.
   */
  printed_in?: string[];
  /** A date parameter that falls outside the set's year on purpose (a report due in January of the next year). */
  cross_year?: boolean;
}

export type InputType = 'percent' | 'ratio' | 'count' | 'date' | 'choice' | 'boolean' | 'number';

export interface ChoiceOption {
  id: string;
  label: string;
}

export interface InputDef {
  type: InputType;
  label: string;
  description?: string;
  options?: ChoiceOption[];
  none_allowed?: boolean;
  none_label?: string;
  if_total_zero?: number;
  max?: number;
  // --- structures (issue 11): the `number` input type (engine/language/inputs/number.ts) ---
  /** Only with type: number: the unit shown after the value ("Mbps", "đồng"). */
  unit?: string;
  /** Only with type: number: the smallest valid value. */
  min?: number;
  // --- end structures ---
}

export interface ExampleDef {
  title?: string;
  inputs: Record<string, JsonValue>;
  points: number;
  /** structures (issue 11): values of level statistics and round values the formula reads, for this example. */
  values?: Record<string, number>;
}

// --- assessment rounds (issue 12)
/** van-ban: a document (number and date); trich-xuat: an export from an information system; hinh-anh: photos or clips; bao-cao: the unit's report. */
export type EvidenceKind = 'van-ban' | 'trich-xuat' | 'hinh-anh' | 'bao-cao';
// --- end assessment rounds

export interface CriterionDef {
  id: string;
  number: string;
  name: string;
  max_points: number;
  rule: string;
  evidence: string;
  // --- assessment rounds (issue 12, engine/round): the evidence a unit must file for this criterion.
  /** Kinds of evidence required; derived from `evidence` when absent (see engine/round/evidence.ts). */
  evidence_required?: EvidenceKind[];
  // --- end assessment rounds
  notes?: string[];
  inputs: Record<string, InputDef>;
  formula: FormulaJson;
  examples: ExampleDef[];
  // --- structures (issue 11): see engine/compile/structure.ts ---
  /** The group (index, component) this criterion belongs to. */
  group?: string;
  /** ordinary (default): counts in the total; bonus/penalty: added/subtracted outside total_points; info: reported, never counted. */
  kind?: CriterionKind;
  /** Unit types (unit_types ids) the criterion applies to; absent: every unit. */
  applies_to?: string[];
  /** Conditions on the unit's attributes (unit_attributes), all of which must hold; absent: every unit. */
  applies_when?: AppliesWhen;
  /** Named parts; the criterion's points are their sum (then the formula is absent). */
  parts?: PartDef[];
  // --- end structures ---
}

export interface CriteriaLevelDoc {
  format_version: 1;
  year: number;
  decision: DecisionInfo;
  level: LevelInfo;
  total_points: number;
  scoring: ScoringPolicy;
  parameters?: Record<string, ParameterDef>;
  criteria: CriterionDef[];
  // --- structures (issue 11): see engine/compile/structure.ts ---
  unit_types?: UnitTypeDef[];
  unit_attributes?: UnitAttributeDef[];
  groups?: GroupDef[];
  totals?: TotalsPolicy;
  statistics?: Record<string, StatisticDef>;
  round_values?: Record<string, RoundValueDef>;
  // --- end structures ---
}

// --- structures (issue 11) ---
export type CriterionKind = 'ordinary' | 'bonus' | 'penalty' | 'info';

export interface UnitTypeDef {
  id: string;
  label: string;
  description?: string;
}

/** A property a unit states about itself (has online public services; its group), on which criteria may depend. */
export interface UnitAttributeDef {
  id: string;
  label: string;
  type: 'boolean' | 'choice';
  /** Only with type: choice. */
  options?: { id: string; label: string }[];
  description?: string;
}

/** attribute id → the value it must have: true/false, an option id, or any of several option ids. */
export type AppliesWhen = Record<string, boolean | string | string[]>;

export interface GroupDef {
  id: string;
  /** Printed number, free text: "I", "1", "2.3.a". */
  number: string;
  name: string;
  /** The enclosing group; absent for a top-level group. */
  parent?: string;
  /** Declared maximum; the children's maxima must not exceed it. */
  max_points?: number;
  /** The group's subtotal counts this many times in its parent and in the total (default 1). */
  weight?: number;
  applies_to?: string[];
  applies_when?: AppliesWhen;
  notes?: string[];
}

export interface TotalsPolicy {
  /** rescale: total = points × total_points / applicable maximum; none: the plain sum over what applies. */
  not_applicable?: 'rescale' | 'none';
  /** Cap on the sum of bonus points. */
  bonus_max?: number;
  /** Cap on the sum of penalty points. */
  penalty_max?: number;
  /** The final total never goes below this (default 0). */
  floor?: number;
  /** Also show totals and subtotals as an index value in 0–1 (points / maximum) with this many decimals. */
  index_decimals?: number;
}

export type StatisticKind = 'max' | 'min' | 'mean' | 'sum' | 'count' | 'rank';

export interface StatisticDef {
  /** "criterion-id.input-id" (a reported value) or "criterion-id" (that criterion's points). */
  of: string;
  stat: StatisticKind;
  label: string;
  /** Fewer units with a value than this is a problem, not a silent statistic (default 2). */
  min_units?: number;
}

export interface RoundValueDef {
  type: 'number' | 'count' | 'percent';
  label: string;
  unit?: string;
  min?: number;
  max?: number;
  note?: string;
}

export interface PartDef {
  id: string;
  label: string;
  max_points: number;
  formula: FormulaJson;
}
// --- end structures ---

import type { SourceLocation } from './problems.js';

/** json: strict JSON types, for other tools; text: values as people type them in a CSV or spreadsheet cell. */
export type ReadMode = 'json' | 'text';

/** A unit's reported data, as read from JSON, CSV or a spreadsheet. */
export interface Submission {
  /** Unit (agency) id, stable across years where the unit survives. */
  id: string;
  name: string;
  /** Level id, matching a criteria file's level.id. */
  level: string;
  /** Reported values: criterion id → input id → value. */
  inputs: Record<string, unknown>;
  mode: ReadMode;
  /** structures (issue 11): the unit's type (a unit_types id of its level), when the level declares types. */
  type?: string;
  /** structures (issue 11): the unit's attributes (unit_attributes of its level), as stated: true/false or an option id (JSON), or as typed (CSV, spreadsheet). */
  attributes?: Record<string, unknown>;
  /** Where it came from, for messages: the file, the entry's position, and for CSV the line and each "criterion.input" column (1-based). */
  origin?: {
    file?: string;
    index?: number;
    line?: number;
    columns?: Record<string, number>;
    /** For JSON: the position of a path inside this submission, e.g. ['inputs', criterion, input] (parses the file on first use). */
    locate?: (path: (string | number)[]) => SourceLocation;
  };
}
