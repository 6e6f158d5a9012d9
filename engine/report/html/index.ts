/** The HTML outputs: the results report, the score sheets, and what the web view reuses of them. */
export { buildResultsReport, comparisonFromImpact, comparisonFromRuns, criterionStats, type Comparison, type ComparisonRow, type CriterionStats, type LevelReport, type ReportFile, type ResultsReport } from './report-model.js';
export { levelSection, provenanceSection, renderResultsReport } from './report-render.js';
export { buildScoreSheets, renderScoreSheets, renderSheet, SHEET_CSS, type ScoreSheet, type SheetAppraisal, type SheetOptions, type UnitAppraisal } from './sheet.js';
export { isDraftSet } from './draft.js';
