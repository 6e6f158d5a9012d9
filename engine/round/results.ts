/**
 * A round's results: per unit and criterion, the self-assessed points, the
 * points computed from the merged inputs, and the appraised (final) points
 * side by side, with every input's provider and source, the appraisal and
 * its reason, and the evidence still missing.
 *
 * The engine scores; this module only combines. Corrected inputs are scored
 * by building a corrected submission and scoring it (scoreUnit); points the
 * department sets replace the computed ones in this module's own result
 * type, never inside the engine's CriterionScore. Totals are exact sums of
 * the rounded points (fractions), as the set's `sum_of_rounded` says.
 */
import Fraction from 'fraction.js';
import type { CompiledLevel } from '../compile/level.js';
import { scoreUnit, type CriterionScore, type UnitScore } from '../evaluate/score.js';
import type { EvidenceKind, JsonValue } from '../model.js';
import { engineVersion } from '../paths.js';
import { problem, type Lang, type Problem } from '../problems.js';
import { explainCriterion } from '../report/explain.js';
import { providerName, providersOf, UNIT_SELF, type Round } from './config.js';
import { decisionKey, readAppraisals, type AppraisalDecision } from './appraisal.js';
import { collectRound, mergedSubmission, type Collected, type FileReport, type SourcedValue, type UnitInputs } from './collect.js';
import { checkEvidence, type EvidenceItem } from './evidence.js';
import { proposeAwards, type AwardProposal } from './award.js';

export interface RoundInput {
  id: string;
  label: string;
  /** The value used for the computed points. */
  value?: JsonValue;
  /** Who is expected to supply it. */
  providers: { id: string; name: string }[];
  provider?: string;
  providerName?: string;
  source?: string;
  status: 'used' | 'missing' | 'conflict' | 'unreadable';
  /** The appraiser's corrected value, when there is one. */
  corrected?: JsonValue;
  /** Every value received for it, oldest first. */
  history: { provider: string; value?: JsonValue; source: string; at: string; status: SourcedValue['status'] }[];
}

export interface RoundCriterion {
  id: string;
  number: string;
  name: string;
  maxPoints: number;
  self?: number;
  computed?: number;
  /** After the appraisal: the points that count. */
  final?: number;
  /** final − self, when both exist. */
  difference?: number;
  status: 'scored' | 'error';
  inputs: RoundInput[];
  appraisal?: AppraisalDecision;
  evidence: { required: EvidenceKind[]; missing: EvidenceKind[]; byProvider: EvidenceKind[]; items: (EvidenceItem & { source?: string })[] };
  /** How the computed points were reached. */
  explanation: string;
  /** How the final points were reached, when an appraisal changed them. */
  finalExplanation?: string;
  problems: Problem[];
}

export interface RoundUnit {
  id: string;
  name: string;
  level: string;
  levelName: string;
  type?: string;
  parent?: string;
  status: 'complete' | 'incomplete';
  totalPoints: number;
  selfTotal?: number;
  computedTotal?: number;
  finalTotal?: number;
  /** Rank within the level by the final total (1 = best; ties share a rank). */
  rank?: number;
  computedRank?: number;
  criteria: RoundCriterion[];
  /** When the last value used arrived (the "earlier submission" tie-break). */
  lastUsedAt?: string;
  criteriaFile: string;
  criteriaSha256: string;
}

export interface RoundResult {
  round: { name: string; year: number; deadline: string; dir: string };
  /** `decimals`: the level file's rounding.decimals, for showing points. */
  levels: { id: string; name: string; order: number; totalPoints: number; decimals: number }[];
  units: RoundUnit[];
  proposal: AwardProposal;
  files: FileReport[];
  appraisals: AppraisalDecision[];
  problems: Problem[];
  provenance: { engine: string; engineVersion: string; files: { level: string; file: string; sha256: string }[]; scoredAt: string };
}

const fraction = (n: number) => new Fraction(String(n));
const sum = (values: number[]) => values.reduce((a, b) => a.add(fraction(b)), new Fraction(0)).valueOf();

