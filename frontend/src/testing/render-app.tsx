import { render, type RenderResult } from '@testing-library/react';
import { App } from '../app.js';
import type { ApiServices } from '../api/api-context.js';
import type { EventSourceFactory } from '../api/ai-search-stream.js';
import { createToolsClient } from '../api/tools-client.js';

/** Renders the whole app at `path`, talking to `baseUrl` over real HTTP. */
export function renderApp(
  path: string,
  baseUrl: string,
  createEventSource?: EventSourceFactory,
): RenderResult {
  window.history.replaceState(null, '', path);
  const services: ApiServices = { baseUrl, tools: createToolsClient({ baseUrl }), createEventSource };
  return render(<App services={services} />);
}
