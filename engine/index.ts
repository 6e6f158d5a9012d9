/**
 * tieuchi's public API. Everything a host program needs is re-exported here
 * by name; anything not listed is internal and may change.
 */

// Problems: every user mistake comes back as one of these.
export type { Lang, Localized, Problem, ProblemCode, Severity, SourceLocation } from './problems.js';
export { hasErrors, sortProblems } from './problems.js';

// Criteria files and their model.
export type { CriteriaLevelDoc, CriterionDef, DecisionInfo, InputDef, InputType, JsonValue, LevelInfo, ParameterDef, ReadMode, ScoringPolicy, Submission } from './model.js';
export type { CriteriaFileText, CriteriaSet, LoadOptions } from './criteria-set.js';
export { loadCriteriaFile, loadCriteriaSet, loadCriteriaTexts } from './criteria-set.js';
export type { CompiledCriterion, CompiledLevel } from './compile/level.js';
export { DEFAULT_YAML_LIMITS, type YamlLimits } from './load/yaml-source.js';

// Submissions.
export { DEFAULT_SUBMISSION_LIMITS, readSubmissionsCsv, readSubmissionsJson, type ReadSubmissions, type SubmissionLimits } from './load/submissions.js';

// Scoring.
export type { CriterionScore, ScoreOptions, UnitScore } from './evaluate/score.js';
export { scoreUnit } from './evaluate/score.js';
export type { TraceNode } from './evaluate/trace.js';
export type { LevelSummary, Provenance, ScoreRun } from './scoring.js';
export { scoreSubmissions } from './scoring.js';

// Reports.
export { explainCriterion, type Explanation } from './report/explain.js';
export { formatDate, formatNumber, formatPercent, formatPoints } from './report/format.js';
export { formatProblem, formatProblems } from './report/problems.js';
export { rankingCsv, rankingText } from './report/tables.js';
