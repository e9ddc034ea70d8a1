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

  const PRODUCTION = {
    NODE_ENV: 'production',
    MONGODB_URI: 'mongodb://app:a-real-password-77@mongo:27017/codiesvibe',
    REDIS_URL: 'redis://:a-real-password-88@redis:6379',
    ADMIN_API_KEY: 'a-real-production-key-9f8e7d',
  };
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      read(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it.each(['production', 'staging'])('in %s, names each missing dependency variable on its own line', (nodeEnv) => {
    expect(problemsOf({ ...PRODUCTION, NODE_ENV: nodeEnv, MONGODB_URI: '' })).toEqual([
      `MONGODB_URI is required in ${nodeEnv} (or MONGODB_URI_FILE); to run without it on purpose, list it in CODIESVIBE_EMBEDDED`,
    ]);
    expect(problemsOf({ NODE_ENV: nodeEnv }).map((problem) => problem.split(' ')[0])).toEqual(['MONGODB_URI', 'REDIS_URL', 'ADMIN_API_KEY']);
    expect(problemsOf({ ...PRODUCTION, NODE_ENV: nodeEnv })).toEqual([]);
  });

  it('in production, accepts the variables CODIESVIBE_EMBEDDED lists as replaced on purpose, and no others', () => {
    const config = read({ NODE_ENV: 'production', ADMIN_API_KEY: PRODUCTION.ADMIN_API_KEY, CODIESVIBE_EMBEDDED: 'MONGODB_URI, REDIS_URL,OLLAMA_URL' });
    expect(config.CODIESVIBE_EMBEDDED).toEqual(['MONGODB_URI', 'REDIS_URL', 'OLLAMA_URL']);
    expect(config.MONGODB_URI).toBeUndefined();
    expect(problemsOf({ NODE_ENV: 'production', CODIESVIBE_EMBEDDED: 'MONGODB_URI' })).toEqual([
      'REDIS_URL is required in production (or REDIS_URL_FILE); to run without it on purpose, list it in CODIESVIBE_EMBEDDED',
      'ADMIN_API_KEY is required in production (or ADMIN_API_KEY_FILE); to run without it on purpose, list it in CODIESVIBE_EMBEDDED',
    ]);
    expect(problemsOf({ ...PRODUCTION, CODIESVIBE_EMBEDDED: 'MONGODB_URI' })).toEqual(['MONGODB_URI is set and also listed in CODIESVIBE_EMBEDDED; keep one']);
    expect(problemsOf({ ...PRODUCTION, CODIESVIBE_EMBEDDED: 'mongodb uri' })[0]).toMatch(/^CODIESVIBE_EMBEDDED="mongodb uri" must be a comma-separated list of variable names/);
  });

  it('keeps the silent development defaults, whatever CODIESVIBE_EMBEDDED says', () => {
    expect(problemsOf({ NODE_ENV: 'development' })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'test', MONGODB_URI: PRODUCTION.MONGODB_URI, CODIESVIBE_EMBEDDED: 'MONGODB_URI' })).toEqual([]);
  });
});
