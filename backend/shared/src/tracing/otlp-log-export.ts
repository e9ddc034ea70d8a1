import type { EmittedLog } from '../logging/log-export.js';
import { isNonZeroHex, writeAnyValue, writeKeyValue, type ProtobufWriter } from './otlp-body.js';
import { OtlpExportQueue, type OtlpExportQueueOptions } from './otlp-http-export.js';

/*
 * The service's JSON log lines as OTLP LogRecords (opentelemetry-proto logs/v1), encoded straight
 * into the next export's body: no LogRecord object per line, nothing held until the batch goes.
 * A line of the kit's logger is encoded from the fields pino wrote it from (its logger's bindings
 * parsed once per logger), so it is not parsed back; any other line is parsed. The bytes are those
 * the OpenTelemetry SDK and exporter wrote for the same line (`otlp-log-export.spec.ts` compares).
 */

// SeverityNumber of the log data model, by pino's level names.
const SEVERITIES: Record<string, number> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };

// Fields of the JSON line that become the record's own fields (body, time, severity, trace and span).
const RECORD_FIELDS = new Set(['msg', 'time', 'level', 'trace_id', 'span_id', 'traceId']);

// The SDK's default attribute count limit of a log record; past it attributes are counted as dropped.
const ATTRIBUTE_COUNT_LIMIT = 128;

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
  writeSpanContextAndObservedTime(writer, record.trace_id, record.span_id, observedMs);
}

/**
 * The fields after a record's attributes: its trace and span (when the line was written inside a
 * request, as a sampled span) and the time it was observed. Both encoders end a record with them.
 */
