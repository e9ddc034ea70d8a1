import { withoutVariable, type Logger } from '@codiesvibe/shared';
import type { Config } from '../config.js';
import type { ToolRepository } from '../storage/tool.repository.js';
import { MemoryResponseCache } from './memory-response-cache.js';
import type { ResponseCache } from './response-cache.js';

/**
 * Redis when REDIS_URL is set (an unreachable Redis only degrades readiness), else an in-process
 * LRU that drops its entries whenever another replica wrote to `tools`.
 */
export async function openResponseCache(config: Config, logger: Logger, tools: Pick<ToolRepository, 'changedElsewhere'>): Promise<ResponseCache> {
  if (!config.REDIS_URL) {
    logger.info(`${withoutVariable(config, 'REDIS_URL')}: using an in-process cache`);
    return new MemoryResponseCache({ ttlSeconds: config.CACHE_TTL_SECONDS, changedElsewhere: () => tools.changedElsewhere() });
  }
  // Loaded only when used: ioredis costs about 2 MiB of heap.
  const { RedisResponseCache } = await import('./redis-response-cache.js');
  const cache = new RedisResponseCache({ url: config.REDIS_URL, ttlSeconds: config.CACHE_TTL_SECONDS, logger });
  await cache.connect();
  return cache;
}
