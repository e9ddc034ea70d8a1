import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { createRequestContext, type RequestContext } from '../context/request-context.js';

/**
 * Fastify asks for the request id before any hook runs; the context made then is kept on the raw
 * request for onRequest. A field rather than a WeakMap keyed by the request: an entry per request
 * cost an ephemeron write barrier and GC work that showed in the services' profiles.
 */
const EARLY_CONTEXT = Symbol('earlyRequestContext');
type RawRequestWithContext = IncomingMessage & { [EARLY_CONTEXT]?: RequestContext };

/** The context `genReqId` built for this raw request, if the service options were used. */
export function takeEarlyContext(raw: IncomingMessage): RequestContext | undefined {
  const withContext = raw as RawRequestWithContext;
  const context = withContext[EARLY_CONTEXT];
  if (context !== undefined) withContext[EARLY_CONTEXT] = undefined;
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
      (raw as RawRequestWithContext)[EARLY_CONTEXT] = context;
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
