import { defineConfig } from 'vitest/config';

// npm test: the engine's suite. Integration tests (a packed tarball installed in a scratch
// project, real LibreOffice, the large differential run) are npm run test:integration.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/integration/**', 'node_modules/**'],
    testTimeout: 20_000,
    // Worker threads start faster than child processes; no test here needs its own process.
    pool: 'threads',
    // vitest uses cores − 1 workers by default: one on the 2-core machines here, running files in a row.
    maxWorkers: 2,
    // Files in one worker share the loaded engine instead of importing and compiling it again per
    // file (about a third of the suite's time). Tests therefore restore what they change: env
    // variables, stubbed globals and spies are put back in finally/after hooks.
    isolate: false,
  },
});
