import { Option, type Command } from 'commander';
import type { CriteriaSet } from '../../criteria-set.js';
import type { UnitScore } from '../../evaluate/score.js';
import { hasErrors, type Lang, type Problem } from '../../problems.js';
import { withExplanations } from '../../report/explain.js';
import { formatProblem } from '../../report/problems.js';
import { draftBanner } from '../../report/draft.js';
import {
  TABLE_WORDS,
  alignRow,
  csvCell,
  csvCriterionIds,
  csvDraftLead,
  csvHeader,
  csvStructureColumns,
  displayWidth,
  headerCells,
  levelLegend,
  levelTitle,
  numericColumns,
  rowCells,
} from '../../report/tables.js';
import { createScoringSession, duplicateUnitRejection, needsLevelStatistics, rankTotals, scoreSubmissions, type Rejection, type ScoreRun } from '../../scoring.js';
import { collectRunLevelValues, type LevelValues, type RoundValues } from '../../evaluate/statistics.js'; // structures (issue 11)
import { EXIT, sourceLookup, type CliIo } from '../io.js';
import { loadSetAndPathOrReport, mergeReadProblems, printProblems, readSubmissionFiles, streamSubmissionFiles } from '../load.js';
import { PendingOutput } from '../output.js';
import { extensionOf, outExtensionFits, type OutFormat } from '../out-extension.js';
import { RowStore } from '../spill.js';
import { removeTemp, tempPath } from '../temp-files.js';
import { type CommandContext, collect, say, sharedOptionText } from '../context.js';
import { writeBinaryOutput } from './template.js';
import { loadRoundValuesOption, roundValuesHelp } from '../round-values.js'; // structures (issue 11)
import { availableParallelism } from 'node:os';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Submission } from '../../model.js';
import { DEFAULT_SUBMISSION_LIMITS } from '../../load/submissions.js';
import { resolvePath } from '../io.js';
import { UnitRows, indented } from '../score-rows.js';
import type { ScorePool } from '../parallel/pool.js';
import { ENTRY_REJECTED, ENTRY_UNIT, type BatchResult } from '../parallel/protocol.js';
import type { EntryBatch } from '../parallel/json-split.js';

export interface ScoreOptions {
  criteria?: string;
  input: string[];
  /** Absent: table, or what --out's extension names (.json, .csv, .xlsx). */
  format?: 'table' | 'json' | 'csv' | 'xlsx';
  out?: string;
  trace?: boolean;
  strict?: boolean;
  /** The run's timestamp (ISO 8601), for outputs that must be byte-identical between runs. */
  now?: string;
  /** structures (issue 11): a round-values file (engine/load/round-values.ts). */
  roundValues?: string;
}

export function runToJson(set: CriteriaSet, run: ScoreRun, lang: Lang, trace: boolean): string {
  const units = trace ? run.units.map((u) => withExplanations(set, u, lang)) : run.units.map((u) => ({ ...u, criteria: u.criteria.map(({ trace: _t, ...rest }) => rest) }));
  return JSON.stringify({ ok: !hasErrors(run.problems), ...run, units }, null, 2);
}

