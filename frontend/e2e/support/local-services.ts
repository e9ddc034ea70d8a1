import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@codiesvibe/shared/testing';

/** The repository root (frontend/e2e/support is three levels below it). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const READY_TIMEOUT_MS = 120_000;

/** The real services on free loopback ports, the gateway serving the built app in front. */
export interface LocalServices {
  /** The gateway: the URL a visitor opens. */
  baseUrl: string;
  adminApiKey: string;
  /** nestjs-api directly (for seeding), bypassing the gateway's rate limit. */
  apiUrl: string;
  stop(): Promise<void>;
}

export interface LocalServicesOptions {
  /** Start mcp-server and fastify-api too (AI search); default true. */
  ai?: boolean;
  /** Extra environment for nestjs-api (e.g. a larger seed). */
  apiEnv?: Record<string, string>;
  /** Extra environment for the gateway. */
  gatewayEnv?: Record<string, string>;
  /** Label in temporary folder names and instance ids. */
  label?: string;
}

interface Child {
  name: string;
  process: ChildProcess;
  output: () => string;
}

function startChild(name: string, entry: string, env: Record<string, string>): Child {
  const path = join(REPO_ROOT, entry);
  if (!existsSync(path))
    throw new Error(`${entry} is missing: run \`npm run build\` at the repository root first`);
  const child = spawn(process.execPath, [path], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-6000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { name, process: child, output: () => output };
}

/** Polls `path` (readiness by default) until it answers 2xx; fails early when the child exits. */
async function waitReady(child: Child, url: string, path = '/health/ready'): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null)
      throw new Error(`${child.name} exited with ${child.process.exitCode}:\n${child.output()}`);
    try {
      const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name} was not ready within ${READY_TIMEOUT_MS} ms:\n${child.output()}`);
}

async function stopChild(child: Child): Promise<void> {
  const { process: proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts nestjs-api (embedded store in a temporary folder), optionally mcp-server and
 * fastify-api, and the gateway serving `frontend/dist`, all from their builds on free ports, as
 * `stack` runs them natively. For the browser tests and the bench when no stack is running (and
 * so without taking the fixed ports of `npm start`).
 */
export async function startLocalServices(options: LocalServicesOptions = {}): Promise<LocalServices> {
  const label = options.label ?? 'frontend-e2e';
  const ai = options.ai ?? true;
  const adminApiKey = `${label}-admin-key`;
  const dataDir = await mkdtemp(join(tmpdir(), `${label}-`));
  const [apiPort, mcpPort, aiPort, gatewayPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const mcpUrl = `http://127.0.0.1:${mcpPort}`;
  const aiUrl = `http://127.0.0.1:${aiPort}`;
  const baseUrl = `http://127.0.0.1:${gatewayPort}`;
  const children: Child[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const api = startChild('nestjs-api', 'backend/nestjs-api/dist/main.js', {
      PORT: String(apiPort),
      DATA_DIR: join(dataDir, 'nestjs-api'),
      INSTANCE_ID: `${label}-api`,
      ADMIN_API_KEY: adminApiKey,
      ...options.apiEnv,
    });
    children.push(api);
    await waitReady(api, apiUrl);
    if (ai) {
      const mcp = startChild('mcp-server', 'backend/mcp-server/dist/main.js', {
        PORT: String(mcpPort),
        INSTANCE_ID: `${label}-mcp`,
        TOOLS_API_URL: apiUrl,
      });
      children.push(mcp);
      await waitReady(mcp, mcpUrl);
      const fastify = startChild('fastify-api', 'backend/fastify-api/dist/main.js', {
        PORT: String(aiPort),
        INSTANCE_ID: `${label}-ai`,
        MCP_SERVER_URL: `${mcpUrl}/mcp`,
        DATA_DIR: join(dataDir, 'fastify-api'),
      });
      children.push(fastify);
      await waitReady(fastify, aiUrl);
    }
    const gateway = startChild('gateway', 'backend/gateway/dist/main.js', {
      PORT: String(gatewayPort),
      INSTANCE_ID: `${label}-gateway`,
      API_UPSTREAM: apiUrl,
      AI_UPSTREAM: ai ? aiUrl : 'http://127.0.0.1:9',
      MCP_UPSTREAM: ai ? mcpUrl : 'http://127.0.0.1:9',
      FRONTEND_DIR: join(REPO_ROOT, 'frontend', 'dist'),
      ...options.gatewayEnv,
    });
    children.push(gateway);
    // Without the AI services the gateway is never ready (fastify-api is critical): wait until it listens.
    await waitReady(gateway, baseUrl, ai ? '/health/ready' : '/health/live');
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, adminApiKey, apiUrl, stop };
}
