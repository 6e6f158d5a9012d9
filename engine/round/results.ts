/**
 * A round's results: per unit and criterion, the self-assessed points, the
 * points computed from the merged inputs, and the appraised (final) points
 * side by side, with every input's provider and source, the appraisal and
 * its reason, and the evidence still missing.
 *
 * The engine scores; this module only combines. Corrected inputs are scored
 * by building a corrected submission and scoring it (scoreUnit); points the
 * department sets replace the computed ones in this module's own result
 * type, never inside the engine's CriterionScore. On a plain level totals are
 * exact sums of the rounded points (fractions), as the set's `sum_of_rounded`
 * says; on a structured level (issue 11) every total — self-assessed,
 * computed and final — comes from the engine's computeTotals over that
 * column's points: groups and subtotals, bonus and penalty with their caps,
 * the floor, and the rescaling over what applies to the unit.
 *
 * A round is scored the way `tieuchi score` scores a run (scoreSubmissions):
 * - each unit is scored as registered in units.yaml: its type and attributes
 *   (checked there against the level's declarations) decide what applies;
 * - level statistics (max, min, mean, rank…) are resolved over the round's
 *   registered units of the level, each with its merged inputs. A unit whose
 *   value is not there (not received, in conflict, unreadable, late) is left
 *   out of the statistic, as scoreSubmissions leaves out a unit without a
 *   valid value; the round then says so (round.statistic-partial, naming
 *   the units), and below the statistic's min_units there is no value at all
 *   (statistic.unavailable on each criterion that reads it, never a number);
 * - the final points are scored again with the statistics of the corrected
 *   data: a correct_input on the unit that set the best value moves every
 *   unit's points, and says so;
 * - round values come from the round folder's round-values.yaml; a value not
 *   there is a located problem and the criteria reading it are not scored.
 */
