import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Component and client tests run in happy-dom; `@codiesvibe/source` resolves workspace packages to TypeScript.
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@codiesvibe/source'] },
  ssr: { resolve: { conditions: ['@codiesvibe/source'] } },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts', 'src/**/*.spec.tsx', 'test/**/*.test.ts'],
    // The second: one fixed seed for the random properties (FAST_CHECK_SEED explores others).
    setupFiles: ['src/testing/setup.ts', '../scripts/fast-check-seed.setup.mjs'],
    // The API tests and pages talk to a real nestjs-api (one shared by every file that only reads).
    globalSetup: ['src/testing/tools-api.global-setup.ts'],
    hookTimeout: 60_000,
    // The app calls the API on another origin, as it does behind the gateway's CORS in development.
    environmentOptions: { happyDOM: { settings: { fetch: { disableSameOriginPolicy: true } } } },
    // One happy-dom per worker instead of one per file: the setup file resets the DOM, storage and
    // URL after each test, and this keeps the suite several times faster on a two-core machine.
    pool: 'threads',
    isolate: false,
  },
});
