import { defineConfig } from 'vitest/config';

// `source` resolves workspace packages to their TypeScript sources, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  // Inlined packages ship source maps without their sources; Vite would warn once per file.
  logLevel: 'error',
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.test.ts'],
    // eventsource-parser and eventsource (under the MCP SDK's client) also publish a `source`
    // condition, pointing at TypeScript that Node cannot load. Inlined with the SDK that imports
    // them, Vite compiles them instead.
    server: { deps: { inline: ['@modelcontextprotocol/sdk', 'eventsource-parser', 'eventsource'] } },
    // The machine is shared and often busy: generous hook and test budgets (no timed assertions).
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