import Fraction from 'fraction.js';
import type { CompiledLevel } from '../compile/level.js';
import { scoreUnit, type CriterionScore, type UnitScore } from '../evaluate/score.js';
import { levelValuesOfRun, type LevelValues, type RoundValues } from '../evaluate/statistics.js';
import type { LevelValueUse } from '../evaluate/level-values.js';
import { computeTotals, type TotalsBreakdown } from '../evaluate/totals.js';
import { appliesTo, statisticSource } from '../compile/structure.js';
import { unitAttributesOf } from '../evaluate/structure-hooks.js';
import type { CriterionKind, Submission } from '../model.js';
import { notApplicableText } from '../report/structure.js';
import { roundValuesOf, type RoundValuesRead } from './round-values.js';
import type { EvidenceKind, JsonValue } from '../model.js';
import type { SourceLocation } from '../problems.js';
import { engineVersion } from '../paths.js';
import { problem, type Lang, type Problem } from '../problems.js';
import { explainCriterion } from '../report/explain.js';
import { providerName, providersOf, UNIT_SELF, type RegisteredUnit, type Round } from './config.js';
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
  /** structures (issue 11): bonus, penalty or info (not counted); absent for an ordinary criterion. */
  kind?: Exclude<CriterionKind, 'ordinary'>;
  /** structures (issue 11): the group it is in. */
  group?: string;
  self?: number;
  computed?: number;
  /** After the appraisal: the points that count. */
  final?: number;
  /** final − self, when both exist. */
  difference?: number;
  /** not_applicable (structures, issue 11): "không áp dụng" to this unit by its type or attributes — never 0, never missing data, left out of the totals. */
  status: 'scored' | 'error' | 'not_applicable';
  /** structures (issue 11): the level statistics and round values the computed points read (which unit set a best value, over how many units). */
  levelValues?: LevelValueUse[];
  /** The same after the appraisal, when the final points were scored again with other statistics or corrected data. */
  finalLevelValues?: LevelValueUse[];
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
  /** structures (issue 11): the unit's attributes as registered in units.yaml. */
  attributes?: Record<string, boolean | string>;
  parent?: string;
  status: 'complete' | 'incomplete';
  totalPoints: number;
  /** On a structured level: the final total after rescaling, bonus, penalty and floor (breakdown.self). */
  selfTotal?: number;
  computedTotal?: number;
  finalTotal?: number;
  /**
   * structures (issue 11): how each total was reached, from computeTotals: base (rescaled when
   * some criterion does not apply), bonus, penalty, caps and floor, group subtotals, index.
   */
  breakdown?: { self?: TotalsBreakdown; computed?: TotalsBreakdown; final?: TotalsBreakdown };
  /** Problems of the unit as a whole (nothing applies to it, a statistic it is missing from). */
  problems?: Problem[];
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
  levels: { id: string; name: string; order: number; totalPoints: number; decimals: number; structured?: true; indexDecimals?: number }[];
  /** structures (issue 11): the round values used (round-values.yaml), when the set declares some. */
  roundValues?: { file: string; values: Record<string, number> };
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
  const values = roundValuesOf(round);
  problems.push(...values.problems);
  const runs = levelRuns(round, collected, appraisals.current, values);
  problems.push(...runs.problems);
  // A conflict or an unreadable value is both a file's problem and its criterion's: listed once.
  const listed = new Set(problems);
  for (const entry of collected.units.values()) {
    const level = levels.get(entry.unit.level)!;
    const unit = scoreOne(round, level, entry, appraisals.current, lang, runs);
    units.push(unit);
    for (const p of [...(unit.problems ?? []), ...unit.criteria.flatMap((c) => c.problems)]) {
      if (listed.has(p)) continue;
      listed.add(p);
      problems.push(p);
    }
  }
  rank(units, (u) => u.finalTotal, (u, r) => (u.rank = r));
  rank(units, (u) => u.computedTotal, (u, r) => (u.computedRank = r));
  units.sort((a, b) => (levels.get(a.level)!.order - levels.get(b.level)!.order) || (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.id < b.id ? -1 : 1));
  return {
    round: { name: round.config.name, year: round.config.year, deadline: round.config.deadline, dir: round.shown },
    levels: round.set.levels.map((l) => ({
      id: l.id,
      name: l.name,
      order: l.order,
      totalPoints: l.totalPoints.toNumber(),
      decimals: l.doc.scoring.rounding.decimals,
      ...(l.structure?.shaped ? { structured: true as const } : {}),
      ...(l.structure?.shaped && l.structure.totals.index_decimals !== undefined ? { indexDecimals: l.structure.totals.index_decimals } : {}),
    })),
    ...(values.declared ? { roundValues: { file: values.file, values: Object.fromEntries([...(values.values ?? new Map())].map(([k, v]) => [k, v.toNumber()])) } } : {}),
    units,
    proposal: proposeAwards(round, units),
    files: collected.files,
    appraisals: appraisals.all,
    problems,
    provenance: { engine: 'tieuchi', engineVersion: engineVersion(), files: round.set.levels.map((l) => ({ level: l.id, file: l.file, sha256: l.sha256 })), scoredAt: (options.now ?? new Date()).toISOString() },
  };
}

/** What scoring one unit needs of the whole round: the unit's submissions, and each level's statistics and round values before and after the appraisal. */
interface LevelRuns {
  computed: Map<string, LevelValues>;
  final: Map<string, LevelValues>;
  /** unit id → its submission as registered (type, attributes) with its merged inputs, and with the appraisal's corrections. */
  submissions: Map<string, { computed: Submission; corrected: Submission; corrections: Map<string, JsonValue> }>;
  /** Levels whose statistics differ after the appraisal (a corrected input they are over). */
  changed: Set<string>;
  problems: Problem[];
}

/** The unit as the scorer sees it: its merged inputs, and its type and attributes from units.yaml when its level declares them. */
function registeredSubmission(level: CompiledLevel, entry: UnitInputs, corrections?: Map<string, JsonValue>): Submission {
  const submission = mergedSubmission(entry, corrections);
  const structure = level.structure;
  if (!structure) return submission;
  return {
    ...submission,
    ...(structure.unitTypes.size && entry.unit.type !== undefined ? { type: entry.unit.type } : {}),
    ...(structure.attributes.size && entry.unit.attributes ? { attributes: entry.unit.attributes } : {}),
  };
}

