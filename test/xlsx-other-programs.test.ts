/**
 * Workbooks saved by other spreadsheet programs: a template opened and saved
 * by openpyxl (really, when python3 has it), and what WPS Office, a Google
 * Sheets export or a minimal writer change (simulated on the XML, see
 * fixtures/xlsx/other-programs.ts) are read and scored like the original;
 * what cannot be read is refused in Vietnamese, naming what is missing, and
 * never with the library's JavaScript message. (LibreOffice round trips are
 * in integration/xlsx-libreoffice.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSubmissionsCsv, readSubmissionsJson } from '../engine/load/submissions.js';
import type { Submission } from '../engine/model.js';
import type { Problem } from '../engine/problems.js';
import { scoreSubmissions, type ScoreRun } from '../engine/scoring.js';
import { readSubmissionsXlsx } from '../engine/xlsx/read-workbook.js';
import { templateBytes } from '../engine/xlsx/template.js';
import { criteria2023, repoRoot } from './helpers/criteria.js';
import { fillTemplate, loadWorkbook, workbookBytes, type CellStyle } from './fixtures/xlsx/fill.js';
import { dropStyles, dropValidationsAndNotes, googleSheetsExport, inlineStrings, isoDates, numbersAsText, partsOf, prefixedElements, rewrite, wpsPartNames, type Rewrite } from './fixtures/xlsx/other-programs.js';

const examples = join(repoRoot, 'examples', '2023');
const LEVELS = ['province', 'district', 'commune'] as const;

function exampleSubmissions(): Submission[] {
  return [
    ...readSubmissionsJson('province.json', readFileSync(join(examples, 'province.json'), 'utf8')).submissions,
    ...readSubmissionsJson('district.json', readFileSync(join(examples, 'district.json'), 'utf8')).submissions,
    ...readSubmissionsCsv('commune.csv', readFileSync(join(examples, 'commune.csv'), 'utf8')).submissions,
  ];
}

function summary(run: ScoreRun) {
  return run.units.map((u) => ({ id: u.id, status: u.status, total: u.total, rank: u.rank, points: u.criteria.map((c) => [c.id, c.points ?? null]) })).sort((a, b) => a.id.localeCompare(b.id));
}
function refused(run: ScoreRun): string[] {
  return run.units.flatMap((u) => u.criteria.flatMap((c) => c.problems.map((p) => `${u.id} ${c.id} ${p.input ?? ''}`))).sort();
}
/** No problem a user reads is JavaScript: no "undefined", no property names, no stack. */
function expectPlainMessages(problems: readonly Problem[]): void {
  for (const p of problems) {
    for (const text of [p.message.vi, p.message.en, p.hint?.vi ?? '', p.hint?.en ?? '']) {
      expect(text).not.toMatch(/undefined|Cannot read propert|TypeError|properties of|\bat .*\.js:\d+|is not a function/);
    }
  }
}

const set = criteria2023();
const submissions = exampleSubmissions();
const direct = scoreSubmissions(set, submissions);
const expected = (levelId: string) => ({ ...direct, units: direct.units.filter((u) => u.level === levelId) });

const made = new Map<string, Promise<Buffer>>();
/** A level's template filled with the examples, made once per level and style. */
function filled(levelId: string, style: (i: number) => CellStyle): Promise<Buffer> {
  const key = `${levelId} ${[0, 1, 2].map(style).join(',')}`;
  if (!made.has(key)) made.set(key, makeFilled(levelId, style));
  return made.get(key)!;
}

async function makeFilled(levelId: string, style: (i: number) => CellStyle): Promise<Buffer> {
  const level = set.levels.find((l) => l.id === levelId)!;
  const mine = submissions.filter((s) => s.level === levelId);
  const workbook = await loadWorkbook(await templateBytes(set, level, { units: mine.map((s) => ({ id: s.id, name: s.name })) }));
  fillTemplate(workbook, set, mine, style);
  return workbookBytes(workbook);
}

const ALL: (i: number) => CellStyle = (i) => (['typed', 'percent-format', 'text'] as const)[i % 3]!;
/** Without styles a percent-formatted 0.955 is just 0.955: that style is not used there. */
const NO_PERCENT_FORMAT: (i: number) => CellStyle = (i) => (['typed', 'text'] as const)[i % 2]!;

