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
 * Read the batch's entries (its bytes decoded once); returns how many were
 * handled and whether the next one stops the fast path (a syntax error: the
 * single-threaded reader then reads the file from that entry on).
 */
export function readBatchEntries(batch: EntryBatch, file: string, limits: SubmissionLimits, reader: JsonValueReader, readLimits: JsonReadLimits, sink: BatchEntrySink): { processed: number; stop: boolean } {
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const text = bytes.toString('utf8');
  const firstOffset = batch.offsets[0]!;
  const n = batch.count;
  for (let k = 0; k < n; k++) {
    // Character offsets within the batch: entries are separated by ASCII bytes only (one character each).
    const from = batch.offsets[k]! - firstOffset;
    const to = k + 1 < n ? batch.offsets[k + 1]! - firstOffset - (batch.starts[k + 1]! - batch.ends[k]!) : text.length;
    const entryText = text.slice(from, to);
    const outcome = readEntryText(entryText, { offset: batch.offsets[k]!, line: batch.lines[k]!, column: batch.columns[k]! }, batch.firstIndex + k, reader, readLimits, batch.colons[k]!);
    if (outcome === 'stop') return { processed: k, stop: true };
    sink.entry(k, entryText.length);
    if ('failure' in outcome) sink.problem(jsonEntryFailureProblem(file, outcome.failure, false));
    else submitJsonEntry(file, outcome.entry, sink, limits);
  }
  return { processed: n, stop: false };
}
