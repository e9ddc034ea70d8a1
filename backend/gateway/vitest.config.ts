import { defineConfig } from 'vitest/config';

// The `@codiesvibe/source` export condition resolves workspace packages to their TypeScript
// sources, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ['@codiesvibe/source'] },
  ssr: { resolve: { conditions: ['@codiesvibe/source'] } },
  // Threads start faster than forks; the integration tests' real processes are children either way.
  test: { include: ['src/**/*.spec.ts', 'test/**/*.test.ts'], pool: 'threads', testTimeout: 20_000, hookTimeout: 20_000 },
});
