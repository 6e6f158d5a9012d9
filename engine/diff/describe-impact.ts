/**
 * The words of an impact report: per level, a table of units (old and new
 * total and rank, change) and a table of criteria (mean change), plus the
 * lists of units that cannot be compared and why. Shared by the text and
 * Markdown renderers.
 */
import type { Lang, Problem } from '../problems.js';
import { formatNumber } from '../report/format.js';
import { num, signed } from './describe.js';
import type { CriterionImpact, ImpactReport, LevelImpact, SetAside, UnitImpact, UnitSide } from './impact.js';

export const IMPACT_WORDS = {
  vi: {
    title: 'Tác động lên điểm và thứ hạng',
    intro: (units: number, from: number, to: number) => `${units} đơn vị, chấm cùng số liệu theo bộ tiêu chí năm ${from} và năm ${to}.`,
    unitHeader: ['Hạng cũ', 'Hạng mới', 'Mã đơn vị', 'Tên đơn vị', 'Tổng cũ', 'Tổng mới', 'Chênh lệch'],
    criterionHeader: ['TT', 'Mã tiêu chí', 'Điểm chuẩn', 'TB cũ', 'TB mới', 'Thay đổi TB', 'Số đơn vị'],
    criteriaTitle: 'Thay đổi điểm trung bình theo tiêu chí (trên các đơn vị chấm được tiêu chí đó theo cả hai bản)',
    added: 'mới',
    removed: 'bỏ',
    levelRemoved: (n: number) => `Cấp này không còn trong bộ tiêu chí mới: ${n} đơn vị không được chấm theo bản mới.`,
    levelAdded: 'Cấp mới, không có trong bộ tiêu chí cũ.',
    notFitting: 'Chưa chấm được theo bản mới vì thiếu số liệu mới (không tính 0 điểm):',
    missing: 'thiếu',
    withProblems: 'Có lỗi số liệu (xem tieuchi score để biết chi tiết):',
    oldSide: 'bản cũ',
    both: 'cả hai bản',
    newSide: 'bản mới',
    setAside: 'Số liệu để riêng khi chấm (tiêu chí hoặc số liệu chỉ có ở một bản):',
    setAsideLine: (s: SetAside) =>
      `khi chấm theo bản ${s.side === 'old' ? 'cũ' : 'mới'}: bỏ qua ${s.input ? `số liệu ${s.criterion}.${s.input}` : `tiêu chí ${s.criterion}`} (${s.side === 'old' ? 'chỉ có ở bản mới' : 'không còn ở bản mới'}) của ${s.units} đơn vị, cấp ${s.level}`,
    rejected: 'Không xếp được vào cấp nào (cả hai bản):',
    summary: (r: ImpactReport) =>
      `So sánh được ${r.counts.comparable}/${r.counts.units} đơn vị: ${r.counts.totalChanged} đổi tổng điểm, ${r.counts.rankChanged} đổi thứ hạng; ${r.counts.notFittingNew} đơn vị thiếu số liệu mới; ${r.counts.levelRemoved} đơn vị thuộc cấp bị bỏ.`,
    more: (n: number) => `… và ${n} đơn vị khác (xem --format json).`,
    steady: (n: number) => `${n} tiêu chí khác: điểm trung bình không đổi.`,
    none: '—',
  },
  en: {
    title: 'Impact on scores and ranks',
    intro: (units: number, from: number, to: number) => `${units} unit(s), the same data scored under the ${from} and the ${to} criteria.`,
    unitHeader: ['Old rank', 'New rank', 'Unit id', 'Unit name', 'Old total', 'New total', 'Change'],
    criterionHeader: ['No.', 'Criterion id', 'Max points', 'Old mean', 'New mean', 'Mean change', 'Units'],
    criteriaTitle: 'Mean change per criterion (over the units scored on it under both versions)',
    added: 'new',
    removed: 'removed',
    levelRemoved: (n: number) => `This level is not in the new criteria: ${n} unit(s) are not scored under the new version.`,
    levelAdded: 'New level, not in the old criteria.',
    notFitting: 'Not scored under the new version because new inputs are missing (never taken as 0):',
    missing: 'missing',
    withProblems: 'Data problems (run tieuchi score for details):',
    oldSide: 'old',
    both: 'both versions',
    newSide: 'new',
    setAside: 'Data set aside when scoring (criteria or inputs that exist in one version only):',
    setAsideLine: (s: SetAside) =>
      `scoring under the ${s.side} version: ignored ${s.input ? `input ${s.criterion}.${s.input}` : `criterion ${s.criterion}`} (${s.side === 'old' ? 'new in the new version' : 'gone from the new version'}) for ${s.units} unit(s), level ${s.level}`,
    rejected: 'Not routed to any level (both versions):',
    summary: (r: ImpactReport) =>
      `${r.counts.comparable}/${r.counts.units} unit(s) compared: ${r.counts.totalChanged} changed total, ${r.counts.rankChanged} changed rank; ${r.counts.notFittingNew} miss new inputs; ${r.counts.levelRemoved} belong to a removed level.`,
    more: (n: number) => `… and ${n} more unit(s) (see --format json).`,
    steady: (n: number) => `${n} other criteria: mean points unchanged.`,
    none: '—',
  },
};

/** How many units a text or Markdown list shows before "… and N more" (JSON has them all). */
export const LIST_LIMIT = 50;

