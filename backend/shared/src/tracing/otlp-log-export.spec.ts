import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runWithRequestContext } from '../context/request-context.js';
import { setLogLineExporter } from '../logging/log-export.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { OtlpBody, type ProtobufWriter } from './otlp-body.js';
import { addLogLine, EmittedLogRecord, writeEmittedLogRecord, writeLogRecord } from './otlp-log-export.js';
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
  setLogLineExporter(undefined);
});

const inResource = new Map<string, unknown>([
  ['service', 'nestjs-api'],
  ['instanceId', 'api-1'],
  ['env', 'production'],
]);
const origin = { resourceAttributes: { 'service.name': 'nestjs-api' }, scope: { name: '@codiesvibe/shared' } };

/**
 * Logs with `log` while the exporter's encoding runs on every line, as `startTracing` installs it:
 * each line's record as the exporter encodes it (from pino's fields when it can), which way it went,
 * and the same line's record from JSON.parse.
 */
function exportWhileLogging(log: (logger: Logger) => void, observedMs: () => number = () => 1_733_450_000_123.5) {
  const results: { line: string; exported: string; parsed: string; fromFields: boolean }[] = [];
  const record = new EmittedLogRecord(inResource);
  setLogLineExporter((line, emitted) => {
    const exported = new OtlpBody(origin);
    let fromFields = false;
    const sink = {
      add<T>(write: (writer: ProtobufWriter, item: T) => void, item: T) {
        fromFields = (write as unknown) === writeEmittedLogRecord;
        exported.add(write, item);
      },
    };
    const at = observedMs();
    expect(addLogLine(sink, record, line, emitted, at)).toBe(true);
    const parsed = new OtlpBody(origin);
    parsed.add(writeLogRecord, { record: JSON.parse(line) as Record<string, unknown>, observedMs: at, inResource });
    results.push({ line, exported: exported.take().toString('hex'), parsed: parsed.take().toString('hex'), fromFields });
  });
  log(createLogger({ service: 'nestjs-api', env: 'production', instanceId: 'api-1', destination: { write: () => undefined } }));
  setLogLineExporter(undefined);
  return results;
}

describe('writeLogRecord', () => {
  it('writes the same ExportLogsServiceRequest bytes as the OpenTelemetry SDK and exporter for the same lines', async () => {
    // The SDK stamps the observed time with Date.now(): the same frozen clock for both.
    vi.useFakeTimers({ now: new Date('2026-12-05T21:00:00.123Z'), toFake: ['Date'] });
    const lines = serviceLogLines();
    const resource = resourceFromAttributes({ 'service.name': 'nestjs-api', 'service.instance.id': 'api-1', 'deployment.environment.name': 'production' });
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
    const exportWithSdk = sdkLogLineExporter(provider.getLogger('@codiesvibe/shared'), inResource);
    for (const line of lines) exportWithSdk(line);
    await provider.forceFlush();
    const records = memory.getFinishedLogRecords();
    expect(records).toHaveLength(lines.length);

    const reference = Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!).toString('hex');
    const body = new OtlpBody({ resourceAttributes: resource.attributes, scope: { name: '@codiesvibe/shared' } });
    for (const line of lines) body.add(writeLogRecord, { record: JSON.parse(line) as Record<string, unknown>, observedMs: Date.now(), inResource });
    expect(body.take().toString('hex')).toBe(reference);
    // As the exporter encodes them while they are logged: from pino's fields where it can.
    const whileLogging = new OtlpBody({ resourceAttributes: resource.attributes, scope: { name: '@codiesvibe/shared' } });
    const record = new EmittedLogRecord(inResource);
    const ways: string[] = [];
    const sink = {
      add<T>(write: (writer: ProtobufWriter, item: T) => void, item: T) {
        ways.push((write as unknown) === writeEmittedLogRecord ? 'fields' : 'parsed');
        whileLogging.add(write, item);
      },
    };
    setLogLineExporter((line, emitted) => void addLogLine(sink, record, line, emitted, Date.now()));
    serviceLogLines();
    expect(whileLogging.take().toString('hex')).toBe(reference);
    // An object field (err, many) and more fields than a record keeps go the parsed way.
    expect(ways).toEqual(['fields', 'parsed', 'fields', 'parsed', 'parsed']);
    // The lines were what this test means them to be: a traced one, and one past the attribute limit.
    expect(records[0]!.spanContext?.spanId).toBe('b7ad6b7169203331');
    expect(records.at(-1)!.droppedAttributesCount).toBeGreaterThan(0);
  });
  it('carries a line\'s trace and span only when both are valid ids, as the SDK decides', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-05T21:00:00.123Z'), toFake: ['Date'] });
    const ids: [string, string][] = [
      ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'],
      ['0AF7651916CD43DD8448EB211C80319C', 'B7AD6B7169203331'],
      ['0'.repeat(32), 'b7ad6b7169203331'],
      ['0af7651916cd43dd8448eb211c80319c', '0'.repeat(16)],
      ['0af7651916cd43dd8448eb211c80319', 'b7ad6b7169203331'],
      ['0af7651916cd43dd8448eb211c80319g', 'b7ad6b7169203331'],
      ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b716920333\u00e9'],
    ];
    const lines = ids.map(([traceId, spanId]) => JSON.stringify({ level: 'info', time: '2026-12-05T21:00:00.100Z', msg: 'm', trace_id: traceId, span_id: spanId }));
    const resource = resourceFromAttributes({ 'service.name': 'nestjs-api' });
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
    const exportWithSdk = sdkLogLineExporter(provider.getLogger('@codiesvibe/shared'), inResource);
    for (const line of lines) exportWithSdk(line);
    await provider.forceFlush();
    const reference = Buffer.from(ProtobufLogsSerializer.serializeRequest(memory.getFinishedLogRecords())!).toString('hex');
    const body = new OtlpBody({ resourceAttributes: resource.attributes, scope: { name: '@codiesvibe/shared' } });
    for (const line of lines) body.add(writeLogRecord, { record: JSON.parse(line) as Record<string, unknown>, observedMs: Date.now(), inResource });
    expect(body.take().toString('hex')).toBe(reference);
    // The first two lines are traced, the others are not.
    expect(memory.getFinishedLogRecords().map((record) => record.spanContext !== undefined)).toEqual([true, true, false, false, false, false, false]);
  });
});