/** The run's timestamp: --now, else SOURCE_DATE_EPOCH (seconds, the reproducible-builds convention), else the clock. */
export function runTimestamp(now: string | undefined, env: NodeJS.ProcessEnv = process.env): Date | undefined {
  if (now !== undefined) {
    const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(now) ? new Date(now) : new Date(NaN);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d{1,12}$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}

/** A private copy of an id: a string cut from a large text keeps that whole text alive otherwise. */
function ownCopy(text: string): string {
  return (' ' + text).slice(1);
}

/** Growable typed arrays: what the run keeps per unit (a few bytes), whatever the number of units. */
class UnitIndex {
  count = 0;
  level = new Uint8Array(1024);
  total = new Float64Array(1024);
  file = new Uint16Array(1024);
  row = new Int32Array(1024);
  ids: string[] = [];

  /** `own`: the id is already a string of its own (a worker's answer), not a slice of a larger text. */
  add(level: number, total: number | undefined, file: number, row: number, id: string, own = false): void {
    if (this.count === this.level.length) {
      const grow = <T extends Uint8Array | Float64Array | Uint16Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.level = grow(this.level);
      this.total = grow(this.total);
      this.file = grow(this.file);
      this.row = grow(this.row);
    }
    this.level[this.count] = level;
    this.total[this.count] = total ?? NaN;
    this.file[this.count] = file;
    this.row[this.count] = row;
    // A private copy: a string cut from a large chunk of the file keeps the whole chunk alive otherwise.
    this.ids.push(own ? id : (' ' + id).slice(1));
    this.count++;
  }
}

/**
 * The reader's own problems for a spreadsheet replace the scorer's for the
 * same input (the reader names the cell); see mergeReadProblems.
 */
function cellProblemMerger(cellProblems: readonly Problem[]): { unit(unit: UnitScore): void; unmatched(): Problem[] } {
  const keyOf = (p: Problem) => (p.unit && p.criterion && p.input ? `${p.level ?? ''}\u0000${p.unit}\u0000${p.criterion}\u0000${p.input}` : undefined);
  const byInput = new Map<string, Problem[]>();
  for (const p of cellProblems) {
    const key = keyOf(p);
    if (key) byInput.set(key, [...(byInput.get(key) ?? []), p]);
  }
  const used = new Set<string>();
  return {
    unit(unit) {
      if (byInput.size === 0) return;
      for (const criterion of unit.criteria) {
        if (!criterion.problems.length) continue;
        const seen = new Set<string>();
        criterion.problems = criterion.problems.flatMap((p) => {
          const key = keyOf(p);
          const mine = key ? byInput.get(key) : undefined;
          if (!mine || !key) return [p];
          used.add(key);
          if (seen.has(key)) return [];
          seen.add(key);
          return mine;
        });
      }
    },
    unmatched: () => cellProblems.filter((p) => {
      const key = keyOf(p);
      return !key || !used.has(key);
    }),
  };
}

interface StreamedRun {
  units: number;
  complete: number;
  rejected: number;
  readProblems: number;
  errors: boolean;
}

/** With traces a unit's JSON is some 40 KB: smaller batches keep each answer a few megabytes. */
const TRACED_BATCH_BYTES = 128 * 1024;

/** TIEUCHI_SCORE_BATCH_BYTES: bytes of JSON per batch sent to a worker (tests use small batches to cross their boundaries). */
function batchBytes(io: CliIo): number | undefined {
  const asked = (io.env ?? process.env).TIEUCHI_SCORE_BATCH_BYTES;
  return asked !== undefined && /^\d{1,9}$/.test(asked) && Number(asked) > 0 ? Number(asked) : undefined;
}

/**
 * Score the files as they are read, keeping per unit only its level, total,
 * id and where its output row is; rows, rejections and problems go to files
 * beside the output. At the end the units are ranked from the totals and the
 * output is assembled from those files in its order, then put in place.
 */
/** Input bytes from which `tieuchi score` uses worker threads (about 10,000 units): below it, starting them costs more than it saves. */
const PARALLEL_FROM_BYTES = 8 * 1024 * 1024;

/**
 * How many worker threads score this run: none for a table (it is for people,
 * not a million units), for level statistics and round values (every unit
 * needs them; not sent to workers), for a machine with one core, or for small
 * inputs. TIEUCHI_SCORE_WORKERS sets the number (0: never), whatever the size.
 */
function workerCount(set: CriteriaSet, format: 'table' | 'json' | 'csv', roundValues: RoundValues | undefined, io: CliIo, inputs: readonly string[]): number {
  if (format === 'table' || roundValues || needsLevelStatistics(set)) return 0;
  const asked = (io.env ?? process.env).TIEUCHI_SCORE_WORKERS;
  if (asked !== undefined && /^\d{1,2}$/.test(asked)) return Number(asked);
  const cores = availableParallelism();
  if (cores < 2) return 0;
  let bytes = 0;
  const jsonBytes = (path: string) => {
    try {
      const stat = statSync(path);
      return stat.isFile() && /\.json$/i.test(path) ? stat.size : 0;
    } catch {
      return 0; // reported when read
    }
  };
  for (const input of inputs) {
    const path = resolvePath(io, input);
    try {
      if (statSync(path).isDirectory()) for (const name of readdirSync(path)) bytes += jsonBytes(join(path, name));
      else bytes += jsonBytes(path);
    } catch {
      // reported when read
    }
  }
  return bytes >= PARALLEL_FROM_BYTES ? Math.min(cores, 8) : 0;
}

/**
 * Score the files as they are read, keeping per unit only its level, total,
 * id and where its output row is; rows, rejections and problems go to files
 * beside the output. At the end the units are ranked from the totals and the
 * output is assembled from those files in its order, then put in place.
 * With worker threads (workerCount), JSON lists are read and scored by the
 * workers and their answers taken here in file order; everything else (CSV,
 * workbooks, what the fast path leaves) is scored here, the same way.
 */
async function streamScore(set: CriteriaSet, criteriaPath: string, options: ScoreOptions, format: 'table' | 'json' | 'csv', now: Date, io: CliIo, lang: Lang, roundValues?: RoundValues): Promise<{ written: boolean; run: StreamedRun }> {
  const trace = format === 'json' && options.trace === true;
  // structures (issue 11): a level with statistics needs every unit's value before the first is scored.
  // Pass one reads the inputs once, keeping only each statistic's samples (a unit id and a rational);
  // a file that cannot be read to its end contributes none, as in the scoring pass. Problems are reported by pass two.
  let levelValues: Map<string, LevelValues> | undefined;
  if (needsLevelStatistics(set)) {
    const collector = collectRunLevelValues(set, roundValues);
    await streamSubmissionFiles(io, options.input, set, {
      fileStart: () => collector.checkpoint(),
      submission: (submission) => collector.add(submission),
      problem: () => {},
      fileEnd: (complete) => {
        if (!complete) collector.rollback();
      },
    });
    levelValues = collector.finish();
  }
  const session = createScoringSession(set, { trace, now, ...(roundValues ? { roundValues } : {}), ...(levelValues ? { runLevelValues: levelValues } : {}) });
  const levels = session.levels();
  const levelIndex = new Map(levels.map((l, i) => [l.id, i]));
  const levelById = new Map(set.levels.map((l) => [l.id, l]));
  const decimalsOf = (level: string) => set.levels.find((l) => l.id === level)!.doc.scoring.rounding.decimals;
  const levelDecimals = levels.map((l) => decimalsOf(l.id));
  const criterionIds = csvCriterionIds(levels);
  const structureColumns = csvStructureColumns(levels);
  const unitRows = format === 'table' ? undefined : new UnitRows(set, levels, { format, trace, lang });
  const run: StreamedRun = { units: 0, complete: 0, rejected: 0, readProblems: 0, errors: false };

  const output = PendingOutput.open(io, options.out, lang);
  if (!output) return { written: false, run };
  const stores: RowStore[] = [];
  const store = (purpose: string) => {
    const s = new RowStore(tempPath(output.folder, purpose));
    stores.push(s);
    return s;
  };
  const workers = format === 'table' ? 0 : workerCount(set, format, roundValues, io, options.input);
  // Loaded only for a parallel run: a small run starts no faster than its imports.
  const parallel = workers > 0 ? { ...(await import('../parallel/pool.js')), ...(await import('../parallel/read-json.js')) } : undefined;
  const pool: ScorePool | undefined = parallel ? new parallel.ScorePool(workers, { criteriaPath, cwd: io.cwd, now: now.toISOString(), format: format as 'json' | 'csv', trace, lang, limits: DEFAULT_SUBMISSION_LIMITS, direct: (io.env ?? process.env).TIEUCHI_SCORE_DIRECT !== '0' }) : undefined;
  try {
    const rows = store('rows');
    const problems = store('problems');
    const rejectedRows = format === 'json' ? store('rejected') : undefined;
    const index = new UnitIndex();
    // Table: the widest cell of each column, per level, for ranked (complete) and unranked units.
    const widths = levels.map((l) => ({ ranked: headerCells(l, lang).map(displayWidth), unranked: headerCells(l, lang).map(() => 0) }));
    let fileNumber = 0;
    let fileFirstUnit = 0;
    let merger = cellProblemMerger([]);
    const withdrawn = new Set<number>();
    // The units scored so far, each with its level's index: a second submission of one is refused, in
    // whatever level (a unit belongs to one level). The session forgets each unit: with worker threads,
    // only this thread sees every file.
    const seen = new Map<string, number>();
    const firstLevel = (id: string) => {
      const at = seen.get(id);
      return at === undefined ? undefined : levelById.get(levels[at]!.id)!;
    };

    const addProblem = (p: Problem) => {
      if (p.severity === 'error') run.errors = true;
      problems.add(JSON.stringify(p));
    };
    const addUnit = (unit: UnitScore) => {
      merger.unit(unit);
      for (const p of unit.problems) addProblem(p);
      for (const c of unit.criteria) for (const p of c.problems) addProblem(p);
      const level = levelIndex.get(unit.level)!;
      let row: string;
      if (unitRows) row = unitRows.row(unit);
      else {
        const cells = rowCells(unit, levels[level]!, lang, levelDecimals[level]!);
        const group = unit.total === undefined ? widths[level]!.unranked : widths[level]!.ranked;
        cells.forEach((cell, i) => (group[i + 1] = Math.max(group[i + 1]!, displayWidth(cell))));
        row = cells.join('\u0000');
      }
      index.add(level, unit.total, fileNumber, rows.add(row), unit.id);
    };
    const addRejected = (rejected: Rejection) => {
      run.rejected++;
      for (const p of rejected.problems) addProblem(p);
      rejectedRows?.add(indented(rejected, 2));
    };
    const submission = (s: Submission) => {
      const level = levelById.get(s.level);
      const first = level ? firstLevel(s.id) : undefined;
      if (level && first) return addRejected(duplicateUnitRejection(level, s, first));
      const result = session.score(s);
      if ('unit' in result) {
        session.forget(s.level, s.id);
        seen.set(ownCopy(s.id), levelIndex.get(s.level)!);
        addUnit(result.unit);
      } else addRejected(result.rejected);
    };
    // A worker's answer for a batch of a JSON file: the same steps as submission(), in the same order.
    const takeBatch = (file: string) => (result: BatchResult, batch: EntryBatch) => {
      let p = 0;
      let unit = 0;
      let rowAt = 0;
      let rejection = 0;
      const problemAt = (i: number) => {
        if (result.problemErrors[i] === 1) run.errors = true;
        problems.add(result.problems[i]!);
      };
      for (let k = 0; k < result.processed; k++) {
        for (let r = result.readCounts[k]!; r > 0; r--) {
          run.readProblems++;
          problemAt(p++);
        }
        const after = result.afterCounts[k]!;
        const kind = result.kinds[k];
        if (kind === ENTRY_UNIT) {
          const id = result.ids[unit]!;
          const name = result.names[unit++]!;
          const level = levels[result.levels[k]!]!.id;
          const rowLength = result.rowLengths[k]!;
          const rowBytes = result.rows.subarray(rowAt, rowAt + rowLength);
          rowAt += rowLength;
          const first = firstLevel(id);
          if (first) {
            // Scored by the worker, but a unit already seen: refused as the session would have.
            const position = { offset: batch.offsets[k]!, line: batch.lines[k]!, column: batch.columns[k]! };
            const where = { file, start: position.offset, end: position.offset + result.textLengths[k]!, line: position.line, column: position.column };
            addRejected(duplicateUnitRejection(levelById.get(level)!, { id, name, level, inputs: {}, mode: 'json', origin: { file, index: batch.firstIndex + k, locate: () => where } }, first));
            p += after;
            continue;
          }
          seen.set(id, result.levels[k]!);
          for (let i = 0; i < after; i++) problemAt(p++);
          index.add(result.levels[k]!, result.totals[k]!, fileNumber, rows.addBytes(rowBytes), id, true);
        } else if (kind === ENTRY_REJECTED) {
          run.rejected++;
          for (let i = 0; i < after; i++) problemAt(p++);
          if (rejectedRows) rejectedRows.add(result.rejections[rejection++]!);
        } else p += after;
      }
    };

    await streamSubmissionFiles(
      io,
      options.input,
      set,
      {
        fileStart(_file, cellProblems) {
          fileNumber = Math.min(fileNumber + 1, 65535);
          fileFirstUnit = index.count;
          merger = cellProblemMerger(cellProblems ?? []);
        },
        submission,
        problem(p) {
          run.readProblems++;
          addProblem(p);
        },
        fileEnd(complete) {
          for (const p of merger.unmatched()) {
            run.readProblems++;
            addProblem(p);
          }
          if (!complete) {
            // A file that could not be read to its end contributes no unit (its problems say why).
            for (let i = fileFirstUnit; i < index.count; i++) {
              withdrawn.add(i);
              index.total[i] = NaN;
              seen.delete(index.ids[i]!);
            }
          }
        },
      },
      DEFAULT_SUBMISSION_LIMITS,
      pool && parallel ? (path, file, sink, limits) => parallel.readJsonInParallel(path, file, limits, pool, takeBatch(file), sink, batchBytes(io) ?? (trace ? TRACED_BATCH_BYTES : undefined)) : undefined,
    );

    const ranks = rankTotals(index.level, index.total, index.count);
    const kept: number[] = [];
    for (let i = 0; i < index.count; i++) {
      if (withdrawn.has(i)) continue;
      kept.push(i);
      run.units++;
      if (!Number.isNaN(index.total[i]!)) run.complete++;
    }
    const out = output.writer;
    const rankOf = (i: number) => (ranks[i]! > 0 ? ranks[i]! : Infinity);
    const byRanking = (a: number, b: number) => index.level[a]! - index.level[b]! || rankOf(a) - rankOf(b) || (index.ids[a]! < index.ids[b]! ? -1 : index.ids[a]! > index.ids[b]! ? 1 : 0);

    if (format === 'json') {
      out.write(`{\n  "ok": ${!run.errors},\n  "year": ${set.year},\n  "levels": ${indented(levels, 1)},\n  "units": [`);
      let first = true;
      let k = 0;
      rows.readInOrder(
        kept.map((i) => index.row[i]!),
        (_row, bytes) => {
          const i = kept[k++]!;
          out.write(first ? '\n' : ',\n');
          first = false;
          out.writeBytes(bytes);
          // The rank is the unit's last key, as in a run held in memory (it is known only now).
          out.write(ranks[i]! > 0 ? `,\n      "rank": ${ranks[i]}\n    }` : '\n    }');
        },
      );
      out.write(first ? ']' : '\n  ]');
      out.write(',\n  "rejected": [');
      first = true;
      rejectedRows!.readAll((_row, bytes) => {
        out.write(first ? '\n    ' : ',\n    ');
        first = false;
        out.writeBytes(bytes);
      });
      out.write(first ? ']' : '\n  ]');
      out.write(',\n  "problems": [');
      first = true;
      problems.readAll((_row, bytes) => {
        out.write((first ? '\n    ' : ',\n    ') + indented(JSON.parse(bytes.toString('utf8')), 2));
        first = false;
      });
      out.write(first ? ']' : '\n  ]');
      out.write(`,\n  "provenance": ${indented(session.provenance(), 1)}\n}\n`);
    } else if (format === 'csv') {
      const draftYear = session.provenance().status === 'draft' ? set.year : undefined;
      out.write('\uFEFF' + csvHeader(criterionIds, draftYear, structureColumns));
      const order = kept.sort(byRanking);
      let k = 0;
      rows.readInOrder(
        order.map((i) => index.row[i]!),
        (_row, bytes) => {
          const i = order[k++]!;
          out.write(`${csvDraftLead(draftYear)}${csvCell(levels[index.level[i]!]!.id)},${ranks[i]! > 0 ? ranks[i] : ''},`);
          out.writeBytes(bytes);
        },
      );
    } else {
      const order = kept.sort(byRanking);
      const t = TABLE_WORDS[lang];
      const draft = session.provenance().status === 'draft';
      if (draft) out.write(draftBanner(set.year, lang) + '\n\n');
      const perLevel = levels.map(() => 0);
      for (const i of order) perLevel[index.level[i]!]!++;
      const numericOf = levels.map((l) => numericColumns(l));
      // Rank column widths: the header's, the largest rank's, "—".
      for (const i of order) {
        const w = widths[index.level[i]!]!;
        if (ranks[i]! > 0) w.ranked[0] = Math.max(w.ranked[0]!, String(ranks[i]).length);
        else w.unranked[0] = Math.max(w.unranked[0]!, 1);
      }
      let k = 0;
      let currentLevel = -1;
      let inUnranked = false;
      const closeLevel = (level: number) => {
        if (level < 0) return;
        if (perLevel[level] === 0) out.write(t.none + '\n');
        out.write('\n' + levelLegend(levels[level]!, lang).join('\n') + '\n');
      };
      const openLevel = (level: number) => {
        out.write((level > 0 ? '\n' : '') + levelTitle(levels[level]!, set.year, perLevel[level]!, lang, draft).join('\n') + '\n');
        if (perLevel[level]! > 0) out.write(alignRow(headerCells(levels[level]!, lang), widths[level]!.ranked, numericOf[level]!) + '\n');
      };
      const advanceTo = (level: number) => {
        while (currentLevel < level) {
          closeLevel(currentLevel);
          currentLevel++;
          inUnranked = false;
          openLevel(currentLevel);
        }
      };
      rows.readInOrder(
        order.map((i) => index.row[i]!),
        (_row, bytes) => {
          const i = order[k++]!;
          const level = index.level[i]!;
          advanceTo(level);
          const ranked = ranks[i]! > 0;
          if (!ranked && !inUnranked) {
            inUnranked = true;
            out.write(`\n${t.incomplete}:\n`);
          }
          const cells = [ranked ? String(ranks[i]) : '—', ...bytes.toString('utf8').split('\u0000')];
          out.write(alignRow(cells, ranked ? widths[level]!.ranked : widths[level]!.unranked, numericOf[level]!) + '\n');
        },
      );
      advanceTo(levels.length - 1);
      closeLevel(currentLevel);
    }
    const written = output.commit(lang);

    if (format !== 'json' && problems.count > 0) {
      const lookup = sourceLookup(io);
      const counts = { error: 0, warning: 0 };
      let batch: string[] = [];
      let first = true;
      problems.readAll((_row, bytes) => {
        const p = JSON.parse(bytes.toString('utf8')) as Problem;
        counts[p.severity]++;
        batch.push((first ? '' : '\n\n') + formatProblem(p, lang, lookup));
        first = false;
        if (batch.length >= 1000) {
          io.stderr(batch.join(''));
          batch = [];
        }
      });
      const total = lang === 'vi' ? `${counts.error} lỗi, ${counts.warning} cảnh báo.` : `${counts.error} error(s), ${counts.warning} warning(s).`;
      io.stderr(batch.join('') + '\n\n' + total + '\n');
    }
    return { written, run };
  } finally {
    if (pool) await pool.close();
    for (const s of stores) {
      try {
        s.close();
      } catch {
        // removing it is what matters
      }
      removeTemp(s.path);
    }
    output.abort();
  }
}

const IMPLIED_BY_EXTENSION: Partial<Record<string, 'json' | 'csv' | 'xlsx'>> = { '.json': 'json', '.csv': 'csv', '.xlsx': 'xlsx' };

const SCORE_OTHERS_VI = 'Định dạng khác: --format json (.json), csv (.csv), xlsx (.xlsx), table (.txt); báo cáo HTML/PDF: tieuchi report.';
const SCORE_OTHERS_EN = 'Other formats: --format json (.json), csv (.csv), xlsx (.xlsx), table (.txt); an HTML/PDF report: tieuchi report.';
/** What each format's --out may be called. */
const SCORE_OUT: Record<NonNullable<ScoreOptions['format']>, OutFormat> = {
  table: { extensions: ['.txt', '.text', ''], vi: 'bảng kết quả dạng chữ ghi ra tệp .txt (ví dụ --out ket-qua.txt)', en: 'the text table is written to a .txt file (e.g. --out results.txt)', hintVi: SCORE_OTHERS_VI, hintEn: SCORE_OTHERS_EN },
  json: { extensions: ['.json'], vi: '--format json ghi ra tệp .json (ví dụ --out ket-qua.json)', en: '--format json writes a .json file (e.g. --out results.json)', hintVi: SCORE_OTHERS_VI, hintEn: SCORE_OTHERS_EN },
  csv: { extensions: ['.csv'], vi: '--format csv ghi ra tệp .csv (ví dụ --out ket-qua.csv)', en: '--format csv writes a .csv file (e.g. --out results.csv)', hintVi: SCORE_OTHERS_VI, hintEn: SCORE_OTHERS_EN },
  xlsx: { extensions: ['.xlsx'], vi: '--format xlsx ghi ra bảng tính .xlsx (ví dụ --out ket-qua.xlsx)', en: '--format xlsx writes a .xlsx workbook (e.g. --out results.xlsx)', hintVi: SCORE_OTHERS_VI, hintEn: SCORE_OTHERS_EN },
};

/** tieuchi score: score every submission, rank per level, report problems per unit; other units still score. */
export async function scoreCommand(options: ScoreOptions, io: CliIo, lang: Lang): Promise<number> {
  // --out results.xlsx (or .json, .csv) asks for that format when no --format is given; a name
  // promising another format than the one named (--format table --out x.csv, ket-qua.docx) is
  // refused rather than filled with something else.
  const implied = !options.format && options.out ? IMPLIED_BY_EXTENSION[extensionOf(options.out)] : undefined;
  const format = options.format ?? implied ?? 'table';
  if (options.out && !outExtensionFits(io, options.out, SCORE_OUT[format], lang)) return EXIT.usage;
  if (format === 'xlsx' && !options.out) {
    io.stderr(lang === 'vi' ? 'lỗi: --format xlsx cần --out TỆP.xlsx (bảng tính không in ra màn hình được)\n' : 'error: --format xlsx needs --out FILE.xlsx (a workbook cannot be printed)\n');
    return EXIT.usage;
  }
  const now = runTimestamp(options.now, io.env ?? process.env);
  if (!now) {
    io.stderr(lang === 'vi' ? `lỗi: --now cần một thời điểm ISO 8601, ví dụ 2024-01-31T00:00:00Z (nhận được "${options.now}")\n` : `error: --now needs an ISO 8601 time, e.g. 2024-01-31T00:00:00Z (got "${options.now}")\n`);
    return EXIT.usage;
  }
  const loaded = loadSetAndPathOrReport(io, options.criteria, lang);
  if (!loaded) return EXIT.problems;
  const set = loaded.set;
  const roundValues = loadRoundValuesOption(io, set, options.roundValues, lang); // structures (issue 11)
  if (roundValues === false) return EXIT.problems;

  if (format === 'xlsx') {
    // A workbook is built in memory by exceljs: this output does not stream.
    const read = await readSubmissionFiles(io, options.input, set);
    const run = scoreSubmissions(set, read.submissions, { trace: true, now, ...(roundValues ? { roundValues } : {}) });
    mergeReadProblems(run, read.problems);
    const { resultsWorkbookBytes } = await import('../../xlsx/results-workbook.js');
    const written = writeBinaryOutput(io, options.out!, await resultsWorkbookBytes(set, run, lang), lang);
    printProblems(io, run.problems, lang);
    const complete = run.units.filter((u) => u.status === 'complete').length;
    return finish({ units: run.units.length, complete, rejected: run.rejected.length, readProblems: read.problems.length, errors: hasErrors(run.problems) }, written);
  }
  const { written, run } = await streamScore(set, loaded.path, options, format, now, io, lang, roundValues);
  return finish(run, written);

  function finish(run: StreamedRun, written: boolean): number {
    const withProblems = run.units - run.complete + run.rejected;
    io.stderr(
      lang === 'vi'
        ? `Đã chấm ${run.complete} đơn vị${withProblems ? `; ${withProblems} đơn vị có lỗi số liệu, chưa xếp hạng` : ''}${run.readProblems ? `; ${run.readProblems} lỗi đọc tệp số liệu` : ''}.\n`
        : `Scored ${run.complete} unit(s)${withProblems ? `; ${withProblems} with data problems, not ranked` : ''}${run.readProblems ? `; ${run.readProblems} problem(s) reading submission files` : ''}.\n`,
    );
    if (!written) return EXIT.problems;
    if (options.strict && run.errors) return EXIT.problems;
    // Nothing scored: no unit got a total, and the data has errors.
    if (run.complete === 0 && run.errors) return EXIT.problems;
    return EXIT.ok;
  }
}

export function registerScore(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('score')
    .description(say(lang, 'chấm điểm các đơn vị từ tệp số liệu JSON, CSV hoặc Excel (.xlsx), xếp hạng theo cấp', 'score units from JSON, CSV or Excel (.xlsx) submissions and rank them per level'))
    .option('--criteria <dir>', sharedOptionText(lang).criteria)
    .requiredOption('--input <file>', sharedOptionText(lang).input, collect)
    .addOption(new Option('--format <format>', say(lang, 'định dạng kết quả, mặc định table (xlsx: bảng tính kết quả, cần --out; không ghi --format thì --out *.xlsx, *.json, *.csv tự chọn định dạng; table ghi ra .txt)', 'output format, table by default (xlsx: a results workbook, needs --out; without --format, --out *.xlsx, *.json, *.csv implies the format; table writes .txt)')).choices(['table', 'json', 'csv', 'xlsx']))
    .option('--out <file>', sharedOptionText(lang).out)
    .option('--trace', say(lang, 'kèm vết tính toán và lời giải thích của từng tiêu chí (với --format json)', "include each criterion's trace and explanation (with --format json)"))
    .option('--strict', say(lang, 'thoát với mã 1 nếu có bất kỳ lỗi số liệu nào', 'exit 1 when any data problem is found'))
    .option('--now <time>', say(lang, 'thời điểm chấm ghi trong kết quả (ISO 8601), để hai lần chạy cho cùng một tệp; mặc định SOURCE_DATE_EPOCH hoặc giờ hiện tại', 'the run time written in the output (ISO 8601), so two runs give the same bytes; default SOURCE_DATE_EPOCH or the clock'))
    .option('--round-values <file>', roundValuesHelp(lang)) // structures (issue 11)
    .action(async (opts: ScoreOptions) => setExit(await scoreCommand(opts, io, lang)));
}
