import { describe, expect, it } from 'vitest';
import { MemoryResponseCache } from './memory-response-cache.js';

describe('MemoryResponseCache', () => {
  it('stores under the current generation and forgets everything on invalidate', async () => {
    const cache = new MemoryResponseCache({ ttlSeconds: 60 });
    const miss = await cache.lookup('k');
    expect(miss.value).toBeUndefined();
    await cache.store(miss.generation ?? '', 'k', 'v');
    expect((await cache.lookup('k')).value).toBe('v');
    await cache.invalidate();
    expect((await cache.lookup('k')).value).toBeUndefined();
  });

  it('drops a value computed before the last invalidation', async () => {
    const cache = new MemoryResponseCache({ ttlSeconds: 60 });
    const lookup = await cache.lookup('k');
    await cache.invalidate();
    await cache.store(lookup.generation ?? '', 'k', 'stale');
    expect((await cache.lookup('k')).value).toBeUndefined();
  });
});
