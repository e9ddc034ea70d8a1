import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startProcess, type RunningProcess } from './processes.js';
import { REPO_ROOT } from './repo-tree.js';

const REDIS_CONFIG = join(REPO_ROOT, 'config', 'redis');
const redisServer = requireProgram('redis-server');

describe.skipIf(!redisServer)('config/redis scripts with a real redis-server', () => {
  let dir = '';
  let passwordFile = '';
  let port = 0;
  let redis: RunningProcess;
  // The image's docker-entrypoint.sh drops privileges and execs its arguments; here it just execs.
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`,
    REDIS_CONFIG_FILE: join(dir, 'redis.conf'),
    ...extra,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redis-scripts-'));
    passwordFile = join(dir, 'redis_password');
    writeFileSync(join(dir, 'docker-entrypoint.sh'), '#!/bin/sh\nexec "$@"\n');
    chmodSync(join(dir, 'docker-entrypoint.sh'), 0o755);
    writeFileSync(passwordFile, 'a secret with spaces\n');
    port = await freePort();
    redis = startProcess(['sh', join(REDIS_CONFIG, 'start.sh'), '--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
      cwd: dir,
      env: env({ REDIS_PASSWORD_FILE: passwordFile }),
    });
    for (let attempt = 0; attempt < 200 && !redis.output().includes('Ready to accept connections'); attempt++) {
      if (redis.child.exitCode !== null) throw new Error(`redis-server exited:\n${redis.output()}`);
      await new Promise((resolveDelay) => setTimeout(resolveDelay, 50));
    }
  });

  afterAll(async () => {
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const healthcheck = (extra: Record<string, string>): number =>
    spawnSync('sh', [join(REDIS_CONFIG, 'healthcheck.sh')], { env: env({ REDIS_PORT: String(port), ...extra }) }).status ?? -1;

  it('starts with the password from the secret file and a private config', () => {
    expect(redis.output()).toContain('Ready to accept connections');
    expect(readFileSync(join(dir, 'redis.conf'), 'utf8')).toContain('requirepass "a secret with spaces"');
  });

  it('is healthy for the healthcheck reading the same secret', () => {
    expect(healthcheck({ REDIS_PASSWORD_FILE: passwordFile })).toBe(0);
  });

  it('is unhealthy for a wrong password, so the check really authenticates', () => {
    expect(healthcheck({ REDIS_PASSWORD: 'wrong' })).not.toBe(0);
  });

  it('refuses to start without a password', () => {
    const result = spawnSync('sh', [join(REDIS_CONFIG, 'start.sh')], { env: env({}), encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('redis: REDIS_PASSWORD or REDIS_PASSWORD_FILE must be set\n');
  });
});

describe('config/mongo/init-app-user.js with a MongoDB stand-in (mock)', () => {
  const script = readFileSync(join(REPO_ROOT, 'config', 'mongo', 'init-app-user.js'), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'mongo-init-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the script as mongosh would, against a stand-in `db` recording createUser calls. */
  function runInit(env: Record<string, string>, existingUser = false): { created: unknown[]; printed: string[] } {
    const created: unknown[] = [];
    const printed: string[] = [];
    const db = {
      getSiblingDB: (name: string) => ({
        getUser: () => (existingUser ? { user: 'codiesvibe', db: name } : null),
        createUser: (user: unknown) => created.push({ db: name, user }),
      }),
    };
    runInNewContext(script, { db, require: (id: string) => (id === 'fs' ? { readFileSync } : undefined), process: { env }, print: (line: string) => printed.push(line) });
    return { created, printed };
  }

  it('is valid JavaScript', () => {
    expect(() => execFileSync(process.execPath, ['--check', join(REPO_ROOT, 'config', 'mongo', 'init-app-user.js')])).not.toThrow();
  });

  it('creates the application user with readWrite on the application database, password from the secret file', () => {
    const secret = join(dir, 'mongo_app_password');
    writeFileSync(secret, 's3cret\n');
    const { created } = runInit({ MONGO_INITDB_DATABASE: 'codiesvibe', MONGO_APP_USERNAME: 'codiesvibe', MONGO_APP_PASSWORD_FILE: secret });
    expect(created).toEqual([
      { db: 'codiesvibe', user: { user: 'codiesvibe', pwd: 's3cret', roles: [{ role: 'readWrite', db: 'codiesvibe' }] } },
    ]);
  });

  it('creates the exporter user with clusterMonitor only when its password is given', () => {
    const secret = join(dir, 'mongo_exporter_password');
    writeFileSync(secret, 'exp0rter\n');
    const { created } = runInit({ MONGO_APP_PASSWORD: 'x', MONGO_EXPORTER_PASSWORD_FILE: secret });
    expect(created).toContainEqual({
      db: 'admin',
      user: { user: 'exporter', pwd: 'exp0rter', roles: [{ role: 'clusterMonitor', db: 'admin' }, { role: 'read', db: 'local' }] },
    });
    expect(runInit({ MONGO_APP_PASSWORD: 'x' }).created.map((entry) => (entry as { db: string }).db)).toEqual(['codiesvibe']);
  });

  it('leaves an existing user alone', () => {
    expect(runInit({ MONGO_APP_PASSWORD: 'x' }, true).created).toEqual([]);
  });

  it('fails with a clear message without a password', () => {
    expect(() => runInit({})).toThrow('MONGO_APP_PASSWORD or MONGO_APP_PASSWORD_FILE must be set to create the application user');
  });
});
