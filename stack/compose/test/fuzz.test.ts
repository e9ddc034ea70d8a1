import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ComposeError, loadProjectSync, toComposeJson, toComposeYaml } from '../src/index.js';
import { tempProject } from './support/temp-project.js';

// Fuzzing the whole loader: 10,000 random inputs (random YAML text, random Compose-shaped models
// with plausible and implausible values for every area of the specification, and random graphs
// of include/extends between files). Each must give a model that prints as JSON and YAML, or a
// ComposeError with a one-line message: never another exception, never a hang. Files are served
// from memory (the `readFile` option) so the 10,000 loads take seconds.

const dir = tempProject({});

/** Loads the in-memory `files` (compose.yml first); 'ok' or the error code. */
function outcome(files: Record<string, string>): string {
  const read = (file: string): string => {
    const text = files[file.slice(dir.length + 1)];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
    return text;
  };
  try {
    const { project } = loadProjectSync({ cwd: dir, files: ['compose.yml'], env: { TAG: '1', EMPTY: '' }, profiles: ['*'], readFile: read });
    JSON.parse(toComposeJson(project));
    toComposeYaml(project);
    return 'ok';
  } catch (error) {
    if (!(error instanceof ComposeError)) throw error;
    const line = error.format();
    expect(line).not.toContain('\n    at ');
    expect(error.message.length).toBeGreaterThan(0);
    return error.code;
  }
}

const SEED = `name: shop
x-common: &common
  restart: unless-stopped
  environment: &env
    TZ: UTC
services:
  web:
    <<: *common
    image: "nginx:\${TAG:-1}"
    ports: ["8080:80", "443"]
    volumes: [data:/data, ./conf:/etc/conf:ro]
    depends_on: { api: { condition: service_healthy } }
    develop:
      watch:
        - { path: ./src, action: sync+exec, target: /app, exec: { command: [kill, -HUP, "1"] } }
    post_start: [{ command: echo hi, user: root }]
  api:
    <<: *common
    build: { context: ., args: [A=1, B], provenance: true }
    environment: { <<: *env, MODE: prod }
    env_file: [{ path: ./api.env, required: false }]
    healthcheck: { test: curl -f localhost, interval: 10s, retries: 3 }
    deploy: { replicas: 2, resources: { limits: { memory: 512M, cpus: "0.5" } } }
    gpus: all
    models: [llm]
    profiles: [core]
volumes:
  data: {}
models:
  llm: { model: ai/smollm2 }
`;

const FRAGMENTS = [':', '-', ' ', '\n', '  ', '{', '}', '[', ']', '&a', '*a', '<<: *common', '!reset', '!override', '${', '${X:?', '$$', '"', "'", '#', '|', '>', '~', 'null', '0400', 'services:', 'extends: web', 'include: [a.yml]', 'all', '-1', '1e3', '0x1F'];

const mutation = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate'),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 30 }),
  text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })),
});

function mutate(text: string, steps: ReadonlyArray<{ kind: string; at: number; length: number; text: string }>): string {
  let out = text;
  for (const step of steps) {
    const at = step.at % (out.length + 1);
    if (step.kind === 'delete') out = out.slice(0, at) + out.slice(at + step.length);
    else if (step.kind === 'insert') out = out.slice(0, at) + step.text + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + step.length) + out.slice(at);
  }
  return out;
}

