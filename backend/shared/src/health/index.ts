export {
  HealthRegistry,
  type CheckReport,
  type HealthCheck,
  type HealthCheckOptions,
  type HealthCheckResult,
  type ReadinessReport,
} from './health-registry.js';
export { healthcheckUrl, runHealthcheck, type RunHealthcheckOptions } from './run-healthcheck.js';
