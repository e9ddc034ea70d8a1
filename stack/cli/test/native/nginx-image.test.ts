import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectSync } from '@codiesvibe/compose';
import { freePort, requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogMultiplexer } from '../../src/native/log-multiplexer.js';
import { envsubst, hostNginxConfDir, renderNginxImage, testNginxConfig, type NginxImageInput } from '../../src/native/nginx-image.js';
import { ProcessSupervisor } from '../../src/native/process-supervisor.js';
import { writeRuntimeFiles } from '../../src/native/runtime-files.js';

// The repository's own config/nginx, as the production model mounts it, rendered natively and run
// by the real nginx in front of a stand-in gateway.
const REPO = join(import.meta.dirname, '..', '..', '..', '..');
const nginx = requireProgram('nginx');
const work = mkdtempSync(join(tmpdir(), 'stack-nginx-'));
let upstream: Server;
let upstreamPort: number;
const seen: { url?: string; forwardedFor?: string }[] = [];

beforeAll(async () => {
  upstream = createServer((request, response) => {
    seen.push({ url: request.url, forwardedFor: request.headers['x-forwarded-for'] as string | undefined });
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ served: request.url }));
  });
  upstreamPort = await freePort();
  await new Promise<void>((resolve) => upstream.listen(upstreamPort, '127.0.0.1', resolve));
});
afterAll(() => {
  upstream.close();
  rmSync(work, { recursive: true, force: true });
});

async function productionEdge(configDir = join(REPO, 'config', 'nginx')): Promise<NginxImageInput> {
  const edgePort = await freePort();
  const { project } = loadProjectSync({
    cwd: REPO,
    envFiles: [join(REPO, '.env.production.example')],
    env: { PATH: process.env.PATH, CODIESVIBE_ENV: 'production', EDGE_HTTP_PORT: String(edgePort) },
    services: ['nginx'],
    noConsistency: true,
  });
  const service = project.services.nginx!;
  const environment = Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, value ?? '']));
  // What the plan builder does with service names: loopback addresses.
  environment.EDGE_GATEWAY_ADDR = `127.0.0.1:${upstreamPort}`;
  environment.EDGE_FRONTEND_ADDR = `127.0.0.1:${upstreamPort}`;
  return {
    service: 'nginx',
    binds: (service.volumes ?? []).map((volume) => ({ source: volume.source!.replace(join(REPO, 'config', 'nginx'), configDir), target: volume.target! })),
    tmpfs: (service.tmpfs as string[] | undefined) ?? [],
    environment,
    ports: (service.ports ?? []).map((port) => ({ target: port.target, published: Number(port.published) })),
    renderRoot: join(work, `root-${edgePort}`),
    hostConfDir: nginx ? hostNginxConfDir(nginx) : '/etc/nginx',
    runsAsRoot: process.getuid?.() === 0,
  };
}

describe.skipIf(!nginx)('the nginx image natively (real nginx, the repository config)', () => {
  it('renders the template, maps every mount into its own folder, and passes nginx -t', async () => {
    const input = await productionEdge();
    const rendered = renderNginxImage(input);
    writeRuntimeFiles(rendered.dirs, rendered.files);
    const upstreams = readFileSync(join(input.renderRoot, 'tmp', 'upstreams.conf'), 'utf8');
    expect(upstreams).toContain(`"127.0.0.1:${upstreamPort}"`);
    const main = readFileSync(join(input.renderRoot, 'etc', 'nginx', 'nginx.conf'), 'utf8');
    expect(main).toContain(`include ${join(input.renderRoot, 'tmp', 'upstreams.conf')};`);
    expect(main).toContain(`pid ${join(input.renderRoot, 'tmp', 'nginx.pid')};`);
    expect(readFileSync(join(input.renderRoot, 'etc', 'nginx', 'conf.d', 'edge.conf'), 'utf8')).toContain(`listen ${input.ports[0]!.published} default_server;`);
    expect(testNginxConfig(nginx!, rendered, (file) => file)).toBeUndefined();
  });

  it('runs in front of an upstream, writes its JSON access log to its output, and stops on SIGQUIT', async () => {
    const input = await productionEdge();
    const rendered = renderNginxImage(input);
    writeRuntimeFiles(rendered.dirs, rendered.files);
    const port = input.ports[0]!.published;
    const lines: string[] = [];
    const logs = new LogMultiplexer((text) => lines.push(text), join(work, 'logs'), ['nginx']);
    const supervisor = new ProcessSupervisor(
      [
        {
          name: 'nginx',
          service: 'nginx',
          replica: 1,
          argv: [nginx!, ...rendered.args],
          cwd: work,
          env: { PATH: process.env.PATH ?? '' },
          port,
          health: { http: `http://127.0.0.1:${port}/nginx-health` },
          dependsOn: [],
          restart: 'no',
          startTimeoutMs: 20_000,
          stopSignal: 'SIGQUIT',
          fifoDir: join(work, 'fifo'),
        },
      ],
      { logs },
    );
    await supervisor.start();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/tools?q=x`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ served: '/api/tools?q=x' });
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(seen.at(-1)?.forwardedFor).toBe('203.0.113.9, 127.0.0.1');
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      await expect.poll(() => lines.join(''), { timeout: 5000 }).toContain('"uri":"/api/tools?q=x","status":200');
    } finally {
      await supervisor.stop();
    }
    expect(supervisor.status()[0]!.state).toBe('stopped');
  });

  it('names the project file and line of a config that fails nginx -t', async () => {
    const broken = join(work, 'broken-config');
    cpSync(join(REPO, 'config', 'nginx'), broken, { recursive: true });
    const edge = join(broken, 'conf.d', 'edge.conf');
    writeFileSync(edge, readFileSync(edge, 'utf8').replace('server_name _;', 'server_name _;\n  proxy_bogus on;'));
    const input = await productionEdge(broken);
    const rendered = renderNginxImage(input);
    writeRuntimeFiles(rendered.dirs, rendered.files);
    expect(testNginxConfig(nginx!, rendered, (file) => file)).toBe(`unknown directive "proxy_bogus" in ${edge}:4`);
  });
});

describe('envsubst as the image runs it', () => {
  it('replaces defined variables only, so nginx variables stay', () => {
    const defined = new Map([['EDGE_ADDR', '127.0.0.1:9']]);
    expect(envsubst('server ${EDGE_ADDR}; $EDGE_ADDR $host ${UNSET}', defined)).toBe('server 127.0.0.1:9; 127.0.0.1:9 $host ${UNSET}');
  });
});
