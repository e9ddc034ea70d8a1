import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** Standard output and error of a child as named pipes, and the read ends to follow them by. */
export interface FifoStdio {
  /** For `spawn`'s `stdio`: the write ends. */
  stdio: ['ignore', number, number];
  streams: Readable[];
  /** After the spawn: the parent's copies of the write ends are closed, so EOF comes when the child's are. */
  afterSpawn: () => void;
}

/*
 * Node gives a child socket pairs for its output, and a program that opens /dev/stdout by name (nginx's
 * `access_log /dev/stdout`, as in the image) cannot open a socket (ENXIO). A container's output is a
 * pipe; named pipes give a native process the same.
 */

/** Named pipes for `name` under `dir`, or undefined where `mkfifo` is not available. */
export function openFifoStdio(dir: string, name: string): FifoStdio | undefined {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ends: { read: number; write: number }[] = [];
  for (const stream of ['stdout', 'stderr']) {
    const path = join(dir, `${name}.${stream}`);
    rmSync(path, { force: true });
    const made = spawnSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
    if (made.status !== 0) {
      for (const end of ends) [end.read, end.write].forEach((fd) => closeSync(fd));
      return undefined;
    }
    // Opening the read end without a writer must not block; the write end then opens at once.
    const read = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const write = openSync(path, constants.O_WRONLY);
    rmSync(path, { force: true });
    ends.push({ read, write });
  }
  return {
    stdio: ['ignore', ends[0]!.write, ends[1]!.write],
    streams: ends.map((end) => new Socket({ fd: end.read, readable: true, writable: false })),
    afterSpawn: () => ends.forEach((end) => closeSync(end.write)),
  };
}
