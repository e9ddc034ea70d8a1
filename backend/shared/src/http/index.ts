export { toErrorResponse, type ErrorResponse } from './error-response.js';
export { serviceFastifyOptions } from './fastify-options.js';
export { createServiceApp, type CreateServiceAppOptions } from './service-app.js';
export { logCompletionAtDebug, servicePlugin, type ServicePluginOptions } from './service.plugin.js';
