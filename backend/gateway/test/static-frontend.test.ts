import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from './support/gateway-under-test.js';

describe('frontend served from FRONTEND_DIR', () => {
  let directory: string;
  let gateway: { app: FastifyInstance; url: string };

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'gateway-frontend-'));
    mkdirSync(join(directory, 'assets'));
    writeFileSync(join(directory, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(directory, 'assets', 'index-BzX81qk2.js'), 'console.log(1)');
    writeFileSync(join(directory, 'config.js'), "window.__CODIESVIBE_CONFIG__ = { apiBaseUrl: '' };");
    gateway = await startGateway({ FRONTEND_DIR: directory });
  });
  afterAll(async () => {
    await gateway?.app.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves hashed assets as immutable and the runtime config revalidated', async () => {
    const asset = await fetch(`${gateway.url}/assets/index-BzX81qk2.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const config = await fetch(`${gateway.url}/config.js`);
    expect(config.headers.get('cache-control')).toBe('no-cache');
    expect(await config.text()).toContain('__CODIESVIBE_CONFIG__');
  });

  it('answers index.html, not cached, for client-side routes and the root', async () => {
    for (const path of ['/', '/tools/cursor']) {
      const response = await fetch(`${gateway.url}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it('answers 404 for a missing file instead of the app', async () => {
    const response = await fetch(`${gateway.url}/assets/missing-12345678.js`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'CV_ERR_ROUTE_NOT_FOUND' });
  });
});