// Values shaped like what each key takes, with mistakes mixed in.
const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.integer({ min: -5, max: 70000 }), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'xsmall' }, scalar, fc.array(tie('node'), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 2 })),
})).node;
const duration = fc.oneof(fc.constantFrom('10s', '1m30s', '500ms', '2h', '0s', '10 seconds', '-1s', '1.5s', 'x'), scalar);
const size = fc.oneof(fc.constantFrom('512m', '1g', '1GiB', '64M', '0', 'lots', '1.5g', '-1'), scalar);
const port = fc.oneof(fc.constantFrom('80', '8080:80', '127.0.0.1:80:80/udp', '[::1]:80:80', '3000-3005:3000-3005', '80:http', ':80', '70000'), fc.integer({ min: -1, max: 70000 }), fc.record({ target: scalar, published: scalar, protocol: fc.constantFrom('tcp', 'udp', 'x') }, { requiredKeys: [] }));
const volume = fc.oneof(fc.constantFrom('data:/data', './src:/app:ro,z', '/cache', 'a:b:c:d', ':x', 'C:\\dir:/dir'), fc.record({ type: fc.constantFrom('bind', 'volume', 'tmpfs', 'image', 'npipe', 'x'), source: fc.constantFrom('data', './x', ''), target: fc.constantFrom('/a', '', 'rel'), tmpfs: fc.record({ size, mode: scalar }, { requiredKeys: [] }) }, { requiredKeys: [] }));
const watchRule = fc.record(
  {
    path: fc.constantFrom('./src', '', '/abs'),
    action: fc.constantFrom('sync', 'rebuild', 'restart', 'sync+restart', 'sync+exec', 'reload'),
    target: fc.constantFrom('/app', ''),
    exec: fc.record({ command: fc.oneof(fc.string({ maxLength: 8 }), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 })), user: scalar, privileged: fc.boolean(), environment: anyValue }, { requiredKeys: [] }),
    ignore: fc.oneof(fc.string({ maxLength: 5 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 })),
    initial_sync: fc.oneof(fc.boolean(), scalar),
  },
  { requiredKeys: [] },
);
const hook = fc.record({ command: fc.oneof(fc.string({ maxLength: 10 }), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 })), user: scalar, working_dir: scalar, environment: anyValue }, { requiredKeys: [] });
const deviceRequest = fc.record({ driver: fc.constantFrom('nvidia', ''), count: fc.oneof(fc.constantFrom('all', 'ALL', 'two', '2'), fc.integer({ min: -2, max: 4 })), capabilities: fc.array(fc.constantFrom('gpu', 'tpu'), { maxLength: 2 }), device_ids: fc.array(fc.constantFrom('0', '1'), { maxLength: 2 }), options: anyValue }, { requiredKeys: [] });
const SERVICE_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  image: fc.constantFrom('nginx', 'redis:${TAG}', '', 'a b'),
  build: fc.oneof(fc.constantFrom('.', './app'), fc.record({ context: fc.constantFrom('.', ''), dockerfile: scalar, dockerfile_inline: scalar, args: anyValue, ssh: anyValue, secrets: anyValue, shm_size: size, ulimits: anyValue, provenance: scalar, sbom: scalar, platforms: anyValue }, { requiredKeys: [] })),
  command: fc.oneof(fc.string({ maxLength: 12 }), fc.array(scalar, { maxLength: 3 })),
  environment: anyValue,
  env_file: fc.oneof(fc.constantFrom('a.env', ''), fc.array(fc.oneof(fc.constant('a.env'), fc.record({ path: fc.constantFrom('a.env', 'b.env'), required: fc.boolean(), format: fc.constantFrom('raw', '.env', 'xml') }, { requiredKeys: ['path'] })), { maxLength: 2 })),
  ports: fc.array(port, { maxLength: 3 }),
  expose: fc.array(scalar, { maxLength: 2 }),
  volumes: fc.array(volume, { maxLength: 3 }),
  depends_on: fc.oneof(fc.array(fc.constantFrom('web', 'api', 'db', 'ghost'), { maxLength: 2 }), fc.dictionary(fc.constantFrom('web', 'api', 'db'), fc.record({ condition: fc.constantFrom('service_started', 'service_healthy', 'bad'), required: fc.boolean(), restart: scalar }, { requiredKeys: [] }), { maxKeys: 2 })),
  healthcheck: fc.record({ test: fc.oneof(fc.string({ maxLength: 8 }), fc.array(fc.constantFrom('CMD', 'CMD-SHELL', 'NONE', 'x'), { maxLength: 3 })), interval: duration, timeout: duration, retries: scalar, start_period: duration, disable: scalar }, { requiredKeys: [] }),
  deploy: fc.record({ replicas: scalar, mode: fc.constantFrom('replicated', 'global', 'x'), resources: fc.record({ limits: fc.record({ cpus: scalar, memory: size, pids: scalar }, { requiredKeys: [] }), reservations: fc.record({ memory: size, devices: fc.array(deviceRequest, { maxLength: 2 }) }, { requiredKeys: [] }) }, { requiredKeys: [] }), restart_policy: fc.record({ delay: duration, max_attempts: scalar, window: duration }, { requiredKeys: [] }), update_config: fc.record({ parallelism: scalar, delay: duration, max_failure_ratio: scalar }, { requiredKeys: [] }) }, { requiredKeys: [] }),
  develop: fc.record({ watch: fc.array(watchRule, { maxLength: 3 }) }, { requiredKeys: [] }),
  post_start: fc.array(hook, { maxLength: 2 }),
  pre_stop: fc.array(hook, { maxLength: 2 }),
  gpus: fc.oneof(fc.constant('all'), fc.array(deviceRequest, { maxLength: 2 })),
  models: fc.oneof(fc.array(fc.constantFrom('llm', 'ghost'), { maxLength: 2 }), fc.dictionary(fc.constantFrom('llm', 'ghost'), fc.oneof(fc.constant(null), fc.record({ endpoint_var: scalar, model_var: scalar }, { requiredKeys: [] })), { maxKeys: 2 })),
  provider: fc.record({ type: scalar, options: anyValue }, { requiredKeys: [] }),
  mem_limit: size,
  shm_size: size,
  stop_grace_period: duration,
  cpus: scalar,
  ulimits: anyValue,
  extra_hosts: anyValue,
  networks: fc.oneof(fc.array(fc.constantFrom('front', 'back', 'ghost'), { maxLength: 2 }), fc.dictionary(fc.constantFrom('front', 'back'), anyValue, { maxKeys: 2 })),
  secrets: fc.array(fc.oneof(fc.constantFrom('token', 'ghost'), fc.record({ source: fc.constantFrom('token', 'ghost'), target: scalar, mode: scalar }, { requiredKeys: [] })), { maxLength: 2 }),
  configs: fc.array(fc.oneof(fc.constantFrom('conf', 'ghost'), fc.record({ source: fc.constantFrom('conf'), target: scalar }, { requiredKeys: [] })), { maxLength: 2 }),
  extends: fc.oneof(fc.constantFrom('web', 'api', 'ghost'), fc.record({ service: fc.constantFrom('web', 'base'), file: fc.constantFrom('base.yml', 'missing.yml') }, { requiredKeys: [] })),
  profiles: fc.oneof(fc.array(fc.constantFrom('a', 'b'), { maxLength: 2 }), scalar),
  labels: anyValue,
  restart: fc.constantFrom('always', 'no', 'on-failure:3', 'x'),
  'x-native': anyValue,
  enviroment: anyValue,
};
// A few keys per service: large invalid documents only slow down the schema's error search.
const service = fc.shuffledSubarray(Object.keys(SERVICE_VALUES), { maxLength: 6 }).chain((keys) =>
  fc.record(Object.fromEntries(keys.map((key) => [key, SERVICE_VALUES[key] ?? scalar]))),
);
const model = fc.record(
  {
    name: fc.constantFrom('shop', 'Bad Name', '${TAG}'),
    services: fc.dictionary(fc.constantFrom('web', 'api', 'db'), service, { minKeys: 1, maxKeys: 2 }),
    networks: fc.dictionary(fc.constantFrom('front', 'back'), fc.oneof(fc.constant(null), fc.record({ driver: scalar, external: scalar, ipam: anyValue, internal: scalar }, { requiredKeys: [] })), { maxKeys: 2 }),
    volumes: fc.dictionary(fc.constantFrom('data'), anyValue, { maxKeys: 1 }),
    secrets: fc.dictionary(fc.constantFrom('token'), fc.record({ file: fc.constantFrom('./t.txt'), environment: scalar, external: scalar }, { requiredKeys: [] }), { maxKeys: 1 }),
    configs: fc.dictionary(fc.constantFrom('conf'), fc.record({ file: fc.constantFrom('./c.txt'), content: scalar }, { requiredKeys: [] }), { maxKeys: 1 }),
    models: fc.dictionary(fc.constantFrom('llm'), fc.record({ model: scalar, context_size: scalar, runtime_flags: anyValue }, { requiredKeys: [] }), { maxKeys: 1 }),
    include: fc.array(fc.oneof(fc.constantFrom('a.yml', 'compose.yml', 'missing.yml'), fc.record({ path: fc.constantFrom('a.yml', 'b.yml'), env_file: scalar }, { requiredKeys: ['path'] })), { maxLength: 2 }),
  },
  { requiredKeys: ['services'] },
);

