export { createLogger, type CreateLoggerOptions, type Logger } from './logger.js';
export { activeLogLineExporter, type EmittedLog, type LogLineExporter } from './log-export.js';
