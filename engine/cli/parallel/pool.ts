/**
 * The worker threads of a parallel `tieuchi score`: batches go to them in
 * turn, and each answer comes back as a promise, so the main thread takes
 * them in the order it sent them. Workers run the compiled JavaScript beside
 * this file; from the TypeScript sources (tests, ts-node) they load it
 * through ts-node.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../paths.js';
import type { EntryBatch } from './json-split.js';
import type { BatchResult, WorkerSetup } from './protocol.js';

interface Waiting {
  resolve(result: BatchResult): void;
  reject(err: Error): void;
}

function workerScript(): { url: URL; execArgv?: string[]; env?: NodeJS.ProcessEnv } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return { url: new URL('./score-worker.js', import.meta.url) };
  const register = join(packageRoot(), 'scripts', 'ts-node-register.mjs');
  if (!existsSync(register)) throw new Error(`tieuchi bug: running from TypeScript sources without ${register}`);
  return { url: new URL('./score-worker.ts', import.meta.url), execArgv: ['--import', pathToFileURL(register).href], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } };
}

export class ScorePool {
  private readonly workers: Worker[] = [];
  private readonly waiting: Waiting[][] = [];
  private next = 0;
  private sent = 0;
  private failure: Error | undefined;

  constructor(count: number, setup: WorkerSetup) {
    const script = workerScript();
    for (let i = 0; i < count; i++) {
      // A larger young generation: each unit makes many short-lived objects (its parsed entry, its scores).
      const worker = new Worker(script.url, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: 48 }, ...(script.execArgv ? { execArgv: script.execArgv } : {}), ...(script.env ? { env: script.env } : {}) });
      const queue: Waiting[] = [];
      worker.on('message', (result: BatchResult) => queue.shift()?.resolve(result));
      const fail = (err: Error) => {
        this.failure ??= err;
        for (const w of queue.splice(0)) w.reject(err);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`tieuchi bug: a scoring worker stopped (exit code ${code})`)));
      this.workers.push(worker);
      this.waiting.push(queue);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Score a batch on the next worker in turn. */
  submit(file: string, batch: EntryBatch): Promise<BatchResult> {
    if (this.failure) return Promise.reject(this.failure);
    const i = this.next;
    this.next = (this.next + 1) % this.workers.length;
    const promise = new Promise<BatchResult>((resolve, reject) => this.waiting[i]!.push({ resolve, reject }));
    // Answers are awaited in order; one that fails while earlier ones are awaited is not an unhandled rejection.
    promise.catch(() => undefined);
    this.workers[i]!.postMessage({ id: this.sent++, file, batch }, [batch.bytes.buffer as ArrayBuffer]);
    return promise;
  }

  async close(): Promise<void> {
    for (const w of this.workers) w.removeAllListeners('exit');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
