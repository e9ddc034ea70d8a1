import { ConfigError, loadConfig } from '@codiesvibe/shared';
import { describe, expect, it } from 'vitest';
import { httpEnvSchema, stdioEnvSchema } from './env.schema.js';

function problemsOf(
  schema: typeof httpEnvSchema | typeof stdioEnvSchema,
  env: Record<string, string>,
): string[] {
  try {
    loadConfig(schema, { env, onError: 'throw' });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('mcp-server environment', () => {
  it('has working defaults for a developer machine', () => {
    const config = loadConfig(httpEnvSchema, { env: {}, onError: 'throw' });
    expect(config).toMatchObject({
      PORT: 3001,
      TOOLS_API_URL: 'http://127.0.0.1:4001',
      TOOLS_API_TIMEOUT_MS: 5000,
      LOG_LEVEL: 'info',
    });
    expect(loadConfig(stdioEnvSchema, { env: {}, onError: 'throw' }).LOG_LEVEL).toBe('warn');
  });

  it('names every bad variable', () => {
    expect(
      problemsOf(httpEnvSchema, {
        TOOLS_API_URL: 'nestjs-api:4001',
        TOOLS_API_TIMEOUT_MS: '0',
        PORT: '99999',
      }),
    ).toEqual([
      'PORT="99999" is not a port (0-65535)',
      'TOOLS_API_URL="nestjs-api:4001" is not a http or https URL',
      'TOOLS_API_TIMEOUT_MS="0" is not a positive integer',
    ]);
  });
});
