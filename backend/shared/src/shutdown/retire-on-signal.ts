import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ProcessEvents } from './shutdown.js';

/*
 * Retiring: a deploy has moved new connections to the next release, and the clients' keep-alive
 * connections to this process must end without a request failing. A server cannot close an idle
 * HTTP/1.1 connection safely (a client may be sending on it at that moment), so a retiring server
 * keeps answering normally and ends each connection where the client expects it: every further
 * response says `Connection: close`. Connections nobody uses close once they have been quiet for
 * `quietMs` (a client that sends after that long is as unlucky as with any keep-alive timeout).
 * The process keeps running; the deploy stops it (SIGTERM) once its connections are gone.
 */

export interface RetireOptions {
  logger: Pick<Logger, 'info'>;
  /** The signal that starts retiring. SIGUSR2 unless told. */
  signal?: NodeJS.Signals;
  /** How long a connection must have carried nothing before a retiring server closes it. 1 000 ms unless told. */
  quietMs?: number;
  /** Where the signal comes from; `process` unless told (tests pass an EventEmitter). */
  signalSource?: ProcessEvents;
}

export interface Retirement {
  /** Starts retiring (as the signal does). */
  retire(): void;
  readonly retiring: boolean;
  /** Removes the signal listener and the quiet-connection timer (tests, shutdown). */
  dispose(): void;
}

interface ConnectionUse {
  /** Responses started and not yet finished on this connection. */
  active: number;
  /** When it last finished a response (or opened). */
  idleSince: number;
}

/**
 * Makes `server` retire on `signal`: `Connection: close` on every response not yet sent, and
 * connections closed once they have been quiet for `quietMs`, so every keep-alive connection ends
 * between requests and no client's request meets a closing socket.
 *
 * @example
 * const retirement = retireOnSignal(app.server, { logger });
 * shutdown.add('retirement', () => retirement.dispose());
 */
export function retireOnSignal(server: Server, options: RetireOptions): Retirement {
  const signal = options.signal ?? 'SIGUSR2';
  const quietMs = options.quietMs ?? 1_000;
  const source: ProcessEvents = options.signalSource ?? process;
  const connections = new Map<Socket, ConnectionUse>();
  const unsent = new Set<ServerResponse>();
  let retiring = false;
  let sweep: NodeJS.Timeout | undefined;

  const onConnection = (socket: Socket) => {
    connections.set(socket, { active: 0, idleSince: Date.now() });
    socket.once('close', () => connections.delete(socket));
  };
  const onRequest = (request: { socket: Socket }, response: ServerResponse) => {
    const use = connections.get(request.socket);
    if (use) use.active += 1;
    if (retiring) response.setHeader('connection', 'close');
    else unsent.add(response);
    response.once('close', () => {
      unsent.delete(response);
      if (!use) return;
      use.active -= 1;
      use.idleSince = Date.now();
    });
  };
  server.on('connection', onConnection);
  // Before the app's own handler, so the header is there whatever the handler writes.
  server.prependListener('request', onRequest);

  const closeQuietConnections = () => {
    const now = Date.now();
    for (const [socket, use] of connections) if (use.active === 0 && now - use.idleSince >= quietMs) socket.destroy();
  };

  function retire(): void {
    if (retiring) return;
    retiring = true;
    options.logger.info({ quietMs }, 'retiring: every further response closes its connection');
    for (const response of unsent) if (!response.headersSent) response.setHeader('connection', 'close');
    unsent.clear();
    closeQuietConnections();
    sweep = setInterval(closeQuietConnections, Math.min(quietMs, 250));
    sweep.unref();
  }
  const onSignal = () => retire();
  source.on(signal, onSignal);

  return {
    retire,
    get retiring() {
      return retiring;
    },
    dispose() {
      source.off(signal, onSignal);
      if (sweep) clearInterval(sweep);
      server.off('connection', onConnection);
      server.off('request', onRequest);
    },
  };
}
