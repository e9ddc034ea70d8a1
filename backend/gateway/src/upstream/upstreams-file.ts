import { readFileSync, statSync } from 'node:fs';
import { parseUpstreamsFile, type UpstreamVariable } from '../config/gateway.config.js';

/** How often the file's stat is compared: a deploy waits this long, at most, for the gateway to see a change. */
const POLL_MS = 250;

/**
 * The UPSTREAMS_FILE: replica lists that win over the environment's, read again whenever the file
 * changes (compared by stat every 250 ms, a cheap call). Whoever moves replicas writes the file
 * whole and renames it into place, so a half-written file is never read. Until the file exists the
 * environment's lists hold; a file that is wrong keeps the last lists it gave, and `onError` hears why.
 */
export class UpstreamsFile {
  private lists: Partial<Record<UpstreamVariable, URL[]>> = {};
  private seen = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: (() => void)[] = [];

  constructor(
    readonly path: string,
    private readonly onError: (message: string) => void,
  ) {}

  /** The file's list for `variable`, if it gives one. */
  listOf(variable: UpstreamVariable): URL[] | undefined {
    return this.lists[variable];
  }

  /** `listener` runs after every change of the lists. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Reads the file now, then watches it. */
  start(): void {
    this.check();
    this.timer ??= setInterval(() => this.check(), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads the file again if its stat changed. */
  check(): void {
    let stamp: string;
    try {
      const stat = statSync(this.path);
      stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      // Not written yet: the environment's lists hold until it is.
      return;
    }
    if (stamp === this.seen) return;
    this.seen = stamp;
    try {
      this.lists = parseUpstreamsFile(readFileSync(this.path, 'utf8'));
    } catch (error) {
      this.onError(`UPSTREAMS_FILE ${this.path} is not a JSON object of upstream lists (${(error as Error).message}); the last lists stay`);
      return;
    }
    for (const listener of this.listeners) listener();
  }
}
