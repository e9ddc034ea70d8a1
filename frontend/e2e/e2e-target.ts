/** Where the browser tests point, and how to let go of it. */
export interface E2eTarget {
  baseUrl: string;
  adminApiKey: string;
  /** Nothing to stop: the stack belongs to whoever started it. */
  stop(): Promise<void>;
}

/**
 * The running stack the browser flows drive: E2E_BASE_URL (the gateway `npm start` prints, e.g.
 * http://127.0.0.1:4000) and E2E_ADMIN_API_KEY its admin key. `npm test` at the root runs these
 * flows against the stack it starts (e2e/test/npm-start.test.ts).
 */
export function startE2eTarget(env: NodeJS.ProcessEnv = process.env): Promise<E2eTarget> {
  const baseUrl = env.E2E_BASE_URL?.replace(/\/+$/, '');
  if (!baseUrl) {
    return Promise.reject(
      new Error(
        'E2E_BASE_URL is not set: start the stack (`npm start` prints its URL) and run again with E2E_BASE_URL=<that URL> and E2E_ADMIN_API_KEY=<its admin key>',
      ),
    );
  }
  const adminApiKey = env.E2E_ADMIN_API_KEY ?? env.ADMIN_API_KEY;
  if (!adminApiKey) {
    return Promise.reject(
      new Error('E2E_ADMIN_API_KEY is required with E2E_BASE_URL (the admin key of the running stack)'),
    );
  }
  return Promise.resolve({ baseUrl, adminApiKey, stop: () => Promise.resolve() });
}
