/**
 * tieuchi's public API. Everything a host program needs is re-exported here
 * by name; anything not listed is internal and may change.
 */

// Problems: every user mistake comes back as one of these.
export type { Lang, Localized, Problem, ProblemCode, Severity, SourceLocation } from './problems.js';
export { hasErrors, sortProblems } from './problems.js';

// Criteria files and their model.
export type { CriteriaLevelDoc, CriterionDef, DecisionInfo, DecisionStatus, InputDef, InputType, JsonValue, LevelInfo, ParameterDef, ReadMode, ScoringPolicy, Submission } from './model.js';
export type { CriteriaFileText, CriteriaSet, LoadOptions } from './criteria-set.js';
export { criteriaStatus, loadCriteriaFile, loadCriteriaSet, loadCriteriaTexts } from './criteria-set.js';
export { decisionStatus } from './validate/semantic.js';
// Which sets exist and which one is used by default (the newest signed year).
export { chooseCriteria, criteriaRoot, listCriteriaYears, newestSigned, type CatalogYear, type CriteriaChoice, type CriteriaRoot } from './load/catalog.js';
export type { CompiledCriterion, CompiledLevel } from './compile/level.js';
export { DEFAULT_YAML_LIMITS, type YamlLimits } from './load/yaml-source.js';
export { DEFAULT_CRITERIA_LIMITS, type CriteriaLimits } from './validate/limits.js';

// Submissions.
export { DEFAULT_SUBMISSION_LIMITS, jsonSubmissionReader, readSubmissionsCsv, readSubmissionsJson, submissionLimits, type ReadSubmissions, type SubmissionLimits, type SubmissionSink } from './load/submissions.js';

// Scoring.
export type { CriterionScore, ScoreOptions, UnitScore } from './evaluate/score.js';
export { scoreUnit } from './evaluate/score.js';
export type { TraceNode } from './evaluate/trace.js';
export type { LevelSummary, Provenance, Rejection, ScoreRun, ScoringSession } from './scoring.js';
export { createScoringSession, rankTotals, scoreSubmissions } from './scoring.js';

// Reports.
export { explainCriterion, type Explanation } from './report/explain.js';
export { formatDate, formatNumber, formatPercent, formatPoints } from './report/format.js';
export { formatProblem, formatProblems } from './report/problems.js';
export { rankingCsv, rankingText } from './report/tables.js';

// Rule versions between years: new-year scaffold, criterion-level diff, impact on scores and ranks.
export type { Change, CriterionChange, CriterionChangeKind, CriterionFieldChange, CriterionRef, DiffCounts, DiffOptions, FieldChange, LevelDiff, LevelRef, ParameterChange, ParameterRef, SetDiff, SetRef } from './diff/compare.js';
export { diffCriteriaSets } from './diff/compare.js';
export type { CriterionImpact, ImpactOptions, ImpactReport, LevelImpact, MissingInput, SetAside, UnitImpact, UnitSide } from './diff/impact.js';
export { impactOfChange, mergeSubmissions } from './diff/impact.js';
export { diffText, impactText } from './diff/render-text.js';
export { diffMarkdown, impactMarkdown } from './diff/render-markdown.js';
export { newYearText, type DateChange, type NewYearOptions, type NewYearResult } from './diff/new-year.js';
export { bannerLines, reviewSide, type ReviewBanner, type ReviewSide } from './diff/review.js';
export { escapeMarkdown } from './diff/render-markdown.js';
export { formulaMath, formulaMathLocalized, type FormulaContext, type FormulaMathOptions } from './report/formula-math.js';

// For other tools (issue 6): the submission contract, JSON in, the HTTP service.
export { inputSchema, submissionSchema, SubmissionValidator, type JsonSchema } from './contract/submission-schema.js';
export { buildServer, bundledCriteriaDir, scoreJson } from './api.js';
export type { ServeContext, ServerOptions, ServerTimeouts, TieuchiPlugin } from './serve/app.js';

// Exact values and the formula language (issue 9): every number a formula computes is a Rational;
// the operators and input types are the registry's.
export { Rational, ROUNDING_MODES, type RoundingMode } from './exact/rational.js';
export { LANGUAGE, type Registry } from './language/registry.js';
export type { OperatorDefinition } from './language/operator.js';
export type { InputTypeDefinition } from './language/input-type.js';
export { plainScore } from './evaluate/score.js';

// Assessment rounds (issue 12): a round folder, providers, appraisal, evidence, award proposal, comparison.
export * from './round/index.js';

// Criteria structures (issue 11): groups, unit types, bonus/penalty/info, statistics, round values, parts.
export type { CriterionKind, GroupDef, PartDef, RoundValueDef, StatisticDef, TotalsPolicy, UnitTypeDef } from './model.js';
export type { GroupScore, TotalsBreakdown } from './evaluate/totals.js';
export type { LevelValueUse, RoundValues } from './evaluate/level-values.js';
export { readRoundValues, type LoadedRoundValues } from './load/round-values.js';
export type { LevelSummaryStructure } from './report/structure.js';
