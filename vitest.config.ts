import { defineConfig } from 'vitest/config';

// Three projects, run with `npm test` (all) or `vitest run --project <name>`:
//   unit         pure functions, no database
//   integration  real database and real HTTP: test/integration/**/*.test.ts
//   e2e          the built client in Chromium: test/e2e/**/*.e2e.test.ts
// integration and e2e share ONE database per run, started by the global setup
// (DATABASE_URL when set, else an embedded PGlite; see test/support/global-setup.ts).

const DATABASE_SETUP = './test/support/global-setup.ts';

export default defineConfig({
  test: {
    // Files run one after another: the embedded PGlite is a single connection
    // inside (a transaction in one file would stall every other file), and tests
    // that count rows before and after must not see another file's writes.
    fileParallelism: false,
    // A cold embedded database takes ~10 s to create; a browser page ~9 s to get ready.
    hookTimeout: 120_000,
    testTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: [DATABASE_SETUP] },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.e2e.test.ts'], globalSetup: [DATABASE_SETUP] },
      },
    ],
  },
});
