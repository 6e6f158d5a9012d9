/**
 * How outputs of a draft criteria set say so. A score, a template or an
 * annex made from unsigned criteria must not pass for the real thing: each
 * output puts "DỰ THẢO" where a reader cannot miss it (a banner above a
 * table, the title of a sheet, a column of a CSV, `provenance.status`).
 */
import type { Lang } from '../problems.js';

export const DRAFT_MARK = 'DỰ THẢO';

/** A one-line banner for the top of a text or Markdown output. */
export function draftBanner(year: number, lang: Lang): string {
  return lang === 'vi'
    ? `${DRAFT_MARK} — bộ tiêu chí năm ${year} chưa được ký ban hành; kết quả chỉ để tham khảo.`
    : `${DRAFT_MARK} (DRAFT) — the ${year} criteria are not signed; results are for review only.`;
}

/** "DỰ THẢO — title" for a draft, the title as is otherwise. */
export function draftTitle(title: string, draft: boolean): string {
  return draft ? `${DRAFT_MARK} — ${title}` : title;
}
