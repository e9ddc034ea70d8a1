import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { baseServiceEnv } from './base-env.js';
import { withoutVariable } from './embedded-choice.js';
import * as env from './env-fields.js';
import { loadConfig } from './load-config.js';

const schema = z.object({
  ...baseServiceEnv(4001),
  MONGODB_URI: env.url(['mongodb']).optional(),
  REDIS_URL: env.url(['redis']).optional(),
});
const load = (environment: Record<string, string>) =>
  loadConfig(schema, {
    env: environment,
    onError: 'throw',
    requiredInProduction: ['MONGODB_URI', 'REDIS_URL'],
  });
const problemsOf = (environment: Record<string, string>): string[] => {
  try {
    load(environment);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('requiredInProduction and CODIESVIBE_EMBEDDED', () => {
  it('leaves development and test alone', () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'test', CODIESVIBE_EMBEDDED: 'MONGODB_URI' })).toEqual([]);
  });

  it.each(['staging', 'production'])('in %s, names each missing variable on its own line', (nodeEnv) => {
    expect(problemsOf({ NODE_ENV: nodeEnv, REDIS_URL: 'redis://cache:6379' })).toEqual([
      `MONGODB_URI is required in ${nodeEnv} (or MONGODB_URI_FILE); to run without it on purpose, list it in CODIESVIBE_EMBEDDED`,
    ]);
  });

  it('accepts a listed variable as a choice made on purpose, and says so', () => {
    const config = load({
      NODE_ENV: 'production',
      CODIESVIBE_EMBEDDED: ' MONGODB_URI , REDIS_URL,OLLAMA_URL ',
    });
    expect(config.CODIESVIBE_EMBEDDED).toEqual(['MONGODB_URI', 'REDIS_URL', 'OLLAMA_URL']);
    expect(withoutVariable(config, 'MONGODB_URI')).toBe('MONGODB_URI listed in CODIESVIBE_EMBEDDED');
    expect(withoutVariable(load({}), 'MONGODB_URI')).toBe('MONGODB_URI not set');
  });

  it('refuses a variable both set and listed, and a list that is not of variable names', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        MONGODB_URI: 'mongodb://db/x',
        CODIESVIBE_EMBEDDED: 'MONGODB_URI,REDIS_URL',
      }),
    ).toEqual(['MONGODB_URI is set and also listed in CODIESVIBE_EMBEDDED; keep one']);
    expect(problemsOf({ NODE_ENV: 'production', CODIESVIBE_EMBEDDED: 'mongodb://db' })).toEqual([
      'CODIESVIBE_EMBEDDED="mongodb://db" must be a comma-separated list of variable names, e.g. MONGODB_URI,REDIS_URL',
    ]);
  });
});
