import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNativePlan, EMBEDDED_VARIABLE, NativePlanError, type NativeProjectInput } from '../../src/native/native-plan-builder.js';
import { mapContainerPaths } from '../../src/native/secret-mounts.js';
import { API_PORT, GATEWAY_PORT } from '../support/example-ports.js';

// Secrets natively: the plan points each service at the file it would see under /run/secrets, never
// at a value; these tests read the plan (and the files it would write), no process is started.
const root = mkdtempSync(join(tmpdir(), 'stack-secrets-'));
writeFileSync(join(root, 'package.json'), '{}');
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A secret file of its own for each test, mode 0600 unless told. */
function secretFile(content: string, mode = 0o600): string {
  const dir = join(root, 'secrets', String(counter++));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'value');
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

const api = (environment: Record<string, string>, secrets: unknown[], extra: object = {}) => ({
  environment: { PORT: API_PORT, ...environment },
  secrets,
  'x-native': { command: ['node', 'api.js'], health: '/health/ready' },
  ...extra,
});

function project(services: NativeProjectInput['services'], secrets: NativeProjectInput['secrets'] = {}): NativeProjectInput {
  return { name: 'demo', workingDir: root, services, secrets };
}

const noPrograms = { findProgram: () => undefined, environment: 'production' };
const redisOnPath = { findProgram: (name: string) => (name === 'redis-server' ? '/usr/bin/redis-server' : undefined), environment: 'production' };

