import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDotenv } from '@codiesvibe/compose';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { baseServiceEnv } from './base-env.js';
import * as env from './env-fields.js';
import { KNOWN_DEVELOPMENT_SECRETS, loadConfig } from './load-config.js';

const schema = z.object({
  ...baseServiceEnv(4001),
  MONGODB_URI: env.url(['mongodb', 'mongodb+srv']),
  ADMIN_API_KEY: env.secret(16),
  UPSTREAMS: env.urlList().optional(),
  CACHE_ENABLED: env.boolean(true),
});

const VALID = { MONGODB_URI: 'mongodb://mongo:27017/tools', ADMIN_API_KEY: 'k'.repeat(32) };

function problemsOf(environment: Record<string, string | undefined>): string[] {
  try {
    loadConfig(schema, { env: environment, secrets: ['ADMIN_API_KEY'], onError: 'throw' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cv-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the base defaults and parses typed values', () => {
    const config = loadConfig(schema, {
      env: { ...VALID, UPSTREAMS: 'http://a:1, http://b:2', CACHE_ENABLED: 'No' },
      onError: 'throw',
    });
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 4001,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: 10_000,
      UPSTREAMS: ['http://a:1', 'http://b:2'],
      CACHE_ENABLED: false,
    });
    expect(config.INSTANCE_ID.length).toBeGreaterThan(0);
  });

  it('treats empty values as unset, so defaults apply', () => {
    expect(
      loadConfig(schema, { env: { ...VALID, PORT: '', LOG_LEVEL: '  ' }, onError: 'throw' }),
    ).toMatchObject({ PORT: 4001, LOG_LEVEL: 'info' });
  });

  it('reports one problem per bad variable, in one line, naming value and rule', () => {
    const error = (() => {
      try {
        loadConfig(schema, {
          env: { PORT: 'abc', SHUTDOWN_GRACE_MS: '-5' },
          secrets: ['ADMIN_API_KEY'],
          onError: 'throw',
        });
      } catch (caught) {
        return caught as ConfigError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('CV_ERR_CONFIG');
    expect(error?.problems).toEqual([
      'PORT="abc" is not a port (0-65535)',
      'SHUTDOWN_GRACE_MS="-5" is not a positive integer',
      'MONGODB_URI is required',
      'ADMIN_API_KEY is required',
    ]);
    expect(error?.message).toBe(`Invalid environment: ${error?.problems.join('; ')}`);
    expect(error?.message).not.toContain('\n');
  });

  it('hides the password of a URL it prints', () => {
    expect(problemsOf({ ...VALID, MONGODB_URI: 'http://app:s3cret@mongo:27017/tools' })).toEqual([
      'MONGODB_URI="http://app:***@mongo:27017/tools" is not a mongodb or mongodb+srv URL',
    ]);
  });

  it('never prints a secret value', () => {
    expect(problemsOf({ ...VALID, ADMIN_API_KEY: 'short-secret' })).toEqual([
      'ADMIN_API_KEY (secret) must be at least 16 characters',
    ]);
  });

  it.each([
    ['PORT', '70000', 'PORT="70000" is not a port (0-65535)'],
    ['NODE_ENV', 'prod', 'NODE_ENV="prod" must be one of development, test, staging, production'],
    ['MONGODB_URI', 'http://mongo', 'MONGODB_URI="http://mongo" is not a mongodb or mongodb+srv URL'],
    [
      'UPSTREAMS',
      'http://a:1,ftp://b',
      'UPSTREAMS="http://a:1,ftp://b" is not a comma-separated list of http(s) URLs',
    ],
    ['CACHE_ENABLED', 'maybe', 'CACHE_ENABLED="maybe" is not a boolean (true or false)'],
    [
      'INSTANCE_ID',
      'a b',
      'INSTANCE_ID="a b" must be 1-128 letters, digits, dots, colons, dashes or underscores',
    ],
  ])('explains a bad %s', (name, value, problem) => {
    expect(problemsOf({ ...VALID, [name]: value })).toEqual([problem]);
  });

  it('reads NAME_FILE without its trailing newline', () => {
    const file = join(dir, 'admin_api_key');
    writeFileSync(file, 'from-a-docker-secret-file\n');
    const config = loadConfig(schema, {
      env: { MONGODB_URI: VALID.MONGODB_URI, ADMIN_API_KEY_FILE: file },
      onError: 'throw',
    });
    expect(config.ADMIN_API_KEY).toBe('from-a-docker-secret-file');
  });

  it('refuses NAME and NAME_FILE together, and names an unreadable file', () => {
    expect(problemsOf({ ...VALID, ADMIN_API_KEY_FILE: join(dir, 'x') })).toEqual([
      'ADMIN_API_KEY and ADMIN_API_KEY_FILE are both set; set only one',
    ]);
    const missing = join(dir, 'missing');
    expect(problemsOf({ MONGODB_URI: VALID.MONGODB_URI, ADMIN_API_KEY_FILE: missing })).toEqual([
      `ADMIN_API_KEY_FILE="${missing}" cannot be read (ENOENT)`,
    ]);
  });

  it('refuses a known development secret in staging and production only', () => {
    const devSecret = 'codiesvibe-dev-admin-key';
    expect(KNOWN_DEVELOPMENT_SECRETS).toContain(devSecret);
    for (const nodeEnv of ['production', 'staging']) {
      expect(problemsOf({ ...VALID, NODE_ENV: nodeEnv, ADMIN_API_KEY: devSecret.toUpperCase() })).toEqual([
        'ADMIN_API_KEY is a known development default; set a real secret (e.g. ADMIN_API_KEY_FILE=/run/secrets/...)',
      ]);
    }
    expect(
      loadConfig(schema, {
        env: { ...VALID, ADMIN_API_KEY: devSecret },
        secrets: ['ADMIN_API_KEY'],
        onError: 'throw',
      }).ADMIN_API_KEY,
    ).toBe(devSecret);
  });

  it('refuses extra development secrets a service names', () => {
    const ownDefault = 'my-service-dev-key-1234';
    expect(() =>
      loadConfig(schema, {
        env: { ...VALID, NODE_ENV: 'production', ADMIN_API_KEY: ownDefault },
        secrets: ['ADMIN_API_KEY'],
        developmentSecrets: [ownDefault],
        onError: 'throw',
      }),
    ).toThrow(/ADMIN_API_KEY is a known development default/);
  });

  it('refuses a development password inside a secret URL', () => {
    const uriSchema = z.object({ ...baseServiceEnv(4001), MONGODB_URI: env.url(['mongodb']) });
    expect(() =>
      loadConfig(uriSchema, {
        env: {
          NODE_ENV: 'production',
          MONGODB_URI: 'mongodb://codiesvibe:codiesvibe-dev@mongodb:27017/codiesvibe',
        },
        secrets: ['MONGODB_URI'],
        onError: 'throw',
      }),
    ).toThrow('Invalid environment: MONGODB_URI is a known development default');
  });

  it('knows every secret committed in .env.development and .env.testing', () => {
    const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
    for (const file of ['.env.development', '.env.testing']) {
      const path = join(repositoryRoot, file);
      if (!existsSync(path)) continue;
      // Read as Compose reads it, with the engine's .env parser (the repository's only one).
      for (const [name, value] of parseDotenv(readFileSync(path, 'utf8'), undefined, path)) {
        if (!/(?:PASSWORD|SECRET|KEY|TOKEN)/.test(name) || value === '') continue;
        expect(KNOWN_DEVELOPMENT_SECRETS, `${file}: ${name}`).toContain(value.trim().toLowerCase());
      }
    }
  });
});
