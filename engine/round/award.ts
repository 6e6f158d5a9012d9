/**
 * The award proposal as data: per level, the top N and/or a minimum total,
 * and a declared tie-break (the decision has none): round.yaml
 *
 *   award:
 *     levels:
 *       province: { top: 2, min_total: 80, title: Bằng khen của UBND tỉnh }
 *     tie_break: [ { criterion: ho-so-dung-han }, earlier_submission ]
 *
 * Every unit of a level is either proposed, with the rule that selected it,
 * or not, with the reason. A tie the declared tie-breaks cannot separate at
 * the cut-off proposes every tied unit and says so.
 */
import Fraction from 'fraction.js';
import { formatPoints } from '../report/format.js';
import type { Round, TieBreak } from './config.js';
import type { RoundUnit } from './results.js';
import { vnTime } from './collect.js';

export interface AwardEntry {
  unit: string;
  name: string;
  rank?: number;
  total?: number;
  /** Order after the tie-breaks (1 = first). */
  position?: number;
  proposed: boolean;
  /** Why (Vietnamese), e.g. "hạng 1; trong 2 đơn vị đứng đầu; tổng 99,6 ≥ 80". */
  rule: string;
}

export interface AwardLevel {
  level: string;
  levelName: string;
  title?: string;
  /** The rule in words. */
  rule: string;
  entries: AwardEntry[];
}

export interface AwardProposal {
  /** False when round.yaml has no award rule. */
  declared: boolean;
  tieBreak: string;
  levels: AwardLevel[];
}

const frac = (n: number) => new Fraction(String(n));
/** Points with the level file's own decimals (104,74 at 2 decimals, 85,9 at 1), thresholds as written (≥ 80). */
const pts = (n: number, decimals = 1) => formatPoints(n, 'vi', decimals, decimals);
const threshold = (n: number, decimals = 1) => formatPoints(n, 'vi', Math.max(decimals, 1));

function tieBreakText(t: TieBreak, round: Round): string {
  if (t.kind === 'earlier-submission') return 'gửi đủ số liệu sớm hơn xếp trên';
  const c = round.set.levels.flatMap((l) => l.criteria).find((x) => x.id === t.criterion);
  return `điểm tiêu chí "${c ? c.name : t.criterion}" (${t.criterion}) cao hơn xếp trên`;
}

/** Compare two units of equal total by the tie-breaks: negative when a goes first; the step that decided, if any. */
function breakTie(a: RoundUnit, b: RoundUnit, steps: TieBreak[], decimals = 1): { order: number; by?: string } {
  for (const t of steps) {
    if (t.kind === 'criterion') {
      const pa = a.criteria.find((c) => c.id === t.criterion)?.final;
      const pb = b.criteria.find((c) => c.id === t.criterion)?.final;
      if (pa === undefined || pb === undefined || pa === pb) continue;
      return { order: pb - pa, by: `điểm tiêu chí ${t.criterion}: ${pts(pa, decimals)} so với ${pts(pb, decimals)}` };
    }
    const ta = a.lastUsedAt;
    const tb = b.lastUsedAt;
    if (!ta || !tb || ta === tb) continue;
    return { order: ta < tb ? -1 : 1, by: `gửi đủ số liệu lúc ${vnTime(new Date(ta))} so với ${vnTime(new Date(tb))}` };
  }
  return { order: 0 };
}

export function proposeAwards(round: Round, units: RoundUnit[]): AwardProposal {
  const rule = round.config.award;
  const steps = rule?.tieBreak ?? [];
  const proposal: AwardProposal = { declared: Boolean(rule), tieBreak: steps.length ? steps.map((t) => tieBreakText(t, round)).join('; rồi ') : 'không có (đồng điểm thì cùng hạng)', levels: [] };
  if (!rule) return proposal;
  for (const level of round.set.levels) {
    const levelRule = rule.levels.get(level.id);
    if (!levelRule) continue;
    const parts: string[] = [];
    if (levelRule.top !== undefined) parts.push(`${levelRule.top} đơn vị đứng đầu`);
    const d = level.doc.scoring.rounding.decimals;
    if (levelRule.minTotal !== undefined) parts.push(`tổng điểm từ ${threshold(levelRule.minTotal, d)} trở lên`);
    const out: AwardLevel = { level: level.id, levelName: level.name, ...(levelRule.title ? { title: levelRule.title } : {}), rule: parts.join(' và '), entries: [] };
    proposal.levels.push(out);
    const mine = units.filter((u) => u.level === level.id);
    const scored = mine.filter((u) => u.finalTotal !== undefined);
    // Total first, then the tie-breaks; `decided` remembers which step separated a unit from the one above it.
    const decided = new Map<string, string>();
    scored.sort((a, b) => {
      const byTotal = frac(b.finalTotal!).compare(frac(a.finalTotal!));
      if (byTotal !== 0) return byTotal;
      const tie = breakTie(a, b, steps, d);
      return tie.order || (a.id < b.id ? -1 : 1);
    });
    let position = 0;
    scored.forEach((u, i) => {
      const above = scored[i - 1];
      const tie = above && above.finalTotal === u.finalTotal ? breakTie(above, u, steps, d) : undefined;
      if (!above || !tie || tie.order !== 0) position = i + 1;
      // Said from this unit's side: its value first, then the one above it.
      if (tie?.by) decided.set(u.id, `bằng tổng điểm với ${above!.id}, xếp sau theo ${breakTie(u, above!, steps, d).by}`);
      else if (tie && tie.order === 0) decided.set(u.id, `bằng tổng điểm với ${above!.id} và không phân định được theo quy tắc đã khai`);
      const next = scored[i + 1];
      if (next && next.finalTotal === u.finalTotal) {
        const t = breakTie(u, next, steps, d);
        if (t.by && !decided.has(u.id)) decided.set(u.id, `bằng tổng điểm với ${next.id}, xếp trên theo ${t.by}`);
      }
      const meetsMin = levelRule.minTotal === undefined || frac(u.finalTotal!).compare(frac(levelRule.minTotal)) >= 0;
      const inTop = levelRule.top === undefined || position <= levelRule.top;
      const why: string[] = [`hạng ${u.rank}, thứ tự ${position} sau phân định`, `tổng ${pts(u.finalTotal!, d)}`];
      if (levelRule.top !== undefined) why.push(inTop ? `trong ${levelRule.top} đơn vị đứng đầu` : `ngoài ${levelRule.top} đơn vị đứng đầu`);
      if (levelRule.minTotal !== undefined) why.push(meetsMin ? `≥ ${threshold(levelRule.minTotal, d)}` : `dưới mức tối thiểu ${threshold(levelRule.minTotal, d)}`);
      const note = decided.get(u.id);
      if (note) why.push(note);
      if (inTop && levelRule.top !== undefined && i + 1 > levelRule.top) why.push(`đồng thứ tự ${position} với đơn vị ở vị trí cuối danh sách, được đề nghị cùng`);
      out.entries.push({ unit: u.id, name: u.name, rank: u.rank!, total: u.finalTotal!, position, proposed: inTop && meetsMin, rule: why.join('; ') });
    });
    for (const u of mine.filter((x) => x.finalTotal === undefined)) {
      out.entries.push({ unit: u.id, name: u.name, proposed: false, rule: 'chưa có tổng điểm (còn thiếu hoặc lỗi số liệu): không xét' });
    }
  }
  return proposal;
}
