import { describe, expect, it } from 'vitest';
import { runsInCore } from './core-commands.js';

describe('runsInCore', () => {
  it('takes config, ps, help and version, wherever the global options stand', () => {
    expect(runsInCore(['config', '-q'])).toBe(true);
    expect(runsInCore(['--env', 'production', 'ps', '--native'])).toBe(true);
    expect(runsInCore(['--env-file', '.env.production.example', '-f', 'up', 'config'])).toBe(true);
    expect(runsInCore(['--help'])).toBe(true);
    expect(runsInCore(['--version'])).toBe(true);
    expect(runsInCore([])).toBe(true);
  });

  it('leaves every other command to the full CLI, even one named like a core command after it', () => {
    expect(runsInCore(['up', '-d'])).toBe(false);
    expect(runsInCore(['-f', 'config', 'validate'])).toBe(false);
    expect(runsInCore(['validate', 'config'])).toBe(false);
  });

  it('takes a line whose global options do not parse, so the usage error is printed the same way', () => {
    expect(runsInCore(['--no-such-flag', 'up'])).toBe(true);
    expect(runsInCore(['-f'])).toBe(true);
  });
});
