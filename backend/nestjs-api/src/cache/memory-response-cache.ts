import { LRUCache } from 'lru-cache';
import type { CacheLookup, ResponseCache } from './response-cache.js';

export interface MemoryCacheOptions {
  maxEntries?: number;
  ttlSeconds: number;
  /**
   * Asked before every lookup; true drops everything cached. The embedded store answers whether
   * another replica wrote to the shared file, so no replica serves data older than a write.
   */
  changedElsewhere?: () => boolean;
}

/**
 * The in-process cache used when REDIS_URL is unset: an LRU per process. Its own writes
 * invalidate it; other replicas' writes reach it through `changedElsewhere` (the embedded store
 * sees every commit to its shared file). With MongoDB and several replicas, use Redis.
 */
export class MemoryResponseCache implements ResponseCache {
  readonly kind = 'memory' as const;
  readonly #entries: LRUCache<string, string>;
  readonly #changedElsewhere: () => boolean;
  #generation = 0;

  constructor(options: MemoryCacheOptions) {
    this.#entries = new LRUCache({ max: options.maxEntries ?? 2000, ttl: options.ttlSeconds * 1000 });
    this.#changedElsewhere = options.changedElsewhere ?? (() => false);
  }

  lookup(key: string): Promise<CacheLookup> {
    if (this.#changedElsewhere()) this.#dropAll();
    const generation = String(this.#generation);
    return Promise.resolve({ generation, value: this.#entries.get(`${generation}:${key}`) });
  }

  store(generation: string, key: string, value: string): Promise<void> {
    // A value read before the last invalidation belongs to a dead generation: drop it.
    if (generation === String(this.#generation)) this.#entries.set(`${generation}:${key}`, value);
    return Promise.resolve();
  }

  invalidate(): Promise<void> {
    this.#dropAll();
    return Promise.resolve();
  }

  #dropAll(): void {
    this.#generation++;
    this.#entries.clear();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#entries.clear();
    return Promise.resolve();
  }
}
