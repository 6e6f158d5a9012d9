/**
 * The 2023 set, checked against Decision 2435/QĐ-UBND: every criterion is
 * present with its points, and every example written in the YAML runs as a
 * test of its own.
 */
import { describe, expect, it } from 'vitest';
import { Rational } from '../engine/exact/rational.js';
import { scoreCriterion } from '../engine/evaluate/score.js';
import { loadCriteriaSet } from '../engine/criteria-set.js';
import { criteria2023, criteria2023Dir } from './helpers/criteria.js';

describe('criteria/2023 loads cleanly', () => {
  it('no errors and no warnings', () => {
    const { problems } = loadCriteriaSet(criteria2023Dir);
    expect(problems.map((p) => `${p.code} ${p.location?.file}:${p.location?.line} ${p.message.en}`)).toEqual([]);
  });
});

describe('structure as printed in the decision', () => {
  const expected = {
    province: { section: 'I', points: [8, 5, 4, 10, 10, 5, 2, 10, 6, 6, 6, 6, 5, 5, 4, 8] },
    district: { section: 'II', points: [8, 5, 5, 10, 10, 5, 6, 10, 6, 6, 6, 6, 5, 4, 8] },
    commune: { section: 'III', points: [8, 5, 10, 10, 6, 10, 6, 6, 6, 6, 8, 6, 5, 8] },
  };
  it.each(Object.entries(expected))('%s: criteria numbered 1..n with the printed max points, 100 in all', (levelId, { section, points }) => {
    const level = criteria2023().levels.find((l) => l.id === levelId)!;
    expect(level.doc.level.section).toBe(section);
    expect(level.criteria.map((c) => c.number)).toEqual(points.map((_, i) => String(i + 1)));
    expect(level.criteria.map((c) => c.maxPoints.toNumber())).toEqual(points);
    expect(level.totalPoints.toNumber()).toBe(100);
    expect(level.doc.decision).toMatchObject({ number: '2435/QĐ-UBND', date: '2023-10-05' });
    for (const c of level.criteria) {
      expect(c.def.rule.length, c.id).toBeGreaterThan(10);
      expect(c.def.evidence.length, c.id).toBeGreaterThan(5);
    }
  });
  it('levels come in the order of the decision', () => {
    expect(criteria2023().levels.map((l) => l.id)).toEqual(['province', 'district', 'commune']);
  });
  it('stable ids are shared across levels for the same criterion', () => {
    const ids = (level: string) => criteria2023().levels.find((l) => l.id === level)!.criteria.map((c) => c.id);
    for (const shared of ['ke-hoach-cds', 'ho-so-dung-han', 'van-ban-dien-tu', 'ngay-cds']) {
      expect(ids('province')).toContain(shared);
      expect(ids('district')).toContain(shared);
      expect(ids('commune')).toContain(shared);
    }
  });
});

describe('every example in the YAML', () => {
  const set = criteria2023();
  const cases = set.levels.flatMap((level) =>
    level.criteria.flatMap((criterion) =>
      criterion.def.examples.map((example, i) => ({ name: `${level.id} ${criterion.number} ${criterion.id} #${i + 1} ${example.title ?? ''}`.trim(), level, criterion, example })),
    ),
  );
  it('there are examples for every criterion', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45 * 2);
  });
  it.each(cases)('$name', ({ level, criterion, example }) => {
    const score = scoreCriterion(criterion, example.inputs, level.doc.scoring, { level: level.id, unit: 'example', mode: 'json' });
    expect(score.problems).toEqual([]);
    expect(Rational.fromNumber(score.points!).toString()).toBe(Rational.fromNumber(example.points).toString());
  });
});

describe('the decision’s worked example and the interpretations', () => {
  const level = (id: string) => criteria2023().levels.find((l) => l.id === id)!;
  const score = (levelId: string, criterionId: string, inputs: Record<string, unknown>) => {
    const l = level(levelId);
    return scoreCriterion(l.criteria.find((c) => c.id === criterionId)!, inputs, l.doc.scoring, { level: levelId, unit: 't', mode: 'json' });
  };
  it('province 3: 90% → 90/95×4 = 3,8', () => {
    expect(score('province', 'dvc-toan-trinh', { ty_le: 90 }).points).toBe(3.8);
  });
  it('98,5% on a 10-point rate criterion → 9,9 (not 9,8)', () => {
    expect(score('province', 'van-ban-dien-tu', { ty_le: 98.5 }).points).toBe(9.9);
  });
  it('commune 12: 45% of households → 45/30×6 = 9 → 6', () => {
    const s = score('commune', 'ho-gia-dinh-dvc', { ty_le: 45 });
    expect(s.raw).toBe('9');
    expect(s.points).toBe(6);
  });
  it('province 15: a unit with no information system scores full points', () => {
    expect(score('province', 'cap-do-attt', { he_thong_duoc_phe_duyet: { achieved: 0, total: 0 } }).points).toBe(4);
  });
  it('province 1: a document never issued scores 0; lateness of plan and report adds up', () => {
    expect(score('province', 'ke-hoach-cds', { ngay_ban_hanh_ke_hoach: '2023-02-01', ngay_bao_cao_ket_qua: null }).points).toBe(0);
    expect(score('province', 'ke-hoach-cds', { ngay_ban_hanh_ke_hoach: '2023-04-15', ngay_bao_cao_ket_qua: '2023-12-16' }).points).toBe(6);
  });
});
