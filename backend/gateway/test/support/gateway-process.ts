import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '@codiesvibe/shared/testing';
import { eventually } from './gateway-under-test.js';

const GATEWAY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The gateway as production runs it: its own process, started from `src/main.ts`. */
export class GatewayProcess {
  private child: ChildProcess | undefined;
  url = '';

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<this> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@codiesvibe/source', 'src/main.ts'], {
      cwd: GATEWAY_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        AI_UPSTREAM: 'http://127.0.0.1:9',
        MCP_UPSTREAM: 'http://127.0.0.1:9',
        FRONTEND_UPSTREAM: 'http://127.0.0.1:9',
        ...this.env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.child = child;
    await eventually(
      `the gateway on port ${port} answers`,
      async () => {
        if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
        try {
          return (await fetch(`${this.url}/health/live`)).ok;
        } catch {
          return false;
        }
      },
      300,
    );
    return this;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}
