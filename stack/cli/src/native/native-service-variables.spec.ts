import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectSync } from '@codiesvibe/compose';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNativePlan } from './native-plan-builder.js';
import { nativeServiceVariables } from './native-service-variables.js';

const root = mkdtempSync(join(tmpdir(), 'stack-service-variables-'));
writeFileSync(join(root, 'package.json'), '{}');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('nativeServiceVariables', () => {
  it("puts x-native.environment over the service's environment and leaves out variables without a value", () => {
    const variables = nativeServiceVariables('api', {
      environment: {
        NODE_OPTIONS: '--max-semi-space-size=4',
        TRUSTED_PROXIES: null,
        FRONTEND_DIR: '/app/public',
        LOG_LEVEL: 'info',
      },
      'x-native': {
        command: ['node', 'main.js'],
        environment: { FRONTEND_DIR: 'frontend/dist', TRUSTED_PROXIES: 'loopback' },
      },
    });
    expect(variables).toEqual({
      NODE_OPTIONS: '--max-semi-space-size=4',
      TRUSTED_PROXIES: 'loopback',
      FRONTEND_DIR: 'frontend/dist',
      LOG_LEVEL: 'info',
    });
  });

  it('is the service environment alone without an x-native block, and empty without either', () => {
    expect(
      nativeServiceVariables('api', {
        environment: { MALLOC_ARENA_MAX: '2', OTEL_EXPORTER_OTLP_ENDPOINT: null },
      }),
    ).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(nativeServiceVariables('api', {})).toEqual({});
  });

  it('names the service and the setting when its x-native block is invalid', () => {
    expect(() => nativeServiceVariables('api', { 'x-native': { environment: { PORT: 4001 } } })).toThrow(
      /^service api: x-native\.environment\.PORT: /,
    );
  });

  it('gives the values the native plan starts the process with, where they name no service', async () => {
    const service = {
      environment: { NODE_OPTIONS: '--max-semi-space-size=4', MALLOC_ARENA_MAX: '2', UNSET: null },
      'x-native': { command: ['node', 'main.js'], environment: { MALLOC_ARENA_MAX: '1' } },
    };
    const plan = await buildNativePlan(
      { name: 'demo', workingDir: root, services: { api: service } },
      { findProgram: () => undefined, baseEnv: {} },
    );
    const env = plan.processes.find((spec) => spec.service === 'api')!.env;
    for (const [key, value] of Object.entries(nativeServiceVariables('api', service)))
      expect(env[key]).toBe(value);
    expect(env).not.toHaveProperty('UNSET');
  });

  it('reads a project the engine resolved: interpolated, extended and overridden per environment', () => {
    const dir = mkdtempSync(join(root, 'project-'));
    mkdirSync(join(dir, 'services'));
    writeFileSync(
      join(dir, 'services', 'api.yml'),
      'services:\n  api:\n    image: api\n    environment:\n      NODE_OPTIONS: ${NODE_FLAGS:-}\n      MALLOC_ARENA_MAX: "2"\n',
    );
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  api:\n    extends:\n      file: services/api.yml\n      service: api\n    environment:\n      MALLOC_ARENA_MAX: "1"\n',
    );
    const { project } = loadProjectSync({ cwd: dir, env: { NODE_FLAGS: '--max-semi-space-size=4' } });
    expect(nativeServiceVariables('api', project.services.api!)).toEqual({
      NODE_OPTIONS: '--max-semi-space-size=4',
      MALLOC_ARENA_MAX: '1',
    });
  });
});