function writeSpanContextAndObservedTime(writer: ProtobufWriter, traceId: unknown, spanId: unknown, observedMs: number): void {
  if (typeof traceId === 'string' && typeof spanId === 'string' && isNonZeroHex(traceId, 32) && isNonZeroHex(spanId, 16)) {
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


/** A logger's bindings as record attributes, and their names; null when the line can't be encoded from fields. */
interface Bindings {
  names: ReadonlySet<string>;
  attributes: readonly (readonly [string, unknown])[];
}

/**
 * The state of one line encoded from its fields, reused from line to line by one exporter; the
 * bindings of each logger are parsed once (loggers share the text of their bindings, and a
 * request's child logger its parent's).
 */
export class EmittedLogRecord {
  emitted: EmittedLog | undefined = undefined;
  bindings: Bindings | undefined = undefined;
  observedMs = 0;
  timeMs = Number.NaN;
  private readonly bindingsByText = new Map<string, Bindings | null>();
  // pino's ISO time: the part to the second is shared by every line of that second, so Date.parse
  // runs once a second and the milliseconds are read as digits.
  private secondText = '';
  private secondMs = Number.NaN;

  constructor(readonly inResource: ReadonlyMap<string, unknown>) {}

  /**
   * Takes `emitted` for the next `writeEmittedLogRecord`; false when its line must be parsed
   * instead: a field whose text is not its value's (an object, a serialized field), a name the
   * line has twice or out of JSON.parse's order, more attributes than a record keeps.
   */
  take(emitted: EmittedLog, observedMs: number): boolean {
    if (emitted.message !== undefined && typeof emitted.message !== 'string') return false;
    const bindings = this.bindingsOf(emitted.bindings);
    if (!bindings) return false;
    const { fields, serializers } = emitted;
    let attributes = bindings.attributes.length;
    for (const name in fields) {
      if (!Object.hasOwn(fields, name)) continue;
      const value = fields[name];
      const type = typeof value;
      if (value === undefined || value === null || type === 'function') continue;
      if (type !== 'string' && type !== 'number' && type !== 'boolean') return false;
      if (serializers[name] !== undefined || name === 'err' || bindings.names.has(name) || name === 'level' || name === 'time' || name === 'msg') return false;
      // An integer-like name: JSON.parse's object lists it before the others.
      const first = name.charCodeAt(0);
      if (first >= 0x30 && first <= 0x39) return false;
      attributes++;
    }
    if (attributes > ATTRIBUTE_COUNT_LIMIT) return false;
    const timeMs = this.timeOf(emitted.time);
    this.emitted = emitted;
    this.bindings = bindings;
    this.observedMs = observedMs;
    this.timeMs = timeMs;
    return true;
  }

  private bindingsOf(text: string): Bindings | null {
    let bindings = this.bindingsByText.get(text);
    if (bindings !== undefined) return bindings;
    bindings = null;
    const object = text === '' ? '{}' : `{${text.slice(1)}}`;
    try {
      const parsed = JSON.parse(object) as Record<string, unknown>;
      // The same text back: no name twice, none integer-like (JSON.parse would reorder or merge them).
      if (JSON.stringify(parsed) === object && !Object.keys(parsed).some((name) => RECORD_FIELDS.has(name))) {
        const attributes: (readonly [string, unknown])[] = [];
        for (const name in parsed) {
          const value = parsed[name];
          if (value === null || this.inResource.get(name) === value) continue;
          attributes.push([name, typeof value === 'object' ? JSON.stringify(value) : value]);
        }
        bindings = { names: new Set(Object.keys(parsed)), attributes };
      }
    } catch {
      // Not JSON: such lines are parsed whole.
    }
    // Bounded: loggers with per-request bindings would otherwise grow it without end.
    if (this.bindingsByText.size >= 256) this.bindingsByText.clear();
    this.bindingsByText.set(text, bindings);
    return bindings;
  }

  /** What Date.parse gives for the line's time (JSON text), NaN when it is not a string. */
  private timeOf(text: string): number {
    if (text.charCodeAt(0) !== 0x22) return Number.NaN;
    if (text.length === 26 && text.charCodeAt(20) === 0x2e && text.charCodeAt(24) === 0x5a) {
      const hundreds = text.charCodeAt(21) - 48;
      const tens = text.charCodeAt(22) - 48;
      const ones = text.charCodeAt(23) - 48;
      if (hundreds >= 0 && hundreds <= 9 && tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9) {
        if (this.secondText.length !== 19 || !text.startsWith(this.secondText, 1)) {
          this.secondText = text.slice(1, 20);
          this.secondMs = Date.parse(`${this.secondText}Z`);
        }
        return this.secondMs + hundreds * 100 + tens * 10 + ones;
      }
    }
    try {
      return Date.parse(JSON.parse(text) as string);
    } catch {
      return Number.NaN;
    }
  }
}

/** The `LogRecord` of the line `record.take` accepted: the bytes `writeLogRecord` writes for the parsed line. */
export function writeEmittedLogRecord(writer: ProtobufWriter, record: EmittedLogRecord): void {
  const { fields, level, message } = record.emitted!;
  writer.tag(1, 1);
  writeMillis(writer, Number.isNaN(record.timeMs) ? record.observedMs : record.timeMs);
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
  writeAnyValue(writer, typeof message === 'string' ? message : '');
  writer.end(body);
  for (const [name, value] of record.bindings!.attributes) writeKeyValue(writer, 6, name, value);
  const inResource = record.inResource;
  for (const name in fields) {
    if (!Object.hasOwn(fields, name)) continue;
    const value = fields[name];
    // pino writes a number that is not finite as null, and leaves undefined and functions out.
    if (value === undefined || value === null || typeof value === 'function' || (typeof value === 'number' && !Number.isFinite(value))) continue;
    if (RECORD_FIELDS.has(name) || inResource.get(name) === value) continue;
    writeKeyValue(writer, 6, name, value);
  }
  writer.tag(7, 0);
  writer.varint(0);
  writeSpanContextAndObservedTime(writer, fields.trace_id, fields.span_id, record.observedMs);
}

/** Where records are encoded: the export queue, or a body (tests). */
interface RecordSink {
  add<T>(write: (writer: ProtobufWriter, item: T) => void, item: T): void;
}

/**
 * Encodes one JSON log line into `sink`: from the fields pino wrote it from when `emitted` is
 * given and `record` takes them, else from the parsed line. False, and nothing encoded, when the
 * line is not a JSON object.
 */
export function addLogLine(sink: RecordSink, record: EmittedLogRecord, line: string, emitted: EmittedLog | undefined, observedMs: number): boolean {
  if (emitted && record.take(emitted, observedMs)) {
    sink.add(writeEmittedLogRecord, record);
    return true;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  sink.add(writeLogRecord, { record: parsed as Record<string, unknown>, observedMs, inResource: record.inResource });
  return true;
}

export interface LogLineExporterOptions extends Omit<OtlpExportQueueOptions, 'onDropped'> {
  /** Fields of every line whose value the resource carries (left out of the records when equal). */
  inResource: ReadonlyMap<string, unknown>;
}

/**
 * Exports the service's JSON log lines over OTLP/HTTP protobuf: each line is encoded as it is
 * written (from its fields, or parsed), and posted in batches. Bounded like the spans' queue; a line that does not
 * parse, or that finds the queue full, is not exported (stdout still has it).
 */
export class LogLineExporter {
  private readonly queue: OtlpExportQueue;
  private readonly record: EmittedLogRecord;

  constructor(options: LogLineExporterOptions) {
    this.queue = new OtlpExportQueue({ ...options, onDropped: () => undefined });
    this.record = new EmittedLogRecord(options.inResource);
  }

  /** Exports one JSON log line (a pino line), from the fields it was written from when given. */
  readonly exportLine = (line: string, emitted?: EmittedLog): void => {
    addLogLine(this.queue, this.record, line, emitted, Date.now());
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
