import { describe, expect, it } from 'vitest';
import { parseRuntimeConfig } from './runtime-config.js';

describe('parseRuntimeConfig', () => {
  it('defaults to same origin', () => {
    expect(parseRuntimeConfig(undefined)).toEqual({ apiBaseUrl: '' });
    expect(parseRuntimeConfig({ apiBaseUrl: '' })).toEqual({ apiBaseUrl: '' });
  });

  it('accepts an absolute URL and drops the trailing slash', () => {
    expect(parseRuntimeConfig({ apiBaseUrl: 'https://api.example.com/' })).toEqual({
      apiBaseUrl: 'https://api.example.com',
    });
  });

  it.each([
    [{ apiBaseUrl: 42 }, /apiBaseUrl must be a string/],
    [{ apiBaseUrl: '/relative' }, /not an absolute URL/],
    [{ apiBaseUrl: 'ftp://files.example.com' }, /must use http or https/],
    ['nonsense', /must be an object/],
  ])('rejects %j with one line naming the setting', (raw, message) => {
    expect(() => parseRuntimeConfig(raw)).toThrow(message);
    expect(() => parseRuntimeConfig(raw)).toThrow(/^FRONTEND_ERR_CONFIG: /);
  });
});
