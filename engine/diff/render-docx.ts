/**
 * A diff as a Word document laid out as the annex of an administrative
 * document (the layout of Decree 30/2020/NĐ-CP on official documents): A4,
 * Times New Roman 13–14, the national header "CỘNG HÒA XÃ HỘI CHỦ NGHĨA
 * VIỆT NAM / Độc lập - Tự do - Hạnh phúc" beside the issuing body, the
 * annex title with the decision it goes with, then per level a table:
 * số TT, nội dung tiêu chí, điểm chuẩn, cách tính (năm cũ | năm mới), ghi chú.
 * Departments exchange annexes as Word documents; a draft says "DỰ THẢO"
 * at the top of every page.
 *
 * Only the criteria that changed are listed (added, removed, amended); the
 * others are counted under each table. The `docx` package is loaded only
 * for this output.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalMergeType,
  WidthType,
  type ISectionOptions,
} from 'docx';
import type { Lang } from '../problems.js';
import { DRAFT_MARK } from '../report/draft.js';
import { formatDate } from '../report/format.js';
import type { CriterionChange, CriterionRef, LevelDiff, SetDiff, SetRef } from './compare.js';
import { criterionBlocks, num, points, summaryText, T } from './describe.js';
import { IMPACT_WORDS, levelImpactRows } from './describe-impact.js';
import type { ImpactReport } from './impact.js';
import { bannerLines, bannerNeeded, type ReviewBanner } from './review.js';

export interface DocxOptions {
  lang: Lang;
  banner?: ReviewBanner;
  impact?: ImpactReport;
  /** The issuing body for the header's left column; default: the new set's decision issuer. */
  issuer?: string;
}

const FONT = 'Times New Roman';
/** Half-points: 13 pt for text and tables, 14 pt for titles. */
const TEXT = 26;
const TITLE = 28;
const SMALL = 24;

const run = (text: string, extra: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean; color?: string } = {}) =>
  new TextRun({ text, font: FONT, size: extra.size ?? TEXT, ...(extra.bold ? { bold: true } : {}), ...(extra.italics ? { italics: true } : {}), ...(extra.underline ? { underline: {} } : {}), ...(extra.color ? { color: extra.color } : {}) });

/** Lines of a text as one paragraph each (Word has no "\n" inside a run). */
function lines(text: string, extra: Parameters<typeof run>[1] = {}, align: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT): Paragraph[] {
  const parts = text.split(/\r?\n/);
  return parts.map((line) => new Paragraph({ alignment: align, spacing: { before: 0, after: 40 }, children: [run(line, extra)] }));
}

const NO_BORDERS = {
  top: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  bottom: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  left: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  right: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  insideHorizontal: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  insideVertical: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
};

function nationalHeader(issuer: string, agency: string | undefined): Table {
  const left = [
    // The body, not its head: "Chủ tịch UBND tỉnh" signs, "ỦY BAN NHÂN DÂN TỈNH" heads the page.
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run(issuer.replace(/^Chủ tịch\s+/i, '').toUpperCase(), { bold: true, size: SMALL })] }),
    ...(agency ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [run(agency.toUpperCase(), { bold: true, size: SMALL })] })] : []),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run('_______', { size: SMALL })] }),
  ];
  const right = [
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: SMALL })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run('Độc lập - Tự do - Hạnh phúc', { bold: true, size: TEXT })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run('_______________________', { size: SMALL })] }),
  ];
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [new TableCell({ width: { size: 40, type: WidthType.PERCENTAGE }, borders: NO_BORDERS, children: left }), new TableCell({ width: { size: 60, type: WidthType.PERCENTAGE }, borders: NO_BORDERS, children: right })] })],
  });
}

function decisionPhrase(ref: SetRef, issuer: string, lang: Lang): string {
  const { number, date } = ref.decision;
  if (lang === 'en') return number ? `(Attached to Decision No. ${number}${date ? ` of ${formatDate(date)}` : ''} of the ${issuer})` : `(Attached to the draft decision of the ${issuer})`;
  return number
    ? `(Kèm theo Quyết định số ${number}${date ? ` ngày ${formatDate(date)}` : ''} của ${issuer})`
    : `(Kèm theo dự thảo Quyết định của ${issuer}; số và ngày ký để trống cho đến khi ban hành)`;
}

