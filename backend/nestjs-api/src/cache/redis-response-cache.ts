import { Redis } from 'ioredis';
import type { Logger } from '@codiesvibe/shared';
import type { CacheLookup, ResponseCache } from './response-cache.js';

export interface RedisCacheOptions {
  url: string;
  ttlSeconds: number;
  logger: Logger;
  /** Key prefix; one per service so services sharing a Redis never collide. */
  prefix?: string;
  /** A command slower than this counts as a failure, so a stuck Redis cannot stall requests. */
  commandTimeoutMs?: number;
}

// One round trip for a lookup: read the generation and the entry stored under it together.
const LOOKUP_SCRIPT = `
local generation = redis.call('GET', KEYS[1]) or '0'
return {generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2])}
`;

interface RedisWithLookup extends Redis {
  cacheLookup(generationKey: string, entryPrefix: string, key: string): Promise<[string, string | null]>;
}

/**
 * The Redis cache (ioredis). Redis being down never fails a request: lookups miss, stores and
 * invalidations are skipped, and the failure is logged once per outage. Invalidations that could
 * not reach Redis are made up for when it is back, by bumping the generation on reconnect.
 */
export class RedisResponseCache implements ResponseCache {
  readonly kind = 'redis' as const;
  readonly #redis: RedisWithLookup;
  readonly #logger: Logger;
  readonly #ttlSeconds: number;
  readonly #generationKey: string;
  readonly #entryPrefix: string;
  #outage = false;
  #recovering = false;

  constructor(options: RedisCacheOptions) {
    const prefix = options.prefix ?? 'codiesvibe:nestjs-api:tools';
    this.#generationKey = `${prefix}:generation`;
    this.#entryPrefix = `${prefix}:g`;
    this.#ttlSeconds = options.ttlSeconds;
    this.#logger = options.logger;
    this.#redis = new Redis(options.url, {
      lazyConnect: true,
      // Fail fast instead of queueing while disconnected: the database answers meanwhile.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      enableAutoPipelining: true,
      connectionName: 'codiesvibe-nestjs-api',
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    }) as RedisWithLookup;
    this.#redis.defineCommand('cacheLookup', { numberOfKeys: 1, lua: LOOKUP_SCRIPT });
    this.#redis.on('error', (error: Error) => this.#failed('connection', error));
    this.#redis.on('ready', () => void this.#recovered());
  }

  /** Starts connecting; resolves either way (an unreachable Redis only degrades the service). */
  async connect(): Promise<void> {
    try {
      await this.#redis.connect();
    } catch (error) {
      this.#failed('connect', error);
    }
  }

  async lookup(key: string): Promise<CacheLookup> {
    try {
      const [generation, value] = await this.#redis.cacheLookup(this.#generationKey, this.#entryPrefix, key);
      // A command can fail (timeout) without the connection dropping, so no `ready` event follows.
      if (this.#outage) void this.#recovered();
      return { generation, value: value ?? undefined };
    } catch (error) {
      this.#failed('lookup', error);
      return { generation: undefined, value: undefined };
    }
  }

  async store(generation: string, key: string, value: string): Promise<void> {
    try {
      await this.#redis.set(`${this.#entryPrefix}${generation}:${key}`, value, 'EX', this.#ttlSeconds);
    } catch (error) {
      this.#failed('store', error);
    }
  }

  async invalidate(): Promise<void> {
    try {
      await this.#redis.incr(this.#generationKey);
    } catch (error) {
      // Remembered as an outage: the generation is bumped as soon as Redis is back.
      this.#failed('invalidate', error);
    }
  }

  async ping(): Promise<void> {
    if (this.#redis.status !== 'ready') throw new Error(`redis is ${this.#redis.status}`);
    try {
      await this.#redis.ping();
    } catch (error) {
      // The connection can drop between the status check and the command (ioredis reports the
      // close a moment later): the health check says the same thing either way.
      throw new Error(`redis is unreachable (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.#redis.removeAllListeners('ready');
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }

  #failed(operation: string, error: unknown): void {
    if (this.#outage) return;
    this.#outage = true;
    const message = error instanceof Error ? error.message : String(error);
    this.#logger.warn({ operation, error: message }, 'redis cache unavailable; serving from the database');
  }

  async #recovered(): Promise<void> {
    if (!this.#outage || this.#recovering) return;
    this.#recovering = true;
    // Writes during the outage could not invalidate: drop everything cached before it.
    try {
      await this.#redis.incr(this.#generationKey);
      this.#outage = false;
      this.#logger.info('redis cache available again; cache invalidated');
    } catch (error) {
      this.#logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'redis cache still failing');
    } finally {
      this.#recovering = false;
    }
  }
}
