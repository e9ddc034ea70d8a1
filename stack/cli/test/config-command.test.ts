import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/main.js';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stack-config-'));
  created.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function stack(cwd: string, argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd,
    env: { PATH: '/usr/bin', ...env },
  });
  return { status, stdout, stderr };
}

const LAYOUT = {
  'compose.yaml': [
    'name: demo',
    'services:',
    '  api:',
    '    image: "api:${TAG:-dev}"',
    '    environment: { ENV: "${CODIESVIBE_ENV:-none}", SECRET: "${SECRET:-unset}" }',
    '    depends_on: [db]',
    '  db: { image: postgres }',
    '  grafana: { image: grafana, profiles: [monitoring] }',
  ].join('\n'),
  '.env.development': 'TAG=dev-1\n',
  '.env.production.example': 'TAG=prod-example\nSECRET=change-me\n',
};

describe('stack config', () => {
  it('prints the model as JSON', async () => {
    const dir = project(LAYOUT);
    const result = await stack(dir, ['config', '--format', 'json']);
    expect(result.status).toBe(0);
    const model = JSON.parse(result.stdout) as { name: string; services: Record<string, { image: string }> };
    expect(model.name).toBe('demo');
    expect(Object.keys(model.services)).toEqual(['api', 'db']);
  });

  it('prints YAML by default and nothing with -q', async () => {
    const dir = project(LAYOUT);
    expect((await stack(dir, ['config'])).stdout).toContain('name: demo\n');
    expect(await stack(dir, ['config', '-q'])).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('lists services in dependency order, and profiles', async () => {
    const dir = project(LAYOUT);
    expect((await stack(dir, ['config', '--services'])).stdout).toBe('db\napi\n');
    expect((await stack(dir, ['--profile', 'monitoring', 'config', '--services'])).stdout).toBe('db\napi\ngrafana\n');
    expect((await stack(dir, ['config', '--profiles'])).stdout).toBe('monitoring\n');
  });

  it('selects an environment with --env: CODIESVIBE_ENV and .env.NAME', async () => {
    const dir = project(LAYOUT);
    const result = await stack(dir, ['--env', 'development', 'config', '--format', 'json']);
    const api = (JSON.parse(result.stdout) as { services: { api: { image: string; environment: Record<string, string> } } }).services.api;
    expect(api.image).toBe('api:dev-1');
    expect(api.environment.ENV).toBe('development');
  });

  it('falls back to .env.NAME.example and says so', async () => {
    const dir = project(LAYOUT);
    const result = await stack(dir, ['config', '--format', 'json', '--profile', 'production']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('.env.production not found, using .env.production.example');
    const api = (JSON.parse(result.stdout) as { services: { api: { image: string; environment: Record<string, string> } } }).services.api;
    expect(api).toMatchObject({ image: 'api:prod-example', environment: { ENV: 'production', SECRET: 'change-me' } });
  });

  it('refuses two different environments and unknown ones', async () => {
    const dir = project(LAYOUT);
    expect((await stack(dir, ['--env', 'staging', '--profile', 'production', 'config'])).status).toBe(2);
    const unknown = await stack(dir, ['--env', 'qa', 'config']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('.env.qa');
  });

  it('prints one line and exits 2 on a usage mistake', async () => {
    const dir = project(LAYOUT);
    for (const argv of [['config', '--bogus'], ['frobnicate'], ['config', '--format', 'xml']]) {
      const result = await stack(dir, argv);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('prints file:line:col and the code on an invalid project, the stack only with --debug', async () => {
    const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    depends_on: [nothere]\n' });
    const result = await stack(dir, ['config']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `${join(dir, 'compose.yaml')}:4:5: service "web" depends on undefined service "nothere": invalid compose project [STACK_ERR_INCONSISTENT]\n`,
    );
    const debug = await stack(dir, ['config', '--debug']);
    expect(debug.stderr).toContain('\n    at ');
  });

  it('prints help for stack and for a command', async () => {
    const dir = project(LAYOUT);
    expect((await stack(dir, ['--help'])).stdout).toContain('Commands:\n  config');
    expect((await stack(dir, ['config', '--help'])).stdout).toContain('--no-interpolate');
  });
});

describe('stack with random argument lists', () => {
  const TOKENS = [
    'config', 'validate', 'matrix', '--format', 'json', 'yaml', 'xml', '-f', 'compose.yaml', 'nope.yml', '--env-file', '.env.development',
    '--profile', 'monitoring', 'production', 'development', '-p', 'Bad Name', 'demo', '--project-directory', '.', 'missing-dir',
    '--services', '--volumes', '--profiles', '-q', '--no-interpolate', '--env', 'staging', 'qa', '--bogus', '-x', '--', 'api', 'nosuch',
    '--help', '-h', '--file=compose.yaml', '-qf', '=', '',
  ];

  it('always ends with a status and clean one-line errors, never an exception', async () => {
    const fc = (await import('fast-check')).default;
    const dir = project(LAYOUT);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })), { maxLength: 8 }), async (argv) => {
        const withoutDebug = argv.filter((arg) => arg !== '--debug');
        const result = await stack(dir, withoutDebug);
        expect([0, 1, 2]).toContain(result.status);
        expect(result.stderr).not.toContain('\n    at ');
        if (result.status !== 0) {
          const last = result.stderr.trim().split('\n').pop() ?? '';
          expect(last.startsWith('stack: ') || /\[STACK_ERR_[A-Z_]+\]$/.test(last), result.stderr).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
