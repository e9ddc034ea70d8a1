import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startProcess, waitForHttp, type RunningProcess } from './processes.js';
import { REPO_ROOT } from './repo-tree.js';

const nginx = requireProgram('nginx');

describe.skipIf(!nginx)('frontend image nginx config (frontend/nginx) with Debian nginx', () => {
  let dir = '';
  let server: RunningProcess;
  let base = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'frontend-nginx-'));
    // The image: built files in /usr/share/nginx/html, the template rendered into /tmp at start.
    cpSync(join(REPO_ROOT, 'frontend', 'nginx'), dir, { recursive: true });
    const html = join(dir, 'html');
    const runDir = join(dir, 'run');
    mkdirSync(join(html, 'assets'), { recursive: true });
    mkdirSync(runDir);
    writeFileSync(join(html, 'index.html'), '<!doctype html><title>CodiesVibe</title>');
    writeFileSync(join(html, 'assets', 'app-1234.js'), 'console.log(1);');
    // nginx workers run as nobody here (as nginx in the image): they must read the files.
    chmodSync(dir, 0o755);
    const port = await freePort();
    const template = readFileSync(join(dir, 'templates', 'default.conf.template'), 'utf8');
    writeFileSync(
      join(runDir, 'default.conf'),
      template
        .replace('${API_BASE_URL}', 'https://api.example')
        .replace('listen 8080 default_server;', `listen 127.0.0.1:${port} default_server;`)
        .replace('root /usr/share/nginx/html;', `root ${html};`),
    );
    const config = join(dir, 'nginx.conf');
    writeFileSync(
      config,
      readFileSync(config, 'utf8')
        .replaceAll('/tmp/', `${runDir}/`)
        .replace('access_log /dev/stdout json;', `access_log ${runDir}/access.log json;`),
    );
    server = startProcess([nginx as string, '-e', 'stderr', '-p', dir, '-c', config, '-g', 'daemon off;']);
    base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`, server);
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the runtime config from the environment, never cached', async () => {
    const response = await fetch(`${base}/config.js`);
    expect(response.headers.get('content-type')).toBe('application/javascript');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe("window.__CODIESVIBE_CONFIG__ = { apiBaseUrl: 'https://api.example' };\n");
  });

  it('falls back to index.html for client-side routes', async () => {
    const response = await fetch(`${base}/tools/cursor`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>CodiesVibe</title>');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('caches fingerprinted assets for a year and 404s missing ones', async () => {
    const asset = await fetch(`${base}/assets/app-1234.js`);
    expect(await asset.text()).toBe('console.log(1);');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('answers the container healthcheck', async () => {
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
  });
});
