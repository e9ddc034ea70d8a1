export {
  createMetrics,
  observeRequest,
  UNMATCHED_ROUTE,
  type CreateMetricsOptions,
  type ServiceMetrics,
} from './service-metrics.js';
