import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { recordingIo } from '../architecture/repo-tree.js';

const project = mkdtempSync(join(tmpdir(), 'stack-diff-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const write = (name: string, text: string) => writeFileSync(join(project, name), text);
write('base.yml', 'name: shop\nservices:\n  api:\n    image: shop/api:1\n    ports: ["3000:3000"]\n    environment: { LOG_LEVEL: debug }\n  db:\n    image: postgres:16\n');
write('prod.yml', 'name: shop\nservices:\n  api:\n    image: shop/api:1\n    expose: ["3000"]\n    environment: { LOG_LEVEL: info }\n    init: true\n');
// The environment layout: .env.NAME selects docker-compose.NAME.yml through APP_ENV.
write('compose.yaml', 'name: shop\ninclude:\n  - docker-compose.${APP_ENV:-dev}.yml\n');
write('docker-compose.dev.yml', 'services:\n  api:\n    image: shop/api:1\n');
write('docker-compose.prod.yml', 'services:\n  api:\n    image: shop/api:2\n');
write('.env.dev', 'APP_ENV=dev\n');
write('.env.prod', 'APP_ENV=prod\n');

describe('stack diff', () => {
  it('compares two sets of files service by service and exits 1 when they differ', async () => {
    const io = recordingIo(project);
    expect(await runCli(['diff', '--files', 'base.yml', '--files', 'prod.yml'], io)).toBe(1);
    expect(io.out.join('')).toBe(
      [
        '--- base.yml',
        '+++ prod.yml',
        '',
        'service api',
        '  ~ environment.LOG_LEVEL  "debug" → "info"',
        '  - ports                  [{"mode":"ingress","target":3000,"published":"3000","protocol":"tcp"}]',
        '  + expose                 ["3000"]',
        '  + init                   true',
        '',
        'service db  only in base.yml',
        '',
        '5 differences (1 differ, 1 only in base.yml)',
        '',
      ].join('\n'),
    );
  });

  it('compares two environments as JSON', async () => {
    const io = recordingIo(project);
    expect(await runCli(['diff', '--env', 'dev', '--env', 'prod', '--format', 'json'], io)).toBe(1);
    expect(JSON.parse(io.out.join(''))).toEqual({
      left: 'dev',
      right: 'prod',
      equal: false,
      differences: [{ path: 'services.api.image', keys: ['services', 'api', 'image'], kind: 'changed', left: 'shop/api:1', right: 'shop/api:2' }],
    });
  });

  it('exits 0 when the models are equal, a global --env being one side', async () => {
    const io = recordingIo(project);
    expect(await runCli(['--env', 'dev', 'diff', '--files', 'docker-compose.dev.yml', '-p', 'shop'], io)).toBe(0);
    expect(io.out.join('')).toContain('no differences');
  });

  it('colours the lines on a terminal', async () => {
    const io = { ...recordingIo(project), isTerminal: true };
    await runCli(['diff', '--files', 'base.yml', '--files', 'prod.yml'], io);
    expect(io.out.join('')).toContain('\x1b[31m  - ports');
  });

  it('takes the two environments as plain names too', async () => {
    const io = recordingIo(project);
    expect(await runCli(['diff', 'dev', 'prod'], io)).toBe(1);
    expect(io.out.join('')).toContain('  ~ image  "shop/api:1" → "shop/api:2"');
  });

  it.each([
    [['diff', '--env', 'dev'], 'diff compares two sides, got 1'],
    [['diff', 'dev'], 'diff compares two sides, got 1'],
    [['diff', 'dev', 'prod', 'dev'], 'diff compares two sides, got 3'],
    [['diff', '--env', 'dev', '--env', 'prod', 'extra'], 'not both (got extra beside them)'],
  ])('refuses %j with one line', async (argv, message) => {
    const io = recordingIo(project);
    expect(await runCli(argv, io)).toBe(2);
    expect(io.err.join('')).toContain(message);
  });
});
