import { describe, expect, it } from 'vitest';
import { startFixture } from './fixture-process.js';

describe.concurrent('a real service process with a bad environment', { timeout: 30_000 }, () => {
  it('prints one line per bad variable, no stack trace, and exits 1', async () => {
    const fixture = startFixture({ PORT: 'abc', LOG_LEVEL: 'loud' });

    expect(await fixture.exited).toBe(1);
    expect(fixture.stderr().trimEnd().split('\n')).toEqual([
      'fixture-service: Invalid environment: PORT="abc" is not a port (0-65535)',
      'fixture-service: Invalid environment: LOG_LEVEL="loud" must be one of trace, debug, info, warn, error, fatal, silent',
      'fixture-service: Invalid environment: FIXTURE_SECRET is required',
    ]);
    expect(fixture.stderr()).not.toMatch(/\n\s+at /);
    expect(fixture.stdoutLines).toEqual([]);
  });

  it('refuses an out-of-range sampler argument at start, naming the variable', async () => {
    const fixture = startFixture({
      PORT: '0',
      FIXTURE_SECRET: 'a-real-secret-of-enough-length',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1.5',
    });

    expect(await fixture.exited).toBe(1);
    expect(fixture.stderr()).toBe('fixture-service: Invalid environment: OTEL_TRACES_SAMPLER_ARG="1.5" must be a number from 0 to 1\n');
    expect(fixture.logs().some((line) => line.msg === 'listening')).toBe(false);
  });

  it('refuses a known development secret in production, naming the variable but not the value', async () => {
    const fixture = startFixture({
      NODE_ENV: 'production',
      PORT: '0',
      FIXTURE_SECRET: 'codiesvibe-dev-admin-key',
    });

    expect(await fixture.exited).toBe(1);
    expect(fixture.stderr()).toBe(
      'fixture-service: Invalid environment: FIXTURE_SECRET is a known development default; set a real secret (e.g. FIXTURE_SECRET_FILE=/run/secrets/...)\n',
    );
  });
});
