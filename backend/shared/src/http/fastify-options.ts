import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { createRequestContext, type RequestContext } from '../context/request-context.js';

// Fastify asks for the request id before any hook runs; the context made then is kept for onRequest.
const contextsByRawRequest = new WeakMap<IncomingMessage, RequestContext>();

/** The context `genReqId` built for this raw request, if the service options were used. */
export function takeEarlyContext(raw: IncomingMessage): RequestContext | undefined {
  const context = contextsByRawRequest.get(raw);
  contextsByRawRequest.delete(raw);
  return context;
}

/**
 * Fastify server options every service starts from: our pino logger, request ids taken from
 * `x-request-id` (or created), Fastify's own request logging off (the service plugin logs one line
 * per request instead) and no `reqId` binding (the logger's mixin adds `requestId` and `traceId`).
 * NestJS passes the same options to `new FastifyAdapter(...)`.
 */
export function serviceFastifyOptions(
  logger: Logger,
  overrides: FastifyServerOptions = {},
): FastifyServerOptions & { loggerInstance: FastifyBaseLogger } {
  return {
    requestIdHeader: false,
    genReqId: (raw) => {
      const context = createRequestContext(raw.headers);
      contextsByRawRequest.set(raw, context);
      return context.requestId;
    },
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (parent, _bindings, childOptions) => parent.child({}, childOptions),
    // The service plugin answers requests that arrive while draining with an ApiErrorBody 503.
    return503OnClosing: false,
    ...overrides,
    loggerInstance: logger,
  };
}
