export * as env from './env-fields.js';
export {
  baseServiceEnv,
  LOG_LEVELS,
  NODE_ENVS,
  type BaseServiceConfig,
  type LogLevel,
  type NodeEnv,
} from './base-env.js';
export { KNOWN_DEVELOPMENT_SECRETS, loadConfig, type LoadConfigOptions } from './load-config.js';
export { EMBEDDED_VARIABLE, embeddedList, withoutVariable } from './embedded-choice.js';
