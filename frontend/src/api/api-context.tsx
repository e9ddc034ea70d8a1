import { createContext, type ReactNode, useContext } from 'react';
import type { ToolsApi } from './tools-client.js';
import type { EventSourceFactory } from './ai-search-stream.js';

/** What pages need to talk to the backend; tests provide their own. */
export interface ApiServices {
  tools: ToolsApi;
  baseUrl: string;
  createEventSource?: EventSourceFactory;
}

const ApiContext = createContext<ApiServices | null>(null);

export function ApiProvider({ services, children }: { services: ApiServices; children: ReactNode }) {
  return <ApiContext.Provider value={services}>{children}</ApiContext.Provider>;
}

/** The API services of the nearest provider. */
export function useApi(): ApiServices {
  const services = useContext(ApiContext);
  if (!services) throw new Error('useApi must be used inside <ApiProvider>');
  return services;
}
