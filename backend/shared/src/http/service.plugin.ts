import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  createRequestContext,
  REQUEST_ID_HEADER,
  runWithRequestContext,
  TRACEPARENT_HEADER,
  traceParentOf,
  type RequestContext,
} from '../context/request-context.js';
import { ERROR_CODES, HttpError, reasonPhrase } from '../errors.js';
import type { HealthRegistry, ReadinessReport } from '../health/health-registry.js';
import { observeRequest, type ServiceMetrics } from '../metrics/service-metrics.js';
import { startServerSpan } from '../tracing/spans.js';
import type { SpanHandle } from '../tracing/span-recorder.js';
import { toErrorResponse } from './error-response.js';
import { takeEarlyContext } from './fastify-options.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Request id and trace of this request (also available anywhere via `getRequestContext()`). */
    requestContext: RequestContext;
    /** The request's server span while it is open (tracing on, not a probe). */
    [SERVER_SPAN]: SpanHandle | undefined;
  }
}

export interface ServicePluginOptions {
  service: string;
  instanceId: string;
  health: HealthRegistry;
  metrics: ServiceMetrics;
  /** Answer errors as `ApiErrorBody`. On unless told; NestJS turns it off and uses `toErrorResponse` in a filter. */
  errorHandler?: boolean;
  /** Answer unknown routes with 404 `CV_ERR_ROUTE_NOT_FOUND`. On unless told; off under NestJS, which sets its own. */
  notFoundHandler?: boolean;
}

/** Paths probed every few seconds: logged at debug so they do not drown the real traffic. */
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** Set on a request a route knows to be a probe (see `logCompletionAtDebug`). */
const PROBE = Symbol('probe');

/**
 * Logs this request's `request completed` line at debug, as the health probes' are: for a probe
 * that comes on a path real traffic uses too (an MCP `ping` on /mcp, which a client's readiness
 * check sends every few seconds), which only the route can tell from its body.
 */
export function logCompletionAtDebug(request: FastifyRequest): void {
  (request as FastifyRequest & { [PROBE]?: true })[PROBE] = true;
}

const isProbe = (request: FastifyRequest): boolean =>
  (request as FastifyRequest & { [PROBE]?: true })[PROBE] === true || QUIET_PATHS.has(request.url.split('?')[0] ?? '');

/** The route pattern, never the raw URL, so metrics keep a bounded number of series. */
function routeOf(request: FastifyRequest): string | undefined {
  return request.is404 ? undefined : request.routeOptions.url;
}

/**
 * Where a traced request keeps its server span (health and metrics probes are not traced): a
 * field of the request rather than a WeakMap keyed by it, whose entry for every request cost an
 * ephemeron write barrier and GC work that showed in the services' profile.
 */
const SERVER_SPAN = Symbol('serverSpan');

function startRequestSpan(request: FastifyRequest): void {
  if (QUIET_PATHS.has(request.url.split('?')[0] ?? '')) return;
  // Named by route pattern, never by URL: a trace store indexes span names.
  const span = startServerSpan(request.requestContext, `${request.method} ${routeOf(request) ?? 'unmatched'}`, {
    'http.request.method': request.method,
    'http.route': routeOf(request),
    'url.path': request.url.split('?')[0],
  });
  if (span) request[SERVER_SPAN] = span;
}

function endRequestSpan(request: FastifyRequest, statusCode: number | undefined): void {
  const span = request[SERVER_SPAN];
  if (!span) return;
  request[SERVER_SPAN] = undefined;
  if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
  span.end(statusCode === undefined ? 'request aborted' : statusCode >= 500 ? `HTTP ${statusCode}` : undefined);
}

