/**
 * Temporary files of a command (an output being written, rows spilled to
 * disk while a million units are scored): named so that they are
 * recognisably ours and whose process made them (".tieuchi-<pid>-<random>.<purpose>.tmp"),
 * removed on every way out — success, a problem, an exception, SIGINT,
 * SIGTERM — and, after a kill -9, removed by the next run that writes into
 * the same folder (their process no longer exists).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PATTERN = /^\.tieuchi-(\d+)-[0-9a-f]{12}\.[a-z0-9-]+\.tmp$/;

const live = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const path of live) {
    try {
      rmSync(path, { force: true });
    } catch {
      // best effort on the way out
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  unhook();
  // Default action of the signal (the exit code a shell expects: 130, 143).
  process.kill(process.pid, signal);
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', removeAll);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

function unhook(): void {
  if (!hooked) return;
  hooked = false;
  process.off('exit', removeAll);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove temporary files left in `dir` by runs that were killed (their process is gone). Returns how many. */
export function removeStaleTempFiles(dir: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const match = PATTERN.exec(name);
    if (!match || processAlive(Number(match[1]))) continue;
    try {
      if (statSync(join(dir, name)).isFile()) {
        rmSync(join(dir, name), { force: true });
        removed++;
      }
    } catch {
      // another run removed it first
    }
  }
  return removed;
}

/** A new temporary file path in `dir`, registered for removal; create the file yourself. */
export function tempPath(dir: string, purpose: string): string {
  const path = join(dir, `.tieuchi-${process.pid}-${randomBytes(6).toString('hex')}.${purpose}.tmp`);
  live.add(path);
  hook();
  return path;
}

/** Forget a temporary file: it was renamed into place, or removed. */
export function releaseTemp(path: string): void {
  live.delete(path);
  if (live.size === 0) unhook();
}

/** Remove a temporary file now (if it exists) and forget it. */
export function removeTemp(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // already gone
  }
  releaseTemp(path);
}

export function isOurTempFile(name: string): boolean {
  return PATTERN.test(name);
}
