import { hostname } from 'node:os';
import { z } from 'zod';
import { embeddedList } from './embedded-choice.js';
import { boolean, oneOf, port, positiveInt } from './env-fields.js';

/** `NODE_ENV` values. Staging runs production images with its own secrets. */
export const NODE_ENVS = ['development', 'test', 'staging', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** pino levels, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The variables every service reads, as a zod shape to spread into the service's own schema:
 * NODE_ENV, PORT (default `defaultPort`), HOST (0.0.0.0), LOG_LEVEL (info), INSTANCE_ID (the
 * hostname, which is the container id under Compose), SHUTDOWN_GRACE_MS (10000), IDLE_MEMORY_RELEASE
 * (true: give memory back when idle, see `releaseMemoryWhenIdle`), CODIESVIBE_EMBEDDED
 * (the variables replaced by an embedded default on purpose; see `loadConfig`'s `requiredInProduction`).
 *
 * @example const envSchema = z.object({ ...baseServiceEnv(4001), MONGODB_URI: url(['mongodb']).optional() });
 */
export function baseServiceEnv(defaultPort: number) {
  return {
    NODE_ENV: oneOf(NODE_ENVS, 'development'),
    PORT: port(defaultPort),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
    INSTANCE_ID: z
      .string()
      .trim()
      .regex(/^[\w.:-]{1,128}$/, 'must be 1-128 letters, digits, dots, colons, dashes or underscores')
      .default(hostname()),
    SHUTDOWN_GRACE_MS: positiveInt(10_000),
    /** Off only to measure what the idle memory release costs or gives (the memory bench does). */
    IDLE_MEMORY_RELEASE: boolean(true),
    /** Variables the native runner replaced by an embedded default on purpose (see embedded-choice.ts). */
    CODIESVIBE_EMBEDDED: embeddedList(),
  };
}

/** What `baseServiceEnv` yields once parsed. */
export interface BaseServiceConfig {
  NODE_ENV: NodeEnv;
  PORT: number;
  HOST: string;
  LOG_LEVEL: LogLevel;
  INSTANCE_ID: string;
  SHUTDOWN_GRACE_MS: number;
  IDLE_MEMORY_RELEASE: boolean;
  CODIESVIBE_EMBEDDED: string[];
}
