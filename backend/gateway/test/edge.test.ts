import { request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGateway } from './support/gateway-under-test.js';
import { startReplicas, type UpstreamProcess } from './support/upstream-process.js';

interface Echo {
  replica: string;
  headers: Record<string, string>;
  body: string;
}

/** A raw HTTP/1.1 request, so the test controls every header (fetch forbids Connection, TE ...). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('edge duties', () => {
  let replicas: UpstreamProcess[];
  let gateway: { app: FastifyInstance; url: string };

  beforeAll(async () => {
    replicas = await startReplicas(1);
  });
  afterEach(async () => {
    await gateway?.app.close();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.kill()));
  });

  const start = async (env: Record<string, string> = {}) => {
    gateway = await startGateway({ API_UPSTREAM: replicas[0]!.url, ...env });
  };

  it('does not believe X-Forwarded-For from an untrusted client', async () => {
    await start();
    const response = await rawGet(`${gateway.url}/api/tools`, { 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.6', forwarded: 'for=6.6.6.6' });
    const echo = JSON.parse(response.body) as Echo;
    expect(echo.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(echo.headers['x-real-ip']).toBe('127.0.0.1');
    expect(echo.headers.forwarded).toBeUndefined();
  });

  it('extends the chain of a trusted proxy and takes the client address from it', async () => {
    await start({ TRUSTED_PROXIES: '127.0.0.1' });
    const response = await rawGet(`${gateway.url}/api/tools`, { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' });
    const echo = JSON.parse(response.body) as Echo;
    expect(echo.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(echo.headers['x-real-ip']).toBe('203.0.113.7');
    expect(echo.headers['x-forwarded-proto']).toBe('https');
  });

  it('strips hop-by-hop headers both ways and forwards the request id and trace', async () => {
    await start();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await rawGet(`${gateway.url}/api/tools`, {
      connection: 'keep-alive, x-hop-secret',
      'x-hop-secret': 'do-not-forward',
      'proxy-authorization': 'Basic c2VjcmV0',
      te: 'trailers',
      'x-request-id': 'req-123',
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    const echo = JSON.parse(response.body) as Echo;
    expect(echo.headers['x-hop-secret']).toBeUndefined();
    expect(echo.headers['proxy-authorization']).toBeUndefined();
    expect(echo.headers.te).toBeUndefined();
    expect(echo.headers['x-request-id']).toBe('req-123');
    expect(echo.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(echo.headers.traceparent).not.toContain('00f067aa0ba902b7');
    // The upstream answered with Keep-Alive: timeout=5, which describes its connection, not ours.
    expect(response.headers['keep-alive']).not.toBe('timeout=5');
    expect(response.headers['x-request-id']).toBe('req-123');
  });

  it('adds security headers with a CSP fit for the frontend, and lets an upstream set its own', async () => {
    await start({ NODE_ENV: 'production', CODIESVIBE_EMBEDDED: 'REDIS_URL' });
    const response = await fetch(`${gateway.url}/api/tools`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('answers CORS preflights for configured origins only', async () => {
    await start({ CORS_ORIGINS: 'https://app.example' });
    const allowed = await fetch(`${gateway.url}/api/tools`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const simple = await fetch(`${gateway.url}/api/tools`, { headers: { origin: 'https://app.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const other = await fetch(`${gateway.url}/api/tools`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over the limit with 413', async () => {
    await start({ BODY_LIMIT_BYTES: '1024' });
    const response = await fetch(`${gateway.url}/api/tools`, { method: 'POST', body: 'x'.repeat(4096), headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'CV_ERR_PAYLOAD_TOO_LARGE' });
  });

  it('relays request bodies of any type byte for byte', async () => {
    await start();
    const response = await fetch(`${gateway.url}/api/tools`, { method: 'PUT', body: 'plain body ✓', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(((await response.json()) as Echo).body).toBe('plain body ✓');
  });

  it('rate-limits per client address, and a spoofed X-Forwarded-For does not escape the limit', async () => {
    await start({ RATE_LIMIT_MAX: '3' });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await rawGet(`${gateway.url}/api/tools`, { 'x-forwarded-for': `10.0.0.${attempt}` });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(JSON.parse(response.body)).toMatchObject({ code: 'CV_ERR_RATE_LIMITED' });
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    // An API key is its own client with its own budget; health is never limited.
    expect((await fetch(`${gateway.url}/api/tools`, { headers: { 'x-api-key': 'key-1' } })).status).toBe(200);
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });

  it('routes by whole path segments, as decoded, and keeps its own paths and other methods to itself', async () => {
    await start();
    const encoded = await rawGet(`${gateway.url}/%61pi/tools`, {});
    expect((JSON.parse(encoded.body) as Echo).replica).toBe('a');
    // `/apix` is not under `/api`: it goes to the frontend upstream, which is down in this test.
    expect([502, 503]).toContain((await fetch(`${gateway.url}/apix`)).status);
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/api/tools`, { method: 'PROPFIND' })).status).toBe(404);
  });

  it('reports every upstream and replica in /health/ready: 503 without the API, degraded without the frontend', async () => {
    // The AI upstream is the same live replica; MCP and the frontend point at a closed port.
    gateway = await startGateway({ API_UPSTREAM: replicas[0]!.url, AI_UPSTREAM: replicas[0]!.url });
    type Report = { status: string; checks: Record<string, { status: string; critical: boolean; details?: { replicas: { origin: string }[] } }> };
    await eventually('the first probes take the dead upstreams out', async () => {
      const report = (await (await fetch(`${gateway.url}/health/ready`)).json()) as Report;
      return report.checks['upstream:frontend']?.status === 'down';
    });
    const response = await fetch(`${gateway.url}/health/ready`);
    const report = (await response.json()) as Report;
    expect(response.status).toBe(200);
    expect(report.status).toBe('degraded');
    expect(Object.keys(report.checks).sort()).toEqual(['upstream:fastify-api', 'upstream:frontend', 'upstream:mcp-server', 'upstream:nestjs-api']);
    expect(report.checks['upstream:nestjs-api']?.details?.replicas.map((replica) => replica.origin)).toEqual([replicas[0]!.url]);
    await gateway.app.close();

    gateway = await startGateway({ AI_UPSTREAM: replicas[0]!.url });
    await eventually('readiness turns 503 once the API replica fails its probe', async () => (await fetch(`${gateway.url}/health/ready`)).status === 503);
  });
});
