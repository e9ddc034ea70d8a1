import type { Redis } from 'ioredis';
import type { SharedCounters } from './rate-limiter.js';

/*
 * One script call per sync, whatever the number of keys: INCRBY each key by its delta, give a new
 * key its expiry, answer the totals. The keys share one hash tag so the call stays on one slot
 * of a Redis Cluster.
 */
const ADD_SCRIPT = `
local ttl = tonumber(ARGV[1])
local totals = {}
for index, key in ipairs(KEYS) do
  local delta = tonumber(ARGV[index + 1])
  local total = redis.call('INCRBY', key, delta)
  if total == delta then redis.call('PEXPIRE', key, ttl) end
  totals[index] = total
end
return totals
`;

const COMMAND = 'codiesvibeRateLimitAdd';
/** Keys per script call: a sync of a huge key set is split so Redis never blocks long on one. */
const KEYS_PER_CALL = 500;

type RedisWithAdd = Redis & { [COMMAND]: (numberOfKeys: number, ...keysThenArgs: (string | number)[]) => Promise<number[]> };

/**
 * The rate limiter's shared counters on Redis: one key per client and window
 * (`<prefix>{rl}:<window>:<client>`), expiring after two windows.
 */
export function redisSharedCounters(redis: Redis, prefix = 'codiesvibe-gateway-rl:'): SharedCounters {
  const client = redis as RedisWithAdd;
  // ioredis sends EVALSHA and falls back to EVAL once when Redis does not know the script yet.
  if (typeof client[COMMAND] !== 'function') redis.defineCommand(COMMAND, { lua: ADD_SCRIPT });
  return {
    async add(window, keys, deltas, ttlMs) {
      const calls: Promise<number[]>[] = [];
      for (let start = 0; start < keys.length; start += KEYS_PER_CALL) {
        const end = Math.min(keys.length, start + KEYS_PER_CALL);
        const args: (string | number)[] = [];
        for (let index = start; index < end; index++) args.push(`${prefix}{rl}:${window}:${keys[index]!}`);
        args.push(ttlMs);
        for (let index = start; index < end; index++) args.push(deltas[index]!);
        calls.push(client[COMMAND](end - start, ...args));
      }
      const parts = await Promise.all(calls);
      return parts.length === 1 ? parts[0]! : parts.flat();
    },
  };
}
