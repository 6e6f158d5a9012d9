import { defineConfig } from 'vitest/config';

// npm run test:integration: slower tests that drive other programs (npm, LibreOffice) or run
// the fast-path differential at scale. CI runs them after npm test.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
