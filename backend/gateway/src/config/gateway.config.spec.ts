import { ConfigError } from '@codiesvibe/shared';
import { describe, expect, it } from 'vitest';
import { readGatewayConfig } from './gateway.config.js';

describe('readGatewayConfig', () => {
  it('defaults the upstreams to the Compose service names', () => {
    const config = readGatewayConfig({}, 'throw');
    expect(config.PORT).toBe(4000);
    expect(config.API_UPSTREAM.map(String)).toEqual(['http://nestjs-api:4001/']);
    expect(config.TRUSTED_PROXIES).toEqual([]);
  });

  it('reads a comma-separated list of replicas and of trusted proxies', () => {
    const config = readGatewayConfig({ API_UPSTREAM: 'http://127.0.0.1:4101, http://127.0.0.1:4102', TRUSTED_PROXIES: '10.0.0.0/8,loopback' }, 'throw');
    expect(config.API_UPSTREAM.map((url) => url.port)).toEqual(['4101', '4102']);
    expect(config.TRUSTED_PROXIES).toEqual(['10.0.0.0/8', 'loopback']);
  });

  it('names every bad variable on one line each', () => {
    let error: unknown;
    try {
      readGatewayConfig({ API_UPSTREAM: 'http://nestjs-api:4001/api', TRUSTED_PROXIES: 'proxy.example', RATE_LIMIT_MAX: '0', PORT: 'x' }, 'throw');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('API_UPSTREAM');
    expect(problems).toContain('TRUSTED_PROXIES');
    expect(problems).toContain('RATE_LIMIT_MAX');
    expect(problems).toContain('PORT');
  });

  it('needs REDIS_URL in staging and production unless CODIESVIBE_EMBEDDED lists it; development keeps its default', () => {
    for (const nodeEnv of ['staging', 'production']) {
      let problems: string[] = [];
      try {
        readGatewayConfig({ NODE_ENV: nodeEnv }, 'throw');
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(problems).toEqual([`REDIS_URL is required in ${nodeEnv} (or REDIS_URL_FILE); to run without it on purpose, list it in CODIESVIBE_EMBEDDED`]);
      expect(readGatewayConfig({ NODE_ENV: nodeEnv, CODIESVIBE_EMBEDDED: 'REDIS_URL' }, 'throw').REDIS_URL).toBeUndefined();
    }
    expect(readGatewayConfig({ NODE_ENV: 'development' }, 'throw').REDIS_URL).toBeUndefined();
  });
});
