import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { recordingIo } from '../architecture/repo-tree.js';

const project = mkdtempSync(join(tmpdir(), 'stack-doctor-'));
let held: Server;
let heldPort = 0;

/** A stand-in `docker` client answering like an engine with the given Compose version. */
function fakeDocker(name: string, composeVersion: string | undefined): string {
  const file = join(project, name);
  const compose = composeVersion ? `echo ${composeVersion}` : 'exit 1';
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = version ]; then echo 27.3.1; exit 0; fi\nif [ "$1" = compose ]; then ${compose}; fi\n`);
  chmodSync(file, 0o755);
  return file;
}

beforeAll(async () => {
  held = createServer();
  await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
  heldPort = (held.address() as { port: number }).port;
  const write = (name: string, text: string, mode = 0o644) => {
    writeFileSync(join(project, name), text);
    chmodSync(join(project, name), mode);
  };
  write('package.json', '{ "name": "doctor-fixture", "private": true, "engines": { "node": ">=20.19.0" } }\n');
  write(
    'compose.yaml',
    [
      'name: shop',
      'services:',
      '  api:',
      '    image: shop/api',
      '    environment: { PORT: "${API_PORT}" }',
      '    secrets: [api_key, db_password]',
      '    x-native: { command: [node, server.js] }',
      '  cache:',
      '    image: valkey/valkey:8',
      '    x-native: { program: codiesvibe-no-such-cache, embedded: api keeps its cache in memory }',
      'secrets:',
      '  api_key: { file: ./secrets/api_key }',
      '  db_password: { file: ./secrets/db_password, x-generate: random }',
      '',
    ].join('\n'),
  );
  write('.env.production.example', 'API_PORT=3000\n');
  write('.env.production', `API_PORT=${heldPort}\n`, 0o644);
  mkdirSync(join(project, 'secrets'));
  write('secrets/api_key', 'k', 0o644);
});

afterAll(async () => {
  await new Promise((resolve) => held.close(resolve));
  rmSync(project, { recursive: true, force: true });
});

// Each run spawns npm and the docker stand-in, and reads /proc for port holders: seconds on a busy machine.
describe('stack doctor', { timeout: 30_000 }, () => {
  it('reports each finding with its fix and exits 1 on a blocker', async () => {
    const io = recordingIo(project);
    io.env.DOCKER_BINARY = fakeDocker('docker-old', '2.18.1');
    io.env.STACK_MODE = 'native';
    expect(await runCli(['--env', 'production', 'doctor'], io)).toBe(1);
    const out = io.out.join('');
    expect(out).toContain(`✔ Node.js ${process.version} (needs >=20.19.0)`);
    expect(out).toContain('✔ Docker engine 27.3.1');
    expect(out).toContain('✖ Docker Compose 2.18.1 cannot read include: (needs 2.20+) → upgrade the Docker Compose plugin');
    expect(out).toContain('⚠ .env.production is readable by other users (mode 0644) → chmod 600 .env.production');
    expect(out).toContain('⚠ secret api_key: secrets/api_key is readable by other users (mode 0644) → chmod 600 secrets/api_key');
    expect(out).toContain('✖ secret db_password: secrets/db_password is missing → npx stack --env production secrets init');
    expect(out).toContain('⚠ codiesvibe-no-such-cache not found: instead, api keeps its cache in memory');
    expect(out).toContain(`✖ port ${heldPort} needed by api is in use by process ${process.pid}`);
    expect(out).toMatch(/✖ 3 blockers, 3 warnings\n$/);
  });

  it('passes with warnings only: no engine, fixed files, free port', async () => {
    writeFileSync(join(project, 'secrets/db_password'), 'p');
    chmodSync(join(project, 'secrets/db_password'), 0o600);
    chmodSync(join(project, 'secrets/api_key'), 0o600);
    chmodSync(join(project, '.env.production'), 0o600);
    const io = recordingIo(project);
    io.env.DOCKER_BINARY = join(project, 'no-docker-here');
    io.env.API_PORT = '0';
    expect(await runCli(['--env', 'production', 'doctor', '--format', 'json'], io)).toBe(0);
    const report = JSON.parse(io.out.join('')) as { ok: boolean; sections: Array<{ title: string; checks: Array<{ status: string; message: string }> }> };
    expect(report.ok).toBe(true);
    const messages = report.sections.flatMap((section) => section.checks.map((check) => `${check.status} ${check.message}`));
    expect(messages).toContain(`warn ${join(project, 'no-docker-here')} not found: stack up runs every service natively`);
    expect(messages).toContain('ok secret db_password: secrets/db_password (mode 0600)');
  });

  it('says when the environment has no env file, and still checks the machine', async () => {
    const io = recordingIo(project);
    io.env.DOCKER_BINARY = fakeDocker('docker-new', 'v2.40.3');
    expect(await runCli(['--env', 'staging', 'doctor'], io)).toBe(1);
    const out = io.out.join('');
    expect(out).toContain('✔ Docker Compose 2.40.3 (include needs 2.20+)');
    expect(out).toContain('✖ .env.staging is missing → create .env.staging in');
  });
});
