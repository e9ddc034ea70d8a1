import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { composeSchema, loadProjectSync, projectDocument } from '@codiesvibe/compose';
import { runCli } from '../../src/main.js';
import { createDockerStandIn } from '../support/docker-stand-in.js';

// The repository's own production environment, rendered for Swarm and checked point by point
// against the model it came from (issue 16, item 3). No Docker engine here: a stand-in `docker`
// answers `info` (not in swarm mode, or a manager) and records what it is asked to run.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const docker = createDockerStandIn(
  'stack-swarm-',
  (dir) => `
record(args);
if (args[0] === 'info') { if (process.env.STAND_IN_SWARM) console.log('active true'); process.exit(process.env.STAND_IN_SWARM ? 0 : 1); }
// The swarm holds every secret and config the stack names, except when told to lack one.
if (args[1] === 'ls') { const names = fs.readFileSync(${JSON.stringify(join(dir, 'stack.yml'))}, 'utf8').match(/codiesvibe_[\\w.-]+/g) ?? []; console.log([...new Set(names)].filter((n) => n !== process.env.STAND_IN_LACKS).join('\\n')); }
`,
);
const { dir, path: standIn } = docker;
afterAll(docker.remove);

// `deploy --target swarm` needs a real `.env.production` (it refuses the example's placeholders),
// and the repository has only `.env.production.example`; a developer's own `.env.production` must
// neither be read nor touched. So the tests point `--project-directory` at a folder of links to
// every top-level entry of the repository, where `.env.production` is looked up, and give it a
// copy of the example there: the compose files and everything they name are the repository's own,
// the values the example's, so the model is the one `source` loads below. `.stack` and `.data`
// are left out, so a default output path cannot reach the repository's.
function repositoryThroughLinks(name: string, { envFile }: { envFile: boolean }): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (const entry of readdirSync(repo))
    if (!['.env.production', '.stack', '.data'].includes(entry)) symlinkSync(join(repo, entry), join(folder, entry));
  if (envFile) copyFileSync(join(repo, '.env.production.example'), join(folder, '.env.production'));
  return folder;
}
const withEnvFile = repositoryThroughLinks('with-env-file', { envFile: true });
const exampleOnly = repositoryThroughLinks('example-only', { envFile: false });

// ajv is the engine's dependency (the schema check of every load): used here on its own, so the
// schema verdict does not rest on the engine's loader alone.
type Validator = ((data: unknown) => boolean) & { errors?: unknown };
const { default: Ajv } = createRequire(import.meta.resolve('@codiesvibe/compose'))('ajv') as {
  default: new (options: object) => { compile: (schema: object) => Validator };
};

async function stack(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd: repo,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_BINARY: standIn, ...env },
  });
  return { code, stdout, stderr };
}

type Service = Record<string, unknown> & {
  environment?: Record<string, unknown>;
  deploy?: Record<string, Record<string, unknown>>;
};

