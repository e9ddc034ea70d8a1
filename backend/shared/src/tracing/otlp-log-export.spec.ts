import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runWithRequestContext } from '../context/request-context.js';
import { createLogger } from '../logging/logger.js';
import { OtlpBody } from './otlp-body.js';
import { writeLogRecord } from './otlp-log-export.js';
import { sdkLogLineExporter } from './otel-sdk.js';

/** JSON lines as the service logger writes them: inside and outside a request, with odd fields. */
function serviceLogLines(): string[] {
  const lines: string[] = [];
  const logger = createLogger({ service: 'nestjs-api', env: 'production', instanceId: 'api-1', destination: { write: (line: string) => void lines.push(line) } });
  const context = { requestId: 'req-7', traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: '01', traced: true };
  runWithRequestContext(context, () => {
    logger.info({ method: 'GET', url: '/api/tools?q=x', statusCode: 200, responseTime: 1.25, cached: false }, 'request completed');
    logger.warn({ err: { type: 'Error', message: 'upstream slow' }, retries: -2, note: null }, 'déjà vu: upstream slow');
  });
  logger.error('outside any request');
  logger.info({ wide: 'x'.repeat(300), many: Object.fromEntries(Array.from({ length: 5 }, (_, index) => [`k${index}`, index])) });
  const fields = Object.fromEntries(Array.from({ length: 140 }, (_, index) => [`field${index}`, index]));
  logger.info(fields, 'more fields than a record keeps');
  return lines;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('writeLogRecord', () => {
  it('writes the same ExportLogsServiceRequest bytes as the OpenTelemetry SDK and exporter for the same lines', async () => {
    // The SDK stamps the observed time with Date.now(): the same frozen clock for both.
    vi.useFakeTimers({ now: new Date('2026-12-05T21:00:00.123Z'), toFake: ['Date'] });
    const lines = serviceLogLines();
    const inResource = new Map<string, unknown>([
      ['service', 'nestjs-api'],
      ['instanceId', 'api-1'],
      ['env', 'production'],
    ]);
    const resource = resourceFromAttributes({ 'service.name': 'nestjs-api', 'service.instance.id': 'api-1', 'deployment.environment.name': 'production' });
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
    const exportWithSdk = sdkLogLineExporter(provider.getLogger('@codiesvibe/shared'), inResource);
    for (const line of lines) exportWithSdk(line);
    await provider.forceFlush();
    const records = memory.getFinishedLogRecords();
    expect(records).toHaveLength(lines.length);

    const body = new OtlpBody({ resourceAttributes: resource.attributes, scope: { name: '@codiesvibe/shared' } });
    for (const line of lines) body.add(writeLogRecord, { record: JSON.parse(line) as Record<string, unknown>, observedMs: Date.now(), inResource });
    const ours = body.take();
    expect(ours.toString('hex')).toBe(Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!).toString('hex'));
    // The lines were what this test means them to be: a traced one, and one past the attribute limit.
    expect(records[0]!.spanContext?.spanId).toBe('b7ad6b7169203331');
    expect(records.at(-1)!.droppedAttributesCount).toBeGreaterThan(0);
  });
});
