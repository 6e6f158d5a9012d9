/**
 * Hostile workbooks, a few hundred of them, in-process: plain tables and
 * templates with cells swapped and retyped, prototype keys as headers, ids
 * and metadata keys, huge strings, impossible dates, formulas without
 * results, deleted sheets and parts, cut XML, flipped and truncated zip
 * bytes. Whatever the file, reading and scoring it must:
 *
 * - never throw;
 * - never put a stack trace or a JavaScript error text in a problem;
 * - never score a criterion whose input was missing or refused (no silent 0);
 * - leave Object, Object.prototype, Array.prototype and the other builtins
 *   exactly as they were.
 *
 * Deterministic (seeded); FUZZ_SEED=n runs another sequence. A failure
 * names its case, so it can be replayed.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CriteriaSet } from '../engine/criteria-set.js';
import type { Problem } from '../engine/problems.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { readWorkbookParts } from '../engine/xlsx/limits.js';
import { storedZip } from '../engine/xlsx/package.js';
import { readSubmissionsXlsx, UNEXPECTED_CONTENT } from '../engine/xlsx/read-workbook.js';
import { templateBytes } from '../engine/xlsx/template.js';
import { builtinsChanged, builtinsSnapshot, type BuiltinsSnapshot } from './fixtures/xlsx/builtins.js';
import { criteria2023, provinceInputs } from './helpers/criteria.js';
import { dataSheet, loadWorkbook, workbookBytes } from './fixtures/xlsx/fill.js';
import { inputColumns, ROWS } from '../engine/xlsx/layout.js';
import { random } from '../scripts/synthetic.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20231005);
const CASES = 300;


type Parts = Map<string, string | Buffer>;
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'constructor.assign', 'constructor.prototype', '__proto__.polluted', 'prototype.polluted', 'hasOwnProperty', 'tostring.call', 'valueof.x', '__defineGetter__'];
const HOSTILE_VALUES = [
  '<v>-5</v>',
  '<v>3000000</v>',
  '<v>45028.5</v>',
  '<v>1e308</v>',
  '<v>NaN</v>',
  '<v>-0</v>',
  '<v></v>',
  '<f>SUM(A1:A9)</f>',
  '<f>1/0</f><v>#DIV/0!</v>',
  '<is><t>=HYPERLINK("http://x","y")</t></is>',
  '<is><t>x</t></is>',
  '<is><t>1,5</t></is>',
  '<is><t>31/02/2023</t></is>',
  '<is><t></t></is>',
];
const TYPES = ['', ' t="s"', ' t="b"', ' t="e"', ' t="str"', ' t="inlineStr"', ' t="n"', ' t="d"', ' t="zzz"'];

const xml = (parts: Parts, name: string) => {
  const v = parts.get(name);
  return v === undefined ? undefined : typeof v === 'string' ? v : v.toString('utf8');
};
const sheetParts = (parts: Parts) => [...parts.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));

/** One mutation of the parts; returns what it did, for the failure message. */
function mutate(parts: Parts, next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const sheets = sheetParts(parts);
  if (sheets.length === 0) return 'noop (no sheet left)';
  const sheet = pick(sheets);
  const text = xml(parts, sheet)!;
  const cells = [...text.matchAll(/<c r="([A-Z]+\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/c>)/g)];
  const kind = Math.floor(next() * 9);
  switch (kind) {
    case 0: {
      // Swap two cells' contents (addresses stay).
      if (cells.length < 2) return 'noop';
      const [a, b] = [pick(cells), pick(cells)];
      const body = (m: RegExpMatchArray) => m[0].replace(/^<c r="[A-Z]+\d+"/, '');
      const swapped = text.replace(a[0], `<c r="${a[1]}"${body(b)}`).replace(b[0], `<c r="${b[1]}"${body(a)}`);
      parts.set(sheet, swapped);
      return `swap ${a[1]} ${b[1]} in ${sheet}`;
    }
    case 1: {
      // A prototype key as a header, key-row cell, unit id or metadata key.
      if (cells.length === 0) return 'noop';
      const target = pick(cells.slice(0, 40));
      const key = pick(PROTO_KEYS);
      parts.set(sheet, text.replace(target[0], `<c r="${target[1]}" t="inlineStr"><is><t>${key}</t></is></c>`));
      return `key ${key} at ${target[1]} in ${sheet}`;
    }
    case 2: {
      // A huge string (over the cell limit, or only over the name limit).
      if (cells.length === 0) return 'noop';
      const target = pick(cells);
      const size = pick([400, 5_000, 40_000]);
      parts.set(sheet, text.replace(target[0], `<c r="${target[1]}" t="inlineStr"><is><t>${'Ư'.repeat(size)}</t></is></c>`));
      return `huge ${size} at ${target[1]} in ${sheet}`;
    }
    case 3: {
      // A wrong value or type in a cell.
      if (cells.length === 0) return 'noop';
      const target = pick(cells);
      const type = pick(TYPES);
      const value = pick(HOSTILE_VALUES);
      parts.set(sheet, text.replace(target[0], `<c r="${target[1]}"${type}>${value}</c>`));
      return `value ${type} ${value} at ${target[1]} in ${sheet}`;
    }
    case 4: {
      // A sheet deleted: from the workbook, or its part only.
      const workbook = xml(parts, 'xl/workbook.xml') ?? '';
      const entries = [...workbook.matchAll(/<sheet [^>]*\/>/g)];
      if (next() < 0.5 && entries.length) {
        const entry = pick(entries)[0];
        parts.set('xl/workbook.xml', workbook.replace(entry, ''));
        return `sheet entry removed: ${entry.slice(0, 60)}`;
      }
      parts.delete(sheet);
      return `part removed ${sheet}`;
    }
    case 5: {
      // XML cut short, or a part made garbage.
      const name = pick([...parts.keys()].filter((n) => n.endsWith('.xml') || n.endsWith('.rels')));
      const value = xml(parts, name)!;
      parts.set(name, next() < 0.7 ? value.slice(0, Math.floor(next() * value.length)) : '\u0000\uFFFE<<<>>>&&&');
      return `cut ${name}`;
    }
    case 6: {
      // A row far away, or rows without numbers.
      const row = pick(['<row r="19999"><c r="A19999" t="inlineStr"><is><t>x</t></is></c></row>', '<row><c t="inlineStr"><is><t>id</t></is></c></row>', '<row r="3"><c r="ZZ3"><v>1</v></c></row>', '<row r="0"><c r="A0"><v>1</v></c></row>']);
      parts.set(sheet, text.replace('</sheetData>', `${row}</sheetData>`));
      return `row ${row.slice(0, 30)} in ${sheet}`;
    }
    case 7: {
      // Relationships pointing elsewhere: absolute, outside the package, at nothing.
      const rels = xml(parts, 'xl/_rels/workbook.xml.rels') ?? '';
      const target = pick(['/xl/worksheets/sheet1.xml', '../../../../etc/passwd', 'http://example.invalid/x.xml', '', 'worksheets/nothing.xml', '__proto__']);
      parts.set('xl/_rels/workbook.xml.rels', rels.replace(/Target="[^"]*"/, `Target="${target}"`));
      return `rel target ${target}`;
    }
    default: {
      // The metadata (template) or header cells retyped as numbers.
      if (cells.length === 0) return 'noop';
      const target = pick(cells.slice(0, 20));
      parts.set(sheet, text.replace(target[0], `<c r="${target[1]}"><v>${Math.floor(next() * 3000)}</v></c>`));
      return `number at ${target[1]} in ${sheet}`;
    }
  }
}

/** Bytes of the file once mutated; sometimes the zip itself is damaged afterwards. */
function mutatedFile(base: Buffer, next: () => number): { bytes: Buffer; what: string[] } {
  const read = readWorkbookParts(base);
  if (!read.ok) throw new Error('base workbook unreadable');
  const parts: Parts = new Map(read.parts);
  const what: string[] = [];
  const count = 1 + Math.floor(next() * 3);
  for (let i = 0; i < count; i++) what.push(mutate(parts, next));
  let bytes = storedZip(parts);
  const damage = next();
  if (damage < 0.1) {
    const copy = Buffer.from(bytes);
    for (let i = 0; i < 8; i++) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
    bytes = copy;
    what.push('bytes flipped');
  } else if (damage < 0.15) {
    bytes = bytes.subarray(0, Math.floor(next() * bytes.length));
    what.push('truncated');
  }
  return { bytes, what };
}

const STACK = /\n\s+at |\bat \S+ \(|\.[cm]?[jt]s:\d+|node_modules|TypeError|RangeError|ReferenceError|SyntaxError|Cannot read propert|is not a function|is not iterable|undefined is|of undefined|of null|\[object Object\]/;

function plainTextProblems(problems: readonly Problem[]): string[] {
  const bad: string[] = [];
  for (const p of problems) for (const text of [p.message.vi, p.message.en, p.hint?.vi, p.hint?.en]) if (text && STACK.test(text)) bad.push(`${p.code}: ${text.slice(0, 200)}`);
  return bad;
}

describe('hostile workbooks: no crash, no trace, no silent 0, builtins untouched', () => {
  let set: CriteriaSet;
  let bases: { name: string; bytes: Buffer }[];
  let before: BuiltinsSnapshot;

  beforeAll(async () => {
    set = criteria2023();
    const province = set.levels.find((l) => l.id === 'province')!;
    // A small template (no guide sheet: its text is not what is read) with two units filled in.
    const template = await loadWorkbook(await templateBytes(set, province, { units: [{ id: 'so-a', name: 'Sở A' }, { id: 'so-b', name: 'Sở B' }] }));
    template.removeWorksheet(template.getWorksheet('Hướng dẫn')!.id);
    const { sheet, columnOf } = dataSheet(template);
    const inputs = provinceInputs() as Record<string, Record<string, unknown>>;
    for (const row of [ROWS.firstData, ROWS.firstData + 1]) {
      for (const column of inputColumns(province)) {
        const value = inputs[column.criterion.id]![column.inputId];
        const cell = sheet.getCell(row, columnOf.get(column.key)!);
        if (column.part) cell.value = (value as Record<string, number>)[column.part]!;
        else if (column.def.type === 'boolean') cell.value = value ? 'Có' : 'Không';
        else if (column.def.type === 'choice') cell.value = column.def.options!.find((o) => o.id === value)!.label;
        else if (column.def.type === 'date') cell.value = new Date(`${value as string}T00:00:00Z`);
        else cell.value = value as number;
      }
    }
    // A plain table like the CSV format, with a commune and a province row.
    const plain = new ExcelJS.Workbook();
    const table = plain.addWorksheet('Data');
    table.addRow(['id', 'name', 'level', 'dvc-toan-trinh.ty_le', 'ho-so-cong-viec-tren-mang.ty_le', 'kiem-tra-tren-moi-truong-so.co_kiem_tra_qua_moi_truong_mang', 'ke-hoach-cds.ngay_ban_hanh_ke_hoach', 'cap-do-attt.he_thong_duoc_phe_duyet.achieved', 'cap-do-attt.he_thong_duoc_phe_duyet.total']);
    table.addRow(['so-a', 'Sở A', 'province', 90, 95, 'Có', new Date('2023-02-15T00:00:00Z'), 2, 2]);
    table.addRow(['xa-b', 'Xã B', 'commune', 80, 70, 'Không', '12/04/2023', 1, 2]);
    bases = [
      { name: 'template', bytes: await workbookBytes(template) },
      { name: 'plain', bytes: Buffer.from(await plain.xlsx.writeBuffer()) },
    ];
    before = builtinsSnapshot();
  }, 60_000);

  afterAll(() => {
    // Also checked in the test itself; here so that a thrown case still checks the builtins.
    expect(builtinsChanged(before)).toEqual([]);
  });

  it(`${CASES} mutated workbooks (seed ${SEED})`, async () => {
    const next = random(SEED);
    const failures: string[] = [];
    let refused = 0;
    let scoredUnits = 0;
    const spent = { template: 0, plain: 0 };
    for (let n = 0; n < CASES; n++) {
      const base = bases[n % 4 === 0 ? 0 : 1]!;
      const { bytes, what } = mutatedFile(base.bytes, next);
      const label = `case ${n} (${base.name}: ${what.join('; ')})`;
      const started = performance.now();
      try {
        const read = await readSubmissionsXlsx('fuzz.xlsx', bytes, set);
        const run = scoreSubmissions(set, read.submissions);
        failures.push(...plainTextProblems([...read.problems, ...run.problems]).map((m) => `${label}: ${m}`));
        // The reader's last-resort refusal hides a throw: here it counts as one.
        if (read.problems.some((p) => p.message.vi === UNEXPECTED_CONTENT.vi)) failures.push(`${label}: the reader threw (caught as "${UNEXPECTED_CONTENT.vi}")`);
        if (read.submissions.length === 0) refused++;
        // A criterion with a read or score problem on one of its inputs has no points.
        const readProblems = new Set(read.problems.filter((p) => p.severity === 'error' && p.unit && p.criterion).map((p) => `${p.unit} ${p.criterion}`));
        for (const unit of run.units) {
          for (const c of unit.criteria) {
            if (c.points === undefined) continue;
            scoredUnits++;
            if (c.problems.some((p) => p.severity === 'error')) failures.push(`${label}: ${unit.id} ${c.id} scored ${c.points} despite a problem`);
            if (readProblems.has(`${unit.id} ${c.id}`)) failures.push(`${label}: ${unit.id} ${c.id} scored ${c.points} despite a read problem`);
          }
          if (unit.total !== undefined && unit.criteria.some((c) => c.points === undefined)) failures.push(`${label}: ${unit.id} has a total with unscored criteria`);
        }
      } catch (err) {
        failures.push(`${label}: threw ${(err as Error).stack?.split('\n').slice(0, 8).join(' | ')}`);
      }
      spent[base.name as keyof typeof spent] += performance.now() - started;
      const changed = builtinsChanged(before);
      if (changed.length) {
        failures.push(`${label}: builtins changed: ${changed.join(', ')}`);
        break;
      }
    }
    if (process.env.FUZZ_TIMES) console.log(spent);
    expect(failures.slice(0, 10)).toEqual([]);
    // The mutations must exercise both paths: files refused, and files still read and scored.
    expect(refused).toBeGreaterThan(CASES / 10);
    expect(scoredUnits).toBeGreaterThan(CASES / 2);
  }, 30_000);
});
