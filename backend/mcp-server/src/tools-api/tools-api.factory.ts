import { outgoingHeaders } from '@codiesvibe/shared';
import { ToolsApiClient } from './tools-api.client.js';

/** The nestjs-api client both entry points use: forwards the current request's id and trace. */
export function createToolsApiClient(config: {
  TOOLS_API_URL: string;
  TOOLS_API_TIMEOUT_MS: number;
}): ToolsApiClient {
  return new ToolsApiClient({
    baseUrl: config.TOOLS_API_URL,
    timeoutMs: config.TOOLS_API_TIMEOUT_MS,
    contextHeaders: () => outgoingHeaders(),
  });
}
