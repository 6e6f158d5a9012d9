/** What the parallel score's main thread and its workers send each other (structured clones). */
import type { SubmissionLimits } from '../../load/submissions.js';
import type { Lang } from '../../problems.js';
import type { EntryBatch } from './json-split.js';

/** Given to each worker when it starts. */
export interface WorkerSetup {
  /** Full path of the criteria folder or file the main thread loaded. */
  criteriaPath: string;
  /** The working directory file names are shown relative to (as the main thread shows them). */
  cwd: string;
  /** The run's timestamp (ISO 8601). */
  now: string;
  format: 'json' | 'csv';
  trace: boolean;
  lang: Lang;
  limits: SubmissionLimits;
  /** bulk (issue 9): false turns off the direct reader of CSV runs (TIEUCHI_SCORE_DIRECT=0: benchmarks and tests compare the two). */
  direct?: boolean;
}

export interface BatchRequest {
  id: number;
  /** The file's name as problems show it. */
  file: string;
  batch: EntryBatch;
}

/** An entry that gave a unit (scored; the main thread may still find it a duplicate). */
export const ENTRY_UNIT = 1;
/** An entry that gave a submission refused before scoring (an unknown level). */
export const ENTRY_REJECTED = 2;

/**
 * Per entry of the batch, in order: `readCounts[k]` problems found reading it
 * (its envelope, a broken limit), then its kind (0: no submission), then
 * `afterCounts[k]` problems of its unit or rejection. `problems` holds them
 * all in that order, as JSON text. Units' fields are in their own lists, in
 * order of the units.
 */
export interface BatchResult {
  id: number;
  /** Entries handled; when `stop`, the entry after them ends what the fast path can do (the file's rest is read by the single-threaded reader). */
  processed: number;
  stop: boolean;
  kinds: Uint8Array;
  readCounts: Uint32Array;
  afterCounts: Uint32Array;
  /** Per entry (units only): level index, total (NaN: incomplete), length of the entry's text in characters. */
  levels: Uint8Array;
  totals: Float64Array;
  textLengths: Uint32Array;
  /** Per unit: id and name. */
  ids: string[];
  names: string[];
  /** Every unit's row, UTF-8, one after another; `rowLengths[k]` per entry. */
  rows: Uint8Array;
  rowLengths: Uint32Array;
  /** JSON output only: each rejection's text, in order. */
  rejections: string[];
  problems: string[];
  /** 1 when the problem at the same place is an error. */
  problemErrors: number[];
}
