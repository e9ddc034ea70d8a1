import {
  createMetrics,
  createServiceApp,
  HealthRegistry,
  type Logger,
  type ServiceMetrics,
} from '@codiesvibe/shared';
import type { FastifyInstance } from 'fastify';
import { registerMcpRoutes } from './http/mcp.routes.js';
import { createToolCallMetrics } from './mcp/tool-call.metrics.js';
import type { ToolsApi } from './tools-api/tools-api.client.js';

/** The service name on logs, metrics and health answers. */
export const SERVICE_NAME = 'mcp-server';

export interface AppDeps {
  toolsApi: ToolsApi;
  logger: Logger;
  instanceId: string;
  /** Readiness checks; main.ts passes its own to mark it draining at shutdown. */
  health?: HealthRegistry;
  metrics?: ServiceMetrics;
}

/**
 * The mcp-server HTTP app: MCP Streamable HTTP at /mcp plus the service kit (health, metrics,
 * request context, error bodies). Does not listen.
 */
export function buildApp(deps: AppDeps): FastifyInstance {
  const health = deps.health ?? new HealthRegistry();
  // Every MCP tool reads through nestjs-api: without it this replica can answer nothing useful.
  health.register('nestjs-api', (signal) => deps.toolsApi.checkReachable(signal), { timeoutMs: 2000 });
  const metrics = deps.metrics ?? createMetrics({ service: SERVICE_NAME, instanceId: deps.instanceId });
  const app = createServiceApp({
    service: SERVICE_NAME,
    instanceId: deps.instanceId,
    logger: deps.logger,
    health,
    metrics,
  });
  registerMcpRoutes(app, {
    toolsApi: deps.toolsApi,
    observeToolCall: createToolCallMetrics(metrics),
    reportUnexpected: (error, context) =>
      deps.logger.error({ err: error, context }, 'unexpected failure in an MCP handler'),
  });
  return app;
}
