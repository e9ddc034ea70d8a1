import { inject } from 'vitest';

/** The real nestjs-api that tests only read from (other test files read it at the same time). */
export function sharedToolsApiUrl(): string {
  return inject('toolsApiUrl');
}

/**
 * The real nestjs-api for tests that write, and its admin key. Writers share it: each writes
 * under its own slugs, or to a field no other test reads.
 */
export function writableToolsApi(): { url: string; adminApiKey: string } {
  return inject('writableToolsApi');
}
