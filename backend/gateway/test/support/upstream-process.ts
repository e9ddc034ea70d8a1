import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/upstream-server.mjs', import.meta.url));

/** A fixture upstream replica in its own process, so a test can kill it and bring it back. */
export class UpstreamProcess {
  private child: ChildProcess | undefined;
  port = 0;

  constructor(readonly name: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the replica (on its previous port after a kill) and waits until it listens. */
  async start(): Promise<this> {
    const child = spawn(process.execPath, [FIXTURE], {
      env: { ...process.env, PORT: String(this.port), NAME: this.name },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    this.child = child;
    const stdout = child.stdout;
    if (stdout === null) throw new Error('the upstream fixture has no stdout pipe');
    let output = '';
    stdout.setEncoding('utf8');
    stdout.on('data', (chunk: string) => {
      output += chunk;
    });
    while (!/listening (\d+)/.test(output)) {
      const [exited] = await Promise.race([once(stdout, 'data').then(() => [false]), once(child, 'exit').then(() => [true])]);
      if (exited) throw new Error(`upstream ${this.name} exited before listening: ${output}`);
    }
    this.port = Number(/listening (\d+)/.exec(output)![1]);
    return this;
  }

  /** Kills the process abruptly (SIGKILL): connections drop, the port refuses. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Makes the replica's /health/ready answer 503 (`unready`) or 200 (`ready`). */
  send(message: 'ready' | 'unready'): void {
    this.child?.send(message);
  }
}

/** Starts `count` replicas named a, b, c, ... */
export async function startReplicas(count: number): Promise<UpstreamProcess[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => new UpstreamProcess(String.fromCharCode(97 + index)).start()));
}

/** Reads how many requests (and POSTs) a replica answered, straight from it. */
export async function replicaStats(replica: UpstreamProcess): Promise<{ requests: number; posts: number }> {
  const response = await fetch(`${replica.url}/_stats`);
  return (await response.json()) as { requests: number; posts: number };
}
