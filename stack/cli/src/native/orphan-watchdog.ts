import { spawn, type ChildProcess } from 'node:child_process';

/*
 * The watchdog is a separate, tiny Node process. Stack tells it, over a pipe, which process groups
 * it started. When that pipe closes without a clean goodbye (stack crashed or was SIGKILLed, so no
 * handler of ours ran), the watchdog terminates every group it knows, so no service outlives stack.
 * It is inline JavaScript so the same code runs from sources under test and from dist.
 */
const WATCHDOG_SOURCE = String.raw`
const groups = new Set();
let buffer = '';
let clean = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  const lines = buffer.split('\n');
  buffer = lines.pop();
  for (const line of lines) {
    const [verb, id] = line.split(' ');
    if (verb === 'add') groups.add(Number(id));
    else if (verb === 'remove') groups.delete(Number(id));
    else if (verb === 'bye') clean = true;
  }
});
const signalAll = (signal) => {
  for (const pgid of groups) { try { process.kill(-pgid, signal); } catch { groups.delete(pgid); } }
};
process.stdin.on('end', () => {
  if (clean || groups.size === 0) process.exit(0);
  signalAll('SIGTERM');
  const grace = Number(process.argv[1]) || 10000;
  const started = Date.now();
  const timer = setInterval(() => {
    for (const pgid of groups) { try { process.kill(-pgid, 0); } catch { groups.delete(pgid); } }
    if (groups.size === 0) process.exit(0);
    if (Date.now() - started > grace) { signalAll('SIGKILL'); process.exit(0); }
  }, 100);
});
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
`;

/** Handle on the watchdog process: report groups as they start and stop. */
export class OrphanWatchdog {
  private readonly child: ChildProcess;

  constructor(graceMs: number) {
    // Its own process group, so the Ctrl-C that reaches stack's group does not reach it.
    this.child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(graceMs)], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    this.child.unref();
    // The pipe must not keep stack alive on its own either.
    (this.child.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
    this.child.stdin?.on('error', () => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  watch(processGroupId: number): void {
    this.child.stdin?.write(`add ${processGroupId}\n`);
  }

  forget(processGroupId: number): void {
    this.child.stdin?.write(`remove ${processGroupId}\n`);
  }

  /** Everything was stopped cleanly: the watchdog may exit without signalling anyone. */
  dismiss(): void {
    this.child.stdin?.end('bye\n');
  }
}
