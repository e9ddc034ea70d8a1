import { lstatSync, readFileSync, statSync } from 'node:fs';

/** What is wrong with a secret file, in words that finish "secret NAME: FILE ...". */
export type SecretFileProblem =
  | { kind: 'missing' }
  | { kind: 'not-a-file' }
  | { kind: 'broken-link' }
  | { kind: 'empty' }
  | { kind: 'too-open'; mode: number }
  | { kind: 'unreadable'; reason: string };

/** Permission bits a secret file may carry: owner read/write only, as `secrets init` writes them. */
const OWNER_ONLY = 0o077;

/**
 * Checks a secret file before anything uses it: it exists, is a regular file, holds something
 * besides white space, and (on POSIX systems) nobody but its owner may read it, like ssh demands of
 * a private key. Undefined when it is fine.
 */
export function checkSecretFile(file: string, platform: NodeJS.Platform = process.platform): SecretFileProblem | undefined {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && isSymbolicLink(file)) return { kind: 'broken-link' };
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable', reason: code ?? 'unreadable' };
  }
  if (!stats.isFile()) return { kind: 'not-a-file' };
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    return { kind: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  // What makes the secret unusable comes before its mode, which only makes it less private.
  if (content.trim() === '') return { kind: 'empty' };
  if (platform !== 'win32' && (stats.mode & OWNER_ONLY) !== 0) return { kind: 'too-open', mode: stats.mode & 0o777 };
  return undefined;
}

function isSymbolicLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The one-line message for a problem, with what to do about it. `initCommand` is the command that
 * creates the file (`stack secrets init`), when it can: a secret without `x-generate` is written by
 * hand, and the message says so instead.
 */
export function describeSecretFileProblem(secret: string, shownFile: string, problem: SecretFileProblem, initCommand?: string): string {
  const { what, fix } = secretFileProblemParts(secret, shownFile, problem, initCommand);
  return `${what}; ${fix}`;
}

/** {@link describeSecretFileProblem} in its two parts, what is wrong and what to do, for a report that shows them apart (`stack doctor`). */
export function secretFileProblemParts(secret: string, shownFile: string, problem: SecretFileProblem, initCommand?: string): { what: string; fix: string } {
  const what = (finding: string) => `secret ${secret}: ${shownFile} ${finding}`;
  switch (problem.kind) {
    case 'missing':
      return { what: what('does not exist'), fix: initCommand ? `create it with \`${initCommand}\`` : 'write the secret into that file (stack cannot generate it)' };
    case 'not-a-file':
      return { what: what('is not a regular file'), fix: `replace it with a file holding the secret${initCommand ? ` (or delete it and run \`${initCommand}\`)` : ''}` };
    case 'broken-link':
      return { what: what('is a symbolic link to a file that does not exist'), fix: `point it at the secret's file${initCommand ? `, or delete it and run \`${initCommand}\`` : ''}` };
    case 'empty':
      return { what: what('is empty (white space only)'), fix: `write the secret into it${initCommand ? `, or delete it and run \`${initCommand}\`` : ''}` };
    case 'too-open':
      return { what: what(`has mode 0${problem.mode.toString(8)}, readable by other users`), fix: `run \`chmod 600 ${shownFile}\`` };
    case 'unreadable':
      return { what: what(`cannot be read (${problem.reason})`), fix: 'check its owner and permissions' };
  }
}
