/**
 * A diff (and its impact) as Markdown, laid out as the comparison table a
 * draft decision carries as an annex: per level, one row per change, the
 * old provision beside the new one.
 */
import type { Lang } from '../problems.js';
import { formatDate } from '../report/format.js';
import { levelUnchanged, type SetDiff, type SetRef } from './compare.js';
import { criterionBlocks, fieldRows, num, parameterBlocks, points, sideHeadings, summaryText, T, type ChangeRow } from './describe.js';
import { IMPACT_WORDS, levelImpactRows } from './describe-impact.js';
import type { ImpactReport } from './impact.js';

/**
 * Quoted text as literal Markdown: the decision's "90/95*4" must not turn
 * into emphasis, "_" in an id nor "<" in a rule into markup, "1." at the
 * start of a line into a list.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]<>|~#]/g, (ch) => `\\${ch}`)
    .replace(/^(\s*)([-+])(\s)/gm, '$1\\$2$3')
    .replace(/^(\s*\d+)([.)])(\s)/gm, '$1\\$2$3');
}

/** A table cell: quoted text escaped, line breaks as <br>. */
function cell(text: string): string {
  return escapeMarkdown(text).replace(/\r?\n/g, '<br>') || ' ';
}

function code(text: string): string {
  return text ? `\`${text.replace(/\|/g, '\\|')}\`` : ' ';
}

function table(header: string[], rows: string[][], numeric: boolean[] = []): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (numeric[i] ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function changeCells(row: ChangeRow, lang: Lang): [string, string] {
  const none = T[lang].none;
  // Formulas read as Vietnamese math with labels: plain (escaped) text, not code.
  if (row.formula) return [row.old ? cell(row.old) : none, row.new ? cell(row.new) : none];
  return [row.old ? cell(row.old) : none, row.new ? cell(row.new) : none];
}

function decisionCell(ref: SetRef, lang: Lang): string {
  const t = T[lang];
  const { number, date } = ref.decision;
  return cell(`${number || t.noNumber}, ${date ? formatDate(date) : t.noDate}`);
}

export function diffMarkdown(diff: SetDiff, lang: Lang): string {
  const t = T[lang];
  const [before, after] = sideHeadings(diff, lang);
  const out: string[] = [];
  out.push(`# ${t.title}: ${before} → ${after}`, '');
  out.push(
    ...table(
      [' ', before, after],
      [
        [lang === 'vi' ? 'Bộ tiêu chí' : 'Criteria', code(diff.from.dir), code(diff.to.dir)],
        [lang === 'vi' ? 'Quyết định' : 'Decision', decisionCell(diff.from, lang), decisionCell(diff.to, lang)],
      ],
    ),
  );
  out.push('', `**${t.summary}:** ${summaryText(diff, lang)}`);

  if (diff.decision.length) {
    out.push('', `## ${t.decisionChanges}`, '', ...table([t.what, before, after], fieldRows(diff.decision, lang).map((r) => [cell(r.what), ...changeCells(r, lang)])));
  }
  const levelTable = (levels: SetDiff['levelsRemoved']) =>
    table(lang === 'vi' ? ['Mã cấp', 'Tên cấp', 'Số tiêu chí', 'Tổng điểm'] : ['Level id', 'Name', 'Criteria', 'Total points'], levels.map((l) => [code(l.id), cell(l.name), String(l.criteria), num(l.totalPoints, lang)]), [false, false, true, true]);
  if (diff.levelsRemoved.length) out.push('', `## ${t.levelsRemoved}`, '', ...levelTable(diff.levelsRemoved));
  if (diff.levelsAdded.length) out.push('', `## ${t.levelsAdded}`, '', ...levelTable(diff.levelsAdded));

  for (const level of diff.levels) {
    out.push('', `## ${t.level}: ${level.name} (${code(level.id)})`, '');
    if (levelUnchanged(level)) {
      out.push(`${t.noChange} (${level.criteria.unchanged} ${t.criteria}).`);
      continue;
    }
    const general = [...fieldRows(level.metadata, lang), ...fieldRows(level.scoring, lang), ...fieldRows(level.structure ?? [], lang)]; // structure: issue 11
    if (level.totalPoints) general.push({ what: t.totalPoints, old: points(level.totalPoints.old, lang), new: points(level.totalPoints.new, lang) });
    if (general.length) out.push(`### ${t.metadata}`, '', ...table([t.what, before, after], general.map((r) => [cell(r.what), ...changeCells(r, lang)])), '');
    const parameters = parameterBlocks(level, lang);
    if (parameters.length) {
      const rows = parameters.flatMap((p) => p.rows.map((r, i) => [i === 0 ? `${code(p.id)}<br>${cell(p.label)}` : ' ', cell(r.what), ...changeCells(r, lang), i === 0 ? cell(p.usedBy) : ' ']));
      out.push(`### ${t.parameters}`, '', ...table([lang === 'vi' ? 'Tham số' : 'Parameter', t.what, before, after, lang === 'vi' ? 'Tiêu chí dùng' : 'Used by'], rows), '');
    }
    const criteria = criterionBlocks(level, lang);
    if (criteria.length) {
      const rows = criteria.flatMap((c) => c.rows.map((r, i) => [i === 0 ? c.number : ' ', i === 0 ? `${cell(c.name)}<br>${code(c.id)}` : ' ', cell(r.what), ...changeCells(r, lang)]));
      out.push(`### ${t.criteriaChanges}`, '', ...table([lang === 'vi' ? 'TT' : 'No.', lang === 'vi' ? 'Tiêu chí' : 'Criterion', t.what, before, after], rows), '');
    }
    out.push(t.unchanged(level.criteria.unchanged));
  }
  return out.join('\n');
}

export function impactMarkdown(report: ImpactReport, lang: Lang): string {
  const w = IMPACT_WORDS[lang];
  const out: string[] = [`## ${w.title}`, '', w.intro(report.counts.units, report.from.year, report.to.year), '', w.summary(report)];
  for (const level of report.levels) {
    const rows = levelImpactRows(level, lang);
    out.push('', `### ${T[lang].level}: ${level.name} (${code(level.id)})`, '');
    if (level.status === 'removed') out.push(w.levelRemoved(level.units.length), '');
    if (level.status === 'added') out.push(w.levelAdded, '');
    if (rows.units.length) {
      out.push(...table(w.unitHeader, rows.units.map((r) => r.map((c, i) => (i === 2 ? code(c) : cell(c)))), w.unitHeader.map((_, i) => i < 2 || i >= 4)), '');
    }
    if (rows.criteria.length) {
      out.push(`${w.criteriaTitle}:`, '', ...table(w.criterionHeader, rows.criteria.map((r) => r.map(cell)), w.criterionHeader.map((_, i) => i >= 2)), '');
    }
    if (rows.criteriaSteady) out.push(w.steady(rows.criteriaSteady), '');
    if (rows.notFitting.length) out.push(w.notFitting, '', ...rows.notFitting.map((l) => `- ${l}`), '');
    if (rows.withProblems.length) out.push(w.withProblems, '', ...rows.withProblems.map((l) => `- ${l}`), '');
  }
  if (report.setAside.length) out.push('', w.setAside, '', ...report.setAside.map((s) => `- ${w.setAsideLine(s)}`));
  if (report.rejected.length) out.push('', w.rejected, '', ...report.rejected.map((r) => `- ${r.id ?? '?'}: ${r.problems.map((p) => p.message[lang]).join(' ')}`));
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}
