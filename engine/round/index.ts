/**
 * Assessment rounds as a library (for engine/index.ts to re-export): load a round folder,
 * receive files, merge and score, status, appraisal workbook, comparison, HTTP routes.
 */
export { loadRound, readUnitsRegister, providersOf, inputsOfProvider, UNIT_SELF, type Round, type RoundConfig, type RegisteredUnit, type UnitsRegister, type ProviderDecl, type AwardRule, type TieBreak } from './config.js';
export { receiveFile, listReceived, deadlineEnd, type ReceivedFile, type ReceiveResult, type JournalEntry } from './received.js';
export { collectRound, mergedSubmission, type Collected, type UnitInputs, type SourcedValue, type FileReport } from './collect.js';
export { scoreRound, appliesToRegistered, type RoundResult, type RoundUnit, type RoundCriterion, type RoundInput } from './results.js';
export { roundValuesOf, type RoundValuesRead } from './round-values.js';
export { roundStatus, type RoundStatus, type UnitStatus, type ProviderStatus } from './status.js';
export { proposeAwards, type AwardProposal, type AwardLevel, type AwardEntry } from './award.js';
export { readAppraisals, type AppraisalDecision, type Appraisals, type DecisionKind } from './appraisal.js';
export { requiredEvidence, checkEvidence, EVIDENCE_KINDS, type EvidenceItem, type EvidenceCheck } from './evidence.js';
export { compareRounds, comparisonText, type RoundComparison, type ComparedUnit, type ComparedPart } from './compare.js';
export { statusText, resultsText, proposalText, unitExplanation } from './render.js';
export { initRound } from './init.js';