describe('stack --env production deploy --target swarm', { timeout: 30_000 }, () => {
  const out = join(dir, 'stack.yml');
  const source = projectDocument(
    loadProjectSync({
      cwd: repo,
      env: { CODIESVIBE_ENV: 'production' },
      envFiles: [join(repo, '.env.production.example')],
      profiles: ['production'],
    }).project,
  ) as {
    services: Record<string, Service>;
    networks: Record<string, Record<string, unknown>>;
    secrets: Record<string, unknown>;
  };
  let rendered: {
    services: Record<string, Service>;
    networks: Record<string, Record<string, unknown>>;
    secrets: Record<string, Record<string, unknown>>;
    configs: Record<string, Record<string, unknown>>;
  };
  let result: Awaited<ReturnType<typeof stack>>;

  it('refuses to render from .env.production.example: one line, exit 2, no stack file', async () => {
    // Its placeholders and example domains would be what the swarm runs.
    for (const outOption of [['--out', out], []]) {
      const refused = await stack(['--project-directory', exampleOnly, '--env', 'production', 'deploy', '--target', 'swarm', ...outOption]);
      expect(refused).toEqual({
        code: 2,
        stdout: '',
        stderr: `stack: .env.production not found in ${exampleOnly}: create it from .env.production.example first\n`,
      });
    }
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(exampleOnly, '.stack'))).toBe(false);
    expect(docker.takeCalls()).toEqual([]);
  });

  it('writes the stack file and, without a swarm, prints how to create the secrets and deploy it', async () => {
    result = await stack(['--project-directory', withEnvFile, '--env', 'production', 'deploy', '--target', 'swarm', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    rendered = parse(readFileSync(out, 'utf8')) as typeof rendered;
    expect(result.stdout).toContain(
      `docker stack deploy --with-registry-auth --detach=false -c ${out} codiesvibe`,
    );
    for (const name of Object.keys(source.secrets))
      expect(result.stdout).toContain(`docker secret create codiesvibe_${name} secrets/${name}`);
    expect(result.stdout).toContain(
      'docker config create codiesvibe_config_nginx_nginx.conf config/nginx/nginx.conf',
    );
    expect(docker.takeCalls<string[]>().map((args) => args[0])).not.toContain('stack');
  });

  it('loads in our engine and validates against the Compose schema', () => {
    const loaded = loadProjectSync({ cwd: dir, files: [out], env: {} }).project;
    expect(Object.keys(loaded.services).sort()).toEqual(Object.keys(source.services).sort());
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(
      composeSchema(),
    );
    expect(validate(parse(readFileSync(out, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('runs images by tag: no build, no container_name', () => {
    for (const [name, service] of Object.entries(rendered.services)) {
      expect(service.build, name).toBeUndefined();
      expect(service.container_name, name).toBeUndefined();
      expect(service.image, name).toBe(source.services[name]!.image);
      expect(String(service.image), name).toMatch(/:[\w.-]+$/);
    }
  });

  it('drops depends_on conditions with a note, and numbers replicas with {{.Task.Slot}}', () => {
    // The gateway's optional dependency on the collector (`required: false`, only with the
    // monitoring profile) names no service of this stack, so the plain list leaves it out.
    const gatewayDependencies = Object.keys(source.services.gateway!.depends_on as object);
    expect(gatewayDependencies).toContain('otel-collector');
    expect(rendered.services.gateway!.depends_on).toEqual(
      gatewayDependencies.filter((dependency) => dependency in source.services),
    );
    expect(rendered.services.gateway!.depends_on).not.toContain('otel-collector');
    expect(rendered.services['fastify-api']!.depends_on).toEqual(['mcp-server', 'mongodb']);
    expect(result.stderr).toMatch(
      /note: depends_on changed \(.*gateway.*\): Swarm ignores start order and its conditions/,
    );
    for (const service of Object.values(rendered.services))
      expect(service.environment?.INSTANCE_ID).toBe('{{.Task.Slot}}');
  });

  it('makes secrets and bind-mounted config files external Swarm objects', () => {
    for (const [name, secret] of Object.entries(rendered.secrets))
      expect(secret, name).toEqual({ external: true, name: `codiesvibe_${name}` });
    expect(Object.values(rendered.configs).every((config) => config.external === true)).toBe(true);
    const nginx = rendered.services.nginx!;
    expect(nginx.volumes).toBeUndefined();
    expect(nginx.configs).toContainEqual({
      source: 'config_nginx_nginx.conf',
      target: '/etc/nginx/nginx.conf',
      mode: 0o444,
    });
    expect(nginx.configs).toContainEqual({
      source: 'config_nginx_templates_upstreams.conf.template',
      target: '/etc/nginx/templates/upstreams.conf.template',
      mode: 0o444,
    });
    // Named volumes stay.
    expect(rendered.services.mongodb!.volumes).toEqual([
      { type: 'volume', source: 'mongodb-data', target: '/data/db' },
    ]);
  });

  it('uses overlay networks, internal where the tier is internal, encrypted where data services are', () => {
    for (const [name, network] of Object.entries(rendered.networks)) {
      expect(network.driver, name).toBe('overlay');
      expect(network.internal === true, name).toBe(source.networks[name]!.internal === true);
    }
    for (const name of ['data', 'cache'])
      expect(rendered.networks[name]!.driver_opts, name).toEqual({ encrypted: '' });
    expect(rendered.networks.edge!.driver_opts).toBeUndefined();
  });

  it('rolls out start-first with automatic rollback (stop-first for data services), keeps healthchecks and limits', () => {
    for (const [name, service] of Object.entries(rendered.services)) {
      const data = name === 'mongodb' || name === 'redis';
      expect(service.deploy!.update_config, name).toMatchObject({
        order: data ? 'stop-first' : 'start-first',
        failure_action: 'rollback',
      });
      expect(service.deploy!.rollback_config, name).toMatchObject({
        order: data ? 'stop-first' : 'start-first',
      });
      expect(service.healthcheck, name).toEqual(source.services[name]!.healthcheck);
      const limits = source.services[name]!.deploy!.resources!.limits as Record<string, unknown>;
      expect(service.deploy!.resources!.limits, name).toEqual({ ...limits, cpus: String(limits.cpus) });
    }
    expect(rendered.services['nestjs-api']!.deploy!.replicas).toBe(
      source.services['nestjs-api']!.deploy!.replicas,
    );
  });

  it('runs docker stack deploy --with-registry-auth on a swarm manager, once the secrets exist', async () => {
    docker.takeCalls();
    const deployed = await stack(['--project-directory', withEnvFile, '--env', 'production', 'deploy', '--target', 'swarm', '--out', out], {
      STAND_IN_SWARM: '1',
    });
    expect(deployed.code, deployed.stderr).toBe(0);
    const calls = docker.takeCalls<string[]>();
    expect(calls).toContainEqual(['secret', 'ls', '--format', '{{.Name}}']);
    expect(calls.at(-1)).toEqual([
      'stack',
      'deploy',
      '--with-registry-auth',
      '--detach=false',
      '-c',
      out,
      'codiesvibe',
    ]);
  });

  it('refuses to deploy while a secret the stack names is missing from the swarm, and says how to create it', async () => {
    docker.takeCalls();
    const refused = await stack(['--project-directory', withEnvFile, '--env', 'production', 'deploy', '--target', 'swarm', '--out', out], {
      STAND_IN_SWARM: '1',
      STAND_IN_LACKS: 'codiesvibe_redis_url',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/lacks 1 secret.*STACK_ERR_DEPLOY/s);
    expect(refused.stderr).toContain('docker secret create codiesvibe_redis_url secrets/redis_url');
    expect(docker.takeCalls<string[]>().map((args) => args[1])).not.toContain('deploy');
  });
});

describe('stack validate --target swarm', { timeout: 30_000 }, () => {
  it('lists what Swarm ignores or changes in production, and passes', async () => {
    // Through the links, so a developer's own `.env.production` is not what gets validated:
    // validate falls back to the example, which is allowed for it (it deploys nothing).
    const result = await stack(['--project-directory', exampleOnly, 'validate', '--target', 'swarm']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/container_name ignored \(mongodb, nginx, redis\)/);
    expect(result.stdout).toMatch(/security_opt ignored/);
    expect(result.stdout).toContain('nothing Swarm refuses');
  });

  it('fails on what Swarm refuses: a build without an image, host networking', async () => {
    const project = mkdtempSync(join(dir, 'refused-'));
    writeFileSync(
      join(project, 'compose.yaml'),
      'services:\n  api:\n    build: .\n  probe:\n    image: busybox:1.36\n    network_mode: host\n',
    );
    writeFileSync(join(project, 'Dockerfile'), 'FROM busybox:1.36\n');
    writeFileSync(join(project, '.env.production'), 'CODIESVIBE_ENV=production\n');
    let stdout = '';
    const code = await runCli(['validate', '--target', 'swarm'], {
      stdout: (text) => (stdout += text),
      stderr: () => {},
      cwd: project,
      env: { PATH: process.env.PATH },
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/build refused \(api\)/);
    expect(stdout).toMatch(/network_mode refused \(probe\)/);
  });
});
