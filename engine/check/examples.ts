/**
 * Run each criterion's own examples (inputs → expected points) as a check on
 * the file. A mismatch shows expected, got, and how "got" was reached.
 */
import type { CompiledLevel } from '../compile/level.js';
import { Rational } from '../exact/rational.js';
import { scoreCriterion } from '../evaluate/score.js';
import { problem, type Problem } from '../problems.js';
import { exampleLevelValues } from '../evaluate/level-values.js'; // structures (issue 11)
import { explainCriterion, pointsText } from '../report/explain.js';
import { formatNumber } from '../report/format.js';

export function checkExamples(level: CompiledLevel): Problem[] {
  const problems: Problem[] = [];
  for (const criterion of level.criteria) {
    criterion.def.examples.forEach((example, i) => {
      const path = ['criteria', criterion.index, 'examples', i];
      const where = { level: level.id, criterion: criterion.id };
      const name = example.title ? `"${example.title}"` : `số ${i + 1}`;
      const nameEn = example.title ? `"${example.title}"` : `#${i + 1}`;
      // The fast path first; the traced one only to explain a mismatch.
      const context = { level: level.id, unit: `example ${i + 1}`, mode: 'json' as const };
      // structures (issue 11): an example gives the statistics and round values its formula reads under values:.
      const levelValues = criterion.levelSlots ? exampleLevelValues(level, example.values) : undefined;
      const extra = levelValues ? { levelValues, level } : {};
      let score = scoreCriterion(criterion, example.inputs, level.doc.scoring, context, { trace: false, ...extra });
      if (score.status !== 'scored') {
        const inputProblems = score.problems.filter((p) => p.code.startsWith('submission.'));
        for (const p of score.problems) {
          const isInput = inputProblems.includes(p);
          problems.push(
            problem(
              isInput ? 'example.bad-input' : 'example.failed',
              { vi: `Ví dụ ${name} của tiêu chí ${criterion.number}: ${p.message.vi}`, en: `Example ${nameEn} of criterion ${criterion.number}: ${p.message.en}` },
              { ...where, location: level.locate(isInput && p.input ? [...path, 'inputs', p.input] : [...path, 'inputs']), ...(p.hint ? { hint: p.hint } : {}) },
            ),
          );
        }
        return;
      }
      const expected = Rational.fromNumber(example.points);
      if (!expected.equals(Rational.fromNumber(score.points!))) {
        score = scoreCriterion(criterion, example.inputs, level.doc.scoring, context, { trace: true, ...extra });
        const how = explainCriterion(score, level.doc.scoring, 'vi', criterion.def.inputs, criterion.def.parts).summary;
        const howEn = explainCriterion(score, level.doc.scoring, 'en', criterion.def.inputs, criterion.def.parts).summary;
        problems.push(
          problem(
            'example.mismatch',
            {
              vi: `Ví dụ ${name} của tiêu chí ${criterion.number}: mong đợi ${formatNumber(example.points, 'vi')} điểm nhưng công thức cho ${pointsText(score.points!, level.doc.scoring, 'vi')} điểm (${how}).`,
              en: `Example ${nameEn} of criterion ${criterion.number}: expected ${example.points} points but the formula gives ${score.points} (${howEn}).`,
            },
            {
              ...where,
              location: level.locate([...path, 'points']),
              hint: {
                vi: 'Nếu ví dụ đúng theo quyết định thì công thức hoặc tham số sai; nếu công thức đúng thì sửa điểm mong đợi của ví dụ.',
                en: 'If the example follows the decision, the formula or a parameter is wrong; otherwise fix the expected points.',
              },
            },
          ),
        );
      }
    });
  }
  return problems;
}
