import { createServer, connect, type Server, type Socket } from 'node:net';

/*
 * A TCP switch between the nginx edge and an app process, run inside the native supervisor. The
 * edge's config names the switch's port, which never changes; a release moves the switch to the
 * new process, so the edge is never reloaded during a deploy.
 *
 * Why not reload nginx: a reload makes the old workers close every idle keep-alive connection
 * to the clients at once, and a client that sends its next request on one at that moment gets a
 * reset (measured: 19 ECONNRESET in 60 reloads under 150 req/s from Node's keep-alive agent,
 * which does not retry). The edge connects anew for every request (no upstream keep-alive), so a
 * connection through the switch carries one request: the ones already open when it moves finish
 * on the old process, every later one reaches the new process.
 */

export interface EdgeSwitchSpec {
  /** The app service the edge reaches through this switch. */
  service: string;
  /** The stable loopback port the edge connects to. */
  port: number;
  /** The app process's port it forwards to. */
  target: number;
}

const LOOPBACK = '127.0.0.1';

export class EdgeSwitch {
  private server: Server | undefined;
  private current: number;
  /** Open forwarded connections per target port: the drain waits for the old one's to reach 0. */
  private readonly open = new Map<number, Set<Socket>>();

  constructor(readonly spec: EdgeSwitchSpec) {
    this.current = spec.target;
  }

  get target(): number {
    return this.current;
  }

  listen(): Promise<void> {
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => this.forward(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.spec.port, LOOPBACK, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Every connection from now on goes to `port`; the open ones finish where they are. */
  moveTo(port: number): void {
    this.current = port;
  }

  /** Connections still open to `port`. */
  openTo(port: number): number {
    return this.open.get(port)?.size ?? 0;
  }

  async close(): Promise<void> {
    for (const sockets of this.open.values()) for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private forward(client: Socket): void {
    const port = this.current;
    const upstream = connect({ port, host: LOOPBACK, allowHalfOpen: true, noDelay: true });
    const sockets = this.open.get(port) ?? new Set<Socket>();
    this.open.set(port, sockets);
    sockets.add(client);
    // A failure on either side ends both: the edge then answers 502, as for a dead upstream.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.once('close', () => {
      upstream.destroy();
      sockets.delete(client);
    });
    upstream.once('close', () => client.end());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/** Starts every switch; on a failure closes the ones started and rethrows. */
export async function startEdgeSwitches(specs: readonly EdgeSwitchSpec[]): Promise<EdgeSwitch[]> {
  const switches = specs.map((spec) => new EdgeSwitch(spec));
  try {
    for (const edgeSwitch of switches) await edgeSwitch.listen();
  } catch (error) {
    await Promise.all(switches.map((edgeSwitch) => edgeSwitch.close()));
    throw error;
  }
  return switches;
}
