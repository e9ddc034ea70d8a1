import fc from 'fast-check';

// Random Compose-shaped models for the fuzz tests: every area of the specification, with
// plausible and implausible values (wrong types, bad durations and sizes, unknown keys) mixed in.

// Values shaped like what each key takes, with mistakes mixed in.
const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.integer({ min: -5, max: 70000 }), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
export const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
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
export const composeModel = fc.record(
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

