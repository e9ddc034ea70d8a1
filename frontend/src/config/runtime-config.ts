/** What `/config.js` sets before the app starts, so one image serves any deployment. */
export interface RuntimeConfig {
  /** '' means same origin (the gateway); otherwise an absolute http(s) URL without a trailing slash. */
  apiBaseUrl: string;
}

declare global {
  interface Window {
    __CODIESVIBE_CONFIG__?: Partial<RuntimeConfig>;
  }
}

export const RUNTIME_CONFIG_ERROR = 'FRONTEND_ERR_CONFIG';

/**
 * Validates the runtime config. A bad apiBaseUrl throws one line naming the setting, because a
 * silently wrong base URL shows up later as confusing network errors.
 */
export function parseRuntimeConfig(raw: unknown): RuntimeConfig {
  if (raw === undefined || raw === null) return { apiBaseUrl: '' };
  if (typeof raw !== 'object')
    throw new Error(`${RUNTIME_CONFIG_ERROR}: window.__CODIESVIBE_CONFIG__ must be an object`);
  const { apiBaseUrl = '' } = raw as { apiBaseUrl?: unknown };
  if (typeof apiBaseUrl !== 'string') {
    throw new Error(`${RUNTIME_CONFIG_ERROR}: apiBaseUrl must be a string ('' for same origin)`);
  }
  const trimmed = apiBaseUrl.trim().replace(/\/+$/, '');
  if (trimmed === '') return { apiBaseUrl: '' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`${RUNTIME_CONFIG_ERROR}: apiBaseUrl "${apiBaseUrl}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${RUNTIME_CONFIG_ERROR}: apiBaseUrl must use http or https, got ${url.protocol}`);
  }
  return { apiBaseUrl: trimmed };
}
