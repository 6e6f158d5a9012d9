/**
 * The Word annex (`tieuchi diff --format docx`) opened by a real word
 * processor: LibreOffice (headless) converts it to PDF, and the text read
 * back (pdftotext) has the national header, the annex title, the table and
 * the changes; the page is A4.
 *
 * Skipped, saying so, when soffice or pdftotext is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/criteria.js';

const available = spawnSync('soffice', ['--version']).status === 0 && spawnSync('pdftotext', ['-v']).status === 0;
if (!available) console.warn('diff-docx-libreoffice.test.ts: skipped — LibreOffice (soffice) or pdftotext is not installed; install libreoffice-writer-nogui and poppler-utils to run it.');

describe.skipIf(!available)('diff --format docx in LibreOffice', () => {
  it('converts to an A4 PDF whose text is the annex', async () => {
    const work = mkdtempSync(join(tmpdir(), 'tieuchi-docx-'));
    const docx = join(work, 'phu-luc.docx');
    const r = await cli(['diff', 'criteria/2023', 'examples/2024-draft/2024', '--format', 'docx', '--out', docx, '--impact', 'examples/2023', '--impact', 'examples/2024-draft/bo-sung-2024.json'], repoRoot);
    expect(r.code).toBe(0);
    const profile = pathToFileURL(join(work, 'profile')).href;
    const converted = spawnSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=${profile}`, '--convert-to', 'pdf', '--outdir', work, docx], { encoding: 'utf8', timeout: 180_000 });
    expect(converted.status, converted.stderr).toBe(0);
    const pdf = join(work, 'phu-luc.pdf');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)/);
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    for (const phrase of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG',
      'PHỤ LỤC',
      'BẢNG SO SÁNH TIÊU CHÍ THI ĐUA CHUYỂN ĐỔI SỐ NĂM 2023 VÀ NĂM 2024',
      'DỰ THẢO',
      'Nội dung tiêu chí',
      'Cách tính',
      'Năm 2023',
      'Năm 2024',
      'Ghi chú',
      '10 → 8',
      'tiêu chí mới',
      'bỏ tiêu chí',
      'TÁC ĐỘNG LÊN ĐIỂM VÀ THỨ HẠNG',
    ]) {
      expect(text).toContain(phrase);
    }
  });
});
