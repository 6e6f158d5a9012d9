/**
 * A round's status, results, proposal and one unit's explanation as text for
 * people (Vietnamese; headings in English with --lang en). JSON readers get
 * the RoundResult / RoundStatus objects themselves.
 */
import Fraction from 'fraction.js';
import stringWidth from 'string-width';
import type { Lang } from '../problems.js';
import { formatDate, formatPoints } from '../report/format.js';
import { reportedText } from '../report/explain.js';
import { alignColumns } from '../report/tables.js';
import type { CompiledLevel } from '../compile/level.js';
import type { UnitScore } from '../evaluate/score.js';
import type { TotalsBreakdown } from '../evaluate/totals.js';
import { explainTotals, groupHeadings, levelSummaryStructure, levelValueLines, structureCells, structureHeader, structureLegend, unitAttributesText } from '../report/structure.js';
import { decisionText } from './appraisal.js';
import { vnTime } from './collect.js';
import { EVIDENCE_LABELS } from './evidence.js';
import type { Round } from './config.js';
import type { RoundResult, RoundUnit } from './results.js';
import type { RoundStatus } from './status.js';

const W = {
  vi: {
    round: 'Đợt đánh giá',
    deadline: 'hạn gửi',
    files: 'Tệp đã nhận',
    late: 'TRỄ HẠN',
    errors: 'lỗi',
    providers: 'Cơ quan cung cấp số liệu',
    units: 'Đơn vị',
    ready: 'đủ số liệu, đã có tổng điểm',
    rank: 'Hạng',
    id: 'Mã đơn vị',
    name: 'Tên đơn vị',
    self: 'Tự chấm',
    computed: 'Máy chấm',
    final: 'Thẩm định',
    diff: 'Chênh lệch',
    proposal: 'Đề nghị khen thưởng',
    none: 'không có',
  },
  en: {
    round: 'Round',
    deadline: 'deadline',
    files: 'Files received',
    late: 'LATE',
    errors: 'errors',
    providers: 'Data providers',
    units: 'Units',
    ready: 'data complete, total given',
    rank: 'Rank',
    id: 'Unit id',
    name: 'Unit name',
    self: 'Self',
    computed: 'Computed',
    final: 'Appraised',
    diff: 'Difference',
    proposal: 'Award proposal',
    none: 'none',
  },
};

/** Points with the level file's own number of decimals (8,0 when it says 1), as every other output shows them. */
const p = (n: number | undefined, lang: Lang, decimals?: number) => (n === undefined ? '—' : formatPoints(n, lang, decimals, decimals));
const signed = (n: number | undefined, lang: Lang, decimals?: number) => (n === undefined ? '—' : n === 0 ? p(0, lang, decimals) : `${n > 0 ? '+' : '−'}${p(Math.abs(n), lang, decimals)}`);

function heading(text: string): string[] {
  return [text, '='.repeat(Math.min(100, stringWidth(text)))];
}

