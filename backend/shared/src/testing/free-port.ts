import { pickFreePort } from '../net/free-port.js';

/**
 * A free loopback TCP port for a server a test starts, released before returning so the child
 * process can bind it (picked below the ephemeral range, see pickFreePort).
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return pickFreePort(host);
}
