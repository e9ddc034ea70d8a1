import { symbols, type Logger } from 'pino';

/*
 * Where service log lines go besides stdout: set by `startTracing` when an OTLP endpoint is set,
 * so the collector receives the logs over OTLP and no log shipper has to read container files.
 * With each line the exporter gets what pino knew before writing it (its fields, message, level,
 * time and the logger's bindings), so it can encode the record without parsing the line back.
 */

/** What pino wrote a line from; valid only during the exporter's call (the object is reused). */
export interface EmittedLog {
  /** The log call's own fields, the mixin's included, as given (not serialized). */
  fields: Record<string, unknown>;
  /** The message, when the call had one. */
  message: unknown;
  /** The level's name, as the line says it. */
  level: string;
  /** The time as it is in the line: JSON text (`"2026-12-06T02:50:53.177Z"` with ISO time). */
  time: string;
  /** The logger's bindings as they are in the line: JSON text after a comma (`,"service":"api",...`). */
  bindings: string;
  /** The logger's serializers by field name: such a field's text in the line is not its value's. */
  serializers: Record<string, unknown>;
}

/** Exports one JSON log line; `emitted` is what pino wrote it from, when known. */
export type LogLineExporter = (line: string, emitted?: EmittedLog) => void;

let exportLine: LogLineExporter | undefined;

/** Installs (or with undefined removes) the function that exports each JSON log line. */
export function setLogLineExporter(next: LogLineExporter | undefined): void {
  exportLine = next;
}

/**
 * The installed exporter, or undefined when log lines are not exported (tracing off). For lines
 * a service writes itself rather than through its pino logger (the gateway's access log): they
 * reach the collector too, given as `EmittedLog` when their fields are at hand.
 */
export function activeLogLineExporter(): LogLineExporter | undefined {
  return exportLine;
}

interface WritableLike {
  write(chunk: string): unknown;
  flush?: (callback?: (error?: Error) => unknown) => unknown;
  flushSync?: () => unknown;
}

/** What pino sets on a stream that asks for it (`symbols.needsMetadataGsym`) before each write. */
interface PinoMetadata {
  lastObj?: Record<string, unknown>;
  lastMsg?: unknown;
  lastLevel?: number;
  lastTime?: string;
  lastLogger?: Logger;
}

/** `destination` plus the log exporter, if one is installed when a line is written. */
export function withLogExport<T extends WritableLike>(destination: T): WritableLike {
  const emitted: EmittedLog = { fields: {}, message: undefined, level: '', time: '', bindings: '', serializers: {} };
  const stream: WritableLike & PinoMetadata & { [symbols.needsMetadataGsym]: true } = {
    [symbols.needsMetadataGsym]: true,
    write(chunk: string) {
      const result = destination.write(chunk);
      if (exportLine) exportLine(chunk, emittedOf(stream, emitted));
      return result;
    },
    flush: destination.flush?.bind(destination),
    flushSync: destination.flushSync?.bind(destination),
  };
  return stream;
}

/**
 * Fills `emitted` from pino's metadata; undefined when the line is not made from it the plain
 * way (a log formatter, other message or error keys, a time that is not JSON text).
 */
function emittedOf(metadata: PinoMetadata, emitted: EmittedLog): EmittedLog | undefined {
  const logger = metadata.lastLogger as (Logger & Record<symbol, unknown>) | undefined;
  if (!logger || !metadata.lastObj || metadata.lastLevel === undefined || typeof metadata.lastTime !== 'string') return undefined;
  const formatters = logger[symbols.formattersSym] as { log?: unknown } | undefined;
  if (formatters?.log || logger[symbols.messageKeySym] !== 'msg' || logger[symbols.errorKeySym] !== 'err') return undefined;
  const level = logger.levels.labels[metadata.lastLevel];
  const bindings = logger[symbols.chindingsSym];
  if (level === undefined || typeof bindings !== 'string') return undefined;
  emitted.fields = metadata.lastObj;
  emitted.message = metadata.lastMsg;
  emitted.level = level;
  emitted.time = metadata.lastTime;
  emitted.bindings = bindings;
  emitted.serializers = logger[symbols.serializersSym] as Record<string, unknown>;
  return emitted;
}
