/**
 * bulk (issue 9): the parallel `tieuchi score --format csv`'s shortcut for
 * the usual entry: read straight from its bytes (load/json-direct.ts), score
 * every criterion on the float fast path (evaluate/fast.ts decideFast, the
 * same decisions scoreUnit's fast path makes), add the total as unitTotal
 * does and format the row as csvUnitRow would — without the parsed entry, a
 * Submission or a UnitScore. It answers only for a unit that is complete with
 * no problem and every criterion decided on floats; for anything else (a
 * value the readers refuse, a criterion the exact path must decide, an entry
 * of another shape) it answers false and the worker scores the entry the usual
 * way, which gives the same result or the problems. test/bulk-direct.test.ts
 * compares the two on many entries.
 */
import type { CriteriaSet } from '../../criteria-set.js';
import { fastLevel, decideFast, type FastLevel } from '../../evaluate/fast.js';
import { checksUnits } from '../../evaluate/structure-hooks.js';
import { DirectEntryReader, keyBytes, type DirectLevelPlan } from '../../load/json-direct.js';
import type { LevelSummary } from '../../scoring.js';
import { CompleteCsvRows } from '../score-rows.js';
import { csvCriterionIds, csvStructureColumns } from '../../report/tables.js';

export class DirectCsvScorer {
  /** The last entry scored: level index, id, name, total, length in characters, CSV row (after "level,rank,"). */
  level = -1;
  id = '';
  name = '';
  total = 0;
  chars = 0;
  row = '';
  private readonly reader: DirectEntryReader;
  private readonly plans: FastLevel[];
  private readonly rows: CompleteCsvRows;
  private readonly points: Float64Array;

  /** undefined when no level of the set can take the shortcut (then every entry is read the usual way). */
  static create(set: CriteriaSet, levels: readonly LevelSummary[], maxNameLength: number): DirectCsvScorer | undefined {
    // Structure columns in the CSV (a structured level in the set) are csvUnitRow's to fill.
    if (csvStructureColumns(levels).length) return undefined;
    const compiled = levels.map((l) => set.levels.find((s) => s.id === l.id)!);
    const plans: DirectLevelPlan[] = compiled.map((level) => {
      const structure = level.structure;
      const enabled = fastLevel(level).enabled && !structure?.shaped && !checksUnits(structure) && !structure?.levelValues.size && !level.criteria.some((c) => c.levelSlots);
      return { id: keyBytes(level.id), enabled, criteria: level.criteria.map((c) => ({ key: keyBytes(c.id), inputs: c.inputs.map((i) => keyBytes(i.id)) })) };
    });
    if (!plans.some((p) => p.enabled)) return undefined;
    const decimals = compiled.map((l) => l.doc.scoring.rounding.decimals);
    return new DirectCsvScorer(new DirectEntryReader(plans, maxNameLength), compiled.map(fastLevel), new CompleteCsvRows(levels, csvCriterionIds(levels), decimals), Math.max(...compiled.map((l) => l.criteria.length)));
  }

  private constructor(reader: DirectEntryReader, plans: FastLevel[], rows: CompleteCsvRows, mostCriteria: number) {
    this.reader = reader;
    this.plans = plans;
    this.rows = rows;
    this.points = new Float64Array(mostCriteria);
  }

  /** Score the entry at bytes [start, end) of `buf`; false: score it the usual way. */
  score(buf: Buffer, start: number, end: number): boolean {
    const reader = this.reader;
    if (!reader.read(buf, start, end)) return false;
    const level = reader.level;
    const plan = this.plans[level]!;
    const values = reader.values;
    const points = this.points;
    const count = plan.criteria.length;
    let v = 0;
    // unitTotal (evaluate/score.ts): each score is a whole number of 10^-decimals, summed exactly.
    const scale = plan.scale;
    let units = 0;
    for (let i = 0; i < count; i++) {
      const fast = plan.criteria[i]!;
      const inputs = fast.inputs;
      for (let j = 0; j < inputs.length; j++) {
        const input = inputs[j]!;
        if (!input.read(values[v++], fast.values, fast.errors, input.slot)) return false;
      }
      const decided = decideFast(fast, plan);
      if (!decided) return false;
      points[i] = decided.points;
      const scaled = Math.round(decided.points * scale);
      // unitTotal takes the rational sum here: so does the usual way.
      if (!(Math.abs(scaled) < 1e15) || scale > 1e12) return false;
      units += scaled;
    }
    this.level = level;
    this.id = reader.id;
    this.name = reader.name;
    this.total = units / scale;
    this.chars = reader.chars;
    this.row = this.rows.row(level, reader.id, reader.name, this.total, points);
    return true;
  }
}
