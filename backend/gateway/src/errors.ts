/**
 * Every error the gateway itself answers with. Upstream errors pass through untouched; these are
 * the ones that originate here. Codes are the platform's stable `CV_ERR_*` codes; the message
 * says which gateway condition produced them.
 */
export const GatewayErrors = {
  noHealthyReplica: { statusCode: 503, error: 'Service Unavailable', code: 'CV_ERR_UNAVAILABLE', message: 'no healthy replica of the upstream is available' },
  circuitOpen: { statusCode: 503, error: 'Service Unavailable', code: 'CV_ERR_UNAVAILABLE', message: 'the upstream is failing; its circuit breaker is open' },
  upstreamTimeout: { statusCode: 504, error: 'Gateway Timeout', code: 'CV_ERR_GATEWAY_TIMEOUT', message: 'the upstream did not answer in time' },
  upstreamUnreachable: { statusCode: 502, error: 'Bad Gateway', code: 'CV_ERR_BAD_GATEWAY', message: 'the upstream could not be reached' },
  draining: { statusCode: 503, error: 'Service Unavailable', code: 'CV_ERR_UNAVAILABLE', message: 'the gateway is shutting down; retry' },
  rateLimited: { statusCode: 429, error: 'Too Many Requests', code: 'CV_ERR_RATE_LIMITED', message: 'rate limit exceeded' },
  bodyTooLarge: { statusCode: 413, error: 'Payload Too Large', code: 'CV_ERR_PAYLOAD_TOO_LARGE', message: 'the request body exceeds the limit' },
  routeNotFound: { statusCode: 404, error: 'Not Found', code: 'CV_ERR_ROUTE_NOT_FOUND', message: 'no route matches this path' },
  internal: { statusCode: 500, error: 'Internal Server Error', code: 'CV_ERR_INTERNAL', message: 'the gateway failed to handle the request' },
} as const;

export type GatewayErrorKind = keyof typeof GatewayErrors;

/** The JSON body of an error answered by the gateway (the ApiErrorBody contract). */
export interface GatewayErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  requestId?: string;
}

/** Builds the body of a gateway error, optionally with a more specific message. */
export function gatewayErrorBody(kind: GatewayErrorKind, requestId?: string, message?: string): GatewayErrorBody {
  const known = GatewayErrors[kind];
  return { statusCode: known.statusCode, error: known.error, code: known.code, message: message ?? known.message, requestId };
}
