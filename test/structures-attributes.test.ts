/**
 * Applicability by unit attributes (issue 11 item 2): a level declares
 * unit_attributes (yes/no, or a choice), a criterion or group says
 * applies_when, a unit states its attributes. Edge cases assert a located
 * Vietnamese problem or the exact score.
 */
import { describe, expect, it } from 'vitest';
import { loadCriteriaTexts, type CriteriaSet } from '../engine/criteria-set.js';
import { scoreUnit } from '../engine/evaluate/score.js';
import { readSubmissionsCsv, readSubmissionsJson } from '../engine/load/submissions.js';
import type { Submission } from '../engine/model.js';
import type { Problem } from '../engine/problems.js';
import { scoreSubmissions } from '../engine/scoring.js';
import { submissionSchema } from '../engine/contract/submission-schema.js';

const HEAD = `format_version: 1
year: 2025
decision: { number: 1/QĐ-TEST, date: "2025-01-01", issuer: Thử nghiệm, title: Thử nghiệm }
level: { id: unit, name: Đơn vị thử }
scoring: { clamp_to_max: true, rounding: { decimals: 2, mode: half_up }, total: sum_of_rounded }
total_points: 100
`;

const criterion = (id: string, number: string, max: number, extra = '') => `  - id: ${id}
    number: "${number}"
    name: Tiêu chí ${id}
    max_points: ${max}
    rule: r
    evidence: e
${extra}    inputs: { x: { type: percent, label: Tỉ lệ ${id} } }
    formula: { "*": [{ "/": [{ var: x }, 100] }, { var: max_points }] }
    examples: [{ inputs: { x: 100 }, points: ${max} }]
`;

const ATTRIBUTES = `unit_attributes:
  - { id: co_dich_vu_cong, label: Có dịch vụ công trực tuyến, type: boolean }
  - id: nhom
    label: Nhóm cơ quan
    type: choice
    options: [{ id: nhom-1, label: Nhóm 1 }, { id: nhom-2, label: Nhóm 2 }, { id: nhom-3, label: Nhóm 3 }]
`;

function loadText(text: string): { set?: CriteriaSet; problems: Problem[] } {
  return loadCriteriaTexts('mem/2025', [{ file: 'mem/2025/test.yaml', text }], { checkDomains: false });
}

const submission = (id: string, inputs: Record<string, unknown>, attributes?: Record<string, unknown>, mode: 'json' | 'text' = 'json'): Submission => ({ id, name: id, level: 'unit', inputs, mode, ...(attributes ? { attributes } : {}) });

const SET = `${HEAD}${ATTRIBUTES}criteria:
${criterion('a', '1', 60)}${criterion('dvc', '2', 25, '    applies_when: { co_dich_vu_cong: true }\n')}${criterion('n', '3', 15, '    applies_when: { nhom: [nhom-1, nhom-2] }\n')}`;