export function statusText(round: Round, status: RoundStatus, lang: Lang): string {
  const w = W[lang];
  const s = status.summary;
  const lines = [
    ...heading(`${w.round}: ${status.round.name} — ${lang === 'vi' ? 'năm' : 'year'} ${status.round.year}, ${w.deadline} ${formatDate(status.round.deadline)}`),
    lang === 'vi'
      ? `${s.units} đơn vị; ${s.unitsReady} ${w.ready}. Đã nhận ${s.files} tệp (${s.lateFiles} trễ hạn, ${s.filesWithErrors} có lỗi). Còn thiếu ${s.missingInputs} số liệu, ${s.missingEvidence} minh chứng; ${s.missingSelfAssessment} đơn vị chưa tự chấm đủ.`
      : `${s.units} units; ${s.unitsReady} complete. ${s.files} files received (${s.lateFiles} late, ${s.filesWithErrors} with errors). Missing: ${s.missingInputs} inputs, ${s.missingEvidence} evidence; ${s.missingSelfAssessment} units without a full self-assessment.`,
    '',
    `${w.files}:`,
  ];
  if (status.files.length === 0) lines.push(`  (${w.none})`);
  for (const f of status.files) {
    const errors = f.problems.filter((x) => x.severity === 'error').length;
    const kind = f.kind === 'declaration' ? (lang === 'vi' ? 'tự đánh giá, minh chứng' : 'declaration') : f.kind === 'unreadable' ? (lang === 'vi' ? 'không đọc được' : 'unreadable') : lang === 'vi' ? 'số liệu' : 'data';
    lines.push(`  ${f.file}  ${f.senderName}  ${vnTime(new Date(f.at))}  ${kind}, ${f.units.length} ${lang === 'vi' ? 'đơn vị' : 'units'}${f.late ? `  ${w.late}` : ''}${errors ? `  ${errors} ${w.errors}` : ''}`);
  }
  lines.push('', `${w.providers}:`);
  for (const pr of status.providers) {
    lines.push(`  ${pr.name} (${pr.id}): ${pr.complete}/${pr.expected} ${lang === 'vi' ? 'đơn vị đã đủ' : 'units complete'}, ${pr.files} ${lang === 'vi' ? 'tệp' : 'files'}`);
    for (const m of pr.missing) lines.push(`    ${lang === 'vi' ? 'còn thiếu' : 'missing'} ${m.unit}: ${m.inputs.join(', ')}`);
  }
  lines.push('', `${w.units}:`);
  for (const u of status.units) {
    const parts: string[] = [];
    if (u.ready) parts.push(w.ready);
    if (u.missingInputs.length) parts.push(`${lang === 'vi' ? 'thiếu số liệu' : 'missing inputs'}: ${u.missingInputs.map((m) => `${m.key} (${m.providers.join('/')})`).join(', ')}`);
    if (u.conflicts.length) parts.push(`${lang === 'vi' ? 'số liệu mâu thuẫn giữa hai nguồn' : 'conflicting inputs'}: ${u.conflicts.join(', ')}`);
    if (u.unreadable.length) parts.push(`${lang === 'vi' ? 'số liệu sai' : 'bad inputs'}: ${u.unreadable.join(', ')}`);
    if (u.missingSelfAssessment.length) parts.push(`${lang === 'vi' ? 'chưa tự chấm' : 'no self-assessment'}: ${u.missingSelfAssessment.length === round.set.levels.find((l) => l.id === u.level)!.criteria.length - (u.notApplicable?.length ?? 0) ? (lang === 'vi' ? 'tất cả tiêu chí' : 'all criteria') : u.missingSelfAssessment.join(', ')}`);
    if (u.missingEvidence.length) parts.push(`${lang === 'vi' ? 'thiếu minh chứng' : 'missing evidence'}: ${u.missingEvidence.map((e) => `${lang === 'vi' ? 'tiêu chí' : 'criterion'} ${e.number} (${e.kinds.map((k) => EVIDENCE_LABELS[k][lang]).join(', ')})`).join('; ')}`);
    for (const f of u.filesWithErrors) parts.push(`${lang === 'vi' ? 'tệp có lỗi' : 'file with errors'}: ${f.file} (${f.codes.join(', ')})`);
    if (u.lateFiles.length) parts.push(`${lang === 'vi' ? 'tệp trễ hạn' : 'late files'}: ${u.lateFiles.join(', ')}`);
    if (u.notApplicable?.length) parts.push(`${lang === 'vi' ? 'không áp dụng (không cần số liệu, minh chứng)' : 'does not apply (nothing needed)'}: ${u.notApplicable.join(', ')}`);
    if (u.appraised) parts.push(`${lang === 'vi' ? 'đã thẩm định' : 'appraised'} ${u.appraised} ${lang === 'vi' ? 'tiêu chí' : 'criteria'}`);
    lines.push(`  ${u.id} — ${u.name}`);
    for (const part of parts) lines.push(`    - ${part}`);
  }
  return lines.join('\n');
}

/** What the extra columns of a structured level are, in words that fit the level (no bonus where it has none). */
function totalsNote(s: ReturnType<typeof levelSummaryStructure>, lang: Lang): string {
  const vi = lang === 'vi';
  const parts = [
    s.hasApplicability ? (vi ? 'cơ bản (quy đổi khi có tiêu chí không áp dụng)' : 'base (rescaled when some criterion does not apply)') : vi ? 'cơ bản' : 'base',
    ...(s.hasBonus ? [vi ? '+ thưởng (có mức tối đa)' : '+ bonus (capped)'] : []),
    ...(s.hasPenalty ? [vi ? '− trừ, không dưới mức sàn' : '− penalty, not below the floor'] : []),
  ];
  const total = s.hasBonus || s.hasPenalty || s.hasApplicability ? `${vi ? 'tổng' : 'total'} = ${parts.join(' ')}; ` : '';
  const index = s.indexDecimals !== undefined ? (vi ? `chỉ số = tổng / tổng điểm, ${s.indexDecimals} chữ số thập phân; ` : `index = total / total points, ${s.indexDecimals} decimals; `) : '';
  return vi ? `Các cột sau "Chênh lệch" là của điểm thẩm định: ${total}${index}điểm theo nhóm tiêu chí.` : `The columns after "Difference" are of the appraised points: ${total}${index}subtotals by group.`;
}

