import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseComposeYaml } from '@codiesvibe/compose';
import { describe, expect, it } from 'vitest';
import { asRecord } from '../../src/validate/compose-model.js';
import { readDockerfile } from '../../src/validate/dockerfile.js';
import { REPO_ROOT } from './repo-tree.js';

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
