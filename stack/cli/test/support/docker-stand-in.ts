import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * There is no Docker engine here, so the tests run `stack` against a recording stand-in for the
 * `docker` client: a Node script in a fresh temporary folder (`dir`, which the test also uses as its
 * project folder). The script has `args` (its command line), `fs` and `record(entry)` (one JSON line
 * appended to the record) in scope, runs `behaviour` and exits 0 unless the behaviour exited first.
 * Tests pass `path` as DOCKER_BINARY and assert the exact commands from `takeCalls()`.
 */
export function createDockerStandIn(prefix: string, behaviour: (dir: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const recordFile = join(dir, 'calls.jsonl');
  const path = join(dir, 'docker');
  writeFileSync(
    path,
    `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
const record = (entry) => fs.appendFileSync(${JSON.stringify(recordFile)}, JSON.stringify(entry) + '\\n');
${behaviour(dir)}
process.exit(0);
`,
  );
  chmodSync(path, 0o755);
  writeFileSync(recordFile, '');
  return {
    dir,
    path,
    /** The entries recorded since the last call, oldest first; the record starts empty again. */
    takeCalls<Entry>(): Entry[] {
      const text = readFileSync(recordFile, 'utf8').trim();
      writeFileSync(recordFile, '');
      return text ? text.split('\n').map((line) => JSON.parse(line) as Entry) : [];
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
