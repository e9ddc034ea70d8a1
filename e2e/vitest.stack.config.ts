import { defineConfig } from 'vitest/config';

// `npm run test:stack`: the integration suite against a stack that is already running, at
// E2E_BASE_URL (the gateway natively, the nginx edge under Docker: the `tests` service).
export default defineConfig({
  test: { include: ['stack/**/*.stack.ts'], testTimeout: 30_000 },
});