const PROGRAMS: [string, Rewrite[], (i: number) => CellStyle][] = [
  ['WPS-like (inline strings, no validations or notes, renamed parts with absolute targets)', [dropValidationsAndNotes, inlineStrings, wpsPartNames], ALL],
  ['Google-Sheets-like export (hidden sheets shown, sheets reordered, names in capitals, no notes)', [dropValidationsAndNotes, googleSheetsExport], ALL],
  ['a minimal writer (styles dropped: dates as day numbers, numbers as text, x: prefixes)', [dropValidationsAndNotes, dropStyles, numbersAsText, prefixedElements], NO_PERCENT_FORMAT],
  ['numbers as text with a decimal comma', [numbersAsText], () => 'text'],
  ['dates as ISO 8601 cells (t="d")', [isoDates], ALL],
];

describe('templates saved by other spreadsheet programs score like the original', () => {
  describe.each(PROGRAMS)('%s', (_name, steps, style) => {
    it.each(LEVELS)('%s', async (levelId) => {
      const original = await filled(levelId, style);
      const saved = rewrite(original, ...steps);
      const read = await readSubmissionsXlsx('khac.xlsx', saved, set);
      expectPlainMessages(read.problems);
      expect(read.problems.filter((p) => p.code.startsWith('xlsx.') && p.code !== 'xlsx.unit-without-data').map((p) => p.message.vi)).toEqual([]);
      const run = scoreSubmissions(set, read.submissions);
      expect(summary(run)).toEqual(summary(expected(levelId)));
      expect(refused(run)).toEqual(refused(expected(levelId)));
    });
  });

  it('the rewrites really change the file (so the test above tests something)', async () => {
    const original = partsOf(await filled('province', ALL));
    const wps = partsOf(rewrite(await filled('province', ALL), dropValidationsAndNotes, inlineStrings, wpsPartNames));
    expect(original.has('xl/sharedStrings.xml')).toBe(true);
    expect(wps.has('xl/sharedStrings.xml')).toBe(false);
    expect([...wps.keys()].some((n) => /Sheet_\d+\.xml$/.test(n))).toBe(true);
    expect(wps.get('xl/_rels/workbook.xml.rels')!.toString()).toMatch(/Target="\/xl\/worksheets\/Sheet_1\.xml"/);
    expect(partsOf(rewrite(await filled('province', ALL), isoDates)).get('xl/worksheets/sheet2.xml')!.toString()).toMatch(/t="d"><v>2023-\d\d-\d\dT00:00:00<\/v>/);
    const bare = partsOf(rewrite(await filled('province', NO_PERCENT_FORMAT), dropStyles, prefixedElements));
    expect(bare.has('xl/styles.xml')).toBe(false);
    expect(bare.get('xl/worksheets/sheet2.xml')!.toString()).toMatch(/<x:row /);
  });
});