function correctionsOf(level: CompiledLevel, unit: RegisteredUnit, decisions: Map<string, AppraisalDecision>): Map<string, JsonValue> {
  const corrections = new Map<string, JsonValue>();
  for (const criterion of level.criteria) {
    // A decision on a criterion that does not apply is reported and not used (scoreOne).
    if (!appliesToRegistered(level, unit, criterion.id)) continue;
    const d = decisions.get(decisionKey(unit.id, criterion.id));
    if (d?.decision === 'correct_input') for (const [input, value] of Object.entries(d.inputs ?? {})) corrections.set(`${criterion.id}.${input}`, value);
  }
  return corrections;
}

/**
 * Pass one over the round, as scoreSubmissions does over a run: each level's statistics over
 * its registered units (before and after the appraisal's corrections), its round values, and
 * a warning for each statistic taken over fewer units than it applies to.
 */
function levelRuns(round: Round, collected: Collected, decisions: Map<string, AppraisalDecision>, values: RoundValuesRead): LevelRuns {
  const levels = new Map(round.set.levels.map((l) => [l.id, l]));
  const submissions: LevelRuns['submissions'] = new Map();
  for (const entry of collected.units.values()) {
    const level = levels.get(entry.unit.level)!;
    const corrections = correctionsOf(level, entry.unit, decisions);
    const computed = registeredSubmission(level, entry);
    submissions.set(entry.unit.id, { computed, corrected: corrections.size ? registeredSubmission(level, entry, corrections) : computed, corrections });
  }
  const all = [...submissions.values()];
  const roundValues: RoundValues | undefined = values.values;
  const computed = levelValuesOfRun(round.set, all.map((s) => s.computed), roundValues);
  const anyCorrection = all.some((s) => s.corrections.size);
  const final = anyCorrection ? levelValuesOfRun(round.set, all.map((s) => s.corrected), roundValues) : computed;
  const changed = new Set<string>();
  const problems: Problem[] = [];
  for (const level of round.set.levels) {
    const before = computed.get(level.id);
    const after = final.get(level.id);
    if (before && after && before !== after && !sameValues(before, after)) changed.add(level.id);
    if (after) problems.push(...partialStatistics(round, level, after, [...collected.units.values()].filter((e) => e.unit.level === level.id), submissions));
  }
  return { computed, final, submissions, changed, problems };
}

function sameValues(a: LevelValues, b: LevelValues): boolean {
  for (const [name, x] of a.values) {
    const y = b.values.get(name);
    if (!y || (x.value === undefined) !== (y.value === undefined) || (x.value && !x.value.equals(y.value!))) return false;
    if ((x.byUnit?.size ?? 0) !== (y.byUnit?.size ?? 0)) return false;
    for (const [unit, r] of x.byUnit ?? []) if (!y.byUnit!.get(unit)?.equals(r)) return false;
  }
  return true;
}

/**
 * A statistic taken over fewer of the level's units than it applies to: which units are
 * missing from it, so that no one reads a best value of 10 units as the best of 12.
 */
