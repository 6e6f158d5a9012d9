/**
 * A diff of a draft in progress: what the two sets' problems are, which
 * criteria could not be compared for impact, and the banner every
 * rendering puts at the top. A reviewer never has to finish a draft to see
 * what it changes: sets are loaded with `partial: true`, problems travel
 * with the diff instead of stopping it.
 */
import { criteriaStatus, type CriteriaSet } from '../criteria-set.js';
import type { DecisionStatus, Submission } from '../model.js';
import type { Lang, Problem } from '../problems.js';
import { DRAFT_MARK } from '../report/draft.js';

export interface ReviewSide {
  dir: string;
  year: number;
  status: DecisionStatus;
  errors: number;
  warnings: number;
  /** Every problem of the set (errors and warnings), as validate reports them. */
  problems: Problem[];
  /** Criteria whose formulas do not compile: compared as written, left out of the impact. */
  uncompiled: { level: string; id: string; number: string; name: string }[];
  /** Level files that did not load at all (syntax or schema errors): not compared. */
  unloaded: string[];
}

export interface ReviewBanner {
  old: ReviewSide;
  new: ReviewSide;
}

export function reviewSide(set: CriteriaSet, problems: readonly Problem[]): ReviewSide {
  return {
    dir: set.dir,
    year: set.year,
    status: criteriaStatus(set),
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
    problems: [...problems],
    uncompiled: (set.incomplete?.levels ?? []).flatMap((l) => l.criteria.map((c) => ({ level: l.level, ...c }))),
    unloaded: set.incomplete?.files ?? [],
  };
}

/** True when there is something to say: a draft, problems, or criteria left out. */
export function bannerNeeded(banner: ReviewBanner): boolean {
  return [banner.old, banner.new].some((s) => s.status === 'draft' || s.errors > 0 || s.warnings > 0 || s.uncompiled.length > 0 || s.unloaded.length > 0);
}

/** Criteria to leave out of the impact on both sides (so totals compare like with like), by level. */
export function leftOutOfImpact(banner: ReviewBanner): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of [...banner.old.uncompiled, ...banner.new.uncompiled]) {
    if (!out.has(c.level)) out.set(c.level, new Set());
    out.get(c.level)!.add(c.id);
  }
  return out;
}

/** A set without the given criteria (for the impact), and submissions without their data. */
export function withoutCriteria(set: CriteriaSet, skip: Map<string, Set<string>>): CriteriaSet {
  if (skip.size === 0) return set;
  return { ...set, levels: set.levels.map((l) => (skip.has(l.id) ? { ...l, criteria: l.criteria.filter((c) => !skip.get(l.id)!.has(c.id)) } : l)) };
}

export function submissionsWithout(submissions: readonly Submission[], skip: Map<string, Set<string>>): Submission[] {
  if (skip.size === 0) return [...submissions];
  return submissions.map((s) => {
    const ids = skip.get(s.level);
    if (!ids || typeof s.inputs !== 'object' || s.inputs === null) return s;
    const inputs = Object.fromEntries(Object.entries(s.inputs).filter(([id]) => !ids.has(id)));
    return { ...s, inputs };
  });
}

const W = {
  vi: {
    draft: (year: number, dir: string) => `${DRAFT_MARK}: bộ tiêu chí năm ${year} (${dir}) chưa ký ban hành.`,
    problems: (year: number, dir: string, e: number, w: number) => `Bộ tiêu chí năm ${year} (${dir}) còn ${e} lỗi, ${w} cảnh báo; bản so sánh vẫn được lập trên những gì đọc được.`,
    warningsOnly: (n: number, codes: string) => `${n} cảnh báo: ${codes}.`,
    uncompiled: (list: string) => `Chưa tính tác động (công thức còn lỗi, chỉ so sánh chữ): ${list}.`,
    unloaded: (list: string) => `Không so sánh được (tệp chưa đọc được): ${list}.`,
    more: (n: number) => `… và ${n} lỗi khác (xem "tieuchi validate").`,
    title: 'Lưu ý',
  },
  en: {
    draft: (year: number, dir: string) => `${DRAFT_MARK} (DRAFT): the ${year} criteria (${dir}) are not signed.`,
    problems: (year: number, dir: string, e: number, w: number) => `The ${year} criteria (${dir}) have ${e} error(s), ${w} warning(s); the comparison is made on what could be read.`,
    warningsOnly: (n: number, codes: string) => `${n} warning(s): ${codes}.`,
    uncompiled: (list: string) => `No impact computed (formula has errors, text compared only): ${list}.`,
    unloaded: (list: string) => `Not compared (file could not be read): ${list}.`,
    more: (n: number) => `… and ${n} more error(s) (see "tieuchi validate").`,
    title: 'Note',
  },
};

const ERRORS_SHOWN = 20;

/** The banner as plain lines (each renderer adds its own markup). Empty when there is nothing to say. */
export function bannerLines(banner: ReviewBanner, lang: Lang): string[] {
  const w = W[lang];
  const lines: string[] = [];
  for (const side of [banner.old, banner.new]) {
    if (side.status === 'draft') lines.push(w.draft(side.year, side.dir));
    if (side.errors) {
      lines.push(w.problems(side.year, side.dir, side.errors, side.warnings));
      const errors = side.problems.filter((p) => p.severity === 'error');
      for (const p of errors.slice(0, ERRORS_SHOWN)) {
        const where = p.location ? `${p.location.file}:${p.location.line}:${p.location.column}` : (p.file ?? '');
        lines.push(`  - ${where} ${p.code}: ${p.message[lang]}`);
      }
      if (errors.length > ERRORS_SHOWN) lines.push(`  ${w.more(errors.length - ERRORS_SHOWN)}`);
    }
    if (side.warnings && (side.errors || side.status === 'draft')) {
      const counts = new Map<string, number>();
      for (const p of side.problems) if (p.severity === 'warning') counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
      lines.push(`  ${w.warningsOnly(side.warnings, [...counts].map(([c, n]) => `${c} × ${n}`).join(', '))}`);
    }
    if (side.uncompiled.length) lines.push(w.uncompiled(side.uncompiled.map((c) => `${c.number}. ${c.id} [${c.level}]`).join(', ')));
    if (side.unloaded.length) lines.push(w.unloaded(side.unloaded.join(', ')));
  }
  return lines;
}

export const bannerTitle = (lang: Lang): string => W[lang].title;
