import { defineConfig } from 'vitest/config';

// These tests start the real stack: one file at a time, never two stacks on the same ports.
export default defineConfig({
  resolve: { conditions: ['@codiesvibe/source'] },
  ssr: { resolve: { conditions: ['@codiesvibe/source'] } },
  test: { include: ['test/**/*.test.ts'], fileParallelism: false, testTimeout: 240_000, hookTimeout: 240_000 },
});