// A fixed seed keeps the 10,000 cases the same on every run (a failure reproduces); change it to
// explore further.
const SETTINGS = { seed: 1_402, endOnFailure: true };

describe('fuzz: 10,000 random projects give a model or a clean ComposeError', { timeout: 240_000 }, () => {
  it('6,000 random mutations of a real compose file and random text', () => {
    expect(outcome({ 'compose.yml': SEED })).toBe('ok');
    fc.assert(
      fc.property(fc.oneof(fc.array(mutation, { minLength: 1, maxLength: 5 }).map((steps) => mutate(SEED, steps)), fc.string({ maxLength: 120 })), (text) => {
        outcome({ 'compose.yml': text });
      }),
      { ...SETTINGS, numRuns: 6_000 },
    );
  });

  it('2,000 random Compose-shaped models', () => {
    fc.assert(
      fc.property(model, (document) => {
        outcome({ 'compose.yml': stringify(document), 'base.yml': 'services:\n  base:\n    image: base\n', 'a.yml': 'services:\n  db:\n    image: postgres\n' });
      }),
      { ...SETTINGS, numRuns: 2_000 },
    );
  });

  it('2,000 random include and extends graphs between files', () => {
    const names = ['compose.yml', 'a.yml', 'b.yml', 'c.yml'];
    const file = fc.record({
      includes: fc.array(fc.constantFrom(...names), { maxLength: 2 }),
      services: fc.dictionary(fc.constantFrom('s1', 's2', 's3'), fc.record({ extendsFile: fc.option(fc.constantFrom(...names), { nil: undefined }), extendsService: fc.constantFrom('s1', 's2', 's3') }), { maxKeys: 2 }),
    });
    fc.assert(
      fc.property(fc.array(file, { minLength: 4, maxLength: 4 }), (specs) => {
        const files: Record<string, string> = {};
        specs.forEach((spec, index) => {
          const services: Record<string, unknown> = {};
          for (const [name, definition] of Object.entries(spec.services)) {
            services[name] = definition.extendsFile ? { extends: { file: definition.extendsFile, service: definition.extendsService } } : { image: name };
          }
          files[names[index] ?? 'x.yml'] = stringify({ include: spec.includes, services: { [`only${index}`]: { image: 'x' }, ...services } });
        });
        outcome(files);
      }),
      { ...SETTINGS, numRuns: 2_000 },
    );
  });
});

