#!/usr/bin/env node
// `npm start`: builds the `stack` command when it is missing or older than its sources, then runs
// `stack --env development up` (native without a Docker engine) in the foreground, so
// .env.development's settings apply (see start-arguments.mjs). Ctrl-C stops it all.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stackWorkspaces = ['backend/shared', 'stack/compose', 'stack/cli'];

function newestFile(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestFile(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const stale = stackWorkspaces.some((workspace) => {
  const built = join(root, workspace, 'dist');
  if (!existsSync(built)) return true;
  return newestFile(join(root, workspace, 'src')) > newestFile(built);
});
if (stale) {
  console.error('start | building the stack command (first run only)...');
  const build = spawnSync('npm', ['run', 'build', '--silent', ...stackWorkspaces.flatMap((w) => ['-w', w])], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('start | building the stack command failed; see the errors above');
    process.exit(build.status ?? 1);
  }
}

// Imported once the build above has made stack's dist, which it reads the environment names from.
const { startArguments } = await import('./start-arguments.mjs');
const stack = spawn(process.execPath, [join(root, 'stack/cli/bin/stack.js'), ...startArguments(process.argv.slice(2), process.env)], { cwd: root, stdio: 'inherit' });
// Stack stops every service on any of these (receiving Ctrl-C twice, from the terminal and from
// us, is harmless); we exit with its status once it is done.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stack.kill(signal));
stack.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
