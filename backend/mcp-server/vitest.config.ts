import { defineConfig } from 'vitest/config';

// `source` resolves workspace packages to their TypeScript sources, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  // Inlined packages ship source maps without their sources; Vite would warn once per file.
  logLevel: 'error',
  test: {
    // eventsource-parser and eventsource (under the MCP SDK's client) also publish a `source`
    // condition, pointing at TypeScript that Node cannot load. Inlined with the SDK that imports
    // them, Vite compiles them instead.
    server: { deps: { inline: ['@modelcontextprotocol/sdk', 'eventsource-parser', 'eventsource'] } },
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
