import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type FixtureProcess } from './fixture-process.js';

const SECRET = 'a-real-secret-from-a-file';

// Concurrent: each test owns its child process, and most of their time is spent waiting on it.
describe.concurrent('a real service process on SIGTERM', { timeout: 30_000 }, () => {
  let secretDir: string;
  const started: FixtureProcess[] = [];

  beforeAll(() => {
    secretDir = mkdtempSync(join(tmpdir(), 'cv-shared-'));
    writeFileSync(join(secretDir, 'fixture_secret'), `${SECRET}\n`, { mode: 0o600 });
  });
  afterAll(() => {
    for (const fixture of started) if (fixture.child.exitCode === null) fixture.child.kill('SIGKILL');
    rmSync(secretDir, { recursive: true, force: true });
  });

  async function startService(
    extraEnv: Record<string, string> = {},
  ): Promise<{ fixture: FixtureProcess; baseUrl: string }> {
    const fixture = startFixture({
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      INSTANCE_ID: 'fixture-1',
      FIXTURE_SECRET_FILE: join(secretDir, 'fixture_secret'),
      ...extraEnv,
    });
    started.push(fixture);
    const listening = await fixture.waitForLog((line) => line.msg === 'listening');
    return { fixture, baseUrl: String(listening.address) };
  }

  it('lets the request in flight finish, refuses new ones, closes resources in reverse order and exits 0', async () => {
    const { fixture, baseUrl } = await startService();
    const inFlight = fetch(`${baseUrl}/slow`, { headers: { 'x-request-id': 'drain-1' } });
    await fixture.waitForLog((line) => line.msg === 'slow request started' && line.requestId === 'drain-1');

    fixture.child.kill('SIGTERM');
    await fixture.waitForLog((line) => line.msg === 'shutting down');
    // Once shutdown has begun a new request is refused, or answered 503 if it slips in before the listener closes.
    const late = await fetch(`${baseUrl}/health/live`).then(
      (answer) => answer.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);
    const response = await inFlight;

    expect(response.status).toBe(200);
    // The secret came from FIXTURE_SECRET_FILE, without its trailing newline.
    expect(await response.json()).toEqual({ done: true, secretLength: SECRET.length });
    expect(await fixture.exited).toBe(0);
    const messages = fixture
      .logs()
      .filter((line) => line.requestId === undefined || line.requestId === 'drain-1') // not the late request
      .map((line) => (typeof line.resource === 'string' ? `${String(line.msg)} ${line.resource}` : line.msg));
    expect(messages.slice(messages.indexOf('shutting down'))).toEqual([
      'shutting down',
      'request completed',
      'closed http',
      'fake database closed',
      'closed fake-database',
      'shutdown complete',
    ]);
    expect(fixture.stderr()).toBe('');
  });

  it('forces exit 1 with a logged error when a resource does not close within the grace period', async () => {
    const { fixture } = await startService({ SHUTDOWN_GRACE_MS: '300', FIXTURE_HANG_ON_CLOSE: '1' });
    fixture.child.kill('SIGTERM');

    expect(await fixture.exited).toBe(1);
    const forced = fixture.logs().find((line) => line.level === 'error');
    expect(forced?.msg).toBe('shutdown did not finish within 300 ms: forcing exit');
  });
  it('a failed start logs one fatal line naming the reason, closes what was opened and exits 1', async () => {
    const fixture = startFixture({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', FIXTURE_SECRET_FILE: join(secretDir, 'fixture_secret'), FIXTURE_FAIL_START: '1' });
    started.push(fixture);

    expect(await fixture.exited).toBe(1);
    const fatal = fixture.logs().filter((line) => line.level === 'fatal');
    expect(fatal.map((line) => line.msg)).toEqual(['fixture-service failed to start: the fake database refused the login']);
    expect(fixture.logs().some((line) => line.msg === 'closed' && line.resource === 'fake-database')).toBe(true);
    // The last line says how the process ended: not the 0 of a clean shutdown.
    expect(fixture.logs().at(-1)).toMatchObject({ msg: 'shutdown complete', exitCode: 1 });
    expect(fixture.stderr()).toBe('');
  });

  it('a port already taken is a failed start that names the address and the reason, exit 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const fixture = startFixture({ NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', FIXTURE_SECRET_FILE: join(secretDir, 'fixture_secret') });
      started.push(fixture);

      expect(await fixture.exited).toBe(1);
      const fatal = fixture.logs().find((line) => line.level === 'fatal');
      expect(fatal?.msg).toBe(`fixture-service failed to start: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
      expect(fixture.logs().some((line) => line.msg === 'closed' && line.resource === 'fake-database')).toBe(true);
      expect(fixture.logs().at(-1)).toMatchObject({ msg: 'shutdown complete', exitCode: 1 });
    } finally {
      taken.close();
    }
  });
});
