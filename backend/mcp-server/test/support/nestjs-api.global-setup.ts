import type { TestProject } from 'vitest/node';
import { startNestjsApi } from '@codiesvibe/nestjs-api/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the real nestjs-api the integration tests run against. */
    nestjsApiUrl: string;
  }
}

/**
 * One nestjs-api for every integration test file: it takes seconds to start. Global setup runs
 * outside Vite's `@codiesvibe/source` resolution, so it loads the helper from nestjs-api's build (`npm test`
 * at the root builds first; alone: `npm run build -w backend/nestjs-api`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const nestjsApi = await startNestjsApi({ label: 'mcp-server-tests' });
  project.provide('nestjsApiUrl', nestjsApi.url);
  return () => nestjsApi.stop();
}