/** A round unit's final totals as the ranking's structure cells read a unit (engine/report/structure.ts). */
function asUnitScore(u: RoundUnit, breakdown: TotalsBreakdown | undefined, total: number | undefined): UnitScore {
  return {
    id: u.id,
    name: u.name,
    level: u.level,
    levelName: u.levelName,
    year: 0,
    status: total === undefined ? 'incomplete' : 'complete',
    ...(total !== undefined ? { total } : {}),
    totalPoints: u.totalPoints,
    ...(u.type !== undefined ? { type: u.type } : {}),
    ...(u.attributes ? { attributes: u.attributes } : {}),
    criteria: [],
    problems: [],
    criteriaFile: u.criteriaFile,
    criteriaSha256: u.criteriaSha256,
    ...(breakdown ?? {}),
  };
}

/**
 * The round's results as text. `set` (the round's criteria) adds, on a structured level, the
 * final total's breakdown as columns (type, index, base, bonus, penalty, group subtotals) and
 * their legend; a plain level reads exactly as before.
 */
export function resultsText(result: RoundResult, lang: Lang, set?: { levels: readonly CompiledLevel[] }): string {
  const w = W[lang];
  const blocks: string[] = [heading(`${w.round}: ${result.round.name} — ${lang === 'vi' ? 'năm' : 'year'} ${result.round.year}`).join('\n')];
  for (const level of result.levels) {
    const units = result.units.filter((u) => u.level === level.id);
    const d = level.decimals;
    if (units.length === 0) continue;
    const compiled = level.structured ? set?.levels.find((l) => l.id === level.id) : undefined;
    const structure = compiled ? levelSummaryStructure(compiled) : undefined;
    const extra = structure ? structureHeader(structure, lang) : [];
    const rows = [[w.rank, w.id, w.name, w.self, w.computed, w.final, `${w.diff} (${lang === 'vi' ? 'thẩm định − tự chấm' : 'appraised − self'})`, ...extra]];
    for (const u of units) {
      rows.push([
        u.rank === undefined ? '—' : String(u.rank),
        u.id,
        u.name,
        p(u.selfTotal, lang, d),
        p(u.computedTotal, lang, d),
        p(u.finalTotal, lang, d),
        u.selfTotal !== undefined && u.finalTotal !== undefined ? signed(new Fraction(String(u.finalTotal)).sub(String(u.selfTotal)).valueOf(), lang, d) : '—',
        ...(structure ? structureCells(structure, asUnitScore(u, u.breakdown?.final, u.finalTotal), lang) : []),
      ]);
    }
    const lines = [`${level.name} (${units.length} ${lang === 'vi' ? 'đơn vị' : 'units'}, ${formatPoints(level.totalPoints, lang)} ${lang === 'vi' ? 'điểm' : 'points'})`, alignColumns(rows, [true, false, false, true, true, true, true, ...extra.map(() => true)])];
    if (structure && extra.length) {
      lines.push(
        '',
        totalsNote(structure, lang),
        ...structureLegend(structure, lang),
      );
    }
    const changed = units.flatMap((u) => u.criteria.filter((c) => c.appraisal && c.appraisal.decision !== 'accept').map((c) => `  ${u.id}, ${lang === 'vi' ? 'tiêu chí' : 'criterion'} ${c.number} (${c.id}): ${p(c.computed, lang, d)} → ${p(c.final, lang, d)}; ${decisionText(c.appraisal!)}`));
    if (changed.length) lines.push('', lang === 'vi' ? 'Điểm thay đổi khi thẩm định:' : 'Points changed by the appraisal:', ...changed);
    // structures (issue 11): points that moved with the level's statistics (another unit's data was corrected).
    const moved = units.flatMap((u) => u.criteria.filter((c) => !c.appraisal && c.finalExplanation !== undefined).map((c) => `${u.id} ${c.number}: ${p(c.computed, lang, d)} → ${p(c.final, lang, d)}`));
    if (moved.length) lines.push('', `${lang === 'vi' ? 'Điểm đổi vì thống kê của cấp tính lại sau thẩm định' : "Points moved with the level's statistics after the appraisal"}: ${moved.join('; ')}`);
    const differences = units.flatMap((u) => u.criteria.filter((c) => c.difference !== undefined && c.difference !== 0).map((c) => `${u.id} ${c.number}: ${signed(c.difference, lang, d)}`));
    if (differences.length) lines.push('', `${lang === 'vi' ? 'Tiêu chí có điểm thẩm định khác điểm tự chấm' : 'Criteria where appraised ≠ self'}: ${differences.join('; ')}`);
    blocks.push(lines.join('\n'));
  }
  blocks.push(proposalText(result, lang));
  return blocks.join('\n\n');
}

