import { defineConfig } from 'vitest/config';

// The `@codiesvibe/source` export condition resolves workspace packages to their TypeScript
// sources, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ['@codiesvibe/source'] },
  ssr: { resolve: { conditions: ['@codiesvibe/source'] } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.test.ts'],
    // The machine is shared and often busy: generous hook and test budgets (no timed assertions).
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
