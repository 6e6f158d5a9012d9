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

export type InputType = 'percent' | 'ratio' | 'count' | 'date' | 'choice' | 'boolean';

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
}

export interface ExampleDef {
  title?: string;
  inputs: Record<string, JsonValue>;
  points: number;
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
}

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