/** Score the round: collect, merge, score, appraise, rank, propose. */
export async function scoreRound(round: Round, options: { lang?: Lang; now?: Date; collected?: Collected } = {}): Promise<RoundResult> {
  const lang = options.lang ?? 'vi';
  const collected = options.collected ?? (await collectRound(round));
  const appraisals = readAppraisals(round);
  const levels = new Map(round.set.levels.map((l) => [l.id, l]));
  const units: RoundUnit[] = [];
  const problems: Problem[] = [...collected.problems, ...appraisals.problems];
  // A conflict or an unreadable value is both a file's problem and its criterion's: listed once.
  const listed = new Set(problems);
  for (const entry of collected.units.values()) {
    const level = levels.get(entry.unit.level)!;
    const unit = scoreOne(round, level, entry, appraisals.current, lang);
    units.push(unit);
    for (const c of unit.criteria) {
      for (const p of c.problems) {
        if (listed.has(p)) continue;
        listed.add(p);
        problems.push(p);
      }
    }
  }
  rank(units, (u) => u.finalTotal, (u, r) => (u.rank = r));
  rank(units, (u) => u.computedTotal, (u, r) => (u.computedRank = r));
  units.sort((a, b) => (levels.get(a.level)!.order - levels.get(b.level)!.order) || (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.id < b.id ? -1 : 1));
  return {
    round: { name: round.config.name, year: round.config.year, deadline: round.config.deadline, dir: round.shown },
    levels: round.set.levels.map((l) => ({ id: l.id, name: l.name, order: l.order, totalPoints: l.totalPoints.toNumber(), decimals: l.doc.scoring.rounding.decimals })),
    units,
    proposal: proposeAwards(round, units),
    files: collected.files,
    appraisals: appraisals.all,
    problems,
    provenance: { engine: 'tieuchi', engineVersion: engineVersion(), files: round.set.levels.map((l) => ({ level: l.id, file: l.file, sha256: l.sha256 })), scoredAt: (options.now ?? new Date()).toISOString() },
  };
}

