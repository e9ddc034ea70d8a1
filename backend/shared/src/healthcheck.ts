// Light entry point for `src/healthcheck.ts` of each service: no Fastify, pino or prom-client load.
export { healthcheckUrl, runHealthcheck, type RunHealthcheckOptions } from './health/run-healthcheck.js';
