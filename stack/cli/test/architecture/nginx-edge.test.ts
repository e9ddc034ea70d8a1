import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startProcess, waitForHttp, type RunningProcess } from './processes.js';
import { REPO_ROOT } from './repo-tree.js';

const nginx = requireProgram('nginx');

/**
 * The edge config as the container sees it, moved into `dir`: the template rendered like the
 * image's envsubst step, absolute container paths (/etc/nginx, /tmp) pointed into `dir`, and the
 * listen port changed so it can run next to anything else, the access log sent to a file.
 */
function renderEdgeConfig(dir: string, upstreams: { gateway: string; frontend: string }, port: number): string {
  cpSync(join(REPO_ROOT, 'config', 'nginx'), dir, { recursive: true });
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  const template = readFileSync(join(dir, 'templates', 'upstreams.conf.template'), 'utf8');
  writeFileSync(
    join(runDir, 'upstreams.conf'),
    template.replace('${EDGE_GATEWAY_ADDR}', upstreams.gateway).replace('${EDGE_FRONTEND_ADDR}', upstreams.frontend),
  );
  const files = ['nginx.conf', ...readdirSync(join(dir, 'conf.d')).map((name) => join('conf.d', name))];
  files.push(...readdirSync(join(dir, 'snippets')).map((name) => join('snippets', name)));
  for (const file of files) {
    const path = join(dir, file);
    // /tmp first: the temporary directory itself lives under /tmp.
    const text = readFileSync(path, 'utf8')
      .replaceAll('/tmp/', `${runDir}/`)
      .replaceAll('/etc/nginx/conf.d', join(dir, 'conf.d'))
      .replaceAll('/etc/nginx/snippets', join(dir, 'snippets'))
      .replace('listen 8080 default_server;', `listen 127.0.0.1:${port} default_server;`)
      // Node's stdio pipes are sockets, which cannot be opened as /dev/stdout.
      .replace('access_log /dev/stdout json;', `access_log ${runDir}/access.log json;`);
    writeFileSync(path, text);
  }
  return join(dir, 'nginx.conf');
}

/** An HTTP server on port 0 that answers with its own name and the path it got. */
async function stubUpstream(name: string): Promise<{ server: Server; address: string; headers: Record<string, string | string[] | undefined>[] }> {
  const headers: Record<string, string | string[] | undefined>[] = [];
  const server = createServer((request, response) => {
    headers.push(request.headers);
    response.setHeader('content-type', 'text/plain');
    response.setHeader('x-frame-options', 'SAMEORIGIN');
    response.end(`${name} ${request.url ?? ''}`);
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  return { server, address: `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, headers };
}

describe.skipIf(!nginx)('nginx edge config (config/nginx) with Debian nginx', () => {
  let dir = '';
  let gateway: Awaited<ReturnType<typeof stubUpstream>>;
  let frontend: Awaited<ReturnType<typeof stubUpstream>>;
  let edge: RunningProcess;
  let base = '';
  let config = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edge-nginx-'));
    gateway = await stubUpstream('gateway');
    frontend = await stubUpstream('frontend');
    const port = await freePort();
    config = renderEdgeConfig(dir, { gateway: gateway.address, frontend: frontend.address }, port);
    edge = startProcess([nginx as string, '-e', 'stderr', '-p', dir, '-c', config, '-g', 'daemon off;']);
    base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/nginx-health`, edge);
  });

  afterAll(async () => {
    await edge?.stop();
    gateway?.server.close();
    frontend?.server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes nginx -t', () => {
    const output = execFileSync(nginx as string, ['-t', '-e', 'stderr', '-p', dir, '-c', config], { encoding: 'utf8', stdio: 'pipe' });
    expect(output).toBe('');
  });

  it('answers its own health check', async () => {
    const response = await fetch(`${base}/nginx-health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok\n');
  });

  it('routes the API, AI and MCP to the gateway and everything else to the frontend', async () => {
    expect(await (await fetch(`${base}/api/tools?q=x`)).text()).toBe('gateway /api/tools?q=x');
    expect(await (await fetch(`${base}/ai/search`)).text()).toBe('gateway /ai/search');
    expect(await (await fetch(`${base}/mcp`)).text()).toBe('gateway /mcp');
    expect(await (await fetch(`${base}/tools/cursor`)).text()).toBe('frontend /tools/cursor');
  });

  it('passes a request id and the client address to the gateway', async () => {
    await fetch(`${base}/api/tools`);
    const seen = gateway.headers.at(-1) ?? {};
    expect(seen['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('keeps service metrics private', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it('sends each security header once, the edge value winning over the upstream one', async () => {
    const response = await fetch(`${base}/api/tools`);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('server')).toBe('nginx');
  });
});
