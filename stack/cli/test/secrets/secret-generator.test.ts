import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initSecrets, secretRecipes } from '../../src/secrets/secret-generator.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function recipesIn(folder: string) {
  return secretRecipes({
    redis_url: { file: join(folder, 'redis_url'), 'x-generate': 'redis://:{{redis_password}}@redis:6379' },
    redis_password: { file: join(folder, 'redis_password'), 'x-generate': 'random' },
    tls_cert: { file: join(folder, 'tls_cert') },
    external_one: { external: true },
  });
}

describe('stack secrets init', () => {
  it('creates strong random files with mode 0600 and fills templates from them', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const { recipes, manual } = recipesIn(join(dir, 'secrets'));
    expect(manual).toEqual(['tls_cert']);
    const outcomes = initSecrets(recipes, { canChown: false });
    expect(outcomes.map((o) => `${o.name}:${o.action}`).sort()).toEqual(['redis_password:created', 'redis_url:created']);
    const password = readFileSync(join(dir, 'secrets', 'redis_password'), 'utf8');
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(join(dir, 'secrets', 'redis_url'), 'utf8')).toBe(`redis://:${password}@redis:6379`);
    expect(statSync(join(dir, 'secrets', 'redis_password')).mode & 0o777).toBe(0o600);
  });

  it('keeps existing files, so a second run never changes a password', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const { recipes } = recipesIn(dir);
    writeFileSync(join(dir, 'redis_password'), 'already-set');
    const outcomes = initSecrets(recipes, { canChown: false });
    expect(outcomes.find((o) => o.name === 'redis_password')?.action).toBe('kept');
    expect(readFileSync(join(dir, 'redis_url'), 'utf8')).toBe('redis://:already-set@redis:6379');
    expect(initSecrets(recipes, { canChown: false }).every((o) => o.action === 'kept')).toBe(true);
  });

  it('names a template reference to an unknown secret and a cycle', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const unknown = secretRecipes({ a: { file: join(dir, 'a'), 'x-generate': '{{nope}}' } });
    expect(() => initSecrets(unknown.recipes)).toThrow('a secret template names nope, which is not a generated secret');
    const cycle = secretRecipes({ a: { file: join(dir, 'a'), 'x-generate': '{{b}}' }, b: { file: join(dir, 'b'), 'x-generate': '{{a}}' } });
    expect(() => initSecrets(cycle.recipes)).toThrow(/cycle through a/);
    expect(() => secretRecipes({ a: { file: 'x', 'x-generate': 5 } })).toThrow('secret a: x-generate must be "random" or a template string');
  });
});
