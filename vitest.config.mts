import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import tsconfig from './tsconfig.base.json' with { type: 'json' };

// Path aliases come from tsconfig.base.json so there is one source of truth.
// Longest first, so `@switchboard/persistence/migrate` wins over `@switchboard/persistence`.
const alias = Object.entries(tsconfig.compilerOptions.paths)
  .sort(([a], [b]) => b.length - a.length)
  .map(([name, [target]]) => ({ find: new RegExp(`^${name}$`), replacement: resolve(__dirname, target) }));

export default defineConfig({
  // swc keeps decorator metadata, which NestJS dependency injection needs (esbuild drops it).
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias },
  test: {
    include: ['apps/*/src/**/*.spec.ts', 'libs/*/src/**/*.spec.ts', 'tools/**/*.spec.ts'],
    globalSetup: ['libs/testing/src/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time: most of them wait on Postgres, Kafka and child processes, not on the CPU. On this 2-core
    // machine vitest's own default is one, which took 2,020 s for the suite's vitest step in a CI run while helpers loaded
    // the machine; two took 1,108 s in a later run, also loaded, all passing. VITEST_MAX_WORKERS=1 npm test: one at a time.
    maxWorkers: Number(process.env['VITEST_MAX_WORKERS'] ?? 2),
    reporters: ['default'],
  },
});
