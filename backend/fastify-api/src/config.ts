import { z } from 'zod';
import { baseServiceEnv, env, loadConfig } from '@codiesvibe/shared';
import { DEFAULT_PORT, SERVICE_NAME } from './service-info.js';

const envSchema = z.object({
  ...baseServiceEnv(DEFAULT_PORT),
  /** The MCP Streamable HTTP endpoint of mcp-server, e.g. http://mcp-server:3001/mcp. */
  MCP_SERVER_URL: env.url().default('http://127.0.0.1:3001/mcp'),
  MCP_TIMEOUT_MS: env.positiveInt(5000),
  /** Unset → the built-in ranker answers every query (mode "fallback"). */
  OLLAMA_URL: env.url().optional(),
  OLLAMA_CHAT_MODEL: z.string().trim().min(1).default('llama3.2'),
  OLLAMA_EMBED_MODEL: z.string().trim().min(1).default('nomic-embed-text'),
  OLLAMA_INTENT_TIMEOUT_MS: env.positiveInt(4000),
  OLLAMA_EMBED_TIMEOUT_MS: env.positiveInt(8000),
  OLLAMA_EXPLAIN_TIMEOUT_MS: env.positiveInt(20_000),
  /** Unset → the embedded store under DATA_DIR. */
  MONGODB_URI: env.url(['mongodb', 'mongodb+srv']).optional(),
  DATA_DIR: z.string().trim().min(1).default('.data/fastify-api'),
});

export type Config = z.output<typeof envSchema>;

/** Reads and validates the environment once: exits 1 with one line per bad variable, or throws a ConfigError with `onError: 'throw'` (tests). */
export function readConfig(
  environment: Record<string, string | undefined> = process.env,
  onError: 'exit' | 'throw' = 'exit',
): Config {
  // A MongoDB URI may carry a password: treated as a secret, so its value is never printed.
  return loadConfig(envSchema, {
    env: environment,
    service: SERVICE_NAME,
    onError,
    secrets: ['MONGODB_URI'],
    // The embedded store is a development default: staging and production need MongoDB, or the
    // native runner's explicit choice (CODIESVIBE_EMBEDDED=MONGODB_URI).
    requiredInProduction: ['MONGODB_URI'],
  });
}