/** A total with its side's own decimals (69,10 under decimals: 2), as every ranking shows it. */
function sideTotal(side: UnitSide, lang: Lang, decimals: number | undefined): string {
  if (side.total === undefined) return IMPACT_WORDS[lang].none;
  return decimals === undefined ? num(side.total, lang) : formatNumber(side.total, lang, decimals, decimals);
}

function sideRank(side: UnitSide): string {
  return side.rank === undefined ? '—' : String(side.rank);
}

export function unitRow(unit: UnitImpact, lang: Lang, decimals: LevelImpact['decimals'] = {}): string[] {
  // The change with the finer of the two sides' decimals (−2,0, not −2).
  const changeDecimals = decimals.old === undefined && decimals.new === undefined ? undefined : Math.max(decimals.old ?? 0, decimals.new ?? 0);
  const change = unit.delta === undefined ? '—' : changeDecimals === undefined ? signed(unit.delta, lang) : signedFixed(unit.delta, lang, changeDecimals);
  return [sideRank(unit.old), sideRank(unit.new), unit.id, unit.name, sideTotal(unit.old, lang, decimals.old), sideTotal(unit.new, lang, decimals.new), change];
}

/** +1,50 / −2,00 / 0,00: a change with exactly `decimals` places. */
function signedFixed(value: number, lang: Lang, decimals: number): string {
  const text = formatNumber(Math.abs(value), lang, decimals, decimals);
  if (text === formatNumber(0, lang, decimals, decimals)) return text;
  return value > 0 ? `+${text}` : `−${text}`;
}

export function criterionRow(c: CriterionImpact, lang: Lang): string[] {
  const w = IMPACT_WORDS[lang];
  const max = c.maxPoints.old !== undefined && c.maxPoints.new !== undefined && c.maxPoints.old !== c.maxPoints.new ? `${num(c.maxPoints.old, lang)} → ${num(c.maxPoints.new, lang)}` : num((c.maxPoints.new ?? c.maxPoints.old)!, lang);
  const tag = c.status === 'added' ? ` (${w.added})` : c.status === 'removed' ? ` (${w.removed})` : '';
  const mean = (v: number | undefined) => (v === undefined ? '—' : formatNumber(v, lang, 2));
  return [c.number, c.id + tag, max, mean(c.meanOld), mean(c.meanNew), c.meanChange === undefined ? '—' : signed(c.meanChange, lang, 2), String(c.units)];
}

/** "so-y-te (Sở Y tế): thiếu ky-nang-so-can-bo.ty_le «Tỉ lệ …»". */
export function missingLine(unit: UnitImpact, lang: Lang): string {
  const w = IMPACT_WORDS[lang];
  return `${unit.id} (${unit.name}): ${w.missing} ${unit.missing.map((m) => `${m.criterion}.${m.input} «${m.label}»`).join('; ')}`;
}

const errors = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'error');
const problemKey = (problems: readonly Problem[]) => errors(problems).map((p) => `${p.code}:${p.criterion ?? ''}.${p.input ?? ''}`).join('|');

/** A unit's other data problems, one short line: the messages under each version, once when they are the same. */
export function problemLine(unit: UnitImpact, lang: Lang): string {
  const w = IMPACT_WORDS[lang];
  const text = (problems: readonly Problem[]) => {
    const list = errors(problems).map((p) => p.message[lang]);
    return list.length <= 2 ? list.join(' ') : `${list.slice(0, 2).join(' ')} (+${list.length - 2})`;
  };
  const before = unit.old.status === 'no-level' ? [] : errors(unit.problems.old);
  const after = errors(unit.problems.new);
  let body: string;
  if (before.length && problemKey(before) === problemKey(after)) body = `${w.both}: ${text(before)}`;
  else body = [before.length ? `${w.oldSide}: ${text(before)}` : '', after.length ? `${w.newSide}: ${text(after)}` : ''].filter(Boolean).join(' | ');
  return `${unit.id} (${unit.name}): ${body}`;
}

export interface LevelImpactText {
  level: LevelImpact;
  units: string[][];
  criteria: string[][];
  /** Criteria whose mean did not change (not listed). */
  criteriaSteady: number;
  notFitting: string[];
  withProblems: string[];
}

/** The rows of one level's tables and lists, lists cut at LIST_LIMIT. */
export function levelImpactRows(level: LevelImpact, lang: Lang): LevelImpactText {
  const w = IMPACT_WORDS[lang];
  const cut = (lines: string[]) => (lines.length > LIST_LIMIT ? [...lines.slice(0, LIST_LIMIT), w.more(lines.length - LIST_LIMIT)] : lines);
  const notFitting = level.units.filter((u) => u.missing.length > 0);
  const withProblems = level.units.filter((u) => errors(u.problems.old).length > 0 || errors(u.problems.new).length > 0);
  // Criteria whose points did not move on average are counted, not listed.
  const moved = level.criteria.filter((c) => c.status !== 'both' || c.meanChange !== 0 || c.maxPoints.old !== c.maxPoints.new);
  return {
    level,
    units: level.units.map((u) => unitRow(u, lang, level.decimals)),
    criteria: level.status === 'both' ? moved.map((c) => criterionRow(c, lang)) : [],
    criteriaSteady: level.status === 'both' ? level.criteria.length - moved.length : 0,
    notFitting: cut(notFitting.map((u) => missingLine(u, lang))),
    withProblems: cut(withProblems.map((u) => problemLine(u, lang))),
  };
}
