import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { serviceFastifyOptions, servicePlugin, type HealthRegistry, type Logger, type ServiceMetrics } from '@codiesvibe/shared';
import { TOOLS_API_LIMITS } from '@codiesvibe/shared/tools-api';
import { Counter } from 'prom-client';
import { AppModule } from './app.module.js';
import type { ResponseCache } from './cache/response-cache.js';
import { ApiErrorFilter } from './http/api-error.filter.js';
import { useJsonBodyParser } from './http/json-body-parser.js';
import { NestPinoLogger } from './http/nest-logger.js';
import type { ToolRepository } from './storage/tool.repository.js';
import type { CacheObserver } from './tools/tool-directory.service.js';

export const SERVICE_NAME = 'nestjs-api';

export interface AppDeps {
  logger: Logger;
  health: HealthRegistry;
  metrics: ServiceMetrics;
  instanceId: string;
  tools: ToolRepository;
  cache: ResponseCache;
  /** Unset: every write answers 401 (writes disabled). */
  adminApiKey?: string | undefined;
}

function cacheObserver(metrics: ServiceMetrics): CacheObserver {
  const counter = new Counter({
    name: 'nestjs_api_cache_requests_total',
    help: 'Reads of the tools API by cache outcome (bypass: cache unavailable)',
    labelNames: ['kind', 'outcome'],
    registers: [metrics.registry],
  });
  // Bound children: no label hashing on the hot path of every read.
  const children = new Map<string, { inc(): void }>();
  return (kind, outcome) => {
    const name = `${kind}:${outcome}`;
    let child = children.get(name);
    if (!child) children.set(name, (child = counter.labels(kind, outcome)));
    child.inc();
  };
}

/**
 * Builds the API (NestJS on Fastify, with the service kit) without listening: `main.ts` listens,
 * tests listen on port 0. Resources are opened by the caller and closed by it.
 */
export async function buildApp(deps: AppDeps): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter(serviceFastifyOptions(deps.logger, { bodyLimit: TOOLS_API_LIMITS.bodyBytes }));
  const module = AppModule.forRoot({ tools: deps.tools, cache: deps.cache, adminApiKey: deps.adminApiKey, observeCache: cacheObserver(deps.metrics) });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new NestPinoLogger(deps.logger),
    abortOnError: false,
    // Our own JSON parser (useJsonBodyParser) answers malformed bodies with CV_ERR_INVALID_JSON.
    bodyParser: false,
  });
  useJsonBodyParser(app.getHttpAdapter().getInstance());
  // Nest answers errors and unknown routes itself (through ApiErrorFilter), so the kit's handlers stay off.
  await app.getHttpAdapter().getInstance().register(servicePlugin, {
    service: SERVICE_NAME,
    instanceId: deps.instanceId,
    health: deps.health,
    metrics: deps.metrics,
    errorHandler: false,
    notFoundHandler: false,
  });
  app.useGlobalFilters(new ApiErrorFilter());
  await app.init();
  return app;
}
