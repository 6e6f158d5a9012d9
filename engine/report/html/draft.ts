/**
 * Whether a criteria set is a draft (not yet signed): the one place the
 * report, the score sheets and the web view decide to print "DỰ THẢO".
 *
 * Today a draft is recognised by its blank decision number or date (what
 * `new-year` leaves for staff to fill in). A set may also say so itself:
 * an explicit status (`status: draft | signed`, on the file or on its
 * decision) wins when present, so switching to the new field needs no
 * change anywhere else.
 */
import type { CriteriaSet } from '../../criteria-set.js';

function explicitStatus(doc: object): 'draft' | 'signed' | undefined {
  for (const holder of [doc, (doc as { decision?: unknown }).decision]) {
    if (holder === null || typeof holder !== 'object') continue;
    const status = (holder as { status?: unknown }).status;
    if (status === 'draft' || status === 'du-thao') return 'draft';
    if (status === 'signed' || status === 'final' || status === 'issued') return 'signed';
  }
  return undefined;
}

export function isDraftSet(set: CriteriaSet): boolean {
  return set.levels.some((level) => {
    const status = explicitStatus(level.doc);
    if (status) return status === 'draft';
    const { number, date } = level.doc.decision;
    return !number?.trim() || !date?.trim();
  });
}
