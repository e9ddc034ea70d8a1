import type { IncomingMessage } from 'node:http';
import { createRequestContext, type RequestContext } from '@codiesvibe/shared';

const CONTEXT = Symbol('codiesvibe.gateway.requestContext');

type RawWithContext = IncomingMessage & { [CONTEXT]?: RequestContext };

/**
 * Fastify's `genReqId` for the gateway: builds the request's context (the kit's rules: a safe
 * incoming `x-request-id` or a new one; the caller's trace continued with a new span) once, and
 * keeps it on the raw request for the proxy routes, which skip the kit's per-request hooks.
 */
export function generateRequestId(raw: IncomingMessage): string {
  const context = createRequestContext(raw.headers);
  (raw as RawWithContext)[CONTEXT] = context;
  return context.requestId;
}

/** The context `generateRequestId` built for this request (a fresh one if it did not run). */
export function requestContextOf(raw: IncomingMessage): RequestContext {
  return (raw as RawWithContext)[CONTEXT] ?? createRequestContext(raw.headers);
}
