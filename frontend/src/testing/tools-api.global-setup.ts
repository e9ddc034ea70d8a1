import type { TestProject } from 'vitest/node';
import { startNestjsApi } from '@codiesvibe/nestjs-api/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the real nestjs-api that tests only read from. */
    toolsApiUrl: string;
    /** A second real nestjs-api, for the tests that write, and its admin key. */
    writableToolsApi: { url: string; adminApiKey: string };
  }
}

/**
 * Two real nestjs-api processes (embedded store, seeded) for the whole run, started side by side:
 * one that tests only read, so their expectations hold while other files run at the same time,
 * and one for the tests that write. Global setup runs outside Vite's `@codiesvibe/source`
 * resolution, so the helper loads from nestjs-api's build (`npm test` at the root builds first;
 * alone: `npm run build -w backend/nestjs-api`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = await Promise.allSettled([
    startNestjsApi({ label: 'frontend-read' }),
    startNestjsApi({ label: 'frontend-write', adminApiKey: 'frontend-tests-admin-key-0123456789' }),
  ]);
  const stopAll = () =>
    Promise.all(
      started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : Promise.resolve())),
    );
  const [read, write] = started;
  if (read?.status !== 'fulfilled' || write?.status !== 'fulfilled') {
    await stopAll();
    throw started.find((result) => result.status === 'rejected')?.reason;
  }
  project.provide('toolsApiUrl', read.value.url);
  project.provide('writableToolsApi', { url: write.value.url, adminApiKey: write.value.adminApiKey });
  return async () => {
    await stopAll();
  };
}
