import { writeAnyValue, writeKeyValue, type ProtobufWriter } from './otlp-body.js';
import { OtlpExportQueue, type OtlpExportQueueOptions } from './otlp-http-export.js';

/*
 * The service's JSON log lines as OTLP LogRecords (opentelemetry-proto logs/v1), encoded straight
 * from the parsed line into the next export's body: no LogRecord object per line, nothing held
 * until the batch goes. The bytes are those the OpenTelemetry SDK and exporter wrote for the same
 * line (`otlp-log-export.spec.ts` compares the two).
 */

// SeverityNumber of the log data model, by pino's level names.
const SEVERITIES: Record<string, number> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };

// Fields of the JSON line that become the record's own fields (body, time, severity, trace and span).
const RECORD_FIELDS = new Set(['msg', 'time', 'level', 'trace_id', 'span_id', 'traceId']);

// The SDK's default attribute count limit of a log record; past it attributes are counted as dropped.
const ATTRIBUTE_COUNT_LIMIT = 128;

const TRACE_ID = /^[0-9a-f]{32}$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/** One log line, parsed, and when it was observed (ms since the epoch, fractions allowed). */
export interface LogLine {
  record: Record<string, unknown>;
  observedMs: number;
  /** Fields whose value the resource already carries (service name, instance, environment): left out. */
  inResource: ReadonlyMap<string, unknown>;
}

function writeMillis(writer: ProtobufWriter, ms: number): void {
  const seconds = Math.trunc(ms / 1000);
  writer.time(seconds, Math.round((ms - seconds * 1000) * 1e6));
}

/** One `LogRecord` message, fields in number order as the OpenTelemetry exporter writes them. */
export function writeLogRecord(writer: ProtobufWriter, { record, observedMs, inResource }: LogLine): void {
  const time = typeof record.time === 'string' ? Date.parse(record.time) : Number.NaN;
  writer.tag(1, 1);
  writeMillis(writer, Number.isNaN(time) ? observedMs : time);
  const level = typeof record.level === 'string' ? record.level : 'info';
  const severity = SEVERITIES[level];
  if (severity !== undefined) {
    writer.tag(2, 0);
    writer.varint(severity);
  }
  if (level) {
    writer.tag(3, 2);
    writer.string(level);
  }
  writer.tag(5, 2);
  const body = writer.begin();
  writeAnyValue(writer, typeof record.msg === 'string' ? record.msg : '');
  writer.end(body);
  let written = 0;
  let dropped = 0;
  // for...in rather than Object.entries: no [name, value] array per field, on every log line.
  for (const name in record) {
    const value = record[name];
    if (value === null || value === undefined || RECORD_FIELDS.has(name) || inResource.get(name) === value) continue;
    if (written === ATTRIBUTE_COUNT_LIMIT) {
      dropped++;
      continue;
    }
    writeKeyValue(writer, 6, name, typeof value === 'object' ? JSON.stringify(value) : value);
    written++;
  }
  writer.tag(7, 0);
  writer.varint(dropped);
  const traceId = record.trace_id;
  const spanId = record.span_id;
  if (
    typeof traceId === 'string' &&
    typeof spanId === 'string' &&
    TRACE_ID.test(traceId) &&
    SPAN_ID.test(spanId) &&
    traceId !== INVALID_TRACE_ID &&
    spanId !== INVALID_SPAN_ID
  ) {
    // The line was written inside a request: its span is the record's, sampled.
    writer.tag(8, 5);
    writer.fixed32(1);
    writer.tag(9, 2);
    writer.hexBytes(traceId);
    writer.tag(10, 2);
    writer.hexBytes(spanId);
  }
  writer.tag(11, 1);
  writeMillis(writer, observedMs);
}

export interface LogLineExporterOptions extends Omit<OtlpExportQueueOptions, 'onDropped'> {
  /** Fields of every line whose value the resource carries (left out of the records when equal). */
  inResource: ReadonlyMap<string, unknown>;
}

/**
 * Exports the service's JSON log lines over OTLP/HTTP protobuf: each line is parsed and encoded
 * as it is written, and posted in batches. Bounded like the spans' queue; a line that does not
 * parse, or that finds the queue full, is not exported (stdout still has it).
 */
export class LogLineExporter {
  private readonly queue: OtlpExportQueue;
  private readonly inResource: ReadonlyMap<string, unknown>;

  constructor(options: LogLineExporterOptions) {
    this.queue = new OtlpExportQueue({ ...options, onDropped: () => undefined });
    this.inResource = options.inResource;
  }

  /** Exports one JSON log line (a pino line). */
  readonly exportLine = (line: string): void => {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof record !== 'object' || record === null) return;
    this.queue.add(writeLogRecord, { record, observedMs: Date.now(), inResource: this.inResource });
  };

  /** Exports what waits and closes the connections; bound it in time (a dead collector hangs it). */
  async shutdown(): Promise<void> {
    await this.queue.forceFlush();
    this.queue.close();
  }

  close(): void {
    this.queue.close();
  }
}
