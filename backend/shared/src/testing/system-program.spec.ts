import { afterEach, describe, expect, it, vi } from 'vitest';
import { findProgram, requireProgram } from './system-program.js';

describe('requireProgram', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('finds a program that every Debian machine has', () => {
    expect(findProgram('sh')).toMatch(/\/sh$/);
  });

  it('skips with a printed reason when the program is missing', () => {
    vi.stubEnv('CODIESVIBE_REQUIRE_ALL', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(requireProgram('no-such-program-xyz')).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('SKIPPED: no-such-program-xyz is not installed'),
    );
  });

  it('fails instead of skipping when CI requires every program', () => {
    vi.stubEnv('CODIESVIBE_REQUIRE_ALL', '1');
    expect(() => requireProgram('no-such-program-xyz')).toThrow(/requires every test to run/);
  });
});
