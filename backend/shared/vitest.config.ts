import { defineConfig } from 'vitest/config';

// The `@codiesvibe/source` export condition resolves workspace packages to their TypeScript
// sources, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ['@codiesvibe/source'] },
  ssr: { resolve: { conditions: ['@codiesvibe/source'] } },
  // One fixed seed for the random properties (FAST_CHECK_SEED explores others).
  test: { include: ['src/**/*.spec.ts', 'test/**/*.test.ts'], setupFiles: ['../../scripts/fast-check-seed.setup.mjs'] },
});
