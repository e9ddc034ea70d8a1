// Kept free of imports: the Docker healthcheck reads the port from here every 30 seconds.

/** mcp-server's port unless PORT says otherwise. */
export const DEFAULT_PORT = 3001;

/** nestjs-api's address on a developer machine; Compose sets http://nestjs-api:4001. */
export const DEFAULT_TOOLS_API_URL = 'http://127.0.0.1:4001';
