/**
 * --out's extension promises a format: `score` and `report` refuse a name that promises
 * another one (ket-qua.docx would get the text table or HTML), exit 2 with a Vietnamese
 * message and write nothing; `score --out` *.json / *.csv / *.xlsx picks that format.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extensionOf } from '../engine/cli/out-extension.js';
import { cli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tieuchi-out-ext-'));

describe('--out that promises another format', () => {
  it.each([
    [['score', '--input', 'examples/2023'], 'ket-qua.docx', 'bảng kết quả dạng chữ ghi ra tệp .txt'],
    [['score', '--input', 'examples/2023', '--format', 'json'], 'ket-qua.csv', '--format json ghi ra tệp .json'],
    [['score', '--input', 'examples/2023', '--format', 'csv'], 'ket-qua.json', '--format csv ghi ra tệp .csv'],
    [['score', '--input', 'examples/2023', '--format', 'xlsx'], 'ket-qua.xls', '--format xlsx ghi ra bảng tính .xlsx'],
    [['score', '--input', 'examples/2023', '--format', 'table'], 'ket-qua.pdf', 'bảng kết quả dạng chữ ghi ra tệp .txt'],
    // A format named explicitly wins over the extension: a mismatch is refused, not guessed.
    [['score', '--input', 'examples/2023', '--format', 'table'], 'ket-qua.csv', 'bảng kết quả dạng chữ ghi ra tệp .txt'],
    [['score', '--input', 'examples/2023', '--format', 'table'], 'ket-qua.xlsx', 'bảng kết quả dạng chữ ghi ra tệp .txt'],
    [['report', '--input', 'examples/2023'], 'ket-qua.docx', 'báo cáo ghi ra tệp .html hoặc .pdf'],
  ])('%j --out %s: exit 2, said in Vietnamese, nothing written', async (args, name, said) => {
    const out = join(mkdtempSync(join(dir, 'case-')), name);
    const r = await cli([...args, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(r.stderr.split('\n')[0] + '\n');
    expect(r.stderr).toContain(`lỗi: --out "${out}": ${said}`);
    expect(existsSync(out)).toBe(false);
  });

  it('says it in English with --lang en', async () => {
    const r = await cli(['score', '--input', 'examples/2023', '--out', join(dir, 'r.docx'), '--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the text table is written to a .txt file');
  });
});

describe('score --out picks the format its extension names', () => {
  it.each([
    ['ket-qua.json', (text: string) => expect(JSON.parse(text).units.length).toBeGreaterThan(0)],
    ['ket-qua.csv', (text: string) => expect(text.startsWith('\uFEFF')).toBe(true)],
    ['ket-qua.txt', (text: string) => expect(text).toMatch(/điểm|Tổng/i)],
    ['KET-QUA.TXT', (text: string) => expect(text.length).toBeGreaterThan(0)],
  ])('--out %s', async (name, check) => {
    const out = join(dir, name);
    const r = await cli(['score', '--input', 'examples/2023', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    check(readFileSync(out, 'utf8'));
  });

  it('reads the extension of the file, not of a folder', () => {
    expect(extensionOf('/tmp/a.b/ket-qua')).toBe('');
    expect(extensionOf('ket-qua.Docx')).toBe('.docx');
    expect(extensionOf('.hidden')).toBe('');
  });
});
