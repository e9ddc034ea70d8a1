import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, markedEnv } from './native-stack-harness.js';

/*
 * `stack new service` writes a workspace under backend/, compose files and package.json: it runs in
 * a throwaway copy of the project, never in the repository. Unlike project-copy.ts, backend/ is a
 * folder of its own in the copy (each existing service linked into it), and package.json is
 * copied, so the new workspace lands in the copy; dependencies resolve through the linked
 * node_modules, as after `npm install`.
 */
const LINKED = ['node_modules', 'frontend', 'stack'];
const COPIED = ['package.json', 'tsconfig.base.json', 'eslint.config.js', 'compose.yaml', 'docker-compose', 'config', '.env.development', '.env.testing', '.env.staging.example', '.env.production.example'];

let root: string;

function copyProjectWithOwnBackend(): string {
  const copy = mkdtempSync(join(tmpdir(), 'codiesvibe-new-service-'));
  for (const name of LINKED) symlinkSync(join(REPO_ROOT, name), join(copy, name));
  for (const name of COPIED) if (existsSync(join(REPO_ROOT, name))) cpSync(join(REPO_ROOT, name), join(copy, name), { recursive: true });
  mkdirSync(join(copy, 'backend'));
  for (const name of readdirSync(join(REPO_ROOT, 'backend'))) symlinkSync(join(REPO_ROOT, 'backend', name), join(copy, 'backend', name));
  return copy;
}

const stack = (args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [join(root, 'stack', 'cli', 'bin', 'stack.js'), ...args], { cwd: root, env: markedEnv(env), encoding: 'utf8', timeout: 300_000 });

const npm = (args: string[]): SpawnSyncReturns<string> => spawnSync('npm', args, { cwd: root, env: markedEnv(), encoding: 'utf8', timeout: 300_000 });

/** Every file of the copy that is its own (not behind a link), with its content: what a refused command must leave alone. */
function ownFiles(dir = root): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) files.set(relative(root, path), 'link');
    else if (stat.isDirectory()) for (const [file, content] of ownFiles(path)) files.set(file, content);
    else files.set(relative(root, path), readFileSync(path, 'utf8'));
  }
  return files;
}

beforeAll(() => {
  root = copyProjectWithOwnBackend();
});

afterAll(() => {
  stack(['down']);
  rmSync(root, { recursive: true, force: true });
});

describe('stack new service', () => {
  it('refuses a taken or invalid name and a port in use with one line, a non-zero exit and nothing written', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '0.0.0.0', resolve));
    const heldPort = (holder.address() as AddressInfo).port;
    const before = ownFiles();
    try {
      const cases: { args: string[]; status: number; says: RegExp }[] = [
        { args: ['nestjs-api', '--template', 'nestjs'], status: 1, says: /service nestjs-api exists.*STACK_ERR_NEW_SERVICE_EXISTS/ },
        { args: ['Billing_API', '--template', 'fastify'], status: 1, says: /invalid service name "Billing_API".*STACK_ERR_NEW_SERVICE_INVALID/ },
        { args: ['shared', '--template', 'worker'], status: 1, says: /invalid service name "shared"/ },
        { args: ['billing-api', '--template', 'fastify', '--port', '4001'], status: 1, says: /port 4001 is in use by service nestjs-api.*STACK_ERR_NEW_SERVICE_PORT/ },
        { args: ['billing-api', '--template', 'fastify', '--port', String(heldPort)], status: 1, says: /in use by a process on this machine.*STACK_ERR_NEW_SERVICE_PORT/ },
        { args: ['billing-api', '--template', 'fastify', '--port', '70000'], status: 2, says: /--port 70000: not a port/ },
        { args: ['billing-api', '--template', 'django'], status: 2, says: /--template must be one of fastify, nestjs, worker/ },
        { args: ['billing-api'], status: 2, says: /--template is required/ },
      ];
      for (const { args, status, says } of cases) {
        const result = stack(['new', 'service', ...args]);
        expect(result.status, `stack new service ${args.join(' ')}: ${result.stderr}`).toBe(status);
        expect(result.stderr.trim().split('\n'), `stack new service ${args.join(' ')}`).toHaveLength(1);
        expect(result.stderr).toMatch(says);
        expect(result.stdout).toBe('');
      }
    } finally {
      holder.close();
    }
    expect(ownFiles()).toEqual(before);
  });

  it('makes a fastify service that validates, passes its tests and runs natively and healthy under stack up', async () => {
    const made = stack(['new', 'service', 'billing-api', '--template', 'fastify', '--port', '4610']);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('created  backend/billing-api/src/main.ts');
    expect(made.stdout).toContain('created  docker-compose/services/docker-compose.billing-api.yml');
    expect((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces).toContain('backend/billing-api');
    // A second run refuses: the name is now taken.
    expect(stack(['new', 'service', 'billing-api', '--template', 'worker']).status).toBe(1);

    const validate = stack(['validate', '--env', 'all']);
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toContain('no problems');
    // Its place in the matrix: production's startup order, after the collector it waits for only
    // when `--profile monitoring` runs one (like the other Node services).
    expect(stack(['--env', 'production', 'matrix']).stdout).toMatch(/\| [^|]*billing-api[^|]* \| \(otel-collector optional: `required: false`\) \| 3 \|/);
    // Traced like the others: the collector's address reaches it from the environment.
    const config = stack(['--env', 'production', 'config', '--format', 'json', 'billing-api'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' });
    expect(config.status, config.stderr).toBe(0);
    const configured = JSON.parse(config.stdout) as { services: Record<string, { environment?: Record<string, string> }> };
    expect(configured.services['billing-api']?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');

    const tested = npm(['test', '-w', 'backend/billing-api']);
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);

    const up = stack(['up', '-d', 'billing-api'], { STACK_MODE: 'native' });
    expect(up.status, up.stdout + up.stderr).toBe(0);
    const ready = await fetch('http://127.0.0.1:4610/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ service: 'billing-api' });
    expect(await (await fetch('http://127.0.0.1:4610/hello')).json()).toMatchObject({ service: 'billing-api', message: 'hello' });
    expect(stack(['ps']).stdout).toMatch(/billing-api\s+healthy/);
    expect(stack(['down']).status).toBe(0);
  });

  it('makes a worker and a NestJS service whose code typechecks and whose tests pass', () => {
    expect(stack(['new', 'service', 'report-worker', '--template', 'worker']).status).toBe(0);
    const nest = stack(['new', 'service', 'admin-api', '--template', 'nestjs']);
    expect(nest.status, nest.stderr).toBe(0);
    // @nestjs/platform-fastify needs its own fastify, so npm installs it inside the workspace (as
    // it did for nestjs-api): linked from there, which is what `npm install` would lay out.
    mkdirSync(join(root, 'backend', 'admin-api', 'node_modules'));
    for (const name of readdirSync(join(REPO_ROOT, 'backend', 'nestjs-api', 'node_modules'))) {
      symlinkSync(join(REPO_ROOT, 'backend', 'nestjs-api', 'node_modules', name), join(root, 'backend', 'admin-api', 'node_modules', name));
    }
    const validate = stack(['validate', '--env', 'all']);
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
    const typecheck = npm(['run', 'typecheck', '-w', 'backend/report-worker', '-w', 'backend/admin-api']);
    expect(typecheck.status, typecheck.stdout + typecheck.stderr).toBe(0);
    const tested = npm(['test', '-w', 'backend/report-worker', '-w', 'backend/admin-api']);
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/Tests\s+4 passed/);
  });
});
