import { describe, expect, it } from 'vitest';
import { keysMatch } from './admin-key.guard.js';

describe('keysMatch', () => {
  it('matches only the exact key, whatever the lengths', () => {
    expect(keysMatch('secret-key-0123456789', 'secret-key-0123456789')).toBe(true);
    expect(keysMatch('secret-key-012345678', 'secret-key-0123456789')).toBe(false);
    expect(keysMatch('secret-key-01234567890', 'secret-key-0123456789')).toBe(false);
    expect(keysMatch('', 'secret-key-0123456789')).toBe(false);
  });
});
