import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { recordingIo } from '../architecture/repo-tree.js';

// Trees broken the way users break them, and what each command answers: one line naming the file
// and line, a non-zero exit, never a result that reads as a success (fixtures/README.md).
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const workspace = mkdtempSync(join(tmpdir(), 'stack-broken-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** `validate/valid` with `layer` (a folder under test/) laid over it, in a fresh directory. */
function brokenTree(label: string, layer: string): string {
  const projectDir = join(workspace, label);
  cpSync(join(FIXTURES, 'validate', 'valid'), projectDir, { recursive: true });
  cpSync(join(import.meta.dirname, '..', layer), projectDir, { recursive: true });
  return projectDir;
}

async function run(projectDir: string, argv: string[], env: Record<string, string> = {}) {
  const io = recordingIo(projectDir);
  Object.assign(io.env, env);
  const status = await runCli(argv, io);
  return { status, out: io.out.join(''), err: io.err.join('') };
}

describe('a dependency no file defines', { timeout: 60_000 }, () => {
  const projectDir = brokenTree('undefined-dependency', 'broken-trees/fixtures/undefined-dependency');
  const refusal = /^\/.*docker-compose\/services\/docker-compose\.api\.yml:\d+:\d+: service "api" depends on undefined service "search": invalid compose project \[STACK_ERR_INCONSISTENT\]\n$/;

  it('stack doctor reports it as a blocker (it said "ready" before: up would have failed)', async () => {
    const result = await run(projectDir, ['--env', 'development', 'doctor'], { STACK_MODE: 'native' });
    expect(result.status).toBe(1);
    expect(result.out).toMatch(/✖ the project does not load: .*docker-compose\.api\.yml:\d+:\d+: service "api" depends on undefined service "search"/);
  });

  it('stack diff refuses it like config does, instead of printing differences as a result', async () => {
    const result = await run(projectDir, ['diff', 'development', 'production']);
    expect(result.status).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(refusal);
  });

  it('stack diff --no-consistency still compares the two models', async () => {
    const result = await run(projectDir, ['diff', 'development', 'production', '--no-consistency']);
    expect(result.status).toBe(1);
    expect(result.out).toContain('service api');
    expect(result.err).toBe('');
  });
});

describe('a service that always starts needing one only a profile starts', { timeout: 60_000 }, () => {
  const projectDir = brokenTree('profile-dependency', 'fixtures/validate/fail/profile-dependency');

  it('stack matrix refuses it as config and up do (it drew db in tier 1 before)', async () => {
    const result = await run(projectDir, ['--env', 'development', 'matrix']);
    expect(result.status).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/docker-compose\.api\.yml:\d+:\d+: service "api" depends on undefined service "db": invalid compose project \[STACK_ERR_INCONSISTENT\]\n$/);
  });

  it('stack matrix draws it with the profile enabled', async () => {
    const result = await run(projectDir, ['--env', 'development', '--profile', 'store', 'matrix']);
    expect(result.status).toBe(0);
    expect(result.out).toContain('| api | db | 2 |');
  });

  it('stack validate names the depends_on line and the fix (it found no problem before)', async () => {
    const result = await run(projectDir, ['validate', '--env', 'development', '--format', 'json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.out) as { findings: Array<{ ruleId: string; file: string; line: number; hint: string }> };
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'profile-dependency',
        file: 'docker-compose/services/docker-compose.api.yml',
        line: 19,
        hint: 'remove profiles from db, or give api profiles: [store], or set depends_on.db.required: false',
      }),
    ]);
  });
});

describe('.env.NAME selecting another environment', { timeout: 60_000 }, () => {
  const projectDir = brokenTree('env-file-selects-other', 'broken-trees/fixtures/env-file-selects-other');
  const line =
    "stack: .env.development:2: CODIESVIBE_ENV=production selects environment production, but this is the development environment's file (docker compose --env-file .env.development loads production): set CODIESVIBE_ENV=development [STACK_ERR_ENV_FILE_MISMATCH]\n";

  it('stack config refuses it in one line (it printed development, while docker compose --env-file loads production)', async () => {
    const result = await run(projectDir, ['--env', 'development', 'config']);
    expect(result.status).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toBe(line);
  });

  it('stack validate reports it at the line of the env file, with the fix', async () => {
    const result = await run(projectDir, ['validate', '--format', 'json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.out) as { findings: Array<Record<string, unknown>> };
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'STACK_ERR_ENV_FILE_MISMATCH', file: '.env.development', line: 2, hint: 'set CODIESVIBE_ENV=development' }),
    ]);
  });

  it('leaves an env file that selects its own environment alone', async () => {
    const result = await run(projectDir, ['--env', 'production', 'config', '-q']);
    expect(result.err).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('a profile no service has', { timeout: 60_000 }, () => {
  const projectDir = brokenTree('profile-typo', 'fixtures/validate/fail/profile-dependency');

  it('keeps Compose\'s result (the profile enables nothing) and says so on stderr', async () => {
    const result = await run(projectDir, ['--env', 'development', '--profile', 'stroe', '--profile', 'store', 'config', '--services']);
    expect(result.status).toBe(0);
    expect(result.out).toBe('db\napi\nnginx\n');
    expect(result.err).toBe('warning: profile stroe: no service has it, so it enables nothing (profiles here: store)\n');
  });

  it('says nothing for a profile a service has, or an environment name', async () => {
    const result = await run(projectDir, ['--profile', 'development', '--profile', 'store', 'config', '-q']);
    expect(result).toEqual({ status: 0, out: '', err: '' });
  });
});
