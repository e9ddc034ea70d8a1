/*
 * Where service log lines go besides stdout: set by `startTracing` when an OTLP endpoint is set,
 * so the collector receives the logs over OTLP and no log shipper has to read container files.
 */

let exportLine: ((line: string) => void) | undefined;

/** Installs (or with undefined removes) the function that exports each JSON log line. */
export function setLogLineExporter(next: ((line: string) => void) | undefined): void {
  exportLine = next;
}

interface WritableLike {
  write(chunk: string): unknown;
  flush?: (callback?: (error?: Error) => unknown) => unknown;
  flushSync?: () => unknown;
}

/** `destination` plus the log exporter, if one is installed when a line is written. */
export function withLogExport<T extends WritableLike>(destination: T): WritableLike {
  return {
    write(chunk: string) {
      const result = destination.write(chunk);
      exportLine?.(chunk);
      return result;
    },
    flush: destination.flush?.bind(destination),
    flushSync: destination.flushSync?.bind(destination),
  };
}