describe('log records encoded from the fields pino wrote the line from', () => {
  it('are the bytes of the parsed line, for every kind of field pino writes as it is', () => {
    const context = { requestId: 'req-7', traceId: '0AF7651916CD43DD8448EB211C80319C', spanId: 'b7ad6b7169203331', traceFlags: '01', traced: true };
    const results = exportWhileLogging((logger) => {
      runWithRequestContext(context, () => {
        logger.info({ method: 'GET', url: '/api/tools?q="x"&y=\\z', statusCode: 200, durationMs: 1.3 }, 'request completed');
        logger.child({ component: 'repo', labels: { a: [1, 'two'] } }).warn({ requestId: 'overridden' }, 'tab\there "quoted" \n newline');
      });
      logger.error({ negative: -2, float: 0.1, big: 2 ** 53 + 2, huge: 1e21, tiny: 5e-324, zero: -0, nan: Number.NaN, infinite: -Infinity, yes: true, no: false, nothing: null, missing: undefined, callback: () => 1 }, 'numbers');
      logger.info({ ключ: 'значение', emoji: '🙂 ok', lone: '\ud800' }, 'déjà vu %s', 'again');
      logger.info({ long: 'x'.repeat(300), 'key with "quotes"': 'v' });
      logger.info('');
      logger.child({}).child({ worker: 3 }).info('two children deep');
    });
    expect(results).toHaveLength(7);
    for (const { line, exported, parsed, fromFields } of results) {
      expect(fromFields, line).toBe(true);
      expect(exported, line).toBe(parsed);
    }
  });

  it('a line pino did not write field for field as its value is parsed instead, with the same bytes', () => {
    const results = exportWhileLogging((logger) => {
      logger.info({ level: 'custom' }, 'a field the line already has (level)');
      logger.info({ msg: 'inner' }, 'a field the line already has (msg)');
      logger.child({ service: 'other' }).info('a binding the base has too');
      logger.child({ component: 'a' }).info({ component: 'b' }, 'a field its binding has too');
      logger.info({ env: 'staging', service: 'nestjs-api' }, 'fields the base has too');
      logger.info({ 42: 'x', b: 1 }, 'an integer-like name');
      logger.info({ req: { headers: { authorization: 'Bearer abc' } }, body: { password: 'hunter2' } }, 'redacted objects');
      logger.error(new Error('boom'), 'an error');
      logger.info({ count: 10n > 1n, id: Symbol('x').toString() }, 'plain after all');
    });
    expect(results.map((result) => result.fromFields)).toEqual([false, false, false, false, false, false, false, false, true]);
    for (const { line, exported, parsed } of results) expect(exported, line).toBe(parsed);
    expect(results[6]!.exported).not.toMatch(Buffer.from('hunter2').toString('hex'));
  });

  it('a new second parses the time again; the milliseconds are read from the line', () => {
    vi.useFakeTimers({ now: new Date('2026-12-06T02:50:59.998Z'), toFake: ['Date'] });
    const results = exportWhileLogging((logger) => {
      for (let index = 0; index < 4; index++) {
        logger.info({ index }, 'tick');
        vi.advanceTimersByTime(1);
      }
    });
    expect(results.map((result) => (JSON.parse(result.line) as { time: string }).time)).toEqual(['2026-12-06T02:50:59.998Z', '2026-12-06T02:50:59.999Z', '2026-12-06T02:51:00.000Z', '2026-12-06T02:51:00.001Z']);
    for (const { line, exported, parsed, fromFields } of results) {
      expect(fromFields).toBe(true);
      expect(exported, line).toBe(parsed);
    }
  });
});
