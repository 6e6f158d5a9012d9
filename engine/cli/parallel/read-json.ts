/**
 * One JSON submissions file read on the parallel path: the main thread cuts
 * it into entries (json-split.ts) as it reads it, the workers read and score
 * them, and their answers are handed on in file order. Where the fast path
 * stops (a file that is not a plain list, a syntax error, a broken file-level
 * limit), the single-threaded reader reads the file again and reports from
 * that entry on, so every problem reads and is located as before.
 */
import { open } from 'node:fs/promises';
import type { SubmissionLimits, SubmissionSink } from '../../load/submissions.js';
import { streamJsonFile } from '../load.js';
import { JsonListSplitter, type EntryBatch } from './json-split.js';
import type { ScorePool } from './pool.js';
import type { BatchResult } from './protocol.js';

const READ_BYTES = 4 * 1024 * 1024;

/** Batches in flight per worker: enough that no worker waits for the main thread, few enough to bound memory. */
const IN_FLIGHT_PER_WORKER = 3;

export async function readJsonInParallel(
  path: string,
  file: string,
  limits: SubmissionLimits,
  pool: ScorePool,
  /** Each batch's answer, in file order, with the entries it covers. */
  take: (result: BatchResult, batch: EntryBatch) => void,
  /** Where the single-threaded reader sends what it reads after the fast path stopped. */
  sink: SubmissionSink,
  /** Bytes of entries per batch (about 1,200 units per MiB of JSON). */
  batchBytes = 1024 * 1024,
): Promise<boolean> {
  const pending: { batch: EntryBatch; result: Promise<BatchResult> }[] = [];
  let stoppedAt: number | undefined;
  const settle = async () => {
    const { batch, result } = pending.shift()!;
    const answer = await result;
    // After a stop, later answers are the single-threaded reader's to give.
    if (stoppedAt !== undefined) return;
    take(answer, batch);
    if (answer.stop) stoppedAt = batch.firstIndex + answer.processed;
  };
  const splitter = new JsonListSplitter({ maxEntryChars: limits.maxEntryChars, maxEntries: limits.maxUnitsPerFile, maxDepth: limits.maxDepth, maxStringLength: limits.maxStringLength, maxKeyLength: limits.maxKeyLength }, (batch) => {
    // Copied by the splitter into a buffer of its own: moved to the worker, not copied again.
    pending.push({ batch, result: pool.submit(file, batch) });
  }, batchBytes);
  const handle = await open(path, 'r');
  // The splitter copies what it keeps: one buffer serves every read.
  const chunk = Buffer.allocUnsafeSlow(READ_BYTES);
  try {
    for (;;) {
      while (pending.length > IN_FLIGHT_PER_WORKER * pool.size) await settle();
      if (stoppedAt !== undefined) break;
      const { bytesRead } = await handle.read(chunk, 0, READ_BYTES, null);
      if (bytesRead === 0) {
        splitter.end();
        break;
      }
      if (!splitter.push(chunk.subarray(0, bytesRead))) break;
    }
  } finally {
    await handle.close();
  }
  while (pending.length) await settle();
  stoppedAt ??= splitter.stopped;
  if (stoppedAt === undefined) return true;
  return streamJsonFile(path, file, sink, limits, stoppedAt);
}
