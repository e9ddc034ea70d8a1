import { createServer } from 'node:net';

/**
 * A free loopback TCP port for a server a test starts: the kernel picks it, and it is released
 * before returning so the child process can bind it.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('the kernel gave no TCP port'))));
    });
  });
}
