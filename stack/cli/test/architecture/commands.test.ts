import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { recordingIo, REPO_ROOT } from './repo-tree.js';

const ARCHITECTURE = join(REPO_ROOT, '..', 'shared', 'ARCHITECTURE.md');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'validate');
const workspace = mkdtempSync(join(tmpdir(), 'stack-commands-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** The dependency matrix table of ARCHITECTURE.md, as written there. */
function architectureMatrix(): string {
  const lines = readFileSync(ARCHITECTURE, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('| service | depends on'));
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return `${lines.slice(start, end).join('\n')}\n`;
}

describe('stack matrix', () => {
  it.skipIf(!existsSync(ARCHITECTURE))('prints the matrix of ARCHITECTURE.md for production', async () => {
    const io = recordingIo(REPO_ROOT);
    expect(await runCli(['--env', 'production', 'matrix'], io)).toBe(0);
    expect(io.out.join('')).toBe(architectureMatrix());
  }, 60_000);

  it('prints mermaid and json', async () => {
    const mermaid = recordingIo(REPO_ROOT);
    expect(await runCli(['matrix', '--env', 'development', '--format', 'mermaid'], mermaid)).toBe(0);
    expect(mermaid.out.join('')).toContain('nestjs_api -->|healthy| gateway');
    const json = recordingIo(REPO_ROOT);
    expect(await runCli(['matrix', '--format', 'json'], json)).toBe(0);
    const parsed = JSON.parse(json.out.join('')) as { environment: string; services: Array<{ service: string; tier: number }> };
    expect(parsed.environment).toBe('development');
    expect(parsed.services.find((row) => row.service === 'nginx')?.tier).toBe(7);
  }, 60_000);

  it('reports a dependency cycle as an error', async () => {
    const projectDir = join(workspace, 'cycle');
    cpSync(join(FIXTURES, 'valid'), projectDir, { recursive: true });
    cpSync(join(FIXTURES, 'fail', 'no-dependency-cycle'), projectDir, { recursive: true });
    const io = recordingIo(projectDir);
    expect(await runCli(['matrix'], io)).toBe(1);
    expect(io.err.join('')).toContain('dependency cycle');
  });
});

describe('stack validate', () => {
  it('passes on the repository, every environment', async () => {
    const io = recordingIo(REPO_ROOT);
    expect(await runCli(['validate', '--env', 'all'], io)).toBe(0);
    expect(io.out.join('')).toBe('✔ no problems (environments: development, production, staging, testing)\n');
    // On a fresh clone production has only its .env.production.example: said on stderr.
    if (!existsSync(join(REPO_ROOT, '.env.production'))) expect(io.err.join('')).toContain('using .env.production.example');
  }, 60_000);

  it('exits 1 and prints ESLint-style findings for a broken tree', async () => {
    const projectDir = join(workspace, 'broken');
    cpSync(join(FIXTURES, 'valid'), projectDir, { recursive: true });
    cpSync(join(FIXTURES, 'fail', 'production-host-ports'), projectDir, { recursive: true });
    const io = recordingIo(projectDir);
    expect(await runCli(['validate', '--env', 'production'], io)).toBe(1);
    expect(io.out.join('')).toBe(
      [
        'docker-compose/environments/docker-compose.production.yml',
        '  23:5  error    production: service api publishes host ports (3000:3000)  production-host-ports',
        '                 fix: use `expose:`; traffic enters through the nginx edge and the gateway',
        '',
        '✖ 1 problem (1 error, 0 warnings) (environments: production)',
        '',
      ].join('\n'),
    );
  });

  it('gives the same findings as JSON', async () => {
    const io = recordingIo(join(workspace, 'broken'));
    expect(await runCli(['validate', '--env', 'production', '--format', 'json'], io)).toBe(1);
    const report = JSON.parse(io.out.join('')) as { errorCount: number; findings: Array<{ ruleId: string; file: string; line: number }> };
    expect(report.errorCount).toBe(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'production-host-ports',
      file: 'docker-compose/environments/docker-compose.production.yml',
      line: 23,
    });
  });

  it('refuses an unknown environment with a usage error', async () => {
    const io = recordingIo(REPO_ROOT);
    expect(await runCli(['validate', '--env', 'qa'], io)).toBe(2);
    expect(io.err.join('')).toBe('stack: unknown environment "qa": one of development, production, staging, testing or all\n');
  });
});
