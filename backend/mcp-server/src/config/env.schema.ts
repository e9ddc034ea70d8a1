import { baseServiceEnv, env } from '@codiesvibe/shared';
import { z } from 'zod';
import { DEFAULT_PORT, DEFAULT_TOOLS_API_URL } from './defaults.js';

/** What both transports need to reach the directory. */
const toolsApiEnv = {
  /** nestjs-api, or the gateway (it serves /api/tools at the same paths). */
  TOOLS_API_URL: env.url().default(DEFAULT_TOOLS_API_URL),
  /** Per-call timeout towards nestjs-api; below the gateway's own timeout so we answer first. */
  TOOLS_API_TIMEOUT_MS: env.positiveInt(5000),
};

/** The HTTP server's environment (`dist/main.js`). */
export const httpEnvSchema = z.object({ ...baseServiceEnv(DEFAULT_PORT), ...toolsApiEnv });
export type HttpConfig = z.output<typeof httpEnvSchema>;

/** The stdio server's environment (`dist/stdio.js`): no port, and quieter logs by default. */
export const stdioEnvSchema = z.object({
  ...baseServiceEnv(DEFAULT_PORT),
  LOG_LEVEL: baseServiceEnv(DEFAULT_PORT).LOG_LEVEL.default('warn'),
  ...toolsApiEnv,
});
export type StdioConfig = z.output<typeof stdioEnvSchema>;