async function planError(input: NativeProjectInput, options: Parameters<typeof buildNativePlan>[1] = noPrograms): Promise<string> {
  try {
    await buildNativePlan(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(NativePlanError);
    return (error as Error).message;
  }
  throw new Error('the plan was accepted');
}

describe('secrets natively', () => {
  it('points a *_FILE variable at the secret file itself when its content needs no rewriting, and puts no value in the environment', async () => {
    const key = secretFile('s3cr3t-admin-key-0123456789\n');
    const plan = await buildNativePlan(
      project({ api: api({ ADMIN_API_KEY_FILE: '/run/secrets/admin_api_key' }, [{ source: 'admin_api_key', target: '/run/secrets/admin_api_key' }]) }, { admin_api_key: { file: key } }),
      noPrograms,
    );
    const [process] = plan.processes;
    expect(process!.env.ADMIN_API_KEY_FILE).toBe(key);
    expect(JSON.stringify(process!.env)).not.toContain('s3cr3t');
    expect(plan.files).toEqual([]);
  });

  it('gives a long-syntax target (relative or absolute) the same file', async () => {
    const token = secretFile('token-value');
    const plan = await buildNativePlan(
      project(
        { api: api({ TOKEN_PATH: '/run/secrets/custom-name', CONFIG: '--token=/etc/app/token --verbose' }, [{ source: 'token', target: 'custom-name' }, { source: 'token', target: '/etc/app/token' }]) },
        { token: { file: token } },
      ),
      noPrograms,
    );
    expect(plan.processes[0]!.env.TOKEN_PATH).toBe(token);
    expect(plan.processes[0]!.env.CONFIG).toBe(`--token=${token} --verbose`);
  });

  it('rewrites service hosts inside a secret URL in a private 0600 copy, like environment URLs', async () => {
    const url = secretFile('redis://:pw-123@redis:6379/0\n');
    const plan = await buildNativePlan(
      project(
        {
          redis: { 'x-native': { program: 'redis-server', args: ['--port', '${PORT}'] } },
          api: api({ REDIS_URL_FILE: '/run/secrets/redis_url' }, [{ source: 'redis_url', target: '/run/secrets/redis_url' }], { depends_on: { redis: {} } }),
        },
        { redis_url: { file: url } },
      ),
      redisOnPath,
    );
    const redis = plan.processes.find((p) => p.service === 'redis')!;
    const copy = plan.files.find((file) => file.path === plan.processes.find((p) => p.service === 'api')!.env.REDIS_URL_FILE)!;
    expect(copy.path).toBe(join(plan.runDir, 'secrets', 'redis_url'));
    expect(copy.mode).toBe(0o600);
    expect(copy.content).toBe(`redis://:pw-123@127.0.0.1:${redis.port}/0\n`);
    expect(plan.dirs).toContainEqual({ path: join(plan.runDir, 'secrets'), mode: 0o700 });
    // The original is never changed.
    expect(readFileSync(url, 'utf8')).toBe('redis://:pw-123@redis:6379/0\n');
  });

  it('drops the variable of a secret naming an embedded service and lists it in CODIESVIBE_EMBEDDED', async () => {
    const uri = secretFile('mongodb://app:pw@mongodb:27017/app?authSource=app');
    const plan = await buildNativePlan(
      project(
        {
          mongodb: { 'x-native': { program: 'mongod', embedded: 'embedded store' } },
          api: api({ MONGODB_URI_FILE: '/run/secrets/mongodb_uri', DOCS: 'https://example.com' }, ['mongodb_uri'], { depends_on: { mongodb: {} } }),
        },
        { mongodb_uri: { file: uri } },
      ),
      noPrograms,
    );
    const env = plan.processes[0]!.env;
    expect(env.MONGODB_URI_FILE).toBeUndefined();
    expect(env[EMBEDDED_VARIABLE]).toBe('MONGODB_URI');
    expect(plan.embedded).toEqual([{ service: 'mongodb', replacement: 'mongod not found: embedded store' }]);
  });

  it('drops credentials for a program that runs without authentication (mongod natively)', async () => {
    const uri = secretFile('mongodb://app:pw@mongodb:27017/app?authSource=app');
    const plan = await buildNativePlan(
      project(
        {
          mongodb: { 'x-native': { program: 'mongod', args: ['--port', '${PORT}', '--dbpath', '${DATA_DIR}'], dataDir: '.data/mongodb', withoutCredentials: true } },
          api: api({ MONGODB_URI_FILE: '/run/secrets/mongodb_uri' }, ['mongodb_uri'], { depends_on: { mongodb: {} } }),
        },
        { mongodb_uri: { file: uri } },
      ),
      { findProgram: (name) => `/usr/bin/${name}` },
    );
    const mongod = plan.processes.find((p) => p.service === 'mongodb')!;
    expect(mongod.argv).toEqual(['/usr/bin/mongod', '--port', String(mongod.port), '--dbpath', join(root, '.data/mongodb')]);
    const copy = plan.files.find((file) => file.path.endsWith('mongodb_uri'))!;
    expect(copy.content).toBe(`mongodb://127.0.0.1:${mongod.port}/app?authSource=app`);
    expect(plan.processes.find((p) => p.service === 'api')!.env[EMBEDDED_VARIABLE]).toBeUndefined();
  });

  it("renders a program's private config file from the secret its *_FILE variable names, keeping the value off the command line", async () => {
    const password = secretFile('r3dis-pass\n');
    const plan = await buildNativePlan(
      project(
        {
          redis: {
            environment: { REDIS_PASSWORD_FILE: '/run/secrets/redis_password' },
            secrets: ['redis_password'],
            'x-native': { program: 'redis-server', configFile: 'requirepass "${REDIS_PASSWORD}"\n', args: ['${CONFIG_FILE}', '--port', '${PORT}'] },
          },
        },
        { redis_password: { file: password } },
      ),
      redisOnPath,
    );
    const redis = plan.processes[0]!;
    const config = plan.files.find((file) => file.path === redis.argv[1])!;
    expect(config).toMatchObject({ content: 'requirepass "r3dis-pass"\n', mode: 0o600 });
    expect(redis.argv.join(' ')).not.toContain('r3dis-pass');
    expect(JSON.stringify(redis.env)).not.toContain('r3dis-pass');
  });

  it('copies a secret with an environment: source into a private file', async () => {
    const input = project({ api: api({ KEY_FILE: '/run/secrets/key' }, ['key']) }, { key: { environment: 'DEPLOY_KEY' } });
    input.environment = { DEPLOY_KEY: 'from-the-env-file' };
    const plan = await buildNativePlan(input, noPrograms);
    expect(plan.files.find((file) => file.path === plan.processes[0]!.env.KEY_FILE)).toMatchObject({ content: 'from-the-env-file', mode: 0o600 });
  });
});

describe('secrets natively: bad input, found before anything starts', () => {
  const generated = (file: string) => ({ file, 'x-generate': 'random' });

  it('lists every missing secret in one line with the command that creates them', async () => {
    const message = await planError(
      project({ api: api({}, ['admin_api_key', 'redis_url']) }, { admin_api_key: generated(join(root, 'nope', 'admin_api_key')), redis_url: generated(join(root, 'nope', 'redis_url')) }),
    );
    expect(message).toBe('secrets not found: admin_api_key (nope/admin_api_key), redis_url (nope/redis_url); create them with `npx stack --env production secrets init`');
  });

  it('says to write a missing secret that stack cannot generate (no x-generate) by hand', async () => {
    const message = await planError(project({ api: api({}, ['license_key']) }, { license_key: { file: join(root, 'nope', 'license_key') } }));
    expect(message).toBe('secret license_key: nope/license_key does not exist; write the secret into that file (stack cannot generate it)');
  });

  it('refuses an empty secret file and one holding only a newline, naming the file', async () => {
    for (const content of ['', '\n', '  \n']) {
      const file = secretFile(content);
      const message = await planError(project({ api: api({}, ['key']) }, { key: generated(file) }));
      expect(message).toMatch(/^secret key: secrets\/\d+\/value is empty \(white space only\); write the secret into it, or delete it and run `npx stack --env production secrets init`$/);
    }
  });

  it('refuses a secret file other users may read, saying how to fix it', async () => {
    const file = secretFile('value', 0o644);
    const message = await planError(project({ api: api({}, ['key']) }, { key: generated(file) }));
    expect(message).toMatch(/^secret key: secrets\/\d+\/value has mode 0644, readable by other users; run `chmod 600 secrets\/\d+\/value`$/);
  });

  it('refuses an external secret natively, and a secret the model does not define', async () => {
    expect(await planError(project({ api: api({}, ['key']) }, { key: { external: true } }))).toContain('secret key (mounted by api) is external');
    expect(await planError(project({ api: api({}, ['nope']) }, {}))).toContain('service api mounts secret nope, which the top-level secrets: section does not define');
  });

  it('reports every problem on its own line', async () => {
    const open = secretFile('value', 0o640);
    const empty = secretFile('\n');
    const message = await planError(project({ api: api({}, ['a', 'b']) }, { a: generated(open), b: generated(empty) }));
    expect(message.split('\n')).toHaveLength(2);
  });
});

describe('replica counts', () => {
  it('refuses 0 replicas of a service another one depends on, naming the setting', async () => {
    const services = {
      api: { environment: { PORT: API_PORT }, 'x-native': { command: ['node', 'a.js'] }, deploy: { replicas: 0 } },
      gateway: { environment: { PORT: GATEWAY_PORT }, depends_on: { api: {} }, 'x-native': { command: ['node', 'g.js'] } },
    };
    expect(await planError(project(services))).toBe('api has 0 replicas (services.api.deploy.replicas), but gateway depends on it; give it at least 1');
    expect(await planError(project({ ...services, api: { ...services.api, deploy: { replicas: 2 } } }), { scale: { api: 0 } })).toBe(
      'api has 0 replicas (--scale api=0), but gateway depends on it; give it at least 1',
    );
  });

  it('runs nothing for 0 replicas of a service nothing depends on', async () => {
    const plan = await buildNativePlan(project({ worker: { 'x-native': { command: ['node', 'w.js'] } } }), { scale: { worker: 0 } });
    expect(plan.processes).toEqual([]);
  });

  it('refuses a replica count that is not a whole number', async () => {
    expect(await planError(project({ api: { 'x-native': { command: ['node', 'a.js'] }, deploy: { replicas: 'abc' } } }))).toBe(
      'services.api.deploy.replicas is "abc"; give a whole number of replicas',
    );
  });
});

describe('limits and the environments a program runs in', () => {
  it('sizes a Node heap to the memory limit and keeps the limit for the supervisor', async () => {
    const plan = await buildNativePlan(project({ api: { environment: { PORT: API_PORT }, 'x-native': { command: ['node', 'a.js'] }, deploy: { resources: { limits: { memory: '536870912' } } }, tmpfs: ['/tmp'], read_only: true } }));
    const [process] = plan.processes;
    expect(process!.argv).toEqual(['node', '--max-old-space-size=384', 'a.js']);
    expect(process!.memoryLimitBytes).toBe(512 * 1024 ** 2);
    expect(process!.env.TMPDIR).toBe(join(plan.runDir, 'tmp', 'api'));
    expect(plan.notes.join('\n')).toContain('read_only, cap_drop and cpus limits are not enforced');
  });

  it('takes the service-level mem_limit when deploy limits are absent, as Docker does, and deploy limits over it', async () => {
    const api = (extra: object) => ({ api: { environment: { PORT: API_PORT }, 'x-native': { command: ['node', 'a.js'] }, ...extra } });
    const [serviceLevel] = (await buildNativePlan(project(api({ mem_limit: 268435456 })))).processes;
    expect(serviceLevel!.memoryLimitBytes).toBe(256 * 1024 ** 2);
    expect(serviceLevel!.argv).toEqual(['node', '--max-old-space-size=192', 'a.js']);
    const [both] = (await buildNativePlan(project(api({ mem_limit: 268435456, deploy: { resources: { limits: { memory: '536870912' } } } })))).processes;
    expect(both!.memoryLimitBytes).toBe(512 * 1024 ** 2);
  });

  it('runs a program only in the environments its x-native names, and serves a stand-in service through another', async () => {
    const services = {
      gateway: { environment: { PORT: GATEWAY_PORT }, 'x-native': { command: ['node', 'g.js'], entrypoint: true } },
      frontend: { 'x-native': { embedded: 'the gateway serves it', servedBy: 'gateway' } },
      edge: {
        environment: { UPSTREAM: 'frontend:8080' },
        depends_on: { gateway: {}, frontend: {} },
        'x-native': { program: 'edge-proxy', environments: ['production'], entrypoint: true, embedded: 'the gateway is the edge' },
      },
    };
    const found = { findProgram: (name: string) => `/usr/bin/${name}` };
    const development = await buildNativePlan(project(services), { ...found, environment: 'development' });
    expect(development.processes.map((p) => p.service)).toEqual(['gateway']);
    expect(development.entrypointUrl).toBe(`http://localhost:${GATEWAY_PORT}/`);
    const production = await buildNativePlan(project(services), { ...found, environment: 'production' });
    const edge = production.processes.find((p) => p.service === 'edge')!;
    expect(edge.env.UPSTREAM).toBe(`127.0.0.1:${GATEWAY_PORT}`);
    expect(edge.dependsOn).toEqual(['gateway']);
    expect(production.entrypointUrl).toBe(`http://localhost:${edge.port}/`);
  });
});

describe('mapContainerPaths', () => {
  it('replaces whole paths only', () => {
    const paths = new Map([['/run/secrets/a', '/host/a']]);
    expect(mapContainerPaths('/run/secrets/a', paths)).toBe('/host/a');
    expect(mapContainerPaths('/run/secrets/ab', paths)).toBe('/run/secrets/ab');
    expect(mapContainerPaths('x=/run/secrets/a,/run/secrets/a', paths)).toBe('x=/host/a,/host/a');
  });
});
