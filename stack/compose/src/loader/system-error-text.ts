/**
 * Go's words for the system errors reading a file meets (syscall.Errno's Error() on Linux), which
 * Compose prints after `open PATH:`. Node's error codes (`ENOTDIR`, `EACCES`) read as nothing to
 * someone who has not met errno.
 */
const GO_ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENXIO: 'no such device or address',
};

/** What a failed read of a file says, as Go says it (`permission denied`); Node's code, or the message, for a code Go's words are not listed for. */
export function systemErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) return GO_ERRNO_TEXT[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}
