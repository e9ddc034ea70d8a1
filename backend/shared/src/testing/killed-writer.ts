import type { SourceProcess } from './source-process.js';

/**
 * Polls `condition` every `intervalMs` until it holds; throws `what` after `timeoutMs`, or as soon
 * as `writer` exits on its own, with what it printed on stderr: a writer that crashed (a write
 * that failed) says why, rather than the test timing out on a process already gone.
 */
async function waitUntil(writer: SourceProcess, condition: () => boolean, what: string, timeoutMs: number, intervalMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    const exited = writer.child.exitCode !== null || writer.child.signalCode !== null;
    if (exited || Date.now() > deadline) {
      const why = exited ? `the writer exited (${writer.child.exitCode ?? writer.child.signalCode})` : `timed out after ${timeoutMs} ms`;
      throw new Error(`${why} waiting until ${what}; its stderr: ${writer.stderr().trim().slice(-2000) || '(empty)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * One round of the crash test every embedded store passes: two writer processes contend for the
 * store's one write lock, the victim is killed with SIGKILL after a random number (5 to 44) of
 * acknowledged writes, the survivor must go on writing after the kill (the dead process's lock is
 * released) and is then killed too. Writers print `acked ID` once a write is committed; the ids
 * both acknowledged are returned for the caller to look up in the reopened store.
 */
export async function killWritersMidStream(startWriter: (name: string) => SourceProcess, round: number) {
  const victim = startWriter(`victim${round}`);
  const survivor = startWriter(`survivor${round}`);
  try {
    const lines = (writer: SourceProcess) => writer.stdout().split('\n').filter(Boolean).length;
    const killAfter = 5 + Math.floor(Math.random() * 40);
    await waitUntil(victim, () => lines(victim) >= killAfter, `the victim acknowledged ${killAfter} writes`, 60_000, 5);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const before = survivor.stdout().length;
    await waitUntil(survivor, () => survivor.stdout().length > before, 'the survivor wrote after the kill', 30_000, 10);
  } finally {
    // Also when a wait fails: a writer left running outlives the test, writing forever into a
    // store whose folder is deleted (one ran for 90 minutes at 40 % of a core, 4 GB resident).
    await Promise.all([victim, survivor].map(killWriter));
  }
  return [victim, survivor].flatMap((writer) =>
    [...writer.stdout().matchAll(/^acked (\S+)$/gm)].map((match) => match[1] ?? ''),
  );
}

/** Kills `writer` with SIGKILL unless it has exited, and waits until it has. */
async function killWriter(writer: SourceProcess): Promise<void> {
  if (writer.child.exitCode === null && writer.child.signalCode === null) writer.child.kill('SIGKILL');
  await writer.exited;
}
