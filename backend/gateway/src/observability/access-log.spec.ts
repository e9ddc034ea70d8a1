import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccessLog, type AccessEntry } from './access-log.js';

const entry: AccessEntry = {
  requestId: 'req-1',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
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
      traceId: entry.traceId,
      trace_id: entry.traceId,
      span_id: entry.spanId,
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

  describe('time', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('is the ISO time of the moment the line is recorded, to the millisecond (and a plain URL is written as is)', () => {
      const writes: string[] = [];
      const log = new AccessLog({ service: 'gateway', env: 'test', instanceId: 'gw-1', sink: { write: (text: string) => writes.push(text) } });
      vi.useFakeTimers({ toFake: ['Date'] });
      // The seconds part is reused within a second; the milliseconds keep their leading zeros.
      const moments = ['2026-12-04T18:45:02.007Z', '2026-12-04T18:45:02.045Z', '2026-12-04T18:45:02.999Z', '2026-12-04T18:45:03.000Z', '2027-01-01T00:00:00.120Z'];
      for (const moment of moments) {
        vi.setSystemTime(new Date(moment));
        log.record({ ...entry, url: '/api/tools?q=cursor&category=ide' });
      }
      log.close();
      const lines = writes.join('').trimEnd().split('\n').map((line) => JSON.parse(line) as { time: string; url: string });
      expect(lines.map((line) => line.time)).toEqual(moments);
      expect(new Set(lines.map((line) => line.url))).toEqual(new Set(['/api/tools?q=cursor&category=ide']));
    });
  });
});
