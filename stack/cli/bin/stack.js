#!/usr/bin/env node
// The `stack` command: a thin shim over the compiled CLI. In a fresh checkout (sources, no dist
// yet) it builds the CLI and what it depends on once, so `npx stack` works right after install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(cliDir, 'dist', 'main.js')) && existsSync(join(cliDir, 'src', 'main.ts'))) {
  const repoRoot = join(cliDir, '..', '..');
  process.stderr.write('stack | first run: building the stack command...\n');
  const build = spawnSync('npm', ['run', 'build', '--silent', '-w', 'backend/shared', '-w', 'stack/compose', '-w', 'stack/cli'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (build.status !== 0) {
    process.stderr.write('stack: building the stack command failed (see above); run `npm install` first\n');
    process.exit(1);
  }
}

const { main } = await import('../dist/main.js');
await main();