/** A cell: text paragraphs, optional bold, optional merges. */
function cell(text: string, options: { bold?: boolean; width: number; merge?: 'restart' | 'continue'; span?: number; center?: boolean } = { width: 10 }): TableCell {
  return new TableCell({
    width: { size: options.width, type: WidthType.PERCENTAGE },
    ...(options.span ? { columnSpan: options.span } : {}),
    ...(options.merge ? { verticalMerge: options.merge === 'restart' ? VerticalMergeType.RESTART : VerticalMergeType.CONTINUE } : {}),
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: lines(text || ' ', { bold: options.bold ?? false, size: TEXT }, options.center ? AlignmentType.CENTER : AlignmentType.LEFT),
  });
}

/** Column widths (percent): số TT, nội dung, điểm chuẩn, cách tính cũ, cách tính mới, ghi chú. */
const WIDTHS = [5, 21, 9, 25, 25, 15];

interface AnnexRow {
  number: string;
  content: string;
  maxPoints: string;
  old: string;
  new: string;
  note: string;
}

function ruleWithFormula(rule: string | undefined, formula: string | undefined, lang: Lang): string {
  const parts: string[] = [];
  if (rule) parts.push(rule.trim());
  if (formula) parts.push(`${lang === 'vi' ? 'Công thức' : 'Formula'}: ${formula}`);
  return parts.join('\n');
}

function refText(ref: CriterionRef, lang: Lang): string {
  return ref.formula[lang];
}

/** The annex rows of one level, from the diff and both versions' documents. */
function annexRows(level: LevelDiff, rules: { old: Map<string, PrintedCriterion>; new: Map<string, PrintedCriterion> }, lang: Lang): AnnexRow[] {
  const t = T[lang];
  const changedById = new Map<string, CriterionChange>(level.criteria.changed.map((c) => [c.id, c]));
  const addedById = new Map(level.criteria.added.map((c) => [c.id, c]));
  const removedById = new Map(level.criteria.removed.map((c) => [c.id, c]));
  return criterionBlocks(level, lang).map((block) => {
    if (block.status === 'added') {
      const ref = addedById.get(block.id)!;
      return { number: ref.number, content: ref.name, maxPoints: points(ref.maxPoints, lang), old: '—', new: ruleWithFormula(rules.new.get(ref.id)?.rule, refText(ref, lang), lang), note: t.newCriterion };
    }
    if (block.status === 'removed') {
      const ref = removedById.get(block.id)!;
      return { number: ref.number, content: ref.name, maxPoints: points(ref.maxPoints, lang), old: ruleWithFormula(rules.old.get(ref.id)?.rule, refText(ref, lang), lang), new: '—', note: t.removedCriterion };
    }
    const change = changedById.get(block.id)!;
    const max = change.changes.find((c) => c.kind === 'max_points');
    const current = rules.new.get(block.id)?.maxPoints;
    const maxPoints = max && max.kind === 'max_points' ? `${num(max.old, lang)} → ${num(max.new, lang)}` : current !== undefined ? num(current, lang) : '';
    const oldRule = rules.old.get(block.id)?.rule;
    const newRule = rules.new.get(block.id)?.rule;
    const notes = block.rows.filter((r) => !r.formula).map((r) => (r.old && r.new && !r.old.includes('\n') && !r.new.includes('\n') && r.old.length + r.new.length < 80 ? `${r.what}: ${r.old} → ${r.new}` : r.what));
    return {
      number: block.number,
      content: block.name,
      maxPoints: maxPoints || '',
      old: ruleWithFormula(oldRule, change.formula?.old[lang], lang),
      new: ruleWithFormula(newRule, change.formula?.new[lang], lang),
      note: notes.join('\n'),
    };
  });
}

