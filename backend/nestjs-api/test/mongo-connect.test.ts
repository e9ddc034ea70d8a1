import { describe, expect, it } from 'vitest';
import { MongoToolRepository } from '../src/storage/mongo-tool.repository.js';
import { freePort } from './support/redis-server.js';

describe('MongoToolRepository.connect', () => {
  it('retries with growing delays, then fails with the driver error when nothing listens', async () => {
    const port = await freePort(); // released at once: nothing listens there
    const retries: { attempt: number; delayMs: number }[] = [];
    await expect(
      MongoToolRepository.connect({
        uri: `mongodb://127.0.0.1:${port}/codiesvibe`,
        connectAttempts: 3,
        serverSelectionTimeoutMs: 150,
        onRetry: (attempt, delayMs) => retries.push({ attempt, delayMs }),
      }),
    ).rejects.toThrow(/ECONNREFUSED|Server selection timed out/);
    expect(retries).toEqual([
      { attempt: 1, delayMs: 250 },
      { attempt: 2, delayMs: 500 },
    ]);
  });
});