function registerRequestContext(app: FastifyInstance): void {
  app.decorateRequest('requestContext', null as unknown as RequestContext);
  app.decorateRequest(SERVER_SPAN, undefined);
  app.addHook('onRequest', (request, _reply, done) => {
    request.requestContext = takeEarlyContext(request.raw) ?? createRequestContext(request.headers);
    startRequestSpan(request);
    runWithRequestContext(request.requestContext, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    endRequestSpan(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    endRequestSpan(request, undefined);
    done();
  });
  // Body parsing runs in stream callbacks, outside the context entered above: enter it again.
  app.addHook('preValidation', (request, _reply, done) => {
    runWithRequestContext(request.requestContext, done);
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header(REQUEST_ID_HEADER, request.requestContext.requestId);
    reply.header(TRACEPARENT_HEADER, traceParentOf(request.requestContext));
    done(null, payload);
  });
}

/**
 * Keep-alive connections would hold `server.close()` open until the grace period ends: while
 * closing, every response says `connection: close`, sockets that turn idle are closed, and new
 * requests on still-open connections get 503 (a gateway retries them on another replica).
 */
function registerDrain(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close');
    done(
      new HttpError(503, ERROR_CODES.UNAVAILABLE, 'The service is shutting down; retry on another instance'),
    );
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (_request, _reply, done) => {
    if (closing) app.server.closeIdleConnections();
    done();
  });
}

function registerRequestLogAndMetrics(app: FastifyInstance, metrics: ServiceMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    const durationMs = reply.elapsedTime;
    const route = routeOf(request);
    observeRequest(metrics, { method: request.method, route, statusCode: reply.statusCode, durationMs });
    runWithRequestContext(request.requestContext, () => {
      const line = {
        method: request.method,
        url: request.url,
        route,
        statusCode: reply.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
      };
      if (isProbe(request)) request.log.debug(line, 'request completed');
      else request.log.info(line, 'request completed');
    });
    done();
  });
}

function registerHealthRoutes(app: FastifyInstance, options: ServicePluginOptions): void {
  const identity = { service: options.service, instanceId: options.instanceId };
  let lastStatus: ReadinessReport['status'] | undefined;

  app.get('/health/live', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok', ...identity, uptimeSeconds: Math.round(process.uptime()) };
  });

  app.get('/health/ready', async (request, reply) => {
    const report = await options.health.check();
    if (report.status !== lastStatus) {
      // Log transitions only: a probe every few seconds would otherwise flood the log.
      if (report.status === 'down')
        request.log.warn({ failing: report.failing, checks: report.checks }, report.message ?? 'not ready');
      else request.log.info({ status: report.status }, 'ready');
      lastStatus = report.status;
    }
    reply.header('cache-control', 'no-store');
    reply.code(report.status === 'down' ? 503 : 200);
    return { ...report, ...identity };
  });
}

function registerMetricsRoute(app: FastifyInstance, metrics: ServiceMetrics): void {
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

function registerErrorHandlers(app: FastifyInstance, options: ServicePluginOptions): void {
  if (options.errorHandler ?? true) {
    app.setErrorHandler((error, request: FastifyRequest, reply: FastifyReply) => {
      const requestId = request.requestContext?.requestId;
      const response = toErrorResponse(error, requestId);
      const log = () => {
        if (response.serverFault)
          request.log.error({ err: error, code: response.body.code }, 'request failed');
        else
          request.log.info(
            { code: response.body.code, statusCode: response.statusCode },
            response.body.message,
          );
      };
      if (request.requestContext) runWithRequestContext(request.requestContext, log);
      else log();
      return reply.code(response.statusCode).type('application/json; charset=utf-8').send(response.body);
    });
  }
  if (options.notFoundHandler ?? true) {
    app.setNotFoundHandler((request, reply) => {
      return reply.code(404).send({
        statusCode: 404,
        error: reasonPhrase(404),
        code: ERROR_CODES.ROUTE_NOT_FOUND,
        message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
        requestId: request.requestContext?.requestId,
      });
    });
  }
}

/**
 * Wires the service kit into a Fastify instance (not encapsulated, so it covers every route):
 * request context (x-request-id, traceparent; echoed in responses), one log line per request,
 * the HTTP duration histogram, `/health/live`, `/health/ready`, `/metrics`, and `ApiErrorBody`
 * answers for errors and unknown routes.
 */
export const servicePlugin = fp<ServicePluginOptions>(
  (app, options, done) => {
    registerRequestContext(app);
    registerDrain(app);
    registerRequestLogAndMetrics(app, options.metrics);
    registerHealthRoutes(app, options);
    registerMetricsRoute(app, options.metrics);
    registerErrorHandlers(app, options);
    done();
  },
  { name: '@codiesvibe/service', fastify: '5.x' },
);
