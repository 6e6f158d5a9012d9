/**
 * Where a round stands: who has sent what, what is missing and from whom,
 * what came late, which self-assessments and evidence are missing, and every
 * problem in what was received. Built from the same merge as the results,
 * so status and score never disagree.
 */
import type { Problem } from '../problems.js';
import { inputsOfProvider, providerName, UNIT_SELF, type Round } from './config.js';
import type { FileReport } from './collect.js';
import type { RoundResult } from './results.js';
import type { EvidenceKind } from '../model.js';

export interface ProviderStatus {
  id: string;
  name: string;
  kind: 'agency' | 'unit';
  /** Units this provider owes something to. */
  expected: number;
  /** Units with every input this provider supplies received. */
  complete: number;
  /** unit id → the inputs still missing from this provider. */
  missing: { unit: string; inputs: string[] }[];
  files: number;
}

export interface UnitStatus {
  id: string;
  name: string;
  level: string;
  /** Missing inputs, with who should send them. */
  missingInputs: { key: string; label: string; providers: string[] }[];
  conflicts: string[];
  unreadable: string[];
  /** Criteria without a self-assessed score. */
  missingSelfAssessment: string[];
  missingEvidence: { criterion: string; number: string; kinds: EvidenceKind[] }[];
  lateFiles: string[];
  /** Received files with an error that concerns this unit (its own, or an agency's about it). */
  filesWithErrors: { file: string; codes: string[] }[];
  appraised: number;
  ready: boolean;
  /** structures (issue 11): criteria that do not apply to the unit (by its type or attributes): nothing is asked for them. */
  notApplicable?: string[];
}

export interface RoundStatus {
  round: RoundResult['round'];
  files: FileReport[];
  providers: ProviderStatus[];
  units: UnitStatus[];
  problems: Problem[];
  summary: { files: number; lateFiles: number; filesWithErrors: number; unitsReady: number; units: number; missingInputs: number; missingEvidence: number; missingSelfAssessment: number };
}

export function roundStatus(round: Round, result: RoundResult): RoundStatus {
  const units: UnitStatus[] = result.units.map((u) => {
    const missingInputs: UnitStatus['missingInputs'] = [];
    const conflicts: string[] = [];
    const unreadable: string[] = [];
    for (const c of u.criteria) {
      // structures (issue 11): a criterion that does not apply to the unit asks for nothing.
      if (c.status === 'not_applicable') continue;
      for (const i of c.inputs) {
        const key = `${c.id}.${i.id}`;
        // A value the appraiser supplied is no longer missing.
        if (i.corrected !== undefined || c.appraisal?.decision === 'set_points') continue;
        if (i.status === 'missing') missingInputs.push({ key, label: i.label, providers: i.providers.map((p) => p.id) });
        else if (i.status === 'conflict') conflicts.push(key);
        else if (i.status === 'unreadable') unreadable.push(key);
      }
    }
    return {
      id: u.id,
      name: u.name,
      level: u.level,
      missingInputs,
      conflicts,
      unreadable,
      missingSelfAssessment: u.criteria.filter((c) => c.self === undefined && c.status !== 'not_applicable').map((c) => c.id),
      missingEvidence: u.criteria.filter((c) => c.evidence.missing.length && !c.appraisal).map((c) => ({ criterion: c.id, number: c.number, kinds: c.evidence.missing })),
      lateFiles: result.files.filter((f) => f.late && (f.sender === u.id || f.units.includes(u.id))).map((f) => f.file),
      filesWithErrors: result.files
        .map((f) => ({ file: f.file, codes: [...new Set(f.problems.filter((p) => p.severity === 'error' && p.code !== 'round.late' && (f.sender === u.id || p.unit === u.id)).map((p) => p.code))] }))
        .filter((f) => f.codes.length),
      appraised: u.criteria.filter((c) => c.appraisal).length,
      ready: u.status === 'complete',
      ...(u.criteria.some((c) => c.status === 'not_applicable') ? { notApplicable: u.criteria.filter((c) => c.status === 'not_applicable').map((c) => c.id) } : {}),
    };
  });
  const providers: ProviderStatus[] = [];
  const senders = [...round.config.providers.map((p) => ({ id: p.id, kind: 'agency' as const })), { id: UNIT_SELF, kind: 'unit' as const }];
  for (const { id, kind } of senders) {
    const missing: ProviderStatus['missing'] = [];
    let expected = 0;
    for (const u of result.units) {
      const notApplicable = new Set(u.criteria.filter((c) => c.status === 'not_applicable').map((c) => c.id));
      const owed = inputsOfProvider(round, id, u.level).filter((k) => !notApplicable.has(k.split('.')[0]!));
      if (owed.length === 0) continue;
      expected++;
      const status = units.find((s) => s.id === u.id)!;
      const lacking = owed.filter((k) => status.missingInputs.some((m) => m.key === k));
      if (lacking.length) missing.push({ unit: u.id, inputs: lacking });
    }
    if (expected === 0) continue;
    providers.push({
      id,
      name: providerName(round, id),
      kind,
      expected,
      complete: expected - missing.length,
      missing,
      files: result.files.filter((f) => (kind === 'agency' ? f.sender === id : round.units.has(f.sender))).length,
    });
  }
  const problems = result.problems;
  return {
    round: result.round,
    files: result.files,
    providers,
    units,
    problems,
    summary: {
      files: result.files.length,
      lateFiles: result.files.filter((f) => f.late).length,
      filesWithErrors: result.files.filter((f) => f.problems.some((p) => p.severity === 'error')).length,
      unitsReady: units.filter((u) => u.ready).length,
      units: units.length,
      missingInputs: units.reduce((n, u) => n + u.missingInputs.length, 0),
      missingEvidence: units.reduce((n, u) => n + u.missingEvidence.length, 0),
      missingSelfAssessment: units.filter((u) => u.missingSelfAssessment.length).length,
    },
  };
}
