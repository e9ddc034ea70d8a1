import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rewriteEnvironment } from '../../src/native/address-rewrite.js';
import { buildNativePlan, type NativeProjectInput } from '../../src/native/native-plan-builder.js';
import { startupTiers } from '../../src/native/native-plan.js';
import { API_PORT, GATEWAY_PORT } from '../support/example-ports.js';

const root = mkdtempSync(join(tmpdir(), 'stack-plan-'));
writeFileSync(join(root, 'package.json'), '{}');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const node = (entry: string, extra: object = {}) => ({
  'x-native': { command: ['node', entry], health: '/health/ready', ...extra },
});

function project(services: NativeProjectInput['services']): NativeProjectInput {
  return { name: 'demo', workingDir: join(root, 'docker-compose'), services };
}

describe('buildNativePlan', () => {

  it('without an nginx edge, puts a switch on the port users reach in front of the entrypoint when asked (production-like), and gives the balancer an upstreams file', async () => {
    const services: NativeProjectInput['services'] = {
      api: { ...node('api.js'), environment: { PORT: API_PORT }, deploy: { replicas: 2 } },
      gateway: {
        ...node('gateway.js', { entrypoint: true, replicaLists: ['API_UPSTREAM'] }),
        environment: { PORT: GATEWAY_PORT, API_UPSTREAM: `http://api:${API_PORT}` },
        ports: [{ target: Number(GATEWAY_PORT), published: GATEWAY_PORT }],
        depends_on: { api: {} },
      },
    };
    const plain = await buildNativePlan(project(services), { findProgram: () => undefined });
    expect(plain.switches).toEqual([]);
    expect(plain.processes.find((spec) => spec.name === 'gateway')!.port).toBe(Number(GATEWAY_PORT));

    const plan = await buildNativePlan(project(services), { findProgram: () => undefined, entrySwitch: true });
    const gateway = plan.processes.find((spec) => spec.name === 'gateway')!;
    expect(plan.switches).toEqual([{ service: 'gateway', port: Number(GATEWAY_PORT), target: gateway.port }]);
    expect(gateway.port).not.toBe(Number(GATEWAY_PORT));
    expect(gateway.env.PORT).toBe(String(gateway.port));
    expect(plan.entrypointUrl).toBe(`http://localhost:${GATEWAY_PORT}/`);
    // The balancer's lists may change while it runs: they are in a file named in its environment.
    const apiPorts = plan.processes.filter((spec) => spec.service === 'api').map((spec) => spec.port);
    expect(gateway.env.API_UPSTREAM).toBe(apiPorts.map((port) => `http://127.0.0.1:${port}`).join(','));
    expect(gateway.upstreamsFile).toEqual({ path: join(root, '.stack', 'native', 'demo', 'run', 'upstreams', 'gateway.json'), variables: ['API_UPSTREAM'] });
    expect(gateway.env.UPSTREAMS_FILE).toBe(gateway.upstreamsFile!.path);
  });
  it('rewrites service URLs to loopback ports and drops the ones of embedded services', async () => {
    const plan = await buildNativePlan(
      project({
        mongodb: { 'x-native': { embedded: 'embedded document store under .data/' } },
        redis: { 'x-native': { program: 'redis-server', args: ['--port', '${PORT}'], embedded: 'in-process cache' } },
        api: {
          ...node('api/dist/main.js'),
          environment: {
            PORT: API_PORT,
            MONGODB_URI: 'mongodb://app:secret@mongodb:27017/codiesvibe',
            REDIS_URL: 'redis://redis:6379',
            DOCS_URL: 'https://example.com/docs',
          },
          depends_on: { mongodb: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } },
          restart: 'unless-stopped',
        },
      }),
      { findProgram: () => undefined, baseEnv: { PATH: '/usr/bin' } },
    );
    expect(plan.root).toBe(root);
    expect(plan.embedded).toEqual([
      { service: 'mongodb', replacement: 'embedded document store under .data/' },
      { service: 'redis', replacement: 'redis-server not found: in-process cache' },
    ]);
    const [api] = plan.processes;
    expect(api).toMatchObject({ name: 'api', port: Number(API_PORT), dependsOn: [], restart: 'unless-stopped', cwd: root });
    expect(api!.env.MONGODB_URI).toBeUndefined();
    expect(api!.env.REDIS_URL).toBeUndefined();
    expect(api!.env.DOCS_URL).toBe('https://example.com/docs');
    expect(api!.env).toMatchObject({ PORT: API_PORT, HOST: '127.0.0.1', INSTANCE_ID: 'api-1', PATH: '/usr/bin' });
    expect(api!.health).toEqual({ http: `http://127.0.0.1:${API_PORT}/health/ready` });
  });

  it('starts a data program found on PATH on a free port and points consumers at it', async () => {
    const plan = await buildNativePlan(
      project({
        redis: { 'x-native': { program: 'redis-server', args: ['--port', '${PORT}', '--save', ''] } },
        api: { ...node('api.js'), environment: { PORT: API_PORT, REDIS_URL: 'redis://:pw@redis:6379/0' }, depends_on: { redis: {} } },
      }),
      { findProgram: (name) => `/usr/bin/${name}` },
    );
    const redis = plan.processes.find((p) => p.service === 'redis')!;
    expect(redis.argv).toEqual(['/usr/bin/redis-server', '--port', String(redis.port), '--save', '']);
    expect(redis.health).toEqual({ tcp: { host: '127.0.0.1', port: redis.port } });
    const api = plan.processes.find((p) => p.service === 'api')!;
    expect(api.env.REDIS_URL).toBe(`redis://:pw@127.0.0.1:${redis.port}/0`);
    expect(api.dependsOn).toEqual(['redis']);
  });

  it('runs --scale replicas on distinct ports, listed for a balancer and first-replica for others', async () => {
    const plan = await buildNativePlan(
      project({
        api: { ...node('api.js'), environment: { PORT: API_PORT } },
        mcp: { ...node('mcp.js'), environment: { PORT: '3001', TOOLS_API_URL: `http://api:${API_PORT}` } },
        gateway: {
          ...node('gw.js', { replicaLists: ['API_UPSTREAM'], entrypoint: true, environment: { FRONTEND_DIR: 'frontend/dist' } }),
          environment: { PORT: GATEWAY_PORT, API_UPSTREAM: `http://api:${API_PORT}`, FRONTEND_UPSTREAM: 'http://frontend:3000' },
        },
        frontend: { 'x-native': { build: ['npm', 'run', 'build', '-w', 'frontend'], embedded: 'served by the gateway', servedBy: 'gateway' } },
      }),
      { scale: { api: 3 } },
    );
    const apis = plan.processes.filter((p) => p.service === 'api');
    expect(apis.map((p) => p.name)).toEqual(['api', 'api-2', 'api-3']);
    expect(new Set(apis.map((p) => p.port)).size).toBe(3);
    const gateway = plan.processes.find((p) => p.service === 'gateway')!;
    expect(gateway.env.API_UPSTREAM).toBe(apis.map((p) => `http://127.0.0.1:${p.port}`).join(','));
    expect(gateway.env.FRONTEND_UPSTREAM).toBeUndefined();
    expect(gateway.env.FRONTEND_DIR).toBe(join(root, 'frontend/dist'));
    expect(plan.processes.find((p) => p.service === 'mcp')!.env.TOOLS_API_URL).toBe(`http://127.0.0.1:${API_PORT}`);
    expect(plan.entrypointUrl).toBe(`http://localhost:${GATEWAY_PORT}/`);
    expect(plan.builds).toEqual([{ service: 'frontend', argv: ['npm', 'run', 'build', '-w', 'frontend'] }]);
  });

  it('refuses --scale of a service the environment does not have', async () => {
    await expect(buildNativePlan(project({ api: node('a.js') }), { scale: { nope: 2 } })).rejects.toThrow(
      '--scale names nope, which is not a service of this environment',
    );
  });

  it('names the service and key of an invalid x-native block', async () => {
    await expect(buildNativePlan(project({ api: { 'x-native': { command: 'node a.js' } } }))).rejects.toThrow(
      /^service api: x-native\.command: /,
    );
  });
});

