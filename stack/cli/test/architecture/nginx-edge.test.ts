import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseComposeYaml } from '@codiesvibe/compose';
import { requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRecord } from '../../src/validate/compose-model.js';
import { startStubDns, type StubDnsServer } from './dns-server.js';
import { freePort, startProcess, waitForHttp, type RunningProcess } from './processes.js';
import { REPO_ROOT } from './repo-tree.js';

const nginx = requireProgram('nginx');
const NGINX_CONFIG = join(REPO_ROOT, 'config', 'nginx');

/** The nginx service's environment as the infrastructure file writes it. */
function edgeEnvironment(): Record<string, string> {
  const file = join(REPO_ROOT, 'docker-compose', 'infrastructure', 'docker-compose.infra.yml');
  const [document] = parseComposeYaml(readFileSync(file, 'utf8'), file);
  const environment = asRecord(asRecord(asRecord(asRecord(document?.value)?.services)?.nginx)?.environment) ?? {};
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value)]));
}

/** What the nginx image's envsubst step does: `$NAME` and `${NAME}` of defined variables only. */
function envsubst(text: string, environment: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, bare?: string) => {
    const value = environment[braced ?? bare ?? ''];
    return value === undefined ? whole : value;
  });
}

/**
 * The edge config as the container sees it, moved into `dir`: the templates rendered like the
 * image's envsubst step with `environment`, absolute container paths (/etc/nginx, /tmp) pointed
 * into `dir`, the listen port changed so it can run next to anything else, the access log sent to
 * a file, and `rewrite` applied to the rendered upstreams (e.g. a shorter resolver cache).
 */
function renderEdgeConfig(dir: string, environment: Record<string, string>, port: number, rewrite = (text: string) => text): string {
  cpSync(NGINX_CONFIG, dir, { recursive: true });
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  for (const name of readdirSync(join(dir, 'templates'))) {
    const rendered = envsubst(readFileSync(join(dir, 'templates', name), 'utf8'), environment);
    writeFileSync(join(runDir, name.replace(/\.template$/, '')), rewrite(rendered));
  }
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

/** An HTTP server that answers with its own name and the path it got. */
async function stubUpstream(
  name: string,
  host = '127.0.0.1',
  port = 0,
): Promise<{ server: Server; address: string; port: number; headers: Record<string, string | string[] | undefined>[] }> {
  const headers: Record<string, string | string[] | undefined>[] = [];
  const server = createServer((request, response) => {
    headers.push(request.headers);
    response.setHeader('content-type', 'text/plain');
    response.setHeader('x-frame-options', 'SAMEORIGIN');
    response.end(`${name} ${request.url ?? ''}`);
  });
  await new Promise<void>((resolveListen) => server.listen(port, host, resolveListen));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : 0;
  return { server, address: `${host}:${bound}`, port: bound, headers };
}

/** Fetches `url` until its body satisfies `accept` (nginx re-resolves on its own schedule). */
async function eventually(url: string, accept: (status: number, body: string) => boolean, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(url);
    last = `${response.status} ${await response.text()}`;
    if (accept(response.status, last)) return last;
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 200));
  }
  throw new Error(`${url} never gave the expected answer; last: ${last}`);
}

