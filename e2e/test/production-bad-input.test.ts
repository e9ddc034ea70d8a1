import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { freePort, requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesOfThisRun } from './native-stack-harness.js';
import { copyProject, type ProjectCopy } from './project-copy.js';

/*
 * Issue 12, "Bad input", through the real CLI on a project copy: each mistake a user can make when
 * starting production gets one line naming the file or setting, a non-zero exit, and nothing
 * running afterwards. The messages themselves are unit-tested in stack/cli; this holds the whole
 * command to them.
 */
const nginx = requireProgram('nginx');

describe.skipIf(!nginx)('production up refuses bad input with one line and leaves nothing running', () => {
  let copy: ProjectCopy;
  let env: Record<string, string>;
  const secret = (name: string) => join(copy.root, 'secrets', name);

  beforeAll(async () => {
    copy = copyProject('codiesvibe-bad-input-');
    env = { EDGE_HTTP_PORT: String(await freePort('0.0.0.0')) };
    copyFileSync(join(copy.root, '.env.production.example'), join(copy.root, '.env.production'));
    const init = copy.stack(['--env', 'production', 'secrets', 'init'], env);
    expect(init.status, init.stderr).toBe(0);
  });

  afterAll(() => {
    copy.stack(['down'], env);
    copy.remove();
  });

  /** Runs `up`, expects a refusal: its one non-progress line, after checking nothing runs. */
  function refusedUp(extraArgs: string[] = [], extraEnv: Record<string, string> = {}): string {
    const up = copy.stack(['--env', 'production', 'up', '-d', '--no-build', ...extraArgs], { ...env, ...extraEnv }, 120_000);
    const lines = `${up.stdout}${up.stderr}`.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('stack | '));
    expect(up.status, lines.join('\n')).not.toBe(0);
    expect(lines, 'exactly one line, no stack trace').toHaveLength(1);
    expect(processesOfThisRun(copy.root)).toEqual([]);
    return lines[0]!;
  }

  it('an empty secret file, and one holding only a newline', () => {
    const original = readFileSync(secret('admin_api_key'));
    try {
      for (const content of ['', '\n']) {
        writeFileSync(secret('admin_api_key'), content, { mode: 0o600 });
        expect(refusedUp()).toMatch(/secrets\/admin_api_key is empty.*secrets init/);
      }
    } finally {
      writeFileSync(secret('admin_api_key'), original, { mode: 0o600 });
    }
  });

  it('a secret file other users may read (0644)', () => {
    chmodSync(secret('admin_api_key'), 0o644);
    try {
      expect(refusedUp()).toMatch(/secrets\/admin_api_key has mode 0644.*chmod 600 secrets\/admin_api_key/);
    } finally {
      chmodSync(secret('admin_api_key'), 0o600);
    }
  });

  it('a replica count of 0 or abc, on the command line and in the environment file', () => {
    expect(refusedUp(['--scale', 'nestjs-api=0'])).toMatch(/nestjs-api has 0 replicas \(--scale nestjs-api=0\)/);
    expect(refusedUp(['--scale', 'nestjs-api=abc'])).toMatch(/--scale takes SERVICE=NUMBER \(got "nestjs-api=abc"\)/);
    const file = join(copy.root, 'docker-compose', 'environments', 'docker-compose.production.yml');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace('replicas: 3', 'replicas: abc'));
      expect(refusedUp()).toMatch(/docker-compose\.production\.yml:\d+:\d+: .*services\.nestjs-api\.deploy\.replicas/);
      writeFileSync(file, original.replace('replicas: 3', 'replicas: 0'));
      expect(refusedUp()).toMatch(/nestjs-api has 0 replicas \(services\.nestjs-api\.deploy\.replicas\)/);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('a port already taken by another program', async () => {
    const port = await freePort('0.0.0.0');
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '0.0.0.0', resolve));
    try {
      expect(refusedUp([], { EDGE_HTTP_PORT: String(port) })).toMatch(new RegExp(`port ${port} needed by nginx is already in use.*EDGE_HTTP_PORT`));
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('an nginx config that fails nginx -t', () => {
    const file = join(copy.root, 'config', 'nginx', 'conf.d', 'edge.conf');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace('server_name _;', 'server_name _;\n  bogus_directive on;'));
      expect(refusedUp()).toMatch(/unknown directive "bogus_directive" in config\/nginx\/conf\.d\/edge\.conf:\d+/);
    } finally {
      writeFileSync(file, original);
    }
  });
});
