import { baseServiceEnv, env, loadConfig } from '@codiesvibe/shared';
import { z } from 'zod';

const envSchema = z.object({
  ...baseServiceEnv(4001),
  /** Unset: the embedded store under DATA_DIR. */
  MONGODB_URI: env.url(['mongodb', 'mongodb+srv']).optional(),
  DATA_DIR: z.string().trim().min(1).default('.data/nestjs-api'),
  /** Unset: an in-process LRU cache. */
  REDIS_URL: env.url(['redis', 'rediss']).optional(),
  CACHE_TTL_SECONDS: env.positiveInt(300),
  /** Bearer key of the write endpoints; unset means writes are refused. */
  ADMIN_API_KEY: env.secret(16).optional(),
});

/** Unset in development means an embedded default; staging and production need them (or CODIESVIBE_EMBEDDED). */
const REQUIRED_IN_PRODUCTION = ['MONGODB_URI', 'REDIS_URL', 'ADMIN_API_KEY'] as const;
export type Config = z.output<typeof envSchema>;

/**
 * Reads and validates the environment once. Prints one line per bad variable and exits 1;
 * tests pass `onError: 'throw'` through `options` to get a ConfigError instead.
 */
export function readConfig(environment: NodeJS.ProcessEnv = process.env, options: { onError?: 'exit' | 'throw' } = {}): Config {
  return loadConfig(envSchema, {
    env: environment,
    service: 'nestjs-api',
    secrets: ['ADMIN_API_KEY'],
    requiredInProduction: REQUIRED_IN_PRODUCTION,
    ...options,
  });
}
