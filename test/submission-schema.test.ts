/**
 * The submission contract: the JSON Schema generated from the YAML agrees
 * with the engine's reader. On the examples and on one mutation per rule,
 * the schema accepts exactly what the engine scores without problems.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SubmissionValidator, submissionSchema } from '../engine/contract/submission-schema.js';
import { readSubmissionsJson } from '../engine/load/submissions.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { cli } from './helpers/cli.js';
import { criteria2023, provinceInputs, repoRoot } from './helpers/criteria.js';

const set = criteria2023();
const validator = new SubmissionValidator(set);

/** Does the engine read this submission without any problem? */
function engineAccepts(raw: unknown): boolean {
  const read = readSubmissionsJson('t.json', JSON.stringify([raw]));
  if (read.problems.length) return false;
  return scoreSubmissions(set, read.submissions, { trace: false }).problems.length === 0;
}

describe('on the examples', () => {
  for (const level of ['province', 'district']) {
    it(`${level}.json: schema-valid ⇔ scored without problems`, () => {
      const file = JSON.parse(readFileSync(`${repoRoot}examples/2023/${level}.json`, 'utf8')) as { submissions: unknown[] };
      let rejected = 0;
      for (const raw of file.submissions) {
        const engine = engineAccepts(raw);
        const schema = validator.check(raw);
        expect(schema.length === 0, `${(raw as { id: string }).id}: ${schema.map((p) => p.message.en).join('; ')}`).toBe(engine);
        if (!engine) rejected++;
      }
      if (level === 'province') expect(rejected).toBeGreaterThan(0); // the deliberate data error is caught by both
    });
  }
});

describe('one rule at a time', () => {
  const base = () => ({ id: 'so-a', name: 'Sở A', level: 'province', inputs: provinceInputs() as Record<string, Record<string, unknown>> });
  const cases: [string, (s: ReturnType<typeof base>) => void, boolean][] = [
    ['valid as is', () => {}, true],
    ['percent 120', (s) => (s.inputs['dvc-toan-trinh']!.ty_le = 120), false],
    ['percent -1', (s) => (s.inputs['dvc-toan-trinh']!.ty_le = -1), false],
    ['percent as a string', (s) => (s.inputs['dvc-toan-trinh']!.ty_le = '90'), false],
    ['percent 99.99', (s) => (s.inputs['dvc-toan-trinh']!.ty_le = 99.99), true],
    ['count -1', (s) => (s.inputs['bao-cao-dinh-ky']!.so_lan_tre_ky_thang = -1), false],
    ['count 1.5', (s) => (s.inputs['bao-cao-dinh-ky']!.so_lan_tre_ky_thang = 1.5), false],
    ['count 2.0', (s) => (s.inputs['bao-cao-dinh-ky']!.so_lan_tre_ky_thang = 2.0), true],
    ['ratio with an extra key', (s) => (s.inputs['cap-do-attt']!.he_thong_duoc_phe_duyet = { achieved: 1, total: 2, note: 'x' }), false],
    ['ratio without total', (s) => (s.inputs['cap-do-attt']!.he_thong_duoc_phe_duyet = { achieved: 1 }), false],
    ['ratio as text', (s) => (s.inputs['cap-do-attt']!.he_thong_duoc_phe_duyet = '1/2'), false],
    ['date dd/mm/yyyy (JSON wants ISO)', (s) => (s.inputs['ke-hoach-cds']!.ngay_ban_hanh_ke_hoach = '15/02/2023'), false],
    ['date with spaces around (the engine trims)', (s) => (s.inputs['ke-hoach-cds']!.ngay_ban_hanh_ke_hoach = ' 2023-02-15 '), true],
    ['date null where allowed', (s) => (s.inputs['ke-hoach-cds']!.ngay_bao_cao_ket_qua = null), true],
    ['choice unknown', (s) => (s.inputs['nhan-su-cntt']!.muc_bo_tri = 'tien_si'), false],
    ['choice by label (text mode only)', (s) => (s.inputs['nhan-su-cntt']!.muc_bo_tri = 'Đại học'), false],
    ['boolean as "Có"', (s) => (s.inputs['kiem-tra-tren-moi-truong-so']!.co_kiem_tra_qua_moi_truong_mang = 'Có'), false],
    ['unknown input', (s) => (s.inputs['dvc-toan-trinh']!.thua = 1), false],
    ['missing input', (s) => delete s.inputs['dvc-toan-trinh']!.ty_le, false],
    ['missing criterion', (s) => delete s.inputs['dvc-toan-trinh'], false],
    ['unknown criterion', (s) => (s.inputs['khong-co'] = {}), false],
    ['unknown top-level key', (s) => ((s as Record<string, unknown>).diem = 100), false],
    ['a note is allowed', (s) => ((s as Record<string, unknown>).note = 'ghi chú'), true],
    ['blank name', (s) => (s.name = '  '), false],
    ['bad unit id', (s) => (s.id = 'sở a'), false],
  ];
  it.each(cases)('%s', (_title, mutate, valid) => {
    const submission = base();
    mutate(submission);
    expect(engineAccepts(submission)).toBe(valid);
    expect(validator.check(submission).length === 0).toBe(valid);
  });

  it('problems name the unit, criterion and input', () => {
    const submission = base();
    submission.inputs['dvc-toan-trinh']!.ty_le = 120;
    expect(validator.check(submission)[0]).toMatchObject({ code: 'submission.schema', unit: 'so-a', criterion: 'dvc-toan-trinh', input: 'ty_le', level: 'province' });
  });
});

describe('the schema itself', () => {
  it('has Vietnamese titles, percent 0–100, ratio {achieved,total}, choice ids, date or null, no extra properties', () => {
    const schema = submissionSchema(set.levels.find((l) => l.id === 'province')!) as any;
    expect(schema.additionalProperties).toBe(false);
    const inputs = schema.properties.inputs.properties;
    expect(inputs['dvc-toan-trinh'].title).toMatch(/^3\. /);
    expect(inputs['dvc-toan-trinh'].properties.ty_le).toMatchObject({ type: 'number', minimum: 0, maximum: 100, title: expect.any(String) });
    expect(inputs['cap-do-attt'].properties.he_thong_duoc_phe_duyet.required).toEqual(['achieved', 'total']);
    expect(inputs['nhan-su-cntt'].properties.muc_bo_tri.enum).toContain('dai_hoc');
    expect(inputs['ke-hoach-cds'].properties.ngay_bao_cao_ket_qua.type).toEqual(['string', 'null']);
    expect(inputs['ke-hoach-cds'].additionalProperties).toBe(false);
  });

  it('tieuchi schema --criteria criteria/2023 --level province prints it', async () => {
    const { code, stdout } = await cli(['schema', '--criteria', 'criteria/2023', '--level', 'province']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(submissionSchema(set.levels.find((l) => l.id === 'province')!));
  });

  it('without --level: one schema choosing by level; an unknown level exits 1', async () => {
    const all = await cli(['schema', '--criteria', 'criteria/2023']);
    expect(JSON.parse(all.stdout).oneOf).toHaveLength(3);
    const bad = await cli(['schema', '--criteria', 'criteria/2023', '--level', 'ward']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('province');
  });
});
