import type { TestProject } from 'vitest/node';
import { startNestjsApi } from './nestjs-api.process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the real nestjs-api the integration tests run against. */
    nestjsApiUrl: string;
  }
}

/** One nestjs-api for every integration test file: it takes seconds to start. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const nestjsApi = await startNestjsApi();
  project.provide('nestjsApiUrl', nestjsApi.url);
  return () => nestjsApi.stop();
}
