/**
 * The entries of one batch (json-split.ts), read one by one as the
 * single-threaded reader reads them inside the file: each becomes a
 * submission or problems, in order, until one would end the file's reading.
 * Run by the worker threads; a module of its own so tests can run it in-process.
 */
import type { JsonValueReader, JsonReadLimits } from '../../load/json-reader.js';
import { readEntryText } from '../../load/json-entries.js';
import { jsonEntryFailureProblem, submitJsonEntry, type SubmissionLimits } from '../../load/submissions.js';
import type { Submission } from '../../model.js';
import type { Problem } from '../../problems.js';
import type { EntryBatch } from './json-split.js';

export interface BatchEntrySink {
  /** Entry `k` of the batch starts: its text is `length` characters long. */
  entry(k: number, length: number): void;
  problem(problem: Problem): void;
  submission(submission: Submission): void;
}

/**
 * Read the batch's entries; returns how many were handled and whether the
 * next one stops the fast path (a syntax error: the single-threaded reader
 * then reads the file from that entry on). `direct` (bulk, issue 9) is
 * offered each entry within the reader's bounds first, by its index in the
 * batch: true when it handled the entry itself (parallel/direct-score.ts).
 */
export function readBatchEntries(batch: EntryBatch, file: string, limits: SubmissionLimits, reader: JsonValueReader, readLimits: JsonReadLimits, sink: BatchEntrySink, direct?: (k: number) => boolean): { processed: number; stop: boolean } {
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const n = batch.count;
  for (let k = 0; k < n; k++) {
    const colons = batch.colons[k]!;
    if (direct && colons >= 0 && direct(k)) continue;
    // Each entry is whole characters (entries meet at ASCII bytes): decoded alone, it is the text the file reader would cut.
    const entryText = bytes.toString('utf8', batch.starts[k]!, batch.ends[k]!);
    const outcome = readEntryText(entryText, { offset: batch.offsets[k]!, line: batch.lines[k]!, column: batch.columns[k]! }, batch.firstIndex + k, reader, readLimits, colons);
    if (outcome === 'stop') return { processed: k, stop: true };
    sink.entry(k, entryText.length);
    if ('failure' in outcome) sink.problem(jsonEntryFailureProblem(file, outcome.failure, false));
    else submitJsonEntry(file, outcome.entry, sink, limits);
  }
  return { processed: n, stop: false };
}