function scoreOne(round: Round, level: CompiledLevel, entry: UnitInputs, decisions: Map<string, AppraisalDecision>, lang: Lang): RoundUnit {
  const computed = scoreUnit(level, mergedSubmission(entry), { trace: true });
  const corrections = new Map<string, JsonValue>();
  for (const criterion of level.criteria) {
    const d = decisions.get(decisionKey(entry.unit.id, criterion.id));
    if (d?.decision === 'correct_input') for (const [input, value] of Object.entries(d.inputs ?? {})) corrections.set(`${criterion.id}.${input}`, value);
  }
  const corrected: UnitScore = corrections.size ? scoreUnit(level, mergedSubmission(entry, corrections), { trace: true }) : computed;
  const criteria: RoundCriterion[] = level.criteria.map((criterion, i) => {
    const score = computed.criteria[i]!;
    const appraisal = decisions.get(decisionKey(entry.unit.id, criterion.id));
    const inputs: RoundInput[] = Object.entries(criterion.def.inputs).map(([id, def]) => {
      const key = `${criterion.id}.${id}`;
      const chosen = entry.chosen.get(key);
      const blocked = entry.blocked.get(key);
      const expected = providersOf(round.config, level.id, key).map((p) => ({ id: p, name: providerName(round, p) }));
      return {
        id,
        label: def.label,
        ...(chosen ? { value: chosen.value!, provider: chosen.provider, providerName: providerName(round, chosen.provider), source: chosen.source } : {}),
        providers: expected,
        status: chosen ? 'used' : blocked ? (blocked.code === 'round.conflict' ? 'conflict' : 'unreadable') : 'missing',
        ...(corrections.has(key) ? { corrected: corrections.get(key)! } : {}),
        history: (entry.history.get(key) ?? []).map((v) => ({ provider: v.provider, ...(v.value !== undefined ? { value: v.value } : {}), source: v.source, at: v.at, status: v.status })),
      };
    });
    const problems = criterionProblems(round, entry, level, criterion.id, score, inputs);
    const fromAgencies = inputs.every((x) => x.provider !== undefined && x.provider !== UNIT_SELF);
    const evidence = checkEvidence(criterion, entry.evidence.get(criterion.id) ?? [], fromAgencies);
    if (evidence.missing.length) {
      problems.push(
        problem(
          'round.evidence-missing',
          {
            vi: `Đơn vị ${entry.unit.id}, tiêu chí ${criterion.number} (${criterion.id}): thiếu minh chứng ${evidence.missing.map((k) => labelOf(k)).join('; ')}. Điểm không tự thay đổi; sở chủ trì quyết định khi thẩm định.`,
            en: `Unit ${entry.unit.id}, criterion ${criterion.number}: evidence missing (${evidence.missing.join(', ')}). Points do not change by themselves; the department decides in the appraisal.`,
          },
          { severity: 'warning', unit: entry.unit.id, level: level.id, criterion: criterion.id },
        ),
      );
    }
    let final: number | undefined = score.status === 'scored' ? score.points : undefined;
    let finalExplanation: string | undefined;
    if (appraisal?.decision === 'set_points') {
      final = appraisal.points;
      finalExplanation = lang === 'vi' ? `sở chủ trì sửa điểm thành ${fmt(appraisal.points!)}: ${appraisal.reason}` : `the department set the points to ${appraisal.points}: ${appraisal.reason}`;
    } else if (appraisal?.decision === 'correct_input') {
      const again = corrected.criteria[i]!;
      final = again.status === 'scored' ? again.points : undefined;
      finalExplanation = `${lang === 'vi' ? 'tính lại với số liệu đã sửa' : 'scored again with the corrected data'}: ${explainCriterion(again, level.doc.scoring, lang, criterion.def.inputs).summary}`;
      if (again.status !== 'scored') problems.push(...again.problems.filter((p) => !problems.some((q) => q.message.vi === p.message.vi)));
    } else if (appraisal?.decision === 'accept' && score.status !== 'scored') {
      problems.push(problem('round.appraisal', { vi: `${appraisal.source}: quyết định "accept" cho tiêu chí ${criterion.number} của ${entry.unit.id}, nhưng tiêu chí này chưa có điểm máy chấm để chấp nhận.`, en: `${appraisal.source}: "accept" for criterion ${criterion.number} of ${entry.unit.id}, which has no computed points to accept.` }, {
        unit: entry.unit.id,
        criterion: criterion.id,
        hint: { vi: 'Dùng correct_input (ghi số liệu đúng) hoặc set_points (ghi điểm), có lý do.', en: 'Use correct_input or set_points, with a reason.' },
      }));
    }
    const self = entry.selfAssessment.get(criterion.id)?.points;
    return {
      id: criterion.id,
      number: criterion.number,
      name: criterion.name,
      maxPoints: criterion.maxPointsNumber,
      ...(self !== undefined ? { self } : {}),
      ...(score.status === 'scored' ? { computed: score.points! } : {}),
      ...(final !== undefined ? { final } : {}),
      ...(final !== undefined && self !== undefined ? { difference: new Fraction(String(final)).sub(fraction(self)).valueOf() } : {}),
      status: final !== undefined ? 'scored' : 'error',
      inputs,
      ...(appraisal ? { appraisal } : {}),
      evidence: { required: evidence.required, missing: evidence.missing, byProvider: evidence.byProvider, items: evidence.items },
      explanation: explainCriterion(score, level.doc.scoring, lang, criterion.def.inputs).summary,
      ...(finalExplanation ? { finalExplanation } : {}),
      problems,
    };
  });
  const complete = criteria.every((c) => c.final !== undefined);
  const allSelf = criteria.every((c) => c.self !== undefined);
  const allComputed = criteria.every((c) => c.computed !== undefined);
  return {
    id: entry.unit.id,
    name: entry.unit.name,
    level: level.id,
    levelName: level.name,
    ...(entry.unit.type ? { type: entry.unit.type } : {}),
    ...(entry.unit.parent ? { parent: entry.unit.parent } : {}),
    status: complete ? 'complete' : 'incomplete',
    totalPoints: level.totalPoints.toNumber(),
    ...(allSelf ? { selfTotal: sum(criteria.map((c) => c.self!)) } : {}),
    ...(allComputed ? { computedTotal: sum(criteria.map((c) => c.computed!)) } : {}),
    ...(complete ? { finalTotal: sum(criteria.map((c) => c.final!)) } : {}),
    criteria,
    ...(entry.lastUsedAt ? { lastUsedAt: entry.lastUsedAt } : {}),
    criteriaFile: level.file,
    criteriaSha256: level.sha256,
  };
}

