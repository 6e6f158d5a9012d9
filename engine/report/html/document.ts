/**
 * The HTML shell every page shares: one self-contained document (inline
 * CSS, no external font, script or image), A4 print rules, and the
 * draft banner. Used by the results report, the score sheets and the web
 * view, so they print and read the same.
 */
import type { Lang } from '../../problems.js';
import { FONT_STACK } from '../charts.js';
import { esc } from './escape.js';

export const BASE_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #1f5fa8; --warn: #9a3412; --bg-soft: #f6f8fa; }
* { box-sizing: border-box; }
html { font-family: ${FONT_STACK}; color: var(--ink); background: #fff; line-height: 1.45; font-size: 15px; }
body { margin: 0 auto; padding: 1.5rem 1.25rem 3rem; max-width: 72rem; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
h3 { font-size: 1.08rem; margin: 1.4rem 0 .5rem; }
p, li { max-width: 60rem; }
a { color: #0b4f9c; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
.muted { color: var(--muted); }
.draft-banner { border: 3px solid var(--warn); color: var(--warn); font-weight: 700; letter-spacing: .08em; padding: .35rem .8rem; display: inline-block; margin: .3rem 0 .8rem; font-size: 1.1rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; caption-side: top; }
th, td { border: 1px solid var(--line); padding: .25rem .45rem; vertical-align: top; text-align: left; }
thead th { background: var(--bg-soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.heat { text-align: right; font-variant-numeric: tabular-nums; min-width: 2.6rem; }
td.missing { background: repeating-linear-gradient(45deg, #eaeef2, #eaeef2 4px, #fff 4px, #fff 8px); text-align: center; }
td.na { color: #57606a; text-align: center; font-size: 0.85em; }
.up { color: #116329; } .down { color: #a40e26; }
figure { margin: .6rem 0 1rem; }
figcaption { font-size: .85rem; color: var(--muted); }
svg.chart { width: 100%; height: auto; display: block; }
.table-wrap { overflow-x: auto; }
.weak { font-weight: 700; }
table.stats, table.heat-table { width: 100%; }
table th[scope=row] { font-weight: 400; }
table.stats th[scope=row] { min-width: 18rem; }
table.heat-table th[scope=row] { min-width: 12rem; }
table.stats tr.weak th[scope=row], table.stats tr.weak td { font-weight: 700; }
table.stats thead th, table.heat-table thead th { vertical-align: bottom; font-size: .8rem; }
.problem-list li { margin-bottom: .2rem; }
.provenance td:first-child { white-space: nowrap; }
code, .hash { font-family: 'DejaVu Sans Mono', 'Noto Sans Mono', monospace; font-size: .8rem; word-break: break-all; }
nav.toc ul { padding-left: 1.2rem; }
@page { size: A4 portrait; margin: 14mm 12mm 16mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; color: #57606a; } }
@page wide { size: A4 landscape; margin: 12mm 10mm 14mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; color: #57606a; } }
@media print {
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .no-print, nav.site { display: none !important; }
  .page-break, section.level { break-before: page; }
  section.level:first-of-type { break-before: auto; }
  .wide { page: wide; }
  thead { display: table-header-group; }
  tr, figure, .keep { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .table-wrap { overflow: visible; }
  svg.chart { max-width: 100% !important; }
}
`;

export interface DocumentParts {
  lang: Lang;
  title: string;
  body: string;
  /** Extra CSS for this kind of page. */
  css?: string;
  /** A small inline script (progressive enhancement only: pages work without it). */
  script?: string;
}

export function htmlDocument(parts: DocumentParts): string {
  return `<!DOCTYPE html>
<html lang="${parts.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tieuchi">
<title>${esc(parts.title)}</title>
<style>${BASE_CSS}${parts.css ?? ''}</style>
</head>
<body>
${parts.body}
${parts.script ? `<script>${parts.script}</script>` : ''}
</body>
</html>
`;
}

/** "DỰ THẢO" / "DRAFT", printed on every page of an unsigned set's outputs. */
export function draftBanner(lang: Lang, detail: string): string {
  return `<p class="draft-banner" role="note">${lang === 'vi' ? 'DỰ THẢO' : 'DRAFT'}</p> <span class="muted">${esc(detail)}</span>`;
}
