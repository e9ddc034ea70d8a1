import { defineConfig } from 'vitest/config';

// End-to-end tests drive Debian's Chromium through playwright-core against running servers.
export default defineConfig({
  resolve: { conditions: ['@codiesvibe/source'] },
  ssr: { resolve: { conditions: ['@codiesvibe/source'] } },
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