function labelOf(kind: EvidenceKind): string {
  return { 'van-ban': 'văn bản (số, ngày)', 'trich-xuat': 'bản trích xuất từ hệ thống', 'hinh-anh': 'hình ảnh, clip', 'bao-cao': 'báo cáo của đơn vị' }[kind];
}

function fmt(n: number): string {
  return String(n).replace('.', ',');
}

/**
 * The computed criterion's problems, with the scorer's "missing input"
 * replaced by what the round knows: which provider has not sent it, or the
 * located conflict or unreadable value that keeps it out.
 */
function criterionProblems(round: Round, entry: UnitInputs, level: CompiledLevel, criterionId: string, score: CriterionScore, inputs: RoundInput[]): Problem[] {
  return score.problems.map((p) => {
    if (p.code !== 'submission.missing-input' || !p.input) return p;
    const key = `${criterionId}.${p.input}`;
    const blocked = entry.blocked.get(key);
    if (blocked) return blocked;
    const input = inputs.find((x) => x.id === p.input)!;
    const who = input.providers.map((x) => x.name).join(' hoặc ');
    const lateOnly = (entry.history.get(key) ?? []).some((v) => v.status === 'late');
    return problem(
      'round.missing-data',
      {
        vi: `Đơn vị ${entry.unit.id} (${entry.unit.name}), tiêu chí ${score.number}: chưa nhận được số liệu "${input.label}" (${key}) từ ${who}${lateOnly ? ' (chỉ có trong tệp gửi trễ hạn)' : ''}; không tính là 0, đơn vị chưa được xếp hạng.`,
        en: `Unit ${entry.unit.id}, criterion ${score.number}: "${key}" not received from ${input.providers.map((x) => x.id).join(' or ')}${lateOnly ? ' (only in a late file)' : ''}; never taken as 0, the unit is not ranked.`,
      },
      {
        unit: entry.unit.id,
        level: level.id,
        criterion: criterionId,
        input: p.input,
        hint: { vi: `Đề nghị ${who} gửi số liệu: tieuchi round template ${round.shown} --provider ${input.providers[0]!.id} --level ${level.id}.`, en: `Ask ${who} to send it.` },
      },
    );
  });
}

/** Competition ranking (1, 2, 2, 4) within each level, by the given total; units without it get none. */
function rank(units: RoundUnit[], totalOf: (u: RoundUnit) => number | undefined, set: (u: RoundUnit, rank: number) => void): void {
  const byLevel = new Map<string, RoundUnit[]>();
  for (const u of units) {
    if (totalOf(u) === undefined) continue;
    byLevel.set(u.level, [...(byLevel.get(u.level) ?? []), u]);
  }
  for (const group of byLevel.values()) {
    group.sort((a, b) => fraction(totalOf(b)!).compare(fraction(totalOf(a)!)));
    let previousRank = 0;
    group.forEach((u, i) => {
      const previous = group[i - 1];
      previousRank = previous && totalOf(previous) === totalOf(u) ? previousRank : i + 1;
      set(u, previousRank);
    });
  }
}
