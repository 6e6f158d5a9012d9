/**
 * Problems are how tieuchi reports a user's mistake: a value with a code, a
 * location and a message in Vietnamese and English. They are collected and
 * returned, never thrown; only bugs in tieuchi itself throw.
 */

export type Severity = 'error' | 'warning';

/** A message in both languages; the CLI picks one with `--lang`. */
export interface Localized {
  vi: string;
  en: string;
}

export type Lang = keyof Localized;

/** Where in a source file a problem is: offsets into the text plus the 1-based line and column of the start. */
export interface SourceLocation {
  file: string;
  /** Offset of the first character, 0-based. */
  start: number;
  /** Offset after the last character. */
  end: number;
  /** 1-based line of `start`. */
  line: number;
  /** 1-based column of `start`. */
  column: number;
}

/**
 * Every problem code tieuchi can report. Documented for staff in
 * docs/huong-dan-bien-soan.md; tools may switch on them.
 */
export type ProblemCode =
  // reading files
  | 'file.unreadable'
  | 'file.too-large'
  | 'file.encoding'
  | 'set.empty'
  | 'set.not-found'
  | 'set.inconsistent'
  | 'set.duplicate-level'
  | 'set.no-signed'
  // YAML syntax
  | 'yaml.syntax'
  | 'yaml.duplicate-key'
  | 'yaml.alias-limit'
  | 'yaml.alias-cycle'
  | 'yaml.unknown-tag'
  | 'yaml.too-deep'
  | 'yaml.ambiguous-value'
  | 'yaml.indentation'
  | 'yaml.comma-decimal'
  | 'yaml.curly-quote'
  | 'yaml.needs-quotes'
  // JSON Schema
  | 'schema.required'
  | 'schema.unknown-key'
  | 'schema.type'
  | 'schema.enum'
  | 'schema.range'
  | 'schema.format'
  | 'schema.pattern'
  | 'schema.invalid'
  | 'schema.too-long'
  // meaning of the criteria
  | 'criterion.duplicate-id'
  | 'criterion.duplicate-number'
  | 'level.points-sum'
  | 'name.clash'
  | 'input.unused'
  | 'parameter.unused'
  | 'parameter.out-of-range'
  // formulas
  | 'formula.unknown-operator'
  | 'formula.too-deep'
  | 'formula.arity'
  | 'formula.type'
  | 'formula.unknown-var'
  | 'formula.unknown-option'
  | 'formula.not-points'
  | 'formula.can-fail'
  | 'formula.out-of-range'
  | 'formula.mostly-clamped'
  | 'decision.unfilled'
  | 'decision.signed-unfilled'
  | 'decision.draft-filled'
  // a stale copy of last year (engine/check/stale-copy.ts)
  | 'stale.date-outside-year'
  | 'stale.text-number'
  | 'parameter.printed-in-unknown'
  // the criteria's own examples
  | 'example.mismatch'
  | 'example.failed'
  | 'example.bad-input'
  // evaluating a formula on a unit's data
  | 'eval.division-by-zero'
  | 'eval.no-value'
  | 'eval.not-finite'
  // submissions (the units' data)
  | 'submission.unreadable'
  | 'submission.shape'
  | 'submission.unknown-level'
  | 'submission.unknown-criterion'
  | 'submission.unknown-input'
  | 'submission.missing-input'
  | 'submission.bad-value'
  | 'submission.out-of-range'
  | 'submission.duplicate-unit'
  // bounds on submissions (SubmissionLimits in engine/load/submissions.ts, README "Limits")
  | 'submission.duplicate-key'
  | 'submission.too-deep'
  | 'submission.too-long'
  | 'submission.too-many'
  | 'submission.too-large'
  // command line
  | 'cli.usage'
  | 'cli.output'
  // spreadsheets (engine/xlsx): templates, filled workbooks, results
  | 'xlsx.unreadable'
  | 'xlsx.too-large'
  | 'xlsx.layout'
  | 'xlsx.criteria-mismatch'
  | 'xlsx.template-outdated'
  | 'xlsx.cell-error'
  | 'xlsx.date-order'
  | 'xlsx.unit-without-data'
  | 'units.unreadable'
  // rule versions between years (engine/diff, new-year): scaffold, diff, impact
  | 'new-year.target-exists'
  | 'new-year.edit-failed'
  | 'diff.unknown-level'
  | 'impact.conflicting-data'
  // criteria structures (issue 11): groups, applicability, kinds, statistics, round values, parts
  | 'group.duplicate-id'
  | 'group.unknown'
  | 'group.cycle'
  | 'group.exceeds-max'
  | 'unit-type.unknown'
  | 'unit-attribute.unknown'
  | 'criterion.parts'
  | 'statistic.invalid'
  | 'statistic.unavailable'
  | 'round-value.missing'
  | 'round-value.invalid'
  | 'round-value.unknown'
  | 'submission.unit-type'
  | 'submission.unit-attribute'
  | 'unit.nothing-applicable'
  // submission contract and HTTP service (issue 6)
  | 'submission.schema'
  | 'http.bad-request'
  | 'http.too-large'
  | 'http.not-found'
  | 'http.unsupported-media-type'
  | 'http.internal'
  | 'http.method-not-allowed'
  | 'http.unauthorized'
  | 'http.rate-limited'
  | 'http.timeout'
  // assessment rounds (issue 12): round folder, providers, appraisal, evidence, comparison
  | 'round.config'
  | 'round.units'
  | 'round.received'
  | 'round.late'
  | 'round.wrong-provider'
  | 'round.wrong-unit'
  | 'round.conflict'
  | 'round.declaration'
  | 'round.evidence-missing'
  | 'round.appraisal'
  | 'round.missing-data'
  | 'round.compare'
  | 'round.statistic-partial'
  | 'round.access';

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  message: Localized;
  /** What to do about it. */
  hint?: Localized;
  /** Where in a YAML or data file, when the problem has a place. */
  location?: SourceLocation;
  /** File the problem is about when there is no finer location. */
  file?: string;
  /** Level id of the criteria file. */
  level?: string;
  /** Stable id of the criterion concerned. */
  criterion?: string;
  /** Unit (agency) id of the submission concerned. */
  unit?: string;
  /** Input id concerned. */
  input?: string;
}

export function problem(
  code: ProblemCode,
  message: Localized,
  extra: Omit<Problem, 'code' | 'message' | 'severity'> & { severity?: Severity } = {},
): Problem {
  const { severity = 'error', ...rest } = extra;
  return { code, severity, message, ...rest };
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Sort by file, then position, so a reader fixes them top to bottom. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => {
    const fa = a.location?.file ?? a.file ?? '';
    const fb = b.location?.file ?? b.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.location?.start ?? -1) - (b.location?.start ?? -1);
  });
}
