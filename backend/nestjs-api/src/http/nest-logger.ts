import type { LoggerService } from '@nestjs/common';
import type { Logger } from '@codiesvibe/shared';

const textOf = (message: unknown): string => (typeof message === 'string' ? message : JSON.stringify(message));

/** Sends Nest's own messages (bootstrap, route mapping) to the service's pino logger as JSON lines. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, textOf(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, textOf(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, textOf(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, textOf(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, textOf(message));
  }
}
