import { ConfigError } from '@codiesvibe/shared';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

const read = (env: Record<string, string>) => readConfig(env, { onError: 'throw' });

describe('readConfig', () => {
  it('defaults to port 4001, the embedded store and the in-process cache', () => {
    const config = read({});
    expect(config).toMatchObject({ PORT: 4001, HOST: '0.0.0.0', DATA_DIR: '.data/nestjs-api', CACHE_TTL_SECONDS: 300 });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('names every bad variable on one line', () => {
    let error: unknown;
    try {
      read({ PORT: 'abc', MONGODB_URI: 'http://x', REDIS_URL: 'nope', ADMIN_API_KEY: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).not.toContain('\n');
    for (const name of ['PORT', 'MONGODB_URI', 'REDIS_URL', 'ADMIN_API_KEY']) expect(message).toContain(name);
    expect(message).not.toContain('short');
  });

  it('requires an admin key in production', () => {
    expect(() => read({ NODE_ENV: 'production' })).toThrow(/ADMIN_API_KEY is required/);
    expect(read({ NODE_ENV: 'production', ADMIN_API_KEY: 'a-real-production-key-9f8e7d' }).ADMIN_API_KEY).toBe('a-real-production-key-9f8e7d');
  });
});