function partialStatistics(round: Round, level: CompiledLevel, resolved: LevelValues, entries: UnitInputs[], submissions: LevelRuns['submissions']): Problem[] {
  const out: Problem[] = [];
  for (const decl of level.structure?.levelValues.values() ?? []) {
    if (decl.source !== 'statistic') continue;
    const value = resolved.values.get(decl.name);
    const { criterion: criterionId, input } = statisticSource(decl.statistic!);
    const place = level.structure!.places.get(criterionId);
    // The units it applies to, and those of them the statistic has a value of.
    const applies = entries.filter((e) => {
      const s = submissions.get(e.unit.id)!.corrected;
      return !place || appliesToUnit(level, criterionId, s);
    });
    const over = value?.over ?? 0;
    if (over >= applies.length || applies.length === 0) continue;
    const missing = applies.filter((e) => !hasSample(level, criterionId, input, submissions.get(e.unit.id)!.corrected, resolved)).map((e) => e.unit.id);
    const shown = missing.length ? missing.join(', ') : '?';
    out.push(
      problem(
        'round.statistic-partial',
        {
          vi: `Thống kê «${decl.label}» (${decl.name}) của cấp "${level.name}" chỉ tính trên ${over}/${applies.length} đơn vị; chưa có số liệu hợp lệ "${decl.statistic!.of}" của: ${shown}. ${value?.value !== undefined || value?.byUnit?.size ? 'Điểm các tiêu chí dùng thống kê này có thể đổi khi nhận đủ số liệu.' : 'Chưa đủ đơn vị để có giá trị; các tiêu chí dùng thống kê này chưa được chấm.'}`,
          en: `The statistic "${decl.label}" (${decl.name}) of level "${level.id}" is over ${over} of ${applies.length} units; no valid "${decl.statistic!.of}" yet from: ${shown}. Points reading it may change once all data is in.`,
        },
        {
          severity: 'warning',
          level: level.id,
          location: level.locate(['statistics', decl.name], true),
          hint: { vi: `Đề nghị ${shown} gửi số liệu (tieuchi round status ${round.shown}), rồi chấm lại.`, en: `Ask ${shown} for the data (tieuchi round status), then score again.` },
        },
      ),
    );
  }
  return out;
}

/** Whether the criterion applies to the unit as registered (its type and attributes were checked when units.yaml was read). */
function appliesToUnit(level: CompiledLevel, criterionId: string, submission: Submission): boolean {
  return appliesTo(level.structure?.places.get(criterionId), submission.type, unitAttributesOf(level, submission));
}

/**
 * Whether a criterion applies to a unit as registered in units.yaml (its type when the level declares
 * unit types, its attributes): for what is read without scoring (the appraisal workbook read back).
 */
export function appliesToRegistered(level: CompiledLevel, unit: RegisteredUnit, criterionId: string): boolean {
  const structure = level.structure;
  if (!structure) return true;
  return appliesTo(structure.places.get(criterionId), structure.unitTypes.size ? unit.type : undefined, new Map(Object.entries(unit.attributes ?? {})));
}

/** Whether a unit gives the statistic a value: the input read, or the criterion scored. */
function hasSample(level: CompiledLevel, criterionId: string, input: string | undefined, submission: Submission, resolved: LevelValues): boolean {
  const inputs = submission.inputs as Record<string, Record<string, unknown> | undefined>;
  if (input !== undefined) return inputs[criterionId]?.[input] !== undefined;
  // A statistic over a criterion's points: that criterion may itself read level values.
  const score = scoreUnit(level, submission, { trace: false, levelValues: resolved }).criteria.find((c) => c.id === criterionId);
  return score?.status === 'scored';
}

/** A criterion's points in one column, for computeTotals: scored, not applicable, or missing (no total). */
type Column = { status: 'scored'; points: number } | { status: 'not_applicable' } | { status: 'missing' };

/** One column's total: the plain exact sum on a plain level, computeTotals on a structured one; undefined while a criterion is missing. */
function columnTotal(level: CompiledLevel, unit: string, criteria: readonly RoundCriterion[], column: readonly Column[]): { total?: number; breakdown?: TotalsBreakdown; problem?: Problem } {
  if (column.some((c) => c.status === 'missing')) return {};
  const structure = level.structure;
  if (!structure?.shaped) return { total: sum(column.map((c) => (c as { points: number }).points)) };
  const scores: CriterionScore[] = criteria.map((c, i) => {
    const x = column[i]!;
    return { id: c.id, number: c.number, name: c.name, maxPoints: c.maxPoints, status: x.status === 'scored' ? 'scored' : 'not_applicable', ...(x.status === 'scored' ? { points: x.points } : {}), inputs: {}, problems: [] };
  });
  const result = computeTotals(level, structure, scores, unit);
  if ('problem' in result) return { problem: result.problem };
  return { total: result.total, breakdown: result.breakdown };
}

