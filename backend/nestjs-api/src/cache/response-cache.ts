/**
 * A cache of serialised API responses with whole-cache invalidation by generation: every entry is
 * stored under the generation current when its data was read, and a write bumps the generation, so
 * an entry computed from data older than the last write can never be served again. This is safe
 * across replicas when the generation lives in Redis.
 */
export interface CacheLookup {
  /** The generation to store a freshly computed value under; undefined when the cache is unusable. */
  generation: string | undefined;
  value: string | undefined;
}

export interface ResponseCache {
  readonly kind: 'redis' | 'memory';
  /** Never throws: an unusable cache answers a miss with no generation. */
  lookup(key: string): Promise<CacheLookup>;
  /** Never throws. */
  store(generation: string, key: string, value: string): Promise<void>;
  /** Makes every stored entry unreachable. Never throws. */
  invalidate(): Promise<void>;
  /** Resolves when the cache works; throws with the reason otherwise (for readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
