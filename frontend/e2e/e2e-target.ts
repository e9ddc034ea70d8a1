import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startContractServer } from '../src/testing/contract-server.js';

/** Where the browser tests point, and how to stop what they started. */
export interface E2eTarget {
  baseUrl: string;
  adminApiKey: string;
  /** 'gateway' when run against the real stack, 'stand-in' for the contract stand-in server. */
  kind: 'gateway' | 'stand-in';
  stop(): Promise<void>;
}

const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const STAND_IN_KEY = 'e2e-admin-key';

/**
 * E2E_BASE_URL (e.g. http://127.0.0.1:4000, the gateway of `npm start`) selects the running stack
 * and E2E_ADMIN_API_KEY its admin key. Without it, the built app (frontend/dist) is served by
 * the contract stand-in, so the browser flows can be checked before the services exist.
 */
export async function startE2eTarget(): Promise<E2eTarget> {
  const baseUrl = process.env.E2E_BASE_URL?.replace(/\/+$/, '');
  if (baseUrl) {
    const adminApiKey = process.env.E2E_ADMIN_API_KEY ?? process.env.ADMIN_API_KEY;
    if (!adminApiKey)
      throw new Error('E2E_ADMIN_API_KEY is required with E2E_BASE_URL (the admin key of the running stack)');
    return { baseUrl, adminApiKey, kind: 'gateway', stop: () => Promise.resolve() };
  }
  if (!existsSync(`${DIST}/index.html`)) {
    throw new Error(
      'frontend/dist is missing: run `npm run build -w frontend` before `npm run test:e2e -w frontend`',
    );
  }
  const server = await startContractServer({
    staticDir: DIST,
    adminApiKey: STAND_IN_KEY,
    streamDelayMs: 150,
  });
  return { baseUrl: server.url, adminApiKey: STAND_IN_KEY, kind: 'stand-in', stop: () => server.close() };
}
