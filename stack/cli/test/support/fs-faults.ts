import type * as NodeFs from 'node:fs';

/**
 * Failures no file set-up gives when the tests run as root (modes do not stop a write): a test
 * sets a function here, and the fs stand-in below throws what it answers.
 */
export interface FsFaults {
  /** An error for this rename, or undefined to let it happen. */
  rename?: ((from: string, to: string) => Error | undefined) | undefined;
  /** An error for this write to an open file, or undefined to let it happen. */
  write?: ((fd: number) => Error | undefined) | undefined;
}

/**
 * `fs` with `renameSync` and `writeFileSync` (to a file descriptor) failing when `faults` says so.
 * For a test file's `vi.mock('node:fs', ...)`, with `faults` made by `vi.hoisted`.
 */
export function fsWithFaults(fs: typeof NodeFs, faults: FsFaults): typeof NodeFs {
  return {
    ...fs,
    renameSync: (from: NodeFs.PathLike, to: NodeFs.PathLike) => {
      const error = faults.rename?.(String(from), String(to));
      if (error) throw error;
      fs.renameSync(from, to);
    },
    writeFileSync: (...args: Parameters<typeof fs.writeFileSync>) => {
      const error = typeof args[0] === 'number' ? faults.write?.(args[0]) : undefined;
      if (error) throw error;
      fs.writeFileSync(...args);
    },
  };
}