describe('rewriteEnvironment', () => {
  it('leaves public hosts and non-URL values alone', () => {
    expect(rewriteEnvironment({ A: 'https://api.github.com', B: 'plain', C: 'http://localhost:9' }, new Map(), { embedded: new Set() })).toEqual({
      environment: { A: 'https://api.github.com', B: 'plain', C: 'http://localhost:9' },
      dropped: [],
    });
  });
});

describe('startupTiers', () => {
  it('groups by depth and reports a cycle by name', () => {
    expect(startupTiers(new Map([['a', []], ['b', ['a']], ['c', ['a']], ['d', ['b', 'c']]]))).toEqual([['a'], ['b', 'c'], ['d']]);
    expect(() => startupTiers(new Map([['a', ['b']], ['b', ['a']], ['c', []]]))).toThrow('dependency cycle between a, b');
  });
});

describe('native dependencies through embedded services', () => {
  it('waits for what an embedded service depends on, and rewrites native environment overrides', async () => {
    const plan = await buildNativePlan(
      project({
        gateway: { ...node('gw.js'), environment: { PORT: GATEWAY_PORT } },
        nginx: { 'x-native': { embedded: 'the gateway is the edge' }, depends_on: { gateway: {} } },
        tests: {
          'x-native': { command: ['npm', 'run', 'test:stack'], environment: { E2E_BASE_URL: `http://gateway:${GATEWAY_PORT}` } },
          environment: { E2E_BASE_URL: 'http://nginx:8080' },
          depends_on: { nginx: { condition: 'service_healthy' } },
        },
      }),
    );
    const tests = plan.processes.find((p) => p.service === 'tests')!;
    expect(tests.dependsOn).toEqual(['gateway']);
    expect(tests.env.E2E_BASE_URL).toBe(`http://127.0.0.1:${GATEWAY_PORT}`);
    expect(tests.health).toBeUndefined();
  });
});
