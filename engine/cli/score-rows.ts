/**
 * A scored unit as `tieuchi score` stores it before the final ordering: its
 * CSV row (after "level,rank,") or its JSON text (without the closing brace:
 * the rank goes last). One module for the main thread and the worker threads
 * of the parallel run, so both write the same bytes.
 */
import type { CriteriaSet } from '../criteria-set.js';
import type { UnitScore } from '../evaluate/score.js';
import type { Lang } from '../problems.js';
import { withExplanations } from '../report/explain.js';
import { csvCell, csvCriterionIds, csvStructureColumns, csvUnitRow } from '../report/tables.js';
import type { LevelSummary } from '../scoring.js';

/** JSON.stringify(value, null, 2) as it reads `depth` levels down in a larger document. */
export function indented(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2);
  return depth === 0 ? text : text.replace(/\n/g, '\n' + '  '.repeat(depth));
}

export interface UnitRowFormat {
  format: 'json' | 'csv';
  trace: boolean;
  lang: Lang;
}

/** Formats rows for one run: the run's levels and columns are worked out once. */
export class UnitRows {
  readonly levelIndex: Map<string, number>;
  private readonly levelDecimals: number[];
  private readonly criterionIds: string[];
  private readonly structureColumns: string[];
  private readonly levelStructures: (LevelSummary['structure'] | undefined)[];

  constructor(
    private readonly set: CriteriaSet,
    levels: readonly LevelSummary[],
    private readonly options: UnitRowFormat,
  ) {
    this.levelIndex = new Map(levels.map((l, i) => [l.id, i]));
    this.levelDecimals = levels.map((l) => set.levels.find((s) => s.id === l.id)!.doc.scoring.rounding.decimals);
    this.criterionIds = csvCriterionIds(levels);
    this.structureColumns = csvStructureColumns(levels);
    this.levelStructures = levels.map((l) => l.structure);
  }

  row(unit: UnitScore): string {
    if (this.options.format === 'json') {
      const shown = this.options.trace ? withExplanations(this.set, unit, this.options.lang) : unit;
      const text = indented(shown, 2);
      // Without its closing brace: the rank goes last, as in a run held in memory.
      return '    ' + text.slice(0, -'\n    }'.length);
    }
    const level = this.levelIndex.get(unit.level)!;
    return csvUnitRow(unit, this.criterionIds, this.levelDecimals[level]!, this.structureColumns, this.levelStructures[level]);
  }
}

/** Most distinct formatted values kept per level (points take a few values per criterion; totals more). */
const FIXED_CACHE_LIMIT = 50_000;

/**
 * bulk (issue 9): the CSV row of a complete unit of a level without
 * structure, from its points alone — the same bytes as csvUnitRow (checked
 * in test/bulk-direct.test.ts), without a UnitScore: the parallel score's
 * direct path (parallel/direct-score.ts) builds none. Points take few
 * distinct values per criterion, so each value's text is formatted once.
 */
export class CompleteCsvRows {
  /** Per level: for each CSV criterion column, the index of the level's criterion shown there, or -1. */
  private readonly columns: Int32Array[];
  private readonly decimals: number[];
  private readonly scales: number[];
  private readonly fixed: Map<number, string>[];

  constructor(levels: readonly LevelSummary[], criterionIds: readonly string[], decimals: readonly number[]) {
    this.columns = levels.map((l) => Int32Array.from(criterionIds, (id) => l.criteria.findIndex((c) => c.id === id)));
    this.decimals = [...decimals];
    this.scales = decimals.map((d) => 10 ** d);
    this.fixed = levels.map(() => new Map());
  }

  private text(level: number, value: number): string {
    // Keyed by the whole number of 10^-decimals (a small integer: a Map's fastest key); a value that is
    // not exactly such a number over the scale, or too large, is formatted each time.
    const scale = this.scales[level]!;
    const units = Math.round(value * scale);
    if (units / scale !== value || !(units >= -0x3fffffff && units <= 0x3fffffff)) return value.toFixed(this.decimals[level]!);
    const cache = this.fixed[level]!;
    let text = cache.get(units);
    if (text === undefined) {
      // -0 and 0 share a key, and toFixed prints both as "0.0".
      text = value.toFixed(this.decimals[level]!);
      if (cache.size < FIXED_CACHE_LIMIT) cache.set(units, text);
    }
    return text;
  }

  row(level: number, id: string, name: string, total: number, points: ArrayLike<number>): string {
    let row = `${csvCell(id)},${csvCell(name)},complete,${this.text(level, total)}`;
    const columns = this.columns[level]!;
    for (let k = 0; k < columns.length; k++) {
      const i = columns[k]!;
      row += i < 0 ? ',' : ',' + this.text(level, points[i]!);
    }
    return row + '\n';
  }
}