function levelTable(rows: AnnexRow[], headings: [string, string], lang: Lang): Table {
  const vi = lang === 'vi';
  const head1 = new TableRow({
    tableHeader: true,
    children: [
      cell(vi ? 'Số TT' : 'No.', { bold: true, width: WIDTHS[0]!, merge: 'restart', center: true }),
      cell(vi ? 'Nội dung tiêu chí' : 'Criterion', { bold: true, width: WIDTHS[1]!, merge: 'restart', center: true }),
      cell(vi ? 'Điểm chuẩn' : 'Max points', { bold: true, width: WIDTHS[2]!, merge: 'restart', center: true }),
      cell(vi ? 'Cách tính' : 'How it is scored', { bold: true, width: WIDTHS[3]! + WIDTHS[4]!, span: 2, center: true }),
      cell(vi ? 'Ghi chú' : 'Notes', { bold: true, width: WIDTHS[5]!, merge: 'restart', center: true }),
    ],
  });
  const head2 = new TableRow({
    tableHeader: true,
    children: [
      cell('', { width: WIDTHS[0]!, merge: 'continue' }),
      cell('', { width: WIDTHS[1]!, merge: 'continue' }),
      cell('', { width: WIDTHS[2]!, merge: 'continue' }),
      cell(headings[0], { bold: true, width: WIDTHS[3]!, center: true }),
      cell(headings[1], { bold: true, width: WIDTHS[4]!, center: true }),
      cell('', { width: WIDTHS[5]!, merge: 'continue' }),
    ],
  });
  const body = rows.map(
    (r) =>
      new TableRow({
        children: [
          cell(r.number, { width: WIDTHS[0]!, center: true }),
          cell(r.content, { width: WIDTHS[1]! }),
          cell(r.maxPoints, { width: WIDTHS[2]!, center: true }),
          cell(r.old, { width: WIDTHS[3]! }),
          cell(r.new, { width: WIDTHS[4]! }),
          cell(r.note, { width: WIDTHS[5]! }),
        ],
      }),
  );
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [head1, head2, ...body] });
}

function simpleTable(header: string[], rows: string[][]): Table {
  const width = Math.floor(100 / header.length);
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: header.map((h) => cell(h, { bold: true, width, center: true })) }), ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c, { width })) }))],
  });
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

export interface PrintedCriterion {
  rule: string;
  maxPoints: number;
}

export interface AnnexTexts {
  /** Each criterion's printed rule ("cách tính") and max points, by level id then criterion id. */
  old: Map<string, Map<string, PrintedCriterion>>;
  new: Map<string, Map<string, PrintedCriterion>>;
}

