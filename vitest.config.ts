import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Definitions written by `monforge import` (and init's) import 'monforge': in tests, this checkout.
  resolve: { alias: [{ find: /^monforge$/, replacement: path.resolve(import.meta.dirname, 'src/index.ts') }] },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/tools.ts'],
    // Most files wait on promtool, Prometheus or child processes rather than compute: two at a
    // time even on two cores (vitest's default there is one).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      // The floor is the last figure measured (whole suite, 2026-12-06: 91.9, 82.3, 94.6, 94.2),
      // less a few tenths for paths that depend on timing: it may only rise.
      thresholds: { statements: 91.6, branches: 82.0, functions: 94.3, lines: 94.0 },
    },
  },
});
