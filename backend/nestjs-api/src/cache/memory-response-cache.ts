import { LRUCache } from 'lru-cache';
import type { CacheLookup, ResponseCache } from './response-cache.js';

export interface MemoryCacheOptions {
  maxEntries?: number;
  ttlSeconds: number;
}

/**
 * The in-process cache used when REDIS_URL is unset: an LRU per process. Invalidation only
 * reaches this process, so it suits a single instance (the native development setup).
 */
export class MemoryResponseCache implements ResponseCache {
  readonly kind = 'memory' as const;
  readonly #entries: LRUCache<string, string>;
  #generation = 0;

  constructor(options: MemoryCacheOptions) {
    this.#entries = new LRUCache({ max: options.maxEntries ?? 2000, ttl: options.ttlSeconds * 1000 });
  }

  lookup(key: string): Promise<CacheLookup> {
    const generation = String(this.#generation);
    return Promise.resolve({ generation, value: this.#entries.get(`${generation}:${key}`) });
  }

  store(generation: string, key: string, value: string): Promise<void> {
    // A value read before the last invalidation belongs to a dead generation: drop it.
    if (generation === String(this.#generation)) this.#entries.set(`${generation}:${key}`, value);
    return Promise.resolve();
  }

  invalidate(): Promise<void> {
    this.#generation++;
    this.#entries.clear();
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#entries.clear();
    return Promise.resolve();
  }
}
