/** Text into HTML: everything a unit, a file or a criteria author wrote is escaped before it reaches a page. */
export function esc(text: string | number): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** An id usable in HTML (and as a fragment) from any string: unit ids are data, not code. */
export function domId(...parts: string[]): string {
  return parts.map((p) => p.normalize('NFD').replace(/[^A-Za-z0-9_-]+/g, '-')).join('--');
}