describe('what cannot be read is refused in Vietnamese, saying what is missing', () => {
  let template: Buffer;
  beforeAll(async () => {
    template = await filled('province', ALL);
  });
  const refusal = async (bytes: Buffer) => {
    const read = await readSubmissionsXlsx('hong.xlsx', bytes, set);
    expect(read.submissions).toEqual([]);
    expectPlainMessages(read.problems);
    return read.problems;
  };

  it('a sheet declared but absent: names the sheet and its part', async () => {
    const problems = await refusal(rewrite(template, (parts) => parts.delete('xl/worksheets/sheet2.xml')));
    expect(problems.map((p) => p.code)).toEqual(['xlsx.unreadable']);
    expect(problems[0]!.message.vi).toMatch(/trang tính Số liệu \(xl\/worksheets\/sheet2\.xml\).*không chứa/);
  });

  it('no workbook part: names it', async () => {
    const problems = await refusal(rewrite(template, (parts) => parts.delete('xl/workbook.xml')));
    expect(problems[0]!.message.vi).toMatch(/không có phần xl\/workbook\.xml/);
  });

  it('the metadata sheet deleted: not taken for a template, and the message names the hidden sheet', async () => {
    const problems = await refusal(
      rewrite(template, (parts) => {
        const workbook = parts.get('xl/workbook.xml')!.toString().replace(/<sheet [^>]*name="_tieuchi"[^>]*\/>/, '');
        parts.set('xl/workbook.xml', workbook);
      }),
    );
    expect(problems.map((p) => p.code)).toEqual(['xlsx.layout']);
    expect(problems[0]!.message.vi).toMatch(/_tieuchi/);
  });

  it.each([
    ['styles that are not XML', (parts: Map<string, string | Buffer>) => parts.set('xl/styles.xml', '<styleSheet><numFmts count="1"><numFmt numFmtId="164"')],
    ['a worksheet that is not XML', (parts: Map<string, string | Buffer>) => parts.set('xl/worksheets/sheet2.xml', '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99999</v>')],
  ])('%s: a Vietnamese message, never the library\'s', async (_title, step) => {
    const read = await readSubmissionsXlsx('hong.xlsx', rewrite(template, step), set);
    expectPlainMessages(read.problems);
    expect(read.problems.length).toBeGreaterThan(0);
    for (const p of read.problems) expect(p.message.vi).toMatch(/[ăâđêôơưạảấầẩậắằẳặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/);
  });
});

const python = spawnSync('python3', ['-c', 'import openpyxl; print(openpyxl.__version__)'], { encoding: 'utf8' });
const hasOpenpyxl = python.status === 0;
if (!hasOpenpyxl) console.warn('xlsx-other-programs.test.ts: openpyxl tests SKIPPED — python3 with openpyxl is not installed (pip install openpyxl).');

describe.skipIf(!hasOpenpyxl)(`openpyxl ${python.stdout.trim()}: a template opened and saved by a Python script`, () => {
  const work = mkdtempSync(join(tmpdir(), 'tieuchi-openpyxl-'));
  const script = join(work, 'resave.py');
  writeFileSync(
    script,
    [
      'import sys, openpyxl',
      'for path in sys.argv[1:]:',
      '    wb = openpyxl.load_workbook(path)',
      "    wb.save(path.replace('.xlsx', '-openpyxl.xlsx'))",
      '',
    ].join('\n'),
  );

  beforeAll(async () => {
    // One Python run for the three levels: starting it is the slow part.
    const files = [];
    for (const levelId of LEVELS) {
      files.push(join(work, `filled-${levelId}.xlsx`));
      writeFileSync(files.at(-1)!, await filled(levelId, ALL));
    }
    const run = spawnSync('python3', [script, ...files], { encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`openpyxl failed: ${run.stderr}`);
  }, 60_000);

  it.each(LEVELS)('%s: scores like the original', async (levelId) => {
    const saved = readFileSync(join(work, `filled-${levelId}-openpyxl.xlsx`));
    // openpyxl writes absolute relationship targets and its own part names: the file that used to be refused.
    expect(partsOf(saved).get('xl/worksheets/_rels/sheet2.xml.rels')?.toString() ?? '').toMatch(/Target="\/xl\//);
    const read = await readSubmissionsXlsx('openpyxl.xlsx', saved, set);
    expectPlainMessages(read.problems);
    expect(read.problems.filter((p) => p.code.startsWith('xlsx.') && p.code !== 'xlsx.unit-without-data')).toEqual([]);
    const scored = scoreSubmissions(set, read.submissions);
    expect(summary(scored)).toEqual(summary(expected(levelId)));
    expect(refused(scored)).toEqual(refused(expected(levelId)));
  });

  it('an empty template saved by openpyxl, then filled by openpyxl, is read', async () => {
    const level = set.levels.find((l) => l.id === 'province')!;
    const file = join(work, 'empty.xlsx');
    writeFileSync(file, await templateBytes(set, level, { units: [{ id: 'so-a', name: 'Sở A' }] }));
    const fill = join(work, 'fill.py');
    writeFileSync(
      fill,
      [
        'import sys, openpyxl',
        'wb = openpyxl.load_workbook(sys.argv[1])',
        "ws = wb['Số liệu']",
        'keys = {ws.cell(row=4, column=c).value: c for c in range(1, ws.max_column + 1)}',
        "ws.cell(row=5, column=keys['dvc-toan-trinh.ty_le']).value = 90",
        "ws.cell(row=5, column=keys['kiem-tra-tren-moi-truong-so.co_kiem_tra_qua_moi_truong_mang']).value = 'co'",
        'wb.save(sys.argv[2])',
        '',
      ].join('\n'),
    );
    const out = join(work, 'empty-filled.xlsx');
    const run = spawnSync('python3', [fill, file, out], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const read = await readSubmissionsXlsx('openpyxl.xlsx', readFileSync(out), set);
    expectPlainMessages(read.problems);
    const unit = read.submissions.find((s) => s.id === 'so-a')!;
    expect(unit.inputs['dvc-toan-trinh']).toEqual({ ty_le: 90 });
    expect(unit.inputs['kiem-tra-tren-moi-truong-so']).toEqual({ co_kiem_tra_qua_moi_truong_mang: true });
  });
});
