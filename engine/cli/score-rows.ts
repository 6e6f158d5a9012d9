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
import { csvCriterionIds, csvStructureColumns, csvUnitRow } from '../report/tables.js';
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
