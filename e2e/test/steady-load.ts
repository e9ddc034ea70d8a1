import { Agent, request } from 'node:http';

/*
 * Steady load for the zero-downtime tests: GETs at a fixed overall rate over a few keep-alive
 * connections through Node's HTTP agent, which behaves as an HTTP/1.1 client should (it honours
 * `Connection: close`) and never retries, so every reset or timeout counts as a failed request.
 *
 * Requests spread evenly (not in bursts) keep connections idle for a few milliseconds between
 * uses, which is when a server closing idle keep-alive connections (an nginx reload does) makes
 * a client's request fail: on a bare nginx under this load, 12–19 resets in 60 reloads (issue 16).
 * autocannon saw fewer (1–5): it sends its requests in bursts, and its resets came from writing
 * on after a `Connection: close` answer, which a real client does not do.
 */

export interface LoadResult {
  sent: number;
  /** Answers by status code. */
  statuses: Record<number, number>;
  /** Requests that got no answer: connection errors by code, and timeouts. */
  errors: Record<string, number>;
  /** Requests not answered with a 2xx: error answers, connection errors and timeouts. */
  failed: number;
}

export interface SteadyLoad {
  stop(): Promise<LoadResult>;
}

/**
 * Starts `rate` requests a second, spread evenly, cycling through `paths` on `base`, over at most
 * `connections` keep-alive connections. A request unanswered after `timeoutMs` is a timeout.
 */
export function startSteadyLoad(base: string, paths: string[], options: { rate: number; connections: number; timeoutMs?: number }): SteadyLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL(base);
  const result: LoadResult = { sent: 0, statuses: {}, errors: {}, failed: 0 };
  const pending = new Set<Promise<void>>();
  const count = (bucket: Record<string | number, number>, key: string | number) => (bucket[key] = (bucket[key] ?? 0) + 1);

  const fire = (path: string) => {
    result.sent += 1;
    const done = new Promise<void>((resolve) => {
      const req = request({ host: url.hostname, port: url.port, path, agent, timeout: options.timeoutMs ?? 10_000 }, (res) => {
        res.resume();
        res.once('end', () => {
          count(result.statuses, res.statusCode ?? 0);
          if ((res.statusCode ?? 0) >= 300) result.failed += 1;
          resolve();
        });
      });
      req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.once('error', (error: NodeJS.ErrnoException) => {
        count(result.errors, error.code ?? error.message);
        result.failed += 1;
        resolve();
      });
      req.end();
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  let next = 0;
  const timer = setInterval(() => fire(paths[next++ % paths.length]!), 1000 / options.rate);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      agent.destroy();
      return result;
    },
  };
}
