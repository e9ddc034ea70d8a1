import type { FastifyInstance } from 'fastify';
import { createServiceApp, type HealthRegistry, type Logger, type ServiceMetrics } from '@codiesvibe/shared';
import { registerAiSearchRoutes } from './http/ai-search.routes.js';
import type { AiSearchService } from './search/ai-search.service.js';
import { SERVICE_NAME } from './service-info.js';

export interface AppDeps {
  logger: Logger;
  health: HealthRegistry;
  metrics: ServiceMetrics;
  instanceId: string;
  search: AiSearchService;
}

/** The fastify-api HTTP app: the service kit (health, metrics, errors) plus the AI search routes. Never listens. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = createServiceApp({
    service: SERVICE_NAME,
    instanceId: deps.instanceId,
    logger: deps.logger,
    health: deps.health,
    metrics: deps.metrics,
  });
  registerAiSearchRoutes(app, deps.search);
  return app;
}