/** Build the annex document. `rules` gives the printed "cách tính" of each version. */
export function buildDiffDocx(diff: SetDiff, rules: AnnexTexts, options: DocxOptions): Document {
  const { lang } = options;
  const vi = lang === 'vi';
  const t = T[lang];
  const headings: [string, string] = vi ? [`Năm ${diff.from.year}`, `Năm ${diff.to.year}`] : [`${diff.from.year}`, `${diff.to.year}`];
  const issuer = options.issuer ?? 'Ủy ban nhân dân tỉnh';
  const draft = !diff.to.decision.number || options.banner?.new.status === 'draft';
  const children: (Paragraph | Table)[] = [];
  children.push(nationalHeader(issuer, undefined));
  children.push(new Paragraph({ spacing: { before: 240 }, alignment: AlignmentType.CENTER, children: [run(vi ? 'PHỤ LỤC' : 'ANNEX', { bold: true, size: TITLE })] }));
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [run(vi ? `BẢNG SO SÁNH TIÊU CHÍ THI ĐUA CHUYỂN ĐỔI SỐ NĂM ${diff.from.year} VÀ NĂM ${diff.to.year}` : `COMPARISON OF THE ${diff.from.year} AND ${diff.to.year} DIGITAL TRANSFORMATION EMULATION CRITERIA`, { bold: true, size: TITLE })],
    }),
  );
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(decisionPhrase(diff.to, issuer, lang), { italics: true })] }));
  if (options.banner && bannerNeeded(options.banner)) {
    for (const line of bannerLines(options.banner, lang)) children.push(new Paragraph({ spacing: { after: 40 }, children: [run(line, { italics: true, size: SMALL, color: 'C00000' })] }));
  }
  children.push(new Paragraph({ spacing: { before: 120, after: 120 }, children: [run(`${t.summary}: ${summaryText(diff, lang)}`)] }));

  let section = 0;
  for (const level of diff.levels) {
    const title = `${ROMAN[section++] ?? String(section)}. ${level.name.toUpperCase()}`;
    children.push(new Paragraph({ spacing: { before: 240, after: 120 }, children: [run(title, { bold: true })] }));
    const rows = annexRows(level, { old: rules.old.get(level.id) ?? new Map(), new: rules.new.get(level.id) ?? new Map() }, lang);
    if (level.totalPoints) children.push(...lines(`${t.totalPoints}: ${points(level.totalPoints.old, lang)} → ${points(level.totalPoints.new, lang)}`));
    if (rows.length) children.push(levelTable(rows, headings, lang));
    children.push(new Paragraph({ spacing: { before: 80 }, children: [run(rows.length ? t.unchanged(level.criteria.unchanged) : `${t.noChange} (${level.criteria.unchanged} ${t.criteria}).`, { italics: true })] }));
  }
  for (const l of diff.levelsRemoved) children.push(new Paragraph({ spacing: { before: 240 }, children: [run(`${t.levelsRemoved}: ${l.name} (${l.criteria} ${t.criteria}, ${points(l.totalPoints, lang)})`, { bold: true })] }));
  for (const l of diff.levelsAdded) children.push(new Paragraph({ spacing: { before: 240 }, children: [run(`${t.levelsAdded}: ${l.name} (${l.criteria} ${t.criteria}, ${points(l.totalPoints, lang)})`, { bold: true })] }));

  if (options.impact) {
    const w = IMPACT_WORDS[lang];
    children.push(new Paragraph({ spacing: { before: 360, after: 120 }, children: [run(w.title.toUpperCase(), { bold: true })] }));
    children.push(...lines(w.intro(options.impact.counts.units, options.impact.from.year, options.impact.to.year)));
    children.push(...lines(w.summary(options.impact)));
    for (const level of options.impact.levels) {
      const rows = levelImpactRows(level, lang);
      children.push(new Paragraph({ spacing: { before: 200, after: 80 }, children: [run(`${t.level}: ${level.name}`, { bold: true })] }));
      if (rows.units.length) children.push(simpleTable(w.unitHeader, rows.units));
      for (const line of [...rows.notFitting, ...rows.withProblems]) children.push(...lines(`- ${line}`, { size: SMALL }));
    }
  }

  const section0: ISectionOptions = {
    properties: {
      page: {
        // A4 landscape: the comparison table needs the width; margins of Decree 30/2020 (top/bottom 20 mm, left 30 mm, right 15 mm).
        size: { width: 11906, height: 16838, orientation: PageOrientation.LANDSCAPE },
        margin: { top: 1134, bottom: 1134, left: 1701, right: 850 },
      },
    },
    headers: draft
      ? { default: new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(DRAFT_MARK, { bold: true, size: TITLE, color: 'C00000' })] })] }) }
      : {},
    children,
  };
  return new Document({
    creator: 'tieuchi',
    title: vi ? `Phụ lục so sánh tiêu chí năm ${diff.from.year} và năm ${diff.to.year}` : `Criteria comparison ${diff.from.year}–${diff.to.year}`,
    styles: { default: { document: { run: { font: FONT, size: TEXT } } } },
    sections: [section0],
  });
}

/** The printed rules of a set's criteria, by level and criterion id. */
export function rulesOf(set: { levels: { id: string; doc: { criteria: { id: string; rule: string; max_points: number }[] } }[] }): Map<string, Map<string, PrintedCriterion>> {
  return new Map(set.levels.map((l) => [l.id, new Map(l.doc.criteria.map((c) => [c.id, { rule: c.rule, maxPoints: c.max_points }]))]));
}

export async function diffDocxBytes(diff: SetDiff, rules: AnnexTexts, options: DocxOptions): Promise<Buffer> {
  return Packer.toBuffer(buildDiffDocx(diff, rules, options));
}
