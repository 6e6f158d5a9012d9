/**
 * Every mistake policy staff can make in next year's YAML, planted in a copy
 * of the real 2023 set: each gives its own code, at the right line and
 * column, with a Vietnamese message and a hint (issue: authoring staff can trust).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import type { Problem, ProblemCode } from '../engine/problems.js';
import { criteria2023Dir } from './helpers/criteria.js';

const original = readFileSync(join(criteria2023Dir, 'province.yaml'), 'utf8');

/** Replace the first occurrence of `from` after `after` (a unique anchor), so edits land where intended. */
function edit(text: string, after: string, from: string, to: string): string {
  const anchor = text.indexOf(after);
  if (anchor < 0) throw new Error(`anchor not found: ${after}`);
  const at = text.indexOf(from, anchor);
  if (at < 0) throw new Error(`text not found: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** 1-based line and column of the first occurrence of `snippet` after `after`. */
function positionOf(text: string, snippet: string, after = ''): { line: number; column: number } {
  const at = text.indexOf(snippet, after ? text.indexOf(after) : 0);
  if (at < 0) throw new Error(`snippet not found: ${snippet}`);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

function plant(text: string): Problem[] {
  const dir = join(mkdtempSync(join(tmpdir(), 'tieuchi-authoring-')), '2023');
  cpSync(criteria2023Dir, dir, { recursive: true });
  writeFileSync(join(dir, 'province.yaml'), text);
  return loadCriteriaSet(dir, { displayPath: (p) => p.slice(dir.length + 1) || p }).problems;
}

interface Case {
  mistake: string;
  text: string;
  code: ProblemCode;
  /** Where the problem must point: a snippet of the planted text (and an anchor before it). */
  at: { snippet: string; after?: string; column?: boolean };
  criterion?: string;
  message?: RegExp;
  hint?: RegExp;
}

const C3 = '  - id: dvc-toan-trinh';
const C4 = '  - id: ho-so-cong-viec-tren-mang';

const cases: Case[] = [
  {
    mistake: 'YAML syntax error (an unclosed bracket)',
    text: edit(original, C3, 'inputs: { ty_le: 90 }', 'inputs: { ty_le: 90 '),
    code: 'yaml.syntax',
    at: { snippet: '{ ty_le: 90 ', after: C3, column: true },
    message: /thiếu dấu } đóng/,
  },
  {
    mistake: 'duplicate key',
    text: edit(original, C3, '    max_points: 4\n', '    max_points: 4\n    max_points: 5\n'),
    code: 'yaml.duplicate-key',
    at: { snippet: 'max_points: 5', after: C3, column: true },
    hint: /chỉ giữ dòng sau/,
  },
  {
    mistake: 'unknown key (typo): the nearest allowed key is named',
    text: edit(original, C3, '    max_points: 4\n', '    max_point: 4\n'),
    code: 'schema.unknown-key',
    at: { snippet: 'max_point: 4', after: C3, column: true },
    criterion: 'dvc-toan-trinh',
    hint: /Có phải ý là "max_points"\?/,
  },
  {
    mistake: 'wrong type: "90%" written as a percent value',
    text: edit(original, '  nguong_dvc_toan_trinh:', 'value: 95', 'value: 95%'),
    code: 'schema.type',
    at: { snippet: '95%', after: '  nguong_dvc_toan_trinh:', column: true },
    hint: /Bỏ dấu %/,
  },
  {
    mistake: 'wrong type: `no` (text in YAML 1.2, false in YAML 1.1) for a yes/no field',
    text: original.replace('  clamp_to_max: true', '  clamp_to_max: no'),
    code: 'schema.type',
    at: { snippet: 'no', after: '  clamp_to_max:', column: true },
    hint: /true hoặc false/,
  },
  {
    mistake: '`no` is also flagged as ambiguous',
    text: original.replace('  clamp_to_max: true', '  clamp_to_max: no'),
    code: 'yaml.ambiguous-value',
    at: { snippet: 'no', after: '  clamp_to_max:', column: true },
  },
  {
    mistake: 'a date where text was meant (unquoted date)',
    text: original.replace('  date: "2023-10-05"', '  date: 2023-10-05'),
    code: 'yaml.ambiguous-value',
    at: { snippet: '2023-10-05', after: 'decision:', column: true },
    hint: /ngoặc kép/,
  },
  {
    mistake: '`08` read as a number (octal in YAML 1.1) where text was meant',
    text: edit(original, C3, 'number: "3"', 'number: 08'),
    code: 'schema.type',
    at: { snippet: '08', after: C3, column: true },
    hint: /ngoặc kép/,
  },
  {
    mistake: '`08` is also flagged as ambiguous',
    text: edit(original, C3, 'number: "3"', 'number: 08'),
    code: 'yaml.ambiguous-value',
    at: { snippet: '08', after: C3, column: true },
  },
  {
    mistake: 'missing required field',
    text: edit(original, C3, '    evidence: Căn cứ Hệ thống thông tin giải quyết thủ tục hành chính tỉnh (Cổng DVC tỉnh)\n', ''),
    code: 'schema.required',
    at: { snippet: 'id: dvc-toan-trinh', after: C3, column: true },
    criterion: 'dvc-toan-trinh',
    message: /Thiếu trường bắt buộc "evidence"/,
  },
  {
    mistake: 'duplicate criterion id',
    text: original.replace(C4, '  - id: dvc-toan-trinh'),
    code: 'criterion.duplicate-id',
    at: { snippet: 'dvc-toan-trinh', after: '    number: "3"', column: true },
  },
  {
    mistake: 'unknown operator',
    text: edit(original, C3, '- "*": [{ "/"', '- "x": [{ "/"'),
    code: 'formula.unknown-operator',
    at: { snippet: '"x"', after: C3, column: true },
    criterion: 'dvc-toan-trinh',
    hint: /Có phải ý là/,
  },
  {
    mistake: '`var` naming no declared input or parameter',
    text: edit(original, C3, '- ">=": [{ var: ty_le }', '- ">=": [{ var: tyle }'),
    code: 'formula.unknown-var',
    at: { snippet: 'tyle', after: C3, column: true },
    criterion: 'dvc-toan-trinh',
    hint: /Có phải ý là "ty_le"\?/,
  },
  {
    mistake: 'a declared input never used',
    text: edit(original, C3, '    inputs:\n', '    inputs:\n      ghi_chu: { type: boolean, label: Ghi chú }\n'),
    code: 'input.unused',
    at: { snippet: 'ghi_chu', after: C3, column: true },
    criterion: 'dvc-toan-trinh',
  },
  {
    mistake: 'a declared parameter never used',
    text: original.replace('parameters:\n', 'parameters:\n  nguong_thu:\n    type: percent\n    value: 50\n    label: thử\n'),
    code: 'parameter.unused',
    at: { snippet: 'nguong_thu', column: true },
  },
  {
    mistake: 'max points not summing to the level total',
    text: edit(original, C3, '    max_points: 4\n', '    max_points: 5\n'),
    code: 'level.points-sum',
    at: { snippet: '100', after: 'total_points:', column: true },
    hint: /thừa 1/,
  },
  {
    mistake: 'a threshold outside its valid range',
    text: edit(original, '  nguong_dvc_toan_trinh:', 'value: 95', 'value: 950'),
    code: 'parameter.out-of-range',
    at: { snippet: '950', column: true },
    message: /0 – 100/,
  },
  {
    mistake: 'an example whose expected points differ: expected, got and the trace',
    text: edit(original, C3, 'points: 3.8', 'points: 3.9'),
    code: 'example.mismatch',
    at: { snippet: '3.9', after: C3, column: true },
    criterion: 'dvc-toan-trinh',
    message: /mong đợi 3,9 điểm nhưng công thức cho 3,8 điểm \(90% ≥ 95%: sai → 90 \/ 95 × 4 = 72\/19 ≈ 3,7895 → làm tròn 3,8\)/,
  },
  {
    mistake: 'a formula that fails (division by zero) for inputs inside their declared range',
    text: edit(original, C3, '{ "/": [{ var: ty_le }, { var: nguong_dvc_toan_trinh }] }', '{ "/": [{ var: nguong_dvc_toan_trinh }, { var: ty_le }] }'),
    code: 'formula.can-fail',
    at: { snippet: 'formula', after: C3, column: true },
    criterion: 'dvc-toan-trinh',
    message: /khi ty_le = 0%: chia cho 0/,
  },
  {
    mistake: 'a formula that leaves [0, max] when the level does not clamp',
    text: original.replace('  clamp_to_max: true', '  clamp_to_max: false'),
    code: 'formula.out-of-range',
    at: { snippet: 'formula', after: '  - id: ke-hoach-cds', column: true },
    criterion: 'ke-hoach-cds',
    message: /ngoài khoảng \[0; 8\]/,
  },
  {
    mistake: 'a rate multiplied without "/ 100" (exceeds max almost everywhere)',
    text: edit(original, '  - id: van-ban-dien-tu', '{ "/": [{ var: ty_le }, 100] }', '{ var: ty_le }'),
    code: 'formula.mostly-clamped',
    at: { snippet: 'formula', after: '  - id: van-ban-dien-tu', column: true },
    criterion: 'van-ban-dien-tu',
  },
  {
    mistake: 'an alias bomb',
    text: original + '\nx: &a ["x","x","x","x","x","x","x","x","x","x"]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nw: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
    code: 'yaml.alias-limit',
    at: { snippet: '' },
  },
  {
    mistake: 'an oversized file',
    text: original + ('# ' + 'x'.repeat(1000) + '\n').repeat(1100),
    code: 'file.too-large',
    at: { snippet: '' },
  },
];

describe('each planted mistake gives its own located Vietnamese problem', () => {
  it.each(cases)('$mistake → $code', ({ text, code, at, criterion, message, hint }) => {
    const problems = plant(text);
    const found = problems.find((p) => p.code === code);
    expect(found, `codes: ${problems.map((p) => p.code).join(', ')}`).toBeDefined();
    const p = found!;
    if (at.snippet) {
      const expected = positionOf(text, at.snippet, at.after);
      expect(p.location?.file).toBe('province.yaml');
      expect(p.location?.line).toBe(expected.line);
      if (at.column) expect(p.location?.column).toBe(expected.column);
    } else {
      expect(p.location?.file ?? p.file).toMatch(/province\.yaml$/);
    }
    if (criterion) expect(p.criterion).toBe(criterion);
    expect(p.message.vi).toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i);
    expect(p.message.en.length).toBeGreaterThan(10);
    if (message) expect(p.message.vi).toMatch(message);
    if (hint) expect(p.hint?.vi).toMatch(hint);
    if (p.severity === 'error') expect(p.hint?.vi, `${p.code} has no hint`).toMatch(/\S/);
  });

  it('problems come sorted by file and position', () => {
    const text = edit(edit(original, C4, 'max_points: 10', 'max_point: 10'), C3, '- ">=": [{ var: ty_le }', '- ">=": [{ var: tyle }');
    const problems = plant(text).filter((p) => p.location?.file === 'province.yaml');
    const starts = problems.map((p) => p.location!.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('all problems of all files at once', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tieuchi-authoring-')), '2023');
    cpSync(criteria2023Dir, dir, { recursive: true });
    for (const level of ['province', 'district', 'commune']) {
      const file = join(dir, `${level}.yaml`);
      writeFileSync(file, readFileSync(file, 'utf8').replace('  clamp_to_max: true', '  clamp_to_max: maybe'));
    }
    const problems = loadCriteriaSet(dir).problems.filter((p) => p.code === 'schema.type');
    expect(new Set(problems.map((p) => p.level))).toEqual(new Set(['province', 'district', 'commune']));
  });
});
