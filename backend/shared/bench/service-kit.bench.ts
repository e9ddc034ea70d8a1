// What the service kit costs per request: a bare Fastify app against one built with
// createServiceApp (request context, drain, request log, metrics, error handling), both
// answering the same route through inject(), so no network noise. Run: npm run bench.
import { Writable } from 'node:stream';
import { fastify } from 'fastify';
import { bench, describe } from 'vitest';
import { createLogger, createMetrics, createServiceApp } from '../src/index.js';

const discard = new Writable({
  write(_chunk, _encoding, callback) {
    callback();
  },
});
const logger = createLogger({
  service: 'bench',
  env: 'production',
  instanceId: 'bench-1',
  destination: discard,
});

const bare = fastify();
bare.get('/tools/:slug', (request) => ({ slug: (request.params as { slug: string }).slug }));

const kit = createServiceApp({
  service: 'bench',
  instanceId: 'bench-1',
  logger,
  metrics: createMetrics({ service: 'bench', instanceId: 'bench-1', defaultMetrics: false }),
});
kit.get('/tools/:slug', (request) => ({ slug: (request.params as { slug: string }).slug }));

const headers = {
  'x-request-id': 'bench-request',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

describe('GET /tools/:slug through inject()', async () => {
  await Promise.all([bare.ready(), kit.ready()]);

  bench('bare Fastify', async () => {
    await bare.inject({ url: '/tools/cursor', headers });
  });

  bench('Fastify with the service kit', async () => {
    await kit.inject({ url: '/tools/cursor', headers });
  });
});
