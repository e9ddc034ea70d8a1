import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * True when nothing listens on `port` at `host` (we can bind it ourselves); `denied` when it is a
 * privileged port we may not bind; false when another process holds it.
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean | 'denied'> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EACCES' ? 'denied' : false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A free port for a replica or an edge: picked below the ephemeral range (see @codiesvibe/shared/net). */
export { pickFreePort } from '@codiesvibe/shared/net';

export interface PortHolder {
  pid: number;
  command: string;
}

/**
 * Which process listens on `port`, read from /proc (Linux). Undefined when it cannot be told, for
 * example when the holder belongs to another user or the system is not Linux.
 */
export function findPortHolder(port: number): PortHolder | undefined {
  const inodes = listeningSocketInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match?.[1] && inodes.has(match[1])) return { pid: Number(pid), command: processCommand(pid) };
    }
  }
  return undefined;
}

const TCP_LISTEN_STATE = '0A';

function listeningSocketInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== TCP_LISTEN_STATE) continue;
      const localPort = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
      if (localPort === port && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** The process group of `pid` (field 5 of /proc/PID/stat), or undefined when it cannot be read. */
function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    return Number.isInteger(group) ? group : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The process that listens on `port` when it is not part of the process group `group` (a
 * supervised replica and whatever it spawned), or undefined when the group holds it or the holder
 * cannot be told. A port found free when the stack was planned may be taken by another program
 * before the replica binds it; then the health probe reaches that program, not ours.
 */
export function foreignPortHolder(port: number, group: number): PortHolder | undefined {
  const holder = findPortHolder(port);
  if (!holder || holder.pid === group || processGroupOf(holder.pid) === group) return undefined;
  return holder;
}

function processCommand(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || `pid ${pid}`;
  } catch {
    return `pid ${pid}`;
  }
}

/**
 * One line telling that `port` is taken, by whom when we can tell, and what to change (`setting`,
 * e.g. `EDGE_HTTP_PORT (ports: "${EDGE_HTTP_PORT:-80}:8080" of nginx)`).
 */
export function describePortConflict(service: string, port: number, setting?: string): string {
  const holder = findPortHolder(port);
  const who = holder ? `process ${holder.pid} (${holder.command})` : 'another process';
  return `port ${port} needed by ${service} is already in use by ${who}; stop it or set ${setting ?? 'a different port'}`;
}
