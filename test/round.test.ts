/**
 * An assessment round end to end: the fictional 2023 round in examples/rounds/2023
 * (13 units over three levels, data from the units, Công an tỉnh and the public-service
 * portal, a department figure in conflict, a late file, a malformed file, a file with
 * another unit's data, declarations with evidence, an appraisal of three criteria),
 * and the same rules on files received into scratch copies of it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { receiveFile } from '../engine/round/received.js';
import { scoreRound, type RoundResult, type RoundUnit } from '../engine/round/results.js';
import { roundStatus } from '../engine/round/status.js';
import { readAppraisals } from '../engine/round/appraisal.js';
import { loadRound } from '../engine/round/config.js';
import { cli } from './helpers/cli.js';
import { exampleRound2023, round, scratchRound2023 } from './helpers/round.js';

let result: RoundResult;
const unit = (id: string): RoundUnit => result.units.find((u) => u.id === id)!;
const criterion = (u: string, c: string) => unit(u).criteria.find((x) => x.id === c)!;

beforeAll(async () => {
  result = await scoreRound(round(exampleRound2023), { now: new Date('2023-12-21T00:00:00Z') });
});

describe('the example 2023 round', () => {
  it('has at least 12 units over the three levels, data from units and two agencies', () => {
    expect(result.units.length).toBeGreaterThanOrEqual(12);
    expect(new Set(result.units.map((u) => u.level))).toEqual(new Set(['province', 'district', 'commune']));
    const providers = new Set(result.units.flatMap((u) => u.criteria.flatMap((c) => c.inputs.map((i) => i.provider))));
    expect(providers).toEqual(new Set(['don-vi', 'cong-an-tinh', 'cong-dvc', undefined]));
  });

  it('gives every input used its provider and its place in the received file', () => {
    for (const u of result.units) {
      for (const c of u.criteria) {
        for (const i of c.inputs) {
          if (i.status !== 'used') continue;
          expect(i.provider, `${u.id} ${c.id}.${i.id}`).toBeTruthy();
          expect(i.source, `${u.id} ${c.id}.${i.id}`).toMatch(/^received\/[^/]+\/\d{8}T\d{9}Z-[0-9a-f]{8}\.(json|csv|xlsx):\d+:\d+$|'Số liệu'!/);
        }
      }
    }
    const vneid = criterion('phuong-1', 'vneid-nguoi-dan').inputs[0]!;
    expect(vneid).toMatchObject({ provider: 'cong-an-tinh', value: 75 });
    expect(vneid.source).toMatch(/^received\/cong-an-tinh\/.*\.json:\d+:\d+$/);
    const portal = criterion('so-noi-vu', 'ho-so-dung-han').inputs[0]!;
    expect(portal).toMatchObject({ provider: 'cong-dvc', value: 99.6 });
    expect(portal.source).toMatch(/^received\/cong-dvc\/.*\.csv:2:5$/);
  });

  it('lets a later file supersede an earlier one input by input, keeping the history', () => {
    const input = criterion('so-y-te', 'ho-so-cong-viec-tren-mang').inputs[0]!;
    expect(input.value).toBe(90.5);
    expect(input.history.map((h) => [h.value, h.status])).toEqual([
      [91, 'superseded'],
      [90.5, 'used'],
    ]);
    // Inputs the correction did not touch still come from the first file.
    expect(criterion('so-y-te', 'van-ban-dien-tu').inputs[0]!.source).toMatch(/20231207T090000000Z/);
  });

  it('keeps a late file but does not score it (late: reject)', () => {
    const input = criterion('tx-vinh-chau', 'van-ban-dien-tu').inputs[0]!;
    expect(input.value).toBe(94);
    expect(input.history.map((h) => h.status)).toEqual(['used', 'late']);
    const late = result.files.find((f) => f.late)!;
    expect(late.problems[0]).toMatchObject({ code: 'round.late', severity: 'error' });
    expect(late.problems[0]!.message.vi).toMatch(/09:00 18\/12\/2023, sau hạn 15\/12\/2023/);
  });

  it('reports, located and in Vietnamese, an input from a provider that does not supply it', () => {
    const p = result.problems.find((x) => x.code === 'round.wrong-provider')!;
    expect(p).toMatchObject({ unit: 'huyen-my-tu', criterion: 'chu-ky-so', input: 'ty_le', location: { line: 7, column: 8 } });
    expect(p.message.vi).toMatch(/Cổng Dịch vụ công tỉnh.*do chính đơn vị cung cấp; giá trị này không được dùng/);
    // The unit's own value is the one used.
    expect(criterion('huyen-my-tu', 'chu-ky-so').inputs[0]!.provider).toBe('don-vi');
  });

  it("rejects a unit's file holding another unit's data, located at that entry", () => {
    const p = result.problems.find((x) => x.code === 'round.wrong-unit')!;
    expect(p).toMatchObject({ unit: 'xa-dai-tam', location: { line: 4, column: 5 } });
    expect(p.message.vi).toMatch(/tệp do đơn vị "phuong-1" gửi nhưng có số liệu của đơn vị khác "xa-dai-tam"/);
    expect(criterion('xa-dai-tam', 'van-ban-dien-tu').inputs[0]!.source).toMatch(/received\/xa-dai-tam\//);
  });

  it('reports a malformed file at its line and column, and uses the later good one', () => {
    const p = result.problems.find((x) => x.code === 'submission.unreadable')!;
    expect(p.location?.file).toMatch(/^received\/xa-thanh-phu\//);
    expect(p.location?.line).toBe(6);
    expect(unit('xa-thanh-phu').finalTotal).toBeDefined();
  });

  it('makes two providers with different values a located conflict, resolved only by the appraisal', () => {
    const c = criterion('so-tai-chinh', 'chu-ky-so');
    expect(c.computed).toBeUndefined();
    expect(c.inputs[0]!.status).toBe('conflict');
    const conflict = c.problems.find((p) => p.code === 'round.conflict')!;
    expect(conflict.message.vi).toMatch(/chính đơn vị: 100 \(received\/so-tai-chinh\/.*\.json:\d+:\d+\); Sở Thông tin và Truyền thông \(hư cấu\): 92 \(received\/so-tttt\//);
    expect(c.appraisal).toMatchObject({ decision: 'correct_input', inputs: { ty_le: 92 } });
    expect(c.final).toBe(5.5);
    expect(unit('so-tai-chinh').computedTotal).toBeUndefined();
    expect(unit('so-tai-chinh').finalTotal).toBe(85.9);
  });

  it('names a missing input and who owes it; the unit gets no total, never a 0', () => {
    const u = unit('xa-lich-hoi-thuong');
    expect(u.finalTotal).toBeUndefined();
    const p = u.criteria.flatMap((c) => c.problems).find((x) => x.code === 'round.missing-data')!;
    expect(p.message.vi).toMatch(/chưa nhận được số liệu .* từ Công an tỉnh \(hư cấu\); không tính là 0/);
  });

  it('shows self-assessed, computed and appraised points side by side, with the three corrections and their reasons', () => {
    const changed = result.units.flatMap((u) => u.criteria.filter((c) => c.appraisal && c.appraisal.decision !== 'accept').map((c) => [u.id, c.id, c.computed, c.final]));
    expect(changed).toEqual(
      expect.arrayContaining([
        ['phuong-1', 'ho-so-cong-viec-tren-mang', 10, 9.2],
        ['so-tai-chinh', 'chu-ky-so', undefined, 5.5],
        ['xa-dai-tam', 'ngay-cds', 8, 3],
      ]),
    );
    expect(changed).toHaveLength(3);
    const ngay = criterion('xa-dai-tam', 'ngay-cds');
    expect(ngay).toMatchObject({ self: 8, computed: 8, final: 3, difference: -5 });
    expect(ngay.appraisal!.reason).toMatch(/không gửi ảnh, clip/);
    expect(unit('xa-dai-tam')).toMatchObject({ selfTotal: 97.7, computedTotal: 97.7, finalTotal: 92.7 });
    // Corrected input: the criterion is scored again on 55 %.
    expect(criterion('phuong-1', 'ho-so-cong-viec-tren-mang').finalExplanation).toMatch(/tính lại với số liệu đã sửa: 55%/);
  });

  it('flags missing evidence without changing any score by itself', () => {
    const tt = criterion('tt-my-xuyen', 'ke-hoach-cds');
    expect(tt.evidence.missing).toEqual(['van-ban']);
    expect(tt.final).toBe(tt.computed);
    expect(tt.problems.find((p) => p.code === 'round.evidence-missing')?.severity).toBe('warning');
    // Figures an agency sent count as the system export.
    expect(criterion('phuong-1', 'vneid-nguoi-dan').evidence).toMatchObject({ required: ['trich-xuat'], missing: [], byProvider: ['trich-xuat'] });
  });

  it('ranks by the appraised total and proposes awards with the rule that selected each unit', () => {
    const province = result.proposal.levels.find((l) => l.level === 'province')!;
    expect(province.rule).toBe('2 đơn vị đứng đầu và tổng điểm từ 80 trở lên');
    expect(province.entries.map((e) => [e.unit, e.proposed])).toEqual([
      ['so-noi-vu', true],
      ['so-y-te', true],
      ['so-tai-chinh', false],
      ['ban-qlda', false],
    ]);
    // 85,9 each: the declared tie-break (points on ho-so-dung-han) decides.
    expect(unit('so-y-te').rank).toBe(2);
    expect(unit('so-tai-chinh').rank).toBe(2);
    expect(province.entries[1]!.rule).toMatch(/bằng tổng điểm với so-tai-chinh, xếp trên theo điểm tiêu chí ho-so-dung-han: 9,9 so với 9,7/);
    expect(province.entries[3]!.rule).toMatch(/dưới mức tối thiểu 80/);
    const commune = result.proposal.levels.find((l) => l.level === 'commune')!;
    expect(commune.entries.filter((e) => e.proposed).map((e) => e.unit)).toEqual(['xa-dai-tam', 'xa-thanh-phu']);
    expect(commune.entries.find((e) => e.unit === 'xa-lich-hoi-thuong')!.rule).toMatch(/chưa có tổng điểm/);
  });

  it('journals every received file with who, when and the SHA-256 of its bytes', () => {
    const journal = readFileSync(join(exampleRound2023, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    for (const f of result.files) {
      const entry = journal.find((e) => e.action === 'receive' && e.file === f.file);
      expect(entry, f.file).toBeDefined();
      expect(entry.sha256).toBe(createHash('sha256').update(readFileSync(join(exampleRound2023, f.file))).digest('hex'));
      expect(entry.sha256.slice(0, 8)).toBe(f.file.split('-').pop()!.split('.')[0]);
      expect(entry).toMatchObject({ sender: f.sender, at: f.at });
    }
  });

  it('status names every missing piece', () => {
    const status = roundStatus(round(exampleRound2023), result);
    expect(status.summary).toMatchObject({ units: 13, lateFiles: 1 });
    expect(status.providers.find((p) => p.id === 'cong-an-tinh')!.missing).toEqual([{ unit: 'xa-lich-hoi-thuong', inputs: ['vneid-can-bo.ty_le', 'vneid-nguoi-dan.ty_le'] }]);
    const ban = status.units.find((u) => u.id === 'ban-qlda')!;
    expect(ban.missingSelfAssessment).toHaveLength(16);
    expect(ban.missingEvidence.length).toBeGreaterThan(5);
    // Resolved by the appraisal: no longer listed as a conflict.
    expect(status.units.find((u) => u.id === 'so-tai-chinh')!.conflicts).toEqual([]);
    expect(status.units.find((u) => u.id === 'tx-vinh-chau')!.lateFiles).toHaveLength(1);
    // A file with another unit's data is named under both units.
    for (const id of ['phuong-1', 'xa-dai-tam']) expect(status.units.find((u) => u.id === id)!.filesWithErrors).toEqual([{ file: expect.stringMatching(/^received\/phuong-1\//), codes: ['round.wrong-unit'] }]);
  });
});

describe('receiving files', () => {
  it('keeps every file, never overwrites, journals each receipt; the same bytes twice are kept once', async () => {
    const dir = scratchRound2023({ withReceived: false, withAppraisals: false });
    const r = round(dir);
    const at = new Date('2023-12-10T01:00:00Z');
    const first = receiveFile(r, 'so-noi-vu', Buffer.from('{"id":"so-noi-vu","name":"Sở Nội vụ","level":"province","inputs":{"van-ban-dien-tu":{"ty_le":99}}}'), 'json', { now: at });
    const again = receiveFile(r, 'so-noi-vu', Buffer.from('{"id":"so-noi-vu","name":"Sở Nội vụ","level":"province","inputs":{"van-ban-dien-tu":{"ty_le":99}}}'), 'json', { now: at });
    const other = receiveFile(r, 'so-noi-vu', Buffer.from('{"id":"so-noi-vu","name":"Sở Nội vụ","level":"province","inputs":{"van-ban-dien-tu":{"ty_le":98}}}'), 'json', { now: at });
    expect(first.ok && again.ok && other.ok).toBe(true);
    if (!first.ok || !again.ok || !other.ok) return;
    expect(again.duplicate).toBe(true);
    expect(again.file.file).toBe(first.file.file);
    expect(other.file.file).not.toBe(first.file.file);
    const files = readdirSync(join(dir, 'received', 'so-noi-vu'));
    expect(files).toHaveLength(2);
    const journal = readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(journal.filter((e) => e.action === 'receive')).toHaveLength(3);
    expect(journal[journal.length - 1]).toMatchObject({ who: 'so-noi-vu', sender: 'so-noi-vu', file: other.file.file });
    expect(journal[journal.length - 1].sha256).toMatch(/^[0-9a-f]{64}$/);
    // Same millisecond, newer content: the later one supersedes (98), the earlier stays on disk.
    const scored = await scoreRound(r);
    const input = scored.units.find((u) => u.id === 'so-noi-vu')!.criteria.find((c) => c.id === 'van-ban-dien-tu')!.inputs[0]!;
    expect(input.history.map((h) => h.value)).toEqual([99, 98]);
    expect(input.value).toBe(98);
  });

  it('reports files tieuchi did not receive, and reads none of them', async () => {
    const dir = scratchRound2023({ withReceived: false, withAppraisals: false });
    const r = round(dir);
    receiveFile(r, 'so-noi-vu', Buffer.from('{}'), 'json', { now: new Date('2023-12-10T01:00:00Z') });
    writeFileSync(join(dir, 'received', 'so-noi-vu', 'tu-tay.json'), '{}');
    const scored = await scoreRound(r);
    expect(scored.problems.find((p) => p.code === 'round.received')?.message.vi).toMatch(/tu-tay\.json" không do tieuchi nhận/);
  });

  it('via the CLI: refuses an unknown sender, and reports the problems of what was just received', async () => {
    const dir = scratchRound2023({ withReceived: false, withAppraisals: false });
    const file = join(dir, 'x.json');
    writeFileSync(file, JSON.stringify({ id: 'phuong-1', name: 'UBND Phường 1', level: 'commune', inputs: { 'vneid-can-bo': { ty_le: 99 } } }));
    const unknown = await cli(['round', 'receive', dir, '--from', 'ai-do', file]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/"ai-do" không phải đơn vị, cơ quan cung cấp hay sở chủ trì/);
    const wrong = await cli(['round', 'receive', dir, '--from', 'phuong-1', '--at', '2023-12-10T08:00:00+07:00', file]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/Đã nhận .*x\.json → received\/phuong-1\/20231210T010000000Z-[0-9a-f]{8}\.json/);
    expect(wrong.stderr).toMatch(/round\.wrong-provider/);
    expect(wrong.stderr).toMatch(/do Công an tỉnh \(hư cấu\) cung cấp/);
    // Kept although refused: nothing received is lost.
    expect(readdirSync(join(dir, 'received', 'phuong-1'))).toHaveLength(1);
  });
});

describe('every bad file gets a located Vietnamese problem, and nothing already received is lost', () => {
  const cases: { name: string; from: string; ext: 'json' | 'csv'; body: string; at: string; code: string; vi: RegExp; line?: number }[] = [
    { name: 'malformed', from: 'so-noi-vu', ext: 'json', body: '{\n  "id": "so-noi-vu",\n  "inputs": {\n}', at: '2023-12-14T01:00:00Z', code: 'submission.unreadable', vi: /không phải JSON hợp lệ/, line: 4 },
    { name: 'late', from: 'so-noi-vu', ext: 'json', body: JSON.stringify({ id: 'so-noi-vu', name: 'Sở Nội vụ', level: 'province', inputs: { 'van-ban-dien-tu': { ty_le: 50 } } }), at: '2023-12-16T01:00:00Z', code: 'round.late', vi: /sau hạn 15\/12\/2023; được giữ lại nhưng không dùng/ },
    { name: 'from the wrong provider', from: 'cong-dvc', ext: 'csv', body: 'id,name,level,van-ban-dien-tu.ty_le\nso-noi-vu,Sở Nội vụ,province,50\n', at: '2023-12-14T01:00:00Z', code: 'round.wrong-provider', vi: /Cổng Dịch vụ công tỉnh \(hư cấu\) gửi số liệu .* do chính đơn vị cung cấp/, line: 2 },
    { name: 'for the wrong unit', from: 'so-y-te', ext: 'json', body: JSON.stringify({ id: 'so-noi-vu', name: 'Sở Nội vụ', level: 'province', inputs: { 'van-ban-dien-tu': { ty_le: 50 } } }), at: '2023-12-14T01:00:00Z', code: 'round.wrong-unit', vi: /tệp do đơn vị "so-y-te" gửi nhưng có số liệu của đơn vị khác "so-noi-vu"/, line: 1 },
    { name: 'for a unit not in the register', from: 'cong-an-tinh', ext: 'json', body: JSON.stringify([{ id: 'xa-khong-co', name: 'X', level: 'commune', inputs: { 'vneid-can-bo': { ty_le: 50 } } }]), at: '2023-12-14T01:00:00Z', code: 'round.wrong-unit', vi: /đơn vị "xa-khong-co" \(X\) không có trong danh sách đơn vị/, line: 1 },
  ];
  it.each(cases)('$name', async ({ from, ext, body, at, code, vi, line }) => {
    const dir = scratchRound2023();
    const r = round(dir);
    const sums = () => readdirSync(join(dir, 'received'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => `${d.parentPath}/${d.name}:${createHash('sha256').update(readFileSync(join(d.parentPath, d.name))).digest('hex')}`).sort();
    const before = sums();
    const stored = receiveFile(r, from, Buffer.from(body), ext, { now: new Date(at) });
    expect(stored.ok).toBe(true);
    const after = sums();
    expect(after.filter((f) => !before.includes(f))).toHaveLength(1);
    expect(before.every((f) => after.includes(f))).toBe(true);
    const scored = await scoreRound(r);
    const mine = scored.files.find((f) => stored.ok && f.file === stored.file.file)!;
    const p = mine.problems.find((x) => x.code === code)!;
    expect(p, JSON.stringify(mine.problems.map((x) => x.code))).toBeDefined();
    expect(p.message.vi).toMatch(vi);
    if (line !== undefined) expect(p.location?.line).toBe(line);
    else expect(p.file ?? p.location?.file).toBe(mine.file);
    // The values already received still count.
    expect(scored.units.find((u) => u.id === 'so-noi-vu')!.criteria.find((c) => c.id === 'van-ban-dien-tu')!.inputs[0]!.value).toBe(99.1);
  });
});

describe('appraisal files', () => {
  it('reports every mistake located, and only valid decisions count', () => {
    const dir = scratchRound2023({ withReceived: false, withAppraisals: false });
    mkdirSync(join(dir, 'appraisals'), { recursive: true });
    writeFileSync(
      join(dir, 'appraisals', 'a.yaml'),
      [
        'by: Người thẩm định',
        'at: "2023-12-20"',
        'decisions:',
        '  - { unit: phuong-1, criterion: ngay-cds, decision: set_points, points: 9, reason: quá điểm chuẩn }',
        '  - { unit: phuong-1, criterion: ngay-cds, decision: set_points, points: 3 }',
        '  - { unit: khong-co, criterion: ngay-cds, decision: accept, reason: x }',
        '  - { unit: phuong-1, criterion: ngay-cds, decision: correct_input, inputs: { muc_huong_ung: khong-co-muc }, reason: x }',
        '  - { unit: phuong-1, criterion: ngay-cds, decision: set_points, points: 5, reason: Kiểm tra thực tế }',
        '',
      ].join('\n'),
    );
    const read = readAppraisals(round(dir));
    expect(read.problems.map((p) => [p.code, p.location?.line])).toEqual([
      ['round.appraisal', 4],
      ['round.appraisal', 5],
      ['round.appraisal', 6],
      ['round.appraisal', 7],
    ]);
    expect(read.problems[0]!.message.vi).toMatch(/từ 0 đến 8/);
    expect(read.problems[1]!.message.vi).toMatch(/Thiếu lý do/);
    expect([...read.current.values()]).toEqual([expect.objectContaining({ unit: 'phuong-1', points: 5, reason: 'Kiểm tra thực tế', by: 'Người thẩm định', at: '2023-12-20' })]);
  });
});

describe('round configuration', () => {
  it('locates mistakes in round.yaml: unknown input in supplies, unknown key holder, bad deadline', () => {
    const dir = scratchRound2023({ withReceived: false, withAppraisals: false });
    const path = join(dir, 'round.yaml');
    const text = readFileSync(path, 'utf8')
      .replace('province: [vneid-can-bo]', 'province: [vneid-can-bo.khong_co]')
      .replace('deadline: "2023-12-15"', 'deadline: "2023-13-15"');
    writeFileSync(path, text);
    const { round: r, problems } = loadRound(dir);
    expect(r).toBeUndefined();
    expect(problems.map((p) => p.message.vi)).toEqual(expect.arrayContaining([expect.stringMatching(/Hạn gửi số liệu phải là một ngày/)]));
    writeFileSync(path, text.replace('"2023-13-15"', '"2023-12-15"'));
    const again = loadRound(dir);
    const p = again.problems.find((x) => /không có số liệu "vneid-can-bo.khong_co"/.test(x.message.vi))!;
    expect(p.location?.line).toBe(text.split('\n').findIndex((l) => l.includes('vneid-can-bo.khong_co')) + 1);
  });

  it('locates a mistake in a provider after one that is itself wrong (no crash, right line)', () => {
    const dir = scratchRound2023({ withReceived: false, withAppraisals: false });
    const path = join(dir, 'round.yaml');
    const text = readFileSync(path, 'utf8')
      .replace('    name: Công an tỉnh (hư cấu)\n', '')
      .replace('district: [ho-so-dung-han.ty_le_dung_han]', 'district: [ho-so-dung-han.khong_co]');
    writeFileSync(path, text);
    const { round: r, problems } = loadRound(dir);
    expect(r).toBeUndefined();
    const lines = problems.map((p) => [p.message.vi, p.location?.line]);
    expect(lines).toEqual(
      expect.arrayContaining([
        [expect.stringMatching(/Thiếu tên cơ quan cung cấp/), text.split('\n').findIndex((l) => l.includes('- id: cong-an-tinh')) + 1],
        [expect.stringMatching(/không có số liệu "ho-so-dung-han.khong_co"/), text.split('\n').findIndex((l) => l.includes('ho-so-dung-han.khong_co')) + 1],
      ]),
    );
  });

  it('round init makes a folder that loads, and refuses to overwrite it', async () => {
    const dir = join(scratchRound2023({ withReceived: false }), 'moi');
    const units = join(dir, '..', 'ds.csv');
    writeFileSync(units, 'id,name,level\nxa-a,UBND xã A,commune\nso-b,Sở B,province\n');
    const made = await cli(['round', 'init', dir, '--criteria', 'criteria/2023', '--deadline', '2024-12-15', '--units', units]);
    expect(made.code, made.stderr).toBe(0);
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(true);
    expect(round(dir).units.size).toBe(2);
    const status = await cli(['round', 'status', dir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/2 đơn vị; 0 đủ số liệu/);
    const again = await cli(['round', 'init', dir, '--criteria', 'criteria/2023', '--deadline', '2024-12-15']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/đã là một đợt đánh giá/);
  });
});

describe('round CLI on the example', () => {
  it('explain shows the sources, the appraisal and its reason', async () => {
    const out = await cli(['round', 'explain', 'examples/rounds/2023', '--unit', 'xa-dai-tam']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/Tổng điểm: tự chấm 97,7; máy chấm 97,7; sau thẩm định 92,7 \/ 100 — hạng 1/);
    expect(out.stdout).toMatch(/Thẩm định: sửa điểm thành 3 — lý do: Đơn vị không gửi ảnh, clip/);
    expect(out.stdout).toMatch(/nguồn Công an tỉnh \(hư cấu\), received\/cong-an-tinh\//);
    expect(out.stdout).toMatch(/THIẾU: hình ảnh, clip minh chứng/);
  });

  it('a usage mistake exits 2 with a Vietnamese message', async () => {
    const out = await cli(['round', 'receive', 'examples/rounds/2023', 'x.json']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/lỗi: thiếu tùy chọn bắt buộc --from/);
  });

  it('score prints the side-by-side table and the proposal', async () => {
    const out = await cli(['round', 'score', 'examples/rounds/2023']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/Hạng +Mã đơn vị +Tên đơn vị +Tự chấm +Máy chấm +Thẩm định/);
    expect(out.stdout).toMatch(/\[đề nghị\] so-noi-vu/);
    expect(out.stderr).toMatch(/round\.conflict/);
  });
});
