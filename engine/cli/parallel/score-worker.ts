/**
 * A worker thread of the parallel `tieuchi score`: loads the criteria itself
 * (functions cannot be sent between threads), then for each batch of entries
 * cut by the main thread (json-split.ts) reads each entry with the same
 * bounded reader as the single-threaded run, checks its envelope, scores it,
 * and formats its output row. What it sends back is in the order the
 * single-threaded run would have produced it; the main thread decides what
 * needs every unit (duplicates across the run, ranks, the output's order).
 */
import { relative } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { loadCriteriaSet } from '../../criteria-set.js';
import { JsonValueReader } from '../../load/json-reader.js';
import { fileParseCache } from '../../load/parse-cache.js';
import type { Problem } from '../../problems.js';
import { createScoringSession } from '../../scoring.js';
import { UnitRows, indented } from '../score-rows.js';
import { readBatchEntries } from './batch-entries.js';
import { DirectCsvScorer } from './direct-score.js';
import { ENTRY_REJECTED, ENTRY_UNIT, type BatchRequest, type BatchResult, type WorkerSetup } from './protocol.js';

const setup = workerData as WorkerSetup;
const { set, problems: setProblems } = loadCriteriaSet(setup.criteriaPath, { displayPath: (p) => relative(setup.cwd, p) || p, checkDomains: false, cache: fileParseCache() });
if (!set || setProblems.some((p) => p.severity === 'error')) throw new Error(`tieuchi bug: the worker could not load the criteria the main thread loaded (${setup.criteriaPath})`);
const session = createScoringSession(set, { trace: setup.trace, now: new Date(setup.now) });
const rows = new UnitRows(set, session.levels(), { format: setup.format, trace: setup.trace, lang: setup.lang });
const limits = setup.limits;
const readLimits = { maxDepth: limits.maxDepth, maxStringLength: limits.maxStringLength, maxKeyLength: limits.maxKeyLength };
const reader = new JsonValueReader(readLimits);
// bulk (issue 9): CSV without traces reads and scores the usual entry straight from its bytes.
const direct = setup.format === 'csv' && !setup.trace && setup.direct !== false ? DirectCsvScorer.create(set, session.levels(), limits.maxNameLength) : undefined;

/** Bytes of rows the last batch made. */
let lastRowBytes = 0;

function scoreBatch(request: BatchRequest): BatchResult {
  const { batch, file } = request;
  const n = batch.count;
  const result: BatchResult = {
    id: request.id,
    processed: 0,
    stop: false,
    kinds: new Uint8Array(n),
    readCounts: new Uint32Array(n),
    afterCounts: new Uint32Array(n),
    levels: new Uint8Array(n),
    totals: new Float64Array(n),
    textLengths: new Uint32Array(n),
    ids: [],
    names: [],
    rows: new Uint8Array(0),
    rowLengths: new Uint32Array(n),
    rejections: [],
    problems: [],
    problemErrors: [],
  };
  // Sized from the last batch: rows with traces are tens of kilobytes each, and a buffer grown by doubling is copied each time.
  let rowBytes = Buffer.allocUnsafeSlow(Math.max(1024, Math.ceil(lastRowBytes * 1.2), batch.bytes.length >> 2));
  let rowUsed = 0;
  let current = -1;
  const addRow = (k: number, row: string) => {
    if (rowUsed + row.length * 3 > rowBytes.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(rowBytes.length * 2, rowUsed + row.length * 3));
      rowBytes.copy(bigger, 0, 0, rowUsed);
      rowBytes = bigger;
    }
    const written = rowBytes.write(row, rowUsed, 'utf8');
    result.rowLengths[k] = written;
    rowUsed += written;
  };
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const takeDirect = direct
    ? (k: number): boolean => {
        if (!direct.score(bytes, batch.starts[k]!, batch.ends[k]!)) return false;
        result.textLengths[k] = direct.chars;
        result.kinds[k] = ENTRY_UNIT;
        result.levels[k] = direct.level;
        result.totals[k] = direct.total;
        result.ids.push(direct.id);
        result.names.push(direct.name);
        addRow(k, direct.row);
        return true;
      }
    : undefined;
  const addProblem = (p: Problem) => {
    result.problems.push(JSON.stringify(p));
    result.problemErrors.push(p.severity === 'error' ? 1 : 0);
  };
  const { processed, stop } = readBatchEntries(batch, file, limits, reader, readLimits, {
    entry(k, length) {
      current = k;
      result.textLengths[k] = length;
    },
    problem(p) {
      result.readCounts[current]!++;
      addProblem(p);
    },
    submission(s) {
      const k = current;
      const afterRead = result.problems.length;
      const scored = session.score(s);
      if ('unit' in scored) {
        // Duplicates are the main thread's to find (it sees every file): this session keeps no ids.
        session.forget(s.level, s.id);
        const unit = scored.unit;
        for (const p of unit.problems) addProblem(p);
        for (const c of unit.criteria) for (const p of c.problems) addProblem(p);
        result.kinds[k] = ENTRY_UNIT;
        result.levels[k] = rows.levelIndex.get(unit.level)!;
        result.totals[k] = unit.total ?? NaN;
        result.ids.push(unit.id);
        result.names.push(s.name);
        addRow(k, rows.row(unit));
      } else {
        for (const p of scored.rejected.problems) addProblem(p);
        result.kinds[k] = ENTRY_REJECTED;
        if (setup.format === 'json') result.rejections.push(indented(scored.rejected, 2));
      }
      result.afterCounts[k] = result.problems.length - afterRead;
    },
  }, takeDirect);
  result.processed = processed;
  result.stop = stop;
  result.rows = rowBytes.subarray(0, rowUsed);
  lastRowBytes = rowUsed;
  return result;
}

parentPort!.on('message', (request: BatchRequest) => {
  const result = scoreBatch(request);
  parentPort!.postMessage(result, [result.rows.buffer as ArrayBuffer]);
});
