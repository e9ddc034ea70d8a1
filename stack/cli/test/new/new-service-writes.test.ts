import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { recordingIo } from '../architecture/repo-tree.js';
import { fileTree } from '../support/file-tree.js';

// `stack new service` writes through the all-or-nothing writer (src/files/write-transaction.ts).
// It runs in a copy of the repository's compose tree and package.json, never in the repository:
// node_modules is linked (the dependency versions of the templates come from there, as no
// workspace of the copy declares them) and backend/ is the copy's own.
const repo = resolve(import.meta.dirname, '../../../..');
const workspace = mkdtempSync(join(tmpdir(), 'stack-new-service-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function projectCopy(label: string): string {
  const dir = join(workspace, label);
  mkdirSync(dir);
  for (const name of ['package.json', 'compose.yaml', 'docker-compose']) cpSync(join(repo, name), join(dir, name), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

async function newService(dir: string) {
  const io = recordingIo(dir);
  const status = await runCli(['new', 'service', 'billing', '--template', 'worker'], io);
  return { status, out: io.out.join(''), err: io.err.join('') };
}

describe('stack new service writes all or nothing', { timeout: 60_000 }, () => {
  it('writes every planned file, keeps the mode of a file it changes, and leaves no temporary file', async () => {
    const dir = projectCopy('written');
    mkdirSync(join(dir, 'backend'));
    chmodSync(join(dir, 'package.json'), 0o640);
    const result = await newService(dir);
    expect(result.status, result.err).toBe(0);
    expect(result.err).toBe('');
    expect(result.out).toContain('updated  docker-compose/environments/docker-compose.production.yml\n');
    expect(result.out).toContain('created  docker-compose/services/docker-compose.billing.yml\n');
    expect(result.out).toContain('created  backend/billing/package.json\n');
    expect(result.out).toContain('updated  package.json\n');
    expect((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces).toContain('backend/billing');
    expect(statSync(join(dir, 'package.json')).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(dir, 'docker-compose', 'environments', 'docker-compose.production.yml'), 'utf8')).toMatch(/^ {2}billing:$/m);
    expect(Object.keys(fileTree(dir)).filter((path) => /\.stack-(new|old)/.test(path))).toEqual([]);
  });

  it('a failure midway (a file where the backend folder belongs) leaves the tree byte for byte as before, with one line', async () => {
    // backend/ as a regular file: the plan passes (backend/billing does not exist), and writing
    // fails at the first file under it, after the environment files and the service's base file
    // are staged and before any is in place. A file in the way fails as root too, where modes do not.
    const dir = projectCopy('backend-is-a-file');
    writeFileSync(join(dir, 'backend'), 'a file where the backend folder belongs\n');
    const before = fileTree(dir);
    const result = await newService(dir);
    expect(result.status).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(
      /^stack: cannot write backend\/billing\/[\w./-]+: backend\/billing: a part of the path is a file where a folder belongs \(mkdir\); nothing was changed \[STACK_ERR_FILE_ACCESS\]\n$/,
    );
    expect(fileTree(dir)).toEqual(before);
  });
});
