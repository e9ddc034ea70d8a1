import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { COMPOSE_ERROR_CODES, ComposeError, loadProjectSync, toComposeJson } from '../src/index.js';
import { tempProject } from './support/temp-project.js';

/** Loads `text` as compose.yml; returns 'ok' or the error code. Anything but a ComposeError fails. */
function outcome(dir: string, text: string, extra: Record<string, string> = {}): string {
  writeFileSync(join(dir, 'compose.yml'), text);
  for (const [file, content] of Object.entries(extra)) writeFileSync(join(dir, file), content);
  try {
    const { project } = loadProjectSync({ cwd: dir, env: { TAG: '1', EMPTY: '' }, profiles: ['*'] });
    JSON.parse(toComposeJson(project));
    return 'ok';
  } catch (error) {
    if (error instanceof ComposeError) {
      expect(error.message.length).toBeGreaterThan(0);
      expect(error.format()).not.toContain('\n    at ');
      return error.code;
    }
    throw error;
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
    networks: [front]
  api:
    <<: *common
    build: { context: ., args: [A=1, B] }
    environment: { <<: *env, MODE: prod }
    healthcheck: { test: curl -f localhost, interval: 10s, retries: 3 }
    deploy: { replicas: 2, resources: { limits: { memory: 512M, cpus: "0.5" } } }
    command: node main.js --port $$PORT
    networks: { front: { aliases: [api] }, back: null }
    profiles: [core]
volumes:
  data: {}
networks:
  front: {}
  back: { internal: true }
`;

const FRAGMENTS = [':', '-', ' ', '\n', '  ', '{', '}', '[', ']', '&a', '*a', '<<: *common', '!reset', '!override', '${', '${X:?', '$$', '"', "'", '#', '|', '>', '~', 'null', '0400', 'services:', 'extends: web', 'include: [compose.yml]'];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
);

interface Mutation {
  kind: 'delete' | 'insert' | 'duplicate';
  at: number;
  length?: number;
  text?: string;
}

function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const step of mutations) {
    const at = step.at % (out.length + 1);
    if (step.kind === 'delete') out = out.slice(0, at) + out.slice(at + (step.length ?? 1));
    else if (step.kind === 'insert') out = out.slice(0, at) + (step.text ?? '') + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + (step.length ?? 1)) + out.slice(at);
  }
  return out;
}

const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('${TAG}', '${EMPTY:-x}', '$$', '80:80', './x:/x'));
const SERVICE_KEYS = ['image', 'build', 'command', 'environment', 'ports', 'volumes', 'depends_on', 'networks', 'profiles', 'labels', 'healthcheck', 'deploy', 'extends', 'env_file', 'x-native', 'restart', 'expose', 'ulimits', 'secrets'];
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 3 })),
})).node;
const service = fc.dictionary(fc.constantFrom(...SERVICE_KEYS), value, { maxKeys: 5 });
const model = fc.record({
  services: fc.dictionary(fc.constantFrom('web', 'api', 'db', 'worker'), service, { minKeys: 1, maxKeys: 4 }),
  volumes: fc.option(fc.dictionary(fc.constantFrom('data', 'logs'), value, { maxKeys: 2 }), { nil: undefined }),
});

// Each run writes a file and loads a whole project; the machine is shared, so allow time.
describe('robustness: any input gives a model or a clean ComposeError', { timeout: 60_000 }, () => {
  it('survives random mutations of a valid compose file', () => {
    const dir = tempProject({ 'conf/.keep': '' });
    expect(outcome(dir, SEED)).toBe('ok');
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        outcome(dir, mutate(SEED, mutations));
      }),
      { numRuns: 60 },
    );
  });

  it('survives random text', () => {
    const dir = tempProject({});
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        outcome(dir, text);
      }),
      { numRuns: 60 },
    );
  });

  it('survives random structures in service definitions', () => {
    const dir = tempProject({});
    fc.assert(
      fc.property(model, (document) => {
        outcome(dir, stringify(document));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses extends graphs with cycles and resolves the others', () => {
    const dir = tempProject({});
    const names = ['a', 'b', 'c', 'd'];
    fc.assert(
      fc.property(fc.array(fc.option(fc.constantFrom(...names), { nil: undefined }), { minLength: 4, maxLength: 4 }), (targets) => {
        const services = Object.fromEntries(names.map((name, index) => [name, targets[index] ? { image: name, extends: targets[index] } : { image: name }]));
        const result = outcome(dir, stringify({ services }));
        const hasCycle = names.some((start) => {
          const seen = new Set<string>();
          let current: string | undefined = start;
          while (current !== undefined) {
            if (seen.has(current)) return true;
            seen.add(current);
            current = targets[names.indexOf(current)];
          }
          return false;
        });
        expect(result).toBe(hasCycle ? COMPOSE_ERROR_CODES.EXTENDS_CYCLE : 'ok');
      }),
      { numRuns: 100 },
    );
  });

  it('refuses include cycles of any length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), (length) => {
        const files: Record<string, string> = {};
        for (let i = 0; i < length; i++) files[`f${i}.yml`] = `include: [f${(i + 1) % length}.yml]\nservices:\n  s${i}: { image: x }\n`;
        const dir = tempProject({ ...files, 'compose.yml': 'include: [f0.yml]\nservices:\n  main: { image: x }\n' });
        expect(outcome(dir, 'include: [f0.yml]\nservices:\n  main: { image: x }\n')).toBe(COMPOSE_ERROR_CODES.INCLUDE_CYCLE);
      }),
      { numRuns: 10 },
    );
  });

  it('refuses alias bombs of any shape', () => {
    const dir = tempProject({});
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 10 }), fc.integer({ min: 7, max: 12 }), (depth, width) => {
        const lines = ['x-l0: &l0 [lol]'];
        for (let i = 1; i <= depth; i++) lines.push(`x-l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
        lines.push('services:', '  a: { image: a }');
        expect(outcome(dir, lines.join('\n'))).toBe(COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB);
      }),
      { numRuns: 10 },
    );
  });
});
