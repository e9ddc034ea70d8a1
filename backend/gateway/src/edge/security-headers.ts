import helmet from 'helmet';

/**
 * Helmet's security headers for the gateway, computed once at start (Helmet's middleware would
 * rebuild them on every request). The Content-Security-Policy fits the React frontend served
 * through the gateway: same-origin scripts, API calls and config, inline styles (React style
 * props), images from anywhere over https. Development additionally allows what Vite's dev
 * server needs (inline preamble, eval for source maps, the HMR websocket).
 */
export function securityHeaders(mode: 'development' | 'production', audience: 'document' | 'api' = 'document'): Record<string, string> {
  const development = mode === 'development';
  // API answers (JSON, SSE) are not rendered as pages: the headers that only steer how a browser
  // treats a document (DNS prefetch, IE download handling, Flash policies, agent clusters, the
  // legacy XSS filter, opener isolation) are noise there, and every header costs on every request.
  const api = audience === 'api';
  const middleware = helmet({
    dnsPrefetchControl: !api,
    ieNoOpen: !api,
    permittedCrossDomainPolicies: !api,
    originAgentCluster: !api,
    xssFilter: !api,
    crossOriginOpenerPolicy: !api,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': development ? ["'self'", "'unsafe-inline'", "'unsafe-eval'"] : ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'https:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': development ? ["'self'", 'ws:', 'wss:'] : ["'self'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
      },
    },
    // HSTS only means something over TLS, which the edge in front of us terminates in production.
    strictTransportSecurity: development ? false : { maxAge: 15_552_000, includeSubDomains: true },
    crossOriginEmbedderPolicy: false,
  });
  const headers: Record<string, string> = {};
  const collector = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  middleware({} as never, collector as never, (error?: unknown) => {
    failure = error;
  });
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error('helmet rejected the security header options');
  return headers;
}
