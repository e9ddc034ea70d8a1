import { describe, expect, it } from 'vitest';
import { AccessLog, type AccessEntry } from './access-log.js';

const entry: AccessEntry = {
  requestId: 'req-1',
  route: 'api',
  method: 'GET',
  url: '/api/tools?q="quoted"\n&x=\\',
  statusCode: 200,
  durationMs: 1.2,
  replica: 'http://127.0.0.1:4001',
  attempts: 1,
  error: undefined,
};

describe('AccessLog', () => {
  it('writes JSON lines in the service logger format, escaping what the client chose', () => {
    const writes: string[] = [];
    const log = new AccessLog({ service: 'gateway', env: 'production', instanceId: 'gw-1', sink: { write: (text: string) => writes.push(text) } });
    log.record(entry);
    log.record({ ...entry, requestId: 'req-2', statusCode: 504, error: 'timeout', attempts: 2 });
    expect(writes).toEqual([]);
    log.close();
    expect(writes).toHaveLength(1);
    const lines = writes[0]!.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      service: 'gateway',
      env: 'production',
      instanceId: 'gw-1',
      requestId: 'req-1',
      route: 'api',
      method: 'GET',
      url: entry.url,
      statusCode: 200,
      durationMs: 1.2,
      replica: 'http://127.0.0.1:4001',
      attempts: 1,
      msg: 'request proxied',
    });
    expect(lines[1]).toMatchObject({ requestId: 'req-2', statusCode: 504, error: 'timeout', attempts: 2 });
  });

  it('writes at once when the buffer fills, and within flushMs otherwise', async () => {
    const writes: string[] = [];
    const log = new AccessLog({ service: 'gateway', env: 'test', instanceId: 'gw-1', sink: { write: (text: string) => writes.push(text) }, maxBufferBytes: 600, flushMs: 20 });
    for (let index = 0; index < 3; index++) log.record(entry);
    expect(writes).toHaveLength(1);
    log.record(entry);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(writes).toHaveLength(2);
    expect(writes.join('').trimEnd().split('\n')).toHaveLength(4);
    log.close();
  });
});
