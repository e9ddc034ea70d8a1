import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

const COLORS = [36, 33, 32, 35, 34, 91, 92, 93, 94, 95, 96];

/**
 * Interleaves the output of many processes on one stream, each line behind a colored
 * `name |` prefix, and keeps a plain copy per process under `logDir` for `stack logs`.
 */
export class LogMultiplexer {
  private readonly files = new Map<string, WriteStream>();
  private readonly tails = new Map<string, string[]>();
  private readonly width: number;

  constructor(
    private readonly write: (text: string) => void,
    private readonly logDir: string,
    names: string[],
    private readonly color = false,
    private readonly tailLines = 40,
  ) {
    mkdirSync(logDir, { recursive: true });
    this.width = Math.max(5, ...names.map((name) => name.length));
  }

  /** Follows a child's stdout or stderr until it ends. */
  attach(name: string, stream: Readable): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.line(name, line);
    });
    stream.on('end', () => {
      if (partial) this.line(name, partial);
      partial = '';
    });
  }

  /** Writes one line for `name`, also used for stack's own messages about that process. */
  line(name: string, text: string): void {
    const prefix = name.padEnd(this.width);
    const index = [...name].reduce((sum, char) => sum + char.charCodeAt(0), 0) % COLORS.length;
    this.write(this.color ? `\x1b[${COLORS[index]}m${prefix} |\x1b[0m ${text}\n` : `${prefix} | ${text}\n`);
    this.file(name).write(`${text}\n`);
    const tail = this.tails.get(name) ?? [];
    tail.push(text);
    if (tail.length > this.tailLines) tail.shift();
    this.tails.set(name, tail);
  }

  /** The last lines a process printed, for the message when it fails to start. */
  tail(name: string): string[] {
    return [...(this.tails.get(name) ?? [])];
  }

  close(): Promise<void> {
    const closing = [...this.files.values()].map((file) => new Promise<void>((resolve) => file.end(resolve)));
    this.files.clear();
    return Promise.all(closing).then(() => undefined);
  }

  private file(name: string): WriteStream {
    let file = this.files.get(name);
    if (!file) {
      file = createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
      this.files.set(name, file);
    }
    return file;
  }
}
