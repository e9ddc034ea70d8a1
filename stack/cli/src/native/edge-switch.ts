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
 *
 * Without nginx, the clients' own keep-alive connections come through the switch and stay on the
 * old process after a move. A deploy tells it to retire (x-native.retireSignal): it ends them
 * between requests. When it closes one with no request unanswered, the switch connects the client
 * to the new process instead of passing the close on, so no client's next request meets it.
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
/** The start of a request that asking twice cannot change anything with. */
const SAFE_REQUEST = /^(GET|HEAD|OPTIONS) /;
/** Longest unanswered request kept to send again (a GET's headers fit well within it). */
const REPLAY_LIMIT = 64 * 1024;

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
    // The client's bytes sent on since the upstream last answered: a request not answered yet.
    let unanswered: Buffer[] = [];
    let unansweredBytes = 0;
    let clientEnded = false;
    let upstream: Socket;
    const attach = (port: number, replay: Buffer[] = []) => {
      const sockets = this.open.get(port) ?? new Set<Socket>();
      this.open.set(port, sockets);
      sockets.add(client);
      const next = connect({ port, host: LOOPBACK, allowHalfOpen: true, noDelay: true });
      upstream = next;
      for (const chunk of replay) next.write(chunk);
      next.on('data', (chunk: Buffer) => {
        unanswered = [];
        unansweredBytes = 0;
        if (!client.write(chunk)) {
          next.pause();
          client.once('drain', () => next.resume());
        }
      });
      // A process the switch has moved away from (a retiring gateway) closed a connection between
      // answers: the client never sees it, and its next request goes to the new process. Passing
      // the close on would race with that request and reset it. A request the old process closed
      // the connection on unanswered is sent to the new one when it cannot have been processed
      // twice by asking (GET, HEAD, OPTIONS): it was in flight while the old process closed a
      // connection it saw idle.
      const lost = (): boolean => {
        if (upstream !== next) return true;
        if (port === this.current || clientEnded || client.destroyed) return false;
        if (unansweredBytes > 0 && (unansweredBytes > REPLAY_LIMIT || !SAFE_REQUEST.test(Buffer.concat(unanswered).subarray(0, 16).toString('latin1')))) return false;
        sockets.delete(client);
        next.destroy();
        client.resume();
        attach(this.current, unanswered);
        return true;
      };
      // Reported by 'close' below.
      next.on('error', () => undefined);
      next.once('end', () => {
        if (!lost()) client.end();
      });
      next.once('close', (hadError) => {
        if (upstream !== next) return;
        sockets.delete(client);
        if (lost()) return;
        // A failure ends the client's connection: the edge then answers 502, as for a dead upstream.
        if (hadError) client.destroy();
        else client.end();
      });
    };
    client.on('data', (chunk: Buffer) => {
      if (unansweredBytes <= REPLAY_LIMIT) unanswered.push(chunk);
      unansweredBytes += chunk.length;
      if (!upstream.write(chunk)) {
        client.pause();
        upstream.once('drain', () => client.resume());
      }
    });
    client.on('end', () => {
      clientEnded = true;
      upstream.end();
    });
    client.on('error', () => upstream.destroy());
    client.once('close', () => {
      upstream.destroy();
      for (const sockets of this.open.values()) sockets.delete(client);
    });
    attach(this.current);
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
