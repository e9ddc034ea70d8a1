import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseComposeYaml } from '@codiesvibe/compose';
import { describe, expect, it } from 'vitest';
import { asRecord } from '../../src/validate/compose-model.js';
import { readDockerfile } from '../../src/validate/dockerfile.js';
import { runRecipe } from './dockerfile-recipe.js';
import { recordingIo, REPO_ROOT } from './repo-tree.js';
import { runCli } from '../../src/main.js';

const TREE = join(REPO_ROOT, 'docker-compose');

function serviceOf(file: string, service: string): Record<string, unknown> {
  const path = join(TREE, file);
  const [document] = parseComposeYaml(readFileSync(path, 'utf8'), path);
  return asRecord(asRecord(asRecord(document?.value)?.services)?.[service]) ?? {};
}

// Third-party images that cannot meet the standards as published are wrapped in a thin image
// under docker-compose/images/<name>; its tag must say which upstream release it wraps.
describe.each([
  { service: 'ollama', file: 'services/docker-compose.ollama.yml', upstream: 'ollama/ollama' },
  { service: 'otel-collector', file: 'infrastructure/docker-compose.monitoring.yml', upstream: 'otel/opentelemetry-collector-contrib' },
  { service: 'tempo', file: 'infrastructure/docker-compose.monitoring.yml', upstream: 'grafana/tempo' },
  { service: 'mongodb-exporter', file: 'infrastructure/docker-compose.monitoring.yml', upstream: 'percona/mongodb_exporter' },
  { service: 'nginx-exporter', file: 'infrastructure/docker-compose.monitoring.yml', upstream: 'nginx/nginx-prometheus-exporter' },
])('wrapped image of $service', ({ service, file, upstream }) => {
  const definition = serviceOf(file, service);
  const dockerfile = readDockerfile(join(TREE, 'images', service, 'Dockerfile'));

  it('is tagged with the upstream version its Dockerfile pins', () => {
    const pinned = [...dockerfile.globalArgs.values()].find((value) => value.startsWith(`${upstream}:`));
    expect(pinned, `no ARG pins ${upstream}`).toBeDefined();
    expect(definition.image).toBe(`codiesvibe/${service}:${(pinned as string).split(':')[1] as string}`);
    expect(asRecord(definition.build)?.context).toBe(`../images/${service}`);
  });

  it('runs as an unprivileged user', () => {
    const user = dockerfile.stages.at(-1)?.instructions.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args;
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
  });
});

// The Node services share one image recipe, told which service to build (issue 19): a service
// folder holds only what is its own, and a fix to the recipe reaches every image at once.
describe('Node service images', () => {
  const services = readdirSync(join(REPO_ROOT, 'backend'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'shared' && existsSync(join(REPO_ROOT, 'backend', entry.name, 'package.json')))
    .map((entry) => entry.name);
  const baseFiles = readdirSync(join(TREE, 'services')).filter((name) => name.endsWith('.yml'));
  const definitions = baseFiles.flatMap((file) => {
    const path = join(TREE, 'services', file);
    const [document] = parseComposeYaml(readFileSync(path, 'utf8'), path);
    return Object.entries(asRecord(asRecord(document?.value)?.services) ?? {}).map(([name, value]) => ({ file, name, definition: asRecord(value) ?? {} }));
  });

  it('no service folder keeps a Dockerfile of its own', () => {
    const own = services.flatMap((service) => readdirSync(join(REPO_ROOT, 'backend', service)).filter((name) => name.startsWith('Dockerfile')).map((name) => `backend/${service}/${name}`));
    expect(own).toEqual([]);
  });

  it.each(services)('%s is built from backend/Dockerfile with SERVICE set to its folder and PORT to the port it listens on', (service) => {
    const built = definitions.filter(({ definition }) => asRecord(asRecord(definition.build)?.args)?.SERVICE === service);
    expect(built.map(({ name }) => name), `no base file builds backend/${service}`).toHaveLength(1);
    const { definition } = built[0] as (typeof built)[number];
    const build = asRecord(definition.build) ?? {};
    expect(build.context).toBe('../..');
    expect(build.dockerfile).toBe('backend/Dockerfile');
    const port = asRecord(build.args)?.PORT;
    expect(port).toBe(asRecord(definition.environment)?.PORT);
    expect(String(port)).toMatch(/^[1-9]\d*$/);
  });

  // The guard is the first step of the deps stage: it fails before anything is copied or installed.
  it.each<{ missing: string; args: Record<string, string> }>([
    { missing: 'SERVICE', args: { PORT: '4001' } },
    { missing: 'PORT', args: { SERVICE: 'nestjs-api' } },
  ])('backend/Dockerfile stops with one line when the build arg $missing is missing', ({ missing, args }) => {
    const workDir = mkdtempSync(join(tmpdir(), 'node-dockerfile-'));
    try {
      expect(() => runRecipe({ dockerfile: join(REPO_ROOT, 'backend', 'Dockerfile'), context: REPO_ROOT, target: 'deps', workDir, buildArgs: args })).toThrow(
        `build arg ${missing} is required`,
      );
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('backend/Dockerfile runs its images as node', () => {
    const dockerfile = readDockerfile(join(REPO_ROOT, 'backend', 'Dockerfile'));
    for (const target of ['development', 'production']) {
      const stage = dockerfile.stages.find((candidate) => candidate.name === target);
      expect(stage?.instructions.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args).toBe('node');
    }
  });
});

// Behind nginx the gateway's peer is nginx's container address, from Docker's private pools. Unless
// that peer is trusted, every client shares nginx's address: one rate-limit bucket for the world.
describe.each(['staging', 'production'])('the gateway under Docker in %s', (environment) => {
  it('publishes no port and trusts the private ranges nginx is addressed from', async () => {
    const io = recordingIo(REPO_ROOT);
    expect(await runCli(['--env', environment, 'config', '--format', 'json'], io)).toBe(0);
    const gateway = asRecord(asRecord(asRecord(JSON.parse(io.out.join('')))?.services)?.gateway) ?? {};
    expect(gateway.ports).toBeUndefined();
    expect(String(asRecord(gateway.environment)?.TRUSTED_PROXIES).split(',')).toContain('uniquelocal');
  }, 60_000);
});

// Compose substitutes an operator's argument even when it is not taken, so `${A:+,${A}}` warns that
// A is unset on every `docker compose` command where it is: such an inner variable needs `:-`.
describe.each(['development', 'staging', 'production', 'testing'])('the %s environment', (environment) => {
  it('loads without a warning about a variable that is not set', async () => {
    const io = recordingIo(REPO_ROOT);
    expect(await runCli(['--env', environment, '--profile', '*', 'config', '-q'], io)).toBe(0);
    expect(io.err.join('').split('\n').filter((line) => line.includes('variable is not set'))).toEqual([]);
  }, 60_000);
});
