import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// One run covers every workspace member. Imports of `@refundkit/<name>` resolve to that package's source, so the
// suite needs no build and a failure points at the line that caused it; the built output is exercised by the
// release rehearsal (scripts/release-rehearsal.mjs), which installs the packed tarballs.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@refundkit\/([a-z-]+)\/internal$/, replacement: `${root}packages/$1/src/internal.ts` },
      { find: /^@refundkit\/([a-z-]+)\/endpoints$/, replacement: `${root}packages/$1/src/endpoints/index.ts` },
      { find: /^@refundkit\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test-support/**/*.test.ts',
      'runtimes/test/**/*.test.ts',
    ],
    // The public types (`*.test-d.ts`): checked by tsc as part of every run.
    typecheck: { enabled: true, include: ['packages/*/src/**/*.test-d.ts'], tsconfig: './tsconfig.typecheck.json' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The run-wide leak scan (test-support/leak-scan.ts) and the seed of every property (test-support/fuzz-seed.ts).
    setupFiles: ['test-support/leak-scan.ts', 'test-support/fuzz-seed.ts'],
    globalSetup: ['test-support/test-run.global.ts'],
  },
});