export function proposalText(result: RoundResult, lang: Lang): string {
  const w = W[lang];
  const lines = heading(w.proposal);
  if (!result.proposal.declared) {
    lines.push(lang === 'vi' ? 'round.yaml chưa khai quy tắc đề nghị khen thưởng (award).' : 'round.yaml declares no award rule.');
    return lines.join('\n');
  }
  lines.push(`${lang === 'vi' ? 'Phân định khi bằng tổng điểm' : 'Tie-break'}: ${result.proposal.tieBreak}.`);
  for (const level of result.proposal.levels) {
    lines.push('', `${level.levelName}${level.title ? ` — ${level.title}` : ''}: ${level.rule}`);
    const d = result.levels.find((l) => l.id === level.level)?.decimals;
    for (const e of level.entries) lines.push(`  ${e.proposed ? '[đề nghị]' : '[không]  '} ${e.unit} (${e.name})${e.total !== undefined ? ` ${p(e.total, lang, d)}` : ''}: ${e.rule}`);
  }
  return lines.join('\n');
}

/** One unit: each criterion's data with provider and source, the computed points, self-assessment, appraisal and evidence. */
export function unitExplanation(result: RoundResult, unit: RoundUnit, level: CompiledLevel, lang: Lang): string {
  const d = level.doc.scoring.rounding.decimals;
  const vi = lang === 'vi';
  const lines = [
    `${unit.name} (${unit.id}) — ${unit.levelName}, ${vi ? 'năm' : 'year'} ${result.round.year}`,
    `${vi ? 'Tổng điểm' : 'Total'}: ${vi ? 'tự chấm' : 'self'} ${p(unit.selfTotal, lang, d)}; ${vi ? 'máy chấm' : 'computed'} ${p(unit.computedTotal, lang, d)}; ${vi ? 'sau thẩm định' : 'appraised'} ${p(unit.finalTotal, lang, d)} / ${formatPoints(unit.totalPoints, lang)}${unit.rank ? ` — ${vi ? 'hạng' : 'rank'} ${unit.rank}` : ''}`,
  ];
  // structures (issue 11): the unit as registered, and how each total was reached.
  if (level.structure?.shaped) {
    if (unit.type !== undefined && level.structure.unitTypes.size) lines.push(`${vi ? 'Loại đơn vị' : 'Unit type'}: ${level.structure.unitTypes.get(unit.type)?.label ?? unit.type} (${unit.type})`);
    if (unit.attributes && Object.keys(unit.attributes).length) lines.push(`${vi ? 'Thuộc tính' : 'Attributes'}: ${unitAttributesText(level, unit.attributes, lang)}`);
    const columns: [string, TotalsBreakdown | undefined, number | undefined][] = [
      [vi ? 'Sau thẩm định' : 'Appraised', unit.breakdown?.final, unit.finalTotal],
      [vi ? 'Máy chấm' : 'Computed', unit.breakdown?.computed, unit.computedTotal],
      [vi ? 'Tự chấm' : 'Self', unit.breakdown?.self, unit.selfTotal],
    ];
    for (const [title, breakdown, total] of columns) {
      const explained = breakdown ? explainTotals(level, asUnitScore(unit, breakdown, total), lang) : [];
      if (!explained.length) continue;
      lines.push(`${title}:`, ...explained.map((l) => `  ${l}`));
    }
  }
  for (const pr of unit.problems ?? []) lines.push(`${pr.severity === 'error' ? (vi ? 'Lỗi' : 'Error') : vi ? 'Cảnh báo' : 'Warning'}: ${pr.message[lang]}`);
  lines.push('');
  const printed = new Set<string>();
  for (const c of unit.criteria) {
    const def = level.criteria.find((x) => x.id === c.id)!.def;
    lines.push(...groupHeadings(level, c.id, printed, lang));
    const kind = c.kind ? ` — ${vi ? { bonus: 'điểm thưởng', penalty: 'điểm trừ', info: 'không tính điểm' }[c.kind] : c.kind}` : '';
    lines.push(`${c.number}. ${c.name} [${c.id}] (${vi ? 'điểm chuẩn' : 'max'} ${formatPoints(c.maxPoints, lang)}${kind})`);
    if (c.status === 'not_applicable') {
      lines.push(`   ${vi ? 'KHÔNG ÁP DỤNG' : 'DOES NOT APPLY'}: ${c.explanation}`);
      for (const pr of c.problems) lines.push(`   ${pr.severity === 'error' ? (vi ? 'Lỗi' : 'Error') : vi ? 'Cảnh báo' : 'Warning'}: ${pr.message[lang]}`);
      lines.push('');
      continue;
    }
    for (const i of c.inputs) {
      const value = i.value !== undefined ? reportedText(i.value, lang, def.inputs[i.id]) : i.status === 'missing' ? (lang === 'vi' ? 'chưa nhận' : 'not received') : i.status === 'conflict' ? (lang === 'vi' ? 'mâu thuẫn giữa hai nguồn' : 'conflict') : lang === 'vi' ? 'không đọc được' : 'unreadable';
      const from = i.providerName ? `${lang === 'vi' ? 'nguồn' : 'from'} ${i.providerName}, ${i.source}` : `${lang === 'vi' ? 'do' : 'from'} ${i.providers.map((x) => x.name).join(' / ')}`;
      lines.push(`   ${lang === 'vi' ? 'Số liệu' : 'Data'}: ${i.label}: ${value} (${from})${i.corrected !== undefined ? ` → ${lang === 'vi' ? 'sửa khi thẩm định' : 'corrected'}: ${reportedText(i.corrected, lang, def.inputs[i.id])}` : ''}`);
      const older = i.history.filter((h) => h.status === 'superseded' || h.status === 'late' || h.status === 'conflict');
      for (const h of older) lines.push(`     ${h.status === 'superseded' ? (lang === 'vi' ? 'giá trị cũ, đã được thay' : 'superseded') : h.status === 'late' ? (lang === 'vi' ? 'gửi trễ hạn, không dùng' : 'late, not used') : lang === 'vi' ? 'mâu thuẫn' : 'conflict'}: ${h.value !== undefined ? reportedText(h.value, lang, def.inputs[i.id]) : '?'} (${h.source})`);
    }
    for (const v of levelValueLines({ levelValues: c.levelValues } as Parameters<typeof levelValueLines>[0], lang)) lines.push(`   ${v}`);
    lines.push(`   ${lang === 'vi' ? 'Cách tính' : 'How'}: ${c.explanation}`);
    lines.push(`   ${lang === 'vi' ? 'Điểm' : 'Points'}: ${lang === 'vi' ? 'tự chấm' : 'self'} ${p(c.self, lang, d)}; ${lang === 'vi' ? 'máy chấm' : 'computed'} ${p(c.computed, lang, d)}; ${lang === 'vi' ? 'thẩm định' : 'appraised'} ${p(c.final, lang, d)}${c.difference ? ` (${signed(c.difference, lang, d)} ${lang === 'vi' ? 'so với tự chấm' : 'vs self'})` : ''}`);
    if (c.appraisal) lines.push(`   ${lang === 'vi' ? 'Thẩm định' : 'Appraisal'}: ${decisionText(c.appraisal)}`);
    if (c.finalExplanation) {
      for (const v of levelValueLines({ levelValues: c.finalLevelValues } as Parameters<typeof levelValueLines>[0], lang)) lines.push(`   ${lang === 'vi' ? 'Sau thẩm định' : 'After appraisal'}, ${v.charAt(0).toLowerCase()}${v.slice(1)}`);
      lines.push(`   ${lang === 'vi' ? 'Sau thẩm định' : 'After appraisal'}: ${c.finalExplanation}`);
    }
    const ev = c.evidence;
    const given = ev.items.map((x) => [EVIDENCE_LABELS[x.kind][lang], x.number, x.date ? formatDate(x.date) : undefined, x.issuer, x.file ?? x.link].filter(Boolean).join(', '));
    lines.push(`   ${lang === 'vi' ? 'Minh chứng' : 'Evidence'}: ${lang === 'vi' ? 'cần' : 'required'} ${ev.required.map((k) => EVIDENCE_LABELS[k][lang]).join('; ')}${given.length ? `; ${lang === 'vi' ? 'đã nộp' : 'filed'}: ${given.join(' | ')}` : ''}${ev.byProvider.length ? `; ${lang === 'vi' ? 'trích xuất do cơ quan cung cấp gửi' : 'export sent by the provider'}` : ''}${ev.missing.length ? `; ${lang === 'vi' ? 'THIẾU' : 'MISSING'}: ${ev.missing.map((k) => EVIDENCE_LABELS[k][lang]).join('; ')}` : ''}`);
    for (const pr of c.problems.filter((x) => x.code !== 'round.evidence-missing')) lines.push(`   ${pr.severity === 'error' ? (lang === 'vi' ? 'Lỗi' : 'Error') : lang === 'vi' ? 'Cảnh báo' : 'Warning'}: ${pr.message[lang]}`);
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}