describe('nginx edge config (config/nginx): the native-runner contract', () => {
  it('takes every upstream address from an EDGE_* variable the nginx service defines', () => {
    const environment = edgeEnvironment();
    const templates = readdirSync(join(NGINX_CONFIG, 'templates')).map((name) => readFileSync(join(NGINX_CONFIG, 'templates', name), 'utf8'));
    const used = new Set(templates.flatMap((text) => [...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)].map((match) => match[1] as string)));
    expect([...used].sort()).toEqual(Object.keys(environment).filter((key) => key.startsWith('EDGE_')).sort());
    const confFiles = readdirSync(join(NGINX_CONFIG, 'conf.d')).map((name) => readFileSync(join(NGINX_CONFIG, 'conf.d', name), 'utf8'));
    const targets = confFiles.flatMap((text) => [...text.matchAll(/proxy_pass\s+([^;]+);/g)].map((match) => match[1]));
    expect(targets.length).toBeGreaterThan(0);
    // A variable, resolved per request: never a literal service name or an `upstream` block.
    for (const target of targets) expect(target).toMatch(/^http:\/\/\$edge_[a-z]+$/);
  });
});

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
    // Natively: loopback addresses, so nothing is ever resolved.
    config = renderEdgeConfig(
      dir,
      { ...edgeEnvironment(), EDGE_GATEWAY_ADDR: gateway.address, EDGE_FRONTEND_ADDR: frontend.address, EDGE_GRAFANA_ADDR: '127.0.0.1:9' },
      port,
    );
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

  it('routes the API, AI, MCP and the pages the gateway renders to the gateway, everything else to the frontend', async () => {
    expect(await (await fetch(`${base}/api/tools?q=x`)).text()).toBe('gateway /api/tools?q=x');
    expect(await (await fetch(`${base}/ai/search`)).text()).toBe('gateway /ai/search');
    expect(await (await fetch(`${base}/mcp`)).text()).toBe('gateway /mcp');
    expect(await (await fetch(`${base}/tools/cursor`)).text()).toBe('gateway /tools/cursor');
    expect(await (await fetch(`${base}/sitemap.xml`)).text()).toBe('gateway /sitemap.xml');
    expect(await (await fetch(`${base}/robots.txt`)).text()).toBe('gateway /robots.txt');
    expect(await (await fetch(`${base}/compare?tools=a,b`)).text()).toBe('frontend /compare?tools=a,b');
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

  it('answers /stub_status to loopback only, where the nginx exporter asks from (it shares the edge\'s network namespace)', async () => {
    const fromLoopback = await fetch(`${base}/stub_status`);
    expect(fromLoopback.status).toBe(200);
    expect(await fromLoopback.text()).toMatch(/^Active connections: \d+/);
    // Any other source address, here another address of the loopback network, is refused.
    const status = await new Promise<number>((resolve, reject) => {
      const call = request(`${base}/stub_status`, { localAddress: '127.0.0.2' }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      call.on('error', reject);
      call.end();
    });
    expect(status).toBe(403);
  });

  it('answers 502 for Grafana when it is not running, instead of failing to start', async () => {
    expect((await fetch(`${base}/grafana/`)).status).toBe(502);
  });

  it('sends each security header once, the edge value winning over the upstream one', async () => {
    const response = await fetch(`${base}/api/tools`);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('server')).toBe('nginx');
  });
});

// Under Compose the addresses are service names resolved by Docker's DNS. nginx must resolve them
// per request: a recreated gateway gets a new address, and nginx must follow it without a restart.
describe.skipIf(!nginx)('nginx edge config: per-request resolution of the upstream names', () => {
  let dir = '';
  let dns: StubDnsServer;
  let first: Awaited<ReturnType<typeof stubUpstream>>;
  let second: Awaited<ReturnType<typeof stubUpstream>>;
  let frontend: Awaited<ReturnType<typeof stubUpstream>>;
  let edge: RunningProcess;
  let base = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edge-nginx-dns-'));
    dns = await startStubDns();
    // Two instances of the gateway on the same port, as a recreated container would be.
    first = await stubUpstream('gateway-1', '127.0.0.1');
    second = await stubUpstream('gateway-2', '127.0.0.2', first.port);
    frontend = await stubUpstream('frontend');
    const port = await freePort();
    const config = renderEdgeConfig(
      dir,
      {
        ...edgeEnvironment(),
        EDGE_RESOLVER: dns.address,
        EDGE_GATEWAY_ADDR: `gateway.test:${first.port}`,
        EDGE_FRONTEND_ADDR: frontend.address,
        EDGE_GRAFANA_ADDR: 'grafana.test:3000',
      },
      port,
      // Docker's DNS answers with a long TTL, which `valid` overrides; a shorter one keeps this fast.
      (text) => text.replace(/valid=\d+s/, 'valid=1s'),
    );
    // The gateway does not exist yet: nginx must start anyway.
    edge = startProcess([nginx as string, '-e', 'stderr', '-p', dir, '-c', config, '-g', 'daemon off;']);
    base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/nginx-health`, edge);
  });

  afterAll(async () => {
    await edge?.stop();
    for (const upstream of [first, second, frontend]) upstream?.server.close();
    await dns?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts without the gateway, then finds it and follows it to a new address', async () => {
    expect((await fetch(`${base}/api/tools`)).status).toBe(502);
    dns.set('gateway.test', '127.0.0.1');
    expect(await eventually(`${base}/api/tools`, (status) => status === 200)).toBe('200 gateway-1 /api/tools');
    dns.set('gateway.test', '127.0.0.2');
    expect(await eventually(`${base}/api/tools`, (_status, body) => body.includes('gateway-2'))).toBe('200 gateway-2 /api/tools');
  });
});
