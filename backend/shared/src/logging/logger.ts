import {
  destination as pinoDestination,
  pino,
  stdTimeFunctions,
  type DestinationStream,
  type Logger,
  type LoggerOptions,
} from 'pino';
import { createRequire } from 'node:module';
import type PinoPretty from 'pino-pretty';
import { getRequestContext } from '../context/request-context.js';
import { withLogExport } from './log-export.js';

export type { Logger } from 'pino';

/**
 * pino-pretty and what it pulls in (colorette, dateformat, help-me, a sonic-boom of its own...) are
 * about 30 modules that only a developer's terminal needs: loaded the first time a logger asks for
 * readable lines, never at import, so a service printing JSON does not carry them.
 */
function loadPretty(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}

export interface CreateLoggerOptions {
  /** Service name, on every line (`service`). */
  service: string;
  /** NODE_ENV, on every line (`env`); `development` on a terminal prints readable lines. */
  env: string;
  /** Replica id, on every line (`instanceId`). */
  instanceId: string;
  /** pino level; `info` unless told. */
  level?: string;
  /** Where lines go; stdout unless told. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /** Force readable output on or off (default: development and stdout is a TTY). */
  pretty?: boolean;
}

// Never log these in full: credentials in headers and common secret-bearing fields.
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.apiKey',
  '*.token',
];

/**
 * Adds the current request's ids to every line logged inside a request: `trace_id` and `span_id`
 * (the active span, the names OpenTelemetry and Loki's derived fields use), and `traceId` as before.
 */
function requestContextMixin(): Record<string, string> {
  const context = getRequestContext();
  return context
    ? { requestId: context.requestId, traceId: context.traceId, trace_id: context.traceId, span_id: context.spanId }
    : {};
}

/**
 * The service logger (pino). JSON lines carrying `service`, `env`, `instanceId`, an ISO `time`,
 * a string `level`, and inside a request `requestId` and `traceId`. In development on a terminal
 * the same lines are printed readably.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const loggerOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, env: options.env, instanceId: options.instanceId },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: requestContextMixin,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  const readable = options.pretty ?? (options.env === 'development' && process.stdout.isTTY === true);
  if (options.destination) return pino(loggerOptions, withLogExport(options.destination) as DestinationStream);
  if (readable) {
    // In-thread and synchronous, so no worker thread and no lost lines at exit.
    return pino(
      loggerOptions,
      loadPretty()({
        colorize: true,
        sync: true,
        ignore: 'pid,hostname,env,instanceId,service',
        messageFormat: '[{service}] {msg}',
      }),
    );
  }
  // Synchronous writes: an asynchronous stdout loses or reorders the last lines when the process exits.
  return pino(loggerOptions, withLogExport(pinoDestination({ dest: 1, sync: true })) as DestinationStream);
}
