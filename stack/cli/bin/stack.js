#!/bin/sh
':' //; exec node "$0" -- "$@"
// The line above is read by sh (the shebang) and is a no-op string in JavaScript: sh starts node
// with `--` before the user's arguments, because Node 20 reads every `--env-file` on its command
// line for itself, even after the script, and `stack migrate --env-file NAME=FILE` would end in
// "node: NAME=FILE: not found". The `--` is dropped again below.
// The `stack` command: a thin shim over the bundled CLI (dist/bundle, built by `npm run build`).
// In a fresh checkout (sources, no build yet) it builds the CLI and what it depends on once, so
// `npx stack` works right after install.
import { existsSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Node 22.1+ keeps the compiled code of the bundle on disk between runs (Node 20 has no such
// cache: the call is skipped there).
module.enableCompileCache?.();

if (process.argv[2] === '--') process.argv.splice(2, 1);

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundleDir = join(cliDir, 'dist', 'bundle');
// Every file this shim loads: a bundle built before one of them existed is rebuilt too.
const bundleFiles = ['start.cjs', 'core.cjs', 'stack.js'].map((file) => join(bundleDir, file));
if (bundleFiles.some((file) => !existsSync(file)) && existsSync(join(cliDir, 'src', 'main.ts'))) {
  const repoRoot = join(cliDir, '..', '..');
  process.stderr.write('stack | first run: building the stack command...\n');
  // Imported only here: child_process pulls in net, dgram and the streams, which every other run
  // would pay for at start.
  const { spawnSync } = await import('node:child_process');
  const build = spawnSync('npm', ['run', 'build', '--silent', '-w', 'backend/shared', '-w', 'stack/compose', '-w', 'stack/cli'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (build.status !== 0) {
    process.stderr.write('stack: building the stack command failed (see above); run `npm install` first\n');
    process.exit(1);
  }
}

// The core script (dist/bundle/core.cjs, with V8's code cache) runs `--help`, `--version`,
// `config` and `ps`; every other command line goes to the ES bundle, which loads only that
// command's modules. start.cjs tells which before either loads.
const { loadCachedScript, runsInCore } = createRequire(import.meta.url)('../dist/bundle/start.cjs');
if (runsInCore(process.argv.slice(2))) await loadCachedScript(bundleDir, 'core').main();
else await (await import('../dist/bundle/stack.js')).main();