function scoreOne(round: Round, level: CompiledLevel, entry: UnitInputs, decisions: Map<string, AppraisalDecision>, lang: Lang, runs: LevelRuns): RoundUnit {
  const submitted = runs.submissions.get(entry.unit.id)!;
  const computedValues = runs.computed.get(level.id);
  const finalValues = runs.final.get(level.id);
  const computed = scoreUnit(level, submitted.computed, { trace: true, ...(computedValues ? { levelValues: computedValues } : {}) });
  const corrections = submitted.corrections;
  const statisticsChanged = runs.changed.has(level.id);
  // Scored again with the corrected data and the statistics after the appraisal, when either differs.
  const corrected: UnitScore = corrections.size || statisticsChanged ? scoreUnit(level, submitted.corrected, { trace: true, ...(finalValues ? { levelValues: finalValues } : {}) }) : computed;
  const parts = (id: string) => level.criteria.find((c) => c.id === id)!.def.parts;
  const explain = (score: CriterionScore, id: string) =>
    score.status === 'not_applicable' ? notApplicableText(level, id, { ...(submitted.computed.type !== undefined ? { type: submitted.computed.type } : {}), ...(entry.unit.attributes ? { attributes: entry.unit.attributes } : {}) }, lang) : explainCriterion(score, level.doc.scoring, lang, level.criteria.find((c) => c.id === id)!.def.inputs, parts(id)).summary;
  const criteria: RoundCriterion[] = level.criteria.map((criterion, i) => {
    const score = computed.criteria[i]!;
    const notApplicable = score.status === 'not_applicable';
    let appraisal = decisions.get(decisionKey(entry.unit.id, criterion.id));
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
    // A criterion that does not apply needs no evidence.
    const evidence = notApplicable ? { required: [], missing: [], byProvider: [], items: entry.evidence.get(criterion.id) ?? [] } : checkEvidence(criterion, entry.evidence.get(criterion.id) ?? [], fromAgencies);
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
    if (notApplicable && appraisal) {
      // Nothing to appraise: the criterion is left out of this unit's totals whatever the decision says.
      problems.push(
        problem(
          'round.appraisal',
          {
            vi: `${appraisal.source}: quyết định "${appraisal.decision}" cho tiêu chí ${criterion.number} (${criterion.id}) của ${entry.unit.id}, nhưng tiêu chí này ${notApplicableText(level, criterion.id, { ...(submitted.computed.type !== undefined ? { type: submitted.computed.type } : {}), ...(entry.unit.attributes ? { attributes: entry.unit.attributes } : {}) }, 'vi')}; quyết định không được dùng.`,
            en: `${appraisal.source}: "${appraisal.decision}" for criterion ${criterion.number} of ${entry.unit.id}, which does not apply to this unit; the decision is not used.`,
          },
          {
            ...locationOf(appraisal.source),
            unit: entry.unit.id,
            level: level.id,
            criterion: criterion.id,
            hint: { vi: `Bỏ quyết định này; nếu tiêu chí phải áp dụng cho đơn vị, sửa loại (type) hoặc thuộc tính (attributes) của ${entry.unit.id} trong units.yaml.`, en: `Remove the decision; if the criterion should apply, fix the unit's type or attributes in units.yaml.` },
          },
        ),
      );
      appraisal = undefined;
    }
    let final: number | undefined = score.status === 'scored' ? score.points : undefined;
    let finalExplanation: string | undefined;
    const again = corrected.criteria[i]!;
    if (appraisal?.decision === 'set_points') {
      final = appraisal.points;
      finalExplanation = lang === 'vi' ? `sở chủ trì sửa điểm thành ${fmt(appraisal.points!)}: ${appraisal.reason}` : `the department set the points to ${appraisal.points}: ${appraisal.reason}`;
      if (level.structure && statisticOver(level, criterion.id)) {
        problems.push(problem('round.appraisal', { vi: `${appraisal.source}: điểm sửa của tiêu chí ${criterion.number} không làm thay đổi thống kê của cấp tính trên điểm tiêu chí này (thống kê tính theo số liệu); muốn thống kê đổi theo, dùng correct_input.`, en: `${appraisal.source}: set points of criterion ${criterion.number} do not change the level statistic over its points (computed from the data); use correct_input for that.` }, { severity: 'warning', ...locationOf(appraisal.source), unit: entry.unit.id, criterion: criterion.id }));
      }
    } else if (appraisal?.decision === 'correct_input') {
      final = again.status === 'scored' ? again.points : undefined;
      finalExplanation = `${lang === 'vi' ? 'tính lại với số liệu đã sửa' : 'scored again with the corrected data'}: ${explain(again, criterion.id)}`;
      if (again.status !== 'scored') problems.push(...again.problems.filter((p) => !problems.some((q) => q.message.vi === p.message.vi)));
    } else {
      if (appraisal?.decision === 'accept' && score.status !== 'scored') {
        problems.push(problem('round.appraisal', { vi: `${appraisal.source}: quyết định "accept" cho tiêu chí ${criterion.number} của ${entry.unit.id}, nhưng tiêu chí này chưa có điểm máy chấm để chấp nhận.`, en: `${appraisal.source}: "accept" for criterion ${criterion.number} of ${entry.unit.id}, which has no computed points to accept.` }, {
          unit: entry.unit.id,
          criterion: criterion.id,
          hint: { vi: 'Dùng correct_input (ghi số liệu đúng) hoặc set_points (ghi điểm), có lý do.', en: 'Use correct_input or set_points, with a reason.' },
        }));
      }
      if (statisticsChanged && again !== score && (again.status !== score.status || again.points !== score.points)) {
        // The unit's own data did not change, the level's statistics did (another unit's input was
        // corrected): the final points are the new statistics' whatever they give — a statistic now
        // available scores the criterion, one no longer usable leaves it unscored with its problem.
        final = again.status === 'scored' ? again.points : undefined;
        finalExplanation = `${lang === 'vi' ? 'tính lại vì thống kê của cấp đổi sau thẩm định số liệu của đơn vị khác' : "scored again: the level's statistics changed with another unit's corrected data"}: ${explain(again, criterion.id)}`;
        if (again.status !== 'scored') problems.push(...again.problems.filter((p) => !problems.some((q) => q.message.vi === p.message.vi)));
      }
    }
    const selfStated = entry.selfAssessment.get(criterion.id);
    if (notApplicable && selfStated) {
      problems.push(
        problem(
          'round.declaration',
          { vi: `${selfStated.source}: đơn vị ${entry.unit.id} tự chấm ${fmt(selfStated.points)} điểm tiêu chí ${criterion.number} (${criterion.id}), nhưng tiêu chí này không áp dụng cho đơn vị; điểm tự chấm này không được tính.`, en: `${selfStated.source}: unit ${entry.unit.id} self-assessed criterion ${criterion.number}, which does not apply to it; not counted.` },
          { severity: 'warning', ...locationOf(selfStated.source), unit: entry.unit.id, level: level.id, criterion: criterion.id, hint: { vi: 'Bỏ tiêu chí này khỏi bản tự đánh giá.', en: 'Drop this criterion from the self-assessment.' } },
        ),
      );
    }
    const self = notApplicable ? undefined : selfStated?.points;
    const place = level.structure?.places.get(criterion.id);
    const kind = criterion.def.kind;
    return {
      id: criterion.id,
      number: criterion.number,
      name: criterion.name,
      maxPoints: criterion.maxPointsNumber,
      ...(kind && kind !== 'ordinary' ? { kind } : {}),
      ...(place?.group !== undefined ? { group: place.group } : {}),
      ...(self !== undefined ? { self } : {}),
      ...(score.status === 'scored' ? { computed: score.points! } : {}),
      ...(final !== undefined ? { final } : {}),
      ...(final !== undefined && self !== undefined ? { difference: new Fraction(String(final)).sub(fraction(self)).valueOf() } : {}),
      status: notApplicable ? 'not_applicable' : final !== undefined ? 'scored' : 'error',
      ...(score.levelValues?.length ? { levelValues: score.levelValues } : {}),
      ...(again !== score && again.levelValues?.length && appraisal?.decision !== 'set_points' && JSON.stringify(again.levelValues) !== JSON.stringify(score.levelValues) ? { finalLevelValues: again.levelValues } : {}),
      inputs,
      ...(appraisal ? { appraisal } : {}),
      evidence: { required: evidence.required, missing: evidence.missing, byProvider: evidence.byProvider, items: evidence.items },
      explanation: explain(score, criterion.id),
      ...(finalExplanation ? { finalExplanation } : {}),
      problems,
    };
  });
  const column = (pick: (c: RoundCriterion) => number | undefined): Column[] => criteria.map((c) => (c.status === 'not_applicable' ? { status: 'not_applicable' } : pick(c) === undefined ? { status: 'missing' } : { status: 'scored', points: pick(c)! }));
  const self = columnTotal(level, entry.unit.id, criteria, column((c) => c.self));
  const computedTotal = columnTotal(level, entry.unit.id, criteria, column((c) => c.computed));
  const finalTotal = columnTotal(level, entry.unit.id, criteria, column((c) => c.final));
  // The computed column is the engine's own scoring of the same data: the same total, or a bug.
  if (computed.total !== undefined && computedTotal.total !== undefined && computed.total !== computedTotal.total) throw new Error(`tieuchi bug: round total of ${entry.unit.id} is ${computedTotal.total}, the engine's ${computed.total}`);
  // Problems of the unit as a whole: the scorer's (a unit nothing applies to, once, at its entry in units.yaml).
  const unitProblems: Problem[] = [];
  const nothing = finalTotal.problem ?? computedTotal.problem ?? self.problem;
  if (nothing) unitProblems.push({ ...nothing, ...(entry.unit.location ? { location: entry.unit.location } : {}) });
  for (const p of computed.problems) if (p.code !== 'unit.nothing-applicable' && !unitProblems.some((q) => q.message.vi === p.message.vi)) unitProblems.push(p);
  const complete = finalTotal.total !== undefined;
  const breakdown = { ...(self.breakdown ? { self: self.breakdown } : {}), ...(computedTotal.breakdown ? { computed: computedTotal.breakdown } : {}), ...(finalTotal.breakdown ? { final: finalTotal.breakdown } : {}) };
  return {
    id: entry.unit.id,
    name: entry.unit.name,
    level: level.id,
    levelName: level.name,
    ...(entry.unit.type ? { type: entry.unit.type } : {}),
    ...(entry.unit.attributes ? { attributes: entry.unit.attributes } : {}),
    ...(entry.unit.parent ? { parent: entry.unit.parent } : {}),
    status: complete ? 'complete' : 'incomplete',
    totalPoints: level.totalPoints.toNumber(),
    ...(self.total !== undefined ? { selfTotal: self.total } : {}),
    ...(computedTotal.total !== undefined ? { computedTotal: computedTotal.total } : {}),
    ...(finalTotal.total !== undefined ? { finalTotal: finalTotal.total } : {}),
    ...(Object.keys(breakdown).length ? { breakdown } : {}),
    ...(unitProblems.length ? { problems: unitProblems } : {}),
    criteria,
    ...(entry.lastUsedAt ? { lastUsedAt: entry.lastUsedAt } : {}),
    criteriaFile: level.file,
    criteriaSha256: level.sha256,
  };
}

/** Whether some statistic of the level is over this criterion's points (not one of its inputs). */
function statisticOver(level: CompiledLevel, criterionId: string): boolean {
  for (const decl of level.structure?.levelValues.values() ?? []) {
    if (decl.source !== 'statistic') continue;
    const source = statisticSource(decl.statistic!);
    if (source.criterion === criterionId && source.input === undefined) return true;
  }
  return false;
}

/** "appraisals/x.yaml:12:5" → a location for a problem. */
function locationOf(source: string): { location: SourceLocation } | { file: string } {
  const m = /^(.*):(\d+):(\d+)$/.exec(source);
  return m ? { location: { file: m[1]!, start: 0, end: 0, line: Number(m[2]), column: Number(m[3]) } } : { file: source };
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
