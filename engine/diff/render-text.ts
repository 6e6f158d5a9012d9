/**
 * A diff and an impact report as plain text for a terminal.
 */
import type { Lang } from '../problems.js';
import { alignColumns } from '../report/tables.js';
import { levelUnchanged, type SetDiff } from './compare.js';
import { criterionBlocks, fieldRows, num, parameterBlocks, points, setDescription, sideHeadings, summaryText, T, type ChangeRow } from './describe.js';
import { IMPACT_WORDS, levelImpactRows } from './describe-impact.js';
import type { ImpactReport } from './impact.js';

const INDENT = '    ';

/** A value that may span lines, indented under its label. */
function block(label: string, value: string, indent: string): string[] {
  const lines = value.split('\n');
  const pad = ' '.repeat(label.length);
  return lines.map((line, i) => `${indent}${i === 0 ? label : pad}${line}`);
}

/** "điểm chuẩn: 10 điểm → 8 điểm" on one line when short; otherwise old and new on their own lines. */
function rowLines(row: ChangeRow, lang: Lang, headings: [string, string], indent: string): string[] {
  if (!row.old || !row.new) {
    const [side, value] = row.old ? [headings[0], row.old] : [headings[1], row.new];
    return [`${indent}${row.what} (${side}):`, ...block('', value, indent + '  ')];
  }
  const oneLine = `${indent}${row.what}: ${row.old} → ${row.new}`;
  if (!row.formula && !row.old.includes('\n') && !row.new.includes('\n') && oneLine.length <= 110) return [oneLine];
  const width = Math.max(headings[0].length, headings[1].length) + 2;
  return [`${indent}${row.what}:`, ...block(`${headings[0]}:`.padEnd(width), row.old, indent + '  '), ...block(`${headings[1]}:`.padEnd(width), row.new, indent + '  ')];
}

export function diffText(diff: SetDiff, lang: Lang): string {
  const t = T[lang];
  const headings = sideHeadings(diff, lang);
  const out: string[] = [];
  out.push(`${t.title}: ${headings[0]} → ${headings[1]}`);
  out.push(`  ${headings[0]}: ${setDescription(diff.from, lang)}`);
  out.push(`  ${headings[1]}: ${setDescription(diff.to, lang)}`);
  out.push('', `${t.summary}: ${summaryText(diff, lang)}`);

  if (diff.decision.length) {
    out.push('', `${t.decisionChanges}:`);
    for (const row of fieldRows(diff.decision, lang)) out.push(...rowLines(row, lang, headings, '  '));
  }
  if (diff.levelsRemoved.length) {
    out.push('', `${t.levelsRemoved}:`);
    for (const l of diff.levelsRemoved) out.push(`  - ${l.name} [${l.id}]: ${l.criteria} ${t.criteria}, ${points(l.totalPoints, lang)}`);
  }
  if (diff.levelsAdded.length) {
    out.push('', `${t.levelsAdded}:`);
    for (const l of diff.levelsAdded) out.push(`  + ${l.name} [${l.id}]: ${l.criteria} ${t.criteria}, ${points(l.totalPoints, lang)}`);
  }

  for (const level of diff.levels) {
    out.push('', `${t.level} ${level.name} [${level.id}]`);
    if (levelUnchanged(level)) {
      out.push(`  ${t.noChange} (${level.criteria.unchanged} ${t.criteria}).`);
      continue;
    }
    const general = [...fieldRows(level.metadata, lang), ...fieldRows(level.scoring, lang), ...fieldRows(level.structure ?? [], lang)]; // structure: issue 11
    if (level.totalPoints) general.push({ what: t.totalPoints, old: num(level.totalPoints.old, lang), new: num(level.totalPoints.new, lang) });
    if (general.length) {
      out.push(`  ${t.metadata}:`);
      for (const row of general) out.push(...rowLines(row, lang, headings, INDENT));
    }
    const parameters = parameterBlocks(level, lang);
    if (parameters.length) {
      out.push(`  ${t.parameters}:`);
      for (const p of parameters) {
        const mark = p.status === 'added' ? '+' : p.status === 'removed' ? '-' : '~';
        out.push(`  ${mark} ${p.id} (${p.label}) — ${p.usedBy}`);
        for (const row of p.rows) out.push(...rowLines(row, lang, headings, INDENT));
      }
    }
    const criteria = criterionBlocks(level, lang);
    if (criteria.length) {
      out.push(`  ${t.criteriaChanges}:`);
      for (const c of criteria) {
        const mark = c.status === 'added' ? '+' : c.status === 'removed' ? '-' : '~';
        out.push(`  ${mark} ${c.number}. ${c.name} [${c.id}]`);
        for (const row of c.rows) out.push(...rowLines(row, lang, headings, INDENT));
      }
    }
    out.push(`  ${t.unchanged(level.criteria.unchanged)}`);
  }
  return out.join('\n');
}

export function impactText(report: ImpactReport, lang: Lang): string {
  const w = IMPACT_WORDS[lang];
  const out: string[] = [`${w.title}: ${report.from.dir} → ${report.to.dir}`, `  ${w.intro(report.counts.units, report.from.year, report.to.year)}`, `  ${w.summary(report)}`];
  for (const level of report.levels) {
    const rows = levelImpactRows(level, lang);
    out.push('', `${T[lang].level} ${level.name} [${level.id}]`);
    if (level.status === 'removed') out.push(`  ${w.levelRemoved(level.units.length)}`);
    if (level.status === 'added') out.push(`  ${w.levelAdded}`);
    if (rows.units.length) {
      const numeric = w.unitHeader.map((_, i) => i < 2 || i >= 4);
      out.push(...alignColumns([w.unitHeader, ...rows.units], numeric).split('\n').map((l) => `  ${l}`));
    }
    if (rows.criteria.length || rows.criteriaSteady) out.push('', `  ${w.criteriaTitle}:`);
    if (rows.criteria.length) {
      const numeric = w.criterionHeader.map((_, i) => i >= 2);
      out.push(...alignColumns([w.criterionHeader, ...rows.criteria], numeric).split('\n').map((l) => `    ${l}`));
    }
    if (rows.criteriaSteady) out.push(`    ${w.steady(rows.criteriaSteady)}`);
    if (rows.notFitting.length) out.push('', `  ${w.notFitting}`, ...rows.notFitting.map((l) => `    - ${l}`));
    if (rows.withProblems.length) out.push('', `  ${w.withProblems}`, ...rows.withProblems.map((l) => `    - ${l}`));
  }
  if (report.setAside.length) out.push('', w.setAside, ...report.setAside.map((s) => `  - ${w.setAsideLine(s)}`));
  if (report.rejected.length) out.push('', w.rejected, ...report.rejected.map((r) => `  - ${r.id ?? '?'}: ${r.problems.map((p) => p.message[lang]).join(' ')}`));
  return out.join('\n');
}
