/** Service name (logs, metrics labels, config errors) and default port; dependency-free for the healthcheck. */
export const SERVICE_NAME = 'fastify-api';
export const DEFAULT_PORT = 4002;
