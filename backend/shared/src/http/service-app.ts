import { fastify, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { HealthRegistry } from '../health/health-registry.js';
import { createMetrics, type ServiceMetrics } from '../metrics/service-metrics.js';
import { serviceFastifyOptions } from './fastify-options.js';
import { servicePlugin } from './service.plugin.js';

export interface CreateServiceAppOptions {
  service: string;
  instanceId: string;
  logger: Logger;
  /** Checks behind `/health/ready`; an empty registry unless given. */
  health?: HealthRegistry;
  /** Registry behind `/metrics`; a fresh one unless given. */
  metrics?: ServiceMetrics;
  /** Extra Fastify server options (bodyLimit, trustProxy, ...). */
  fastify?: FastifyServerOptions;
  /** See `ServicePluginOptions.errorHandler`. */
  errorHandler?: boolean;
  /** See `ServicePluginOptions.notFoundHandler` (off e.g. when static files answer unknown paths). */
  notFoundHandler?: boolean;
}

/**
 * A Fastify instance with the service kit registered: what every `buildApp()` starts from.
 * Does not listen: `main.ts` listens, tests call `inject()` or listen on port 0.
 *
 * @example
 * const app = createServiceApp({ service: 'fastify-api', instanceId, logger, health, metrics });
 * app.post('/ai/search', handler);
 */
export function createServiceApp(options: CreateServiceAppOptions): FastifyInstance {
  const health = options.health ?? new HealthRegistry();
  const metrics =
    options.metrics ?? createMetrics({ service: options.service, instanceId: options.instanceId });
  const app = fastify(serviceFastifyOptions(options.logger, options.fastify));
  void app.register(servicePlugin, {
    service: options.service,
    instanceId: options.instanceId,
    health,
    metrics,
  });
  return app;
}