describe('applies_when on unit attributes', () => {
  const { set, problems } = loadText(SET);
  it('the set validates', () => {
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('a unit with every attribute that applies is scored on the whole 100', () => {
    const unit = scoreUnit(set!.levels[0]!, submission('u', { a: { x: 50 }, dvc: { x: 80 }, n: { x: 100 } }, { co_dich_vu_cong: true, nhom: 'nhom-1' }));
    expect(unit).toMatchObject({ status: 'complete', total: 65, applicable: { rule: 'all', maxPoints: 100 } });
  });

  it('a unit without online public services is rescaled exactly over what applies', () => {
    // 30 + 15 = 45 of 75 → 45 × 100 / 75 = 60
    const unit = scoreUnit(set!.levels[0]!, submission('v', { a: { x: 50 }, n: { x: 100 } }, { co_dich_vu_cong: false, nhom: 'nhom-2' }));
    expect(unit.criteria.map((c) => c.status)).toEqual(['scored', 'not_applicable', 'scored']);
    expect(unit).toMatchObject({ status: 'complete', total: 60, applicable: { rule: 'rescale', maxPoints: 75, before: 45, exact: '60' } });
    // 30 of 60 + nothing else → 30 × 100 / 60 = 50, and an option not in the list leaves 3 out.
    const w = scoreUnit(set!.levels[0]!, submission('w', { a: { x: 50 } }, { co_dich_vu_cong: false, nhom: 'nhom-3' }));
    expect(w).toMatchObject({ status: 'complete', total: 50, applicable: { maxPoints: 60 } });
  });

  it('an attribute missing is a problem for that unit only; others still score', () => {
    const run = scoreSubmissions(set!, [submission('thieu', { a: { x: 50 }, n: { x: 100 } }, { nhom: 'nhom-1' }), submission('du', { a: { x: 50 }, n: { x: 100 } }, { co_dich_vu_cong: false, nhom: 'nhom-1' })]);
    const missing = run.units.find((u) => u.id === 'thieu')!;
    expect(missing.status).toBe('incomplete');
    expect(missing.total).toBeUndefined();
    expect(missing.problems).toHaveLength(1);
    expect(missing.problems[0]).toMatchObject({ code: 'submission.unit-attribute', severity: 'error', unit: 'thieu', level: 'unit' });
    expect(missing.problems[0]!.message.vi).toBe('Đơn vị "thieu" chưa ghi thuộc tính «Có dịch vụ công trực tuyến» (co_dich_vu_cong); cấp "Đơn vị thử" chấm một số tiêu chí tùy theo thuộc tính này, nên đơn vị chưa có tổng điểm.');
    expect(run.units.find((u) => u.id === 'du')).toMatchObject({ status: 'complete', total: 60 });
    // The criterion that depends on the missing attribute is not "không áp dụng": nobody knows yet.
    const dvc = missing.criteria.find((c) => c.id === 'dvc')!;
    expect(dvc.status).toBe('error');
    expect(dvc.problems.map((p) => [p.code, p.severity, p.message.vi])).toEqual([
      ['submission.unit-attribute', 'error', 'Chưa biết tiêu chí 2 có áp dụng cho đơn vị này không: đơn vị chưa ghi (hoặc ghi sai) thuộc tính «Có dịch vụ công trực tuyến»; tiêu chí chưa được chấm.'],
    ]);
    expect(missing.criteria.find((c) => c.id === 'n')).toMatchObject({ status: 'scored' });
  });

  it('a unit of a level with unit types that states none, or an unknown one: the typed criteria are unknown, not "không áp dụng"', () => {
    const typed = loadText(`${HEAD}unit_types: [{ id: so, label: Sở }, { id: ban, label: Ban }]
criteria:
${criterion('a', '1', 60)}${criterion('s', '2', 40, '    applies_to: [so]\n')}`);
    expect(typed.problems.filter((p) => p.severity === 'error')).toEqual([]);
    for (const [type, why] of [
      [undefined, 'đơn vị chưa ghi loại đơn vị (type)'],
      ['so-x', 'loại đơn vị "so-x" không có trong khai báo của cấp'],
    ] as const) {
      const unit = scoreUnit(typed.set!.levels[0]!, { ...submission('t', { a: { x: 50 }, s: { x: 50 } }), ...(type ? { type } : {}) });
      expect(unit.total).toBeUndefined();
      const s = unit.criteria.find((c) => c.id === 's')!;
      expect([s.status, s.problems.map((p) => p.message.vi)]).toEqual(['error', [`Chưa biết tiêu chí 2 có áp dụng cho đơn vị này không: ${why}; tiêu chí chưa được chấm.`]]);
    }
  });

  it('an attribute value outside its choices, or not yes/no, is named', () => {
    const unit = scoreUnit(set!.levels[0]!, submission('x', { a: { x: 50 } }, { co_dich_vu_cong: 'co', nhom: 'nhom-9' }));
    expect(unit.total).toBeUndefined();
    expect(unit.problems.map((p) => [p.code, p.message.vi])).toEqual([
      ['submission.unit-attribute', 'Đơn vị "x": thuộc tính «Có dịch vụ công trực tuyến» (co_dich_vu_cong) chỉ nhận Có hoặc Không, nhận được "co".'],
      ['submission.unit-attribute', 'Đơn vị "x": thuộc tính «Nhóm cơ quan» (nhom) không có mức "nhom-9".'],
    ]);
    expect(unit.problems[1]!.hint!.vi).toBe('Các mức: nhom-1 (Nhóm 1); nhom-2 (Nhóm 2); nhom-3 (Nhóm 3).');
    // As typed in a spreadsheet or CSV, Có/Không and the option's label are read.
    const typed = scoreUnit(set!.levels[0]!, submission('y', { a: { x: '50' }, n: { x: '100' } }, { co_dich_vu_cong: 'Không', nhom: 'nhóm 2' }, 'text'));
    expect(typed).toMatchObject({ status: 'complete', total: 60 });
  });

  it('a unit whose every criterion does not apply has no total, and says why', () => {
    const { set: only } = loadText(`${HEAD}${ATTRIBUTES}criteria:
${criterion('dvc', '1', 60, '    applies_when: { co_dich_vu_cong: true }\n')}${criterion('n', '2', 40, '    applies_when: { nhom: nhom-1 }\n')}`);
    const unit = scoreUnit(only!.levels[0]!, submission('khong-gi', {}, { co_dich_vu_cong: false, nhom: 'nhom-2' }));
    expect(unit.criteria.map((c) => c.status)).toEqual(['not_applicable', 'not_applicable']);
    expect(unit.total).toBeUndefined();
    expect(unit.problems.map((p) => p.code)).toEqual(['unit.nothing-applicable']);
  });

  it('a JSON file locates a wrong attribute at its own line; a CSV takes attributes.<id> columns', () => {
    const json = `{"submissions": [
  {"id": "u", "name": "U", "level": "unit",
   "attributes": {"co_dich_vu_cong": "yes", "nhom": "nhom-1"},
   "inputs": {"a": {"x": 50}, "n": {"x": 100}}}
]}`;
    const read = readSubmissionsJson('units.json', json);
    expect(read.problems).toEqual([]);
    const unit = scoreUnit(set!.levels[0]!, read.submissions[0]!);
    expect(unit.problems[0]).toMatchObject({ code: 'submission.unit-attribute', location: { file: 'units.json', line: 3 } });
    const csv = readSubmissionsCsv('units.csv', 'id,name,level,attributes.co_dich_vu_cong,attributes.nhom,a.x,n.x\nu,U,unit,Không,Nhóm 1,50,100\nv,V,unit,,nhom-1,50,100\n');
    expect(csv.problems).toEqual([]);
    const [u, v] = csv.submissions.map((s) => scoreUnit(set!.levels[0]!, s));
    expect(u).toMatchObject({ status: 'complete', total: 60 });
    expect(v!.problems[0]).toMatchObject({ code: 'submission.unit-attribute', location: { file: 'units.csv', line: 3, column: 4 } });
  });

  it('the JSON submission schema asks for the attributes, with their values', () => {
    const schema = submissionSchema(set!.levels[0]!) as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required).toContain('attributes');
    expect(schema.properties.attributes).toMatchObject({
      type: 'object',
      required: ['co_dich_vu_cong', 'nhom'],
      additionalProperties: false,
      properties: { co_dich_vu_cong: { type: 'boolean', title: 'Có dịch vụ công trực tuyến' }, nhom: { enum: ['nhom-1', 'nhom-2', 'nhom-3'] } },
    });
  });
});

describe('the criteria file is checked: unknown attributes and values, located in Vietnamese', () => {
  it.each([
    ['an unknown attribute', '    applies_when: { co_dvc: true }\n', 'Tiêu chí 2 áp dụng khi đơn vị có thuộc tính "co_dvc", nhưng cấp này không khai báo thuộc tính đó.', 29],
    ['a yes/no attribute given an option', '    applies_when: { co_dich_vu_cong: nhom-1 }\n', 'Tiêu chí 2: thuộc tính "co_dich_vu_cong" (Có dịch vụ công trực tuyến) là Có/Không, điều kiện phải là true hoặc false, đang là "nhom-1".', 29],
    ['an option the choice does not have', '    applies_when: { nhom: [nhom-1, nhom-7] }\n', 'Tiêu chí 2: thuộc tính "nhom" (Nhóm cơ quan) không có mức "nhom-7".', 29],
  ])('%s', (_what, extra, message, line) => {
    const { set, problems } = loadText(`${HEAD}${ATTRIBUTES}criteria:
${criterion('a', '1', 60)}${criterion('b', '2', 40, extra)}`);
    expect(set).toBeUndefined();
    const p = problems.find((x) => x.code === 'unit-attribute.unknown')!;
    expect(p).toMatchObject({ severity: 'error', level: 'unit', criterion: 'b', location: { file: 'mem/2025/test.yaml', line } });
    expect(p.message.vi).toBe(message);
  });

  it('a group may depend on an attribute too, and its criteria follow it', () => {
    const { set, problems } = loadText(`${HEAD}${ATTRIBUTES}groups:
  - { id: g1, number: "1", name: Chung }
  - { id: g2, number: "2", name: Dịch vụ công, applies_when: { co_dich_vu_cong: true } }
criteria:
${criterion('a', '1.1', 60, '    group: g1\n')}${criterion('b', '2.1', 40, '    group: g2\n')}`);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const unit = scoreUnit(set!.levels[0]!, submission('u', { a: { x: 50 } }, { co_dich_vu_cong: false, nhom: 'nhom-1' }));
    expect(unit).toMatchObject({ status: 'complete', total: 50 });
    expect(unit.groups!.find((g) => g.id === 'g2')!.status).toBe('not_applicable');
  });
});

describe('diff names a change of applies_when and of the declared attributes', () => {
  it('a criterion that now depends on an attribute, and the attribute added', async () => {
    const { diffCriteriaSets } = await import('../engine/diff/compare.js');
    const before = loadCriteriaTexts('mem/2025', [{ file: 'mem/2025/test.yaml', text: `${HEAD}criteria:\n${criterion('a', '1', 60)}${criterion('dvc', '2', 40)}` }], { checkDomains: false }).set!;
    const after = loadText(`${HEAD}${ATTRIBUTES}criteria:\n${criterion('a', '1', 60)}${criterion('dvc', '2', 40, '    applies_when: { co_dich_vu_cong: true }\n')}`).set!;
    const diff = diffCriteriaSets(before, after);
    const text = JSON.stringify(diff);
    expect(text).toContain('"field":"applies_when"');
    expect(text).toContain('"new":{"co_dich_vu_cong":true}');
    expect(text).toContain('"field":"unit_attributes"');
  });
});
