import { defineConfig } from 'vitest/config';

// The `@codiesvibe/source` export condition resolves workspace packages to their TypeScript
// sources, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ['@codiesvibe/source'] },
  ssr: { resolve: { conditions: ['@codiesvibe/source'] } },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.spec.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // A real nestjs-api, started once for all integration files.
          globalSetup: ['test/support/nestjs-api.global-setup.ts'],
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
