#!/usr/bin/env node
/** The `tieuchi` executable. Everything else is in run(), which tests call directly. */
import { processIo } from './io.js';
import { run } from './run.js';

// A reader that stops early (`tieuchi score --format json | head`) closes the pipe: that is the
// reader's choice, not an error of ours, so stop quietly instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

run(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Only a bug in tieuchi reaches here; users' mistakes come back as problems.
    process.stderr.write(`tieuchi: lỗi nội bộ (internal error), xin báo lại kèm lệnh đã chạy:\n${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 70;
  },
);
