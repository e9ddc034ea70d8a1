#!/usr/bin/env node
// Bundles the `stack` command into dist/bundle/: one entry file plus chunks that are loaded only
// by the command that needs them (`stack --help` loads no YAML, schema or runner code). The
// Compose schema's validator is compiled here, once, into the bundle (ajv's standalone code), so
// no run compiles it. Sources are read through the `@codiesvibe/source` condition, so the bundle
// does not depend on the other workspaces' builds.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompiledValidatorSource } from '@codiesvibe/compose';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(cliDir, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });

/** Puts the precompiled schema validator in place of the engine's empty `precompiled-validator` module. */
const precompiledValidator = {
  name: 'precompiled-compose-validator',
  setup(build) {
    // ajv's runtime helpers resolve from the engine's folder, where its ajv is installed.
    build.onLoad({ filter: /[\\/]schema[\\/]precompiled-validator\.ts$/ }, (args) => ({
      contents: precompiledValidatorSource(),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

const result = await build({
  entryPoints: { stack: join(cliDir, 'src', 'main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  conditions: ['@codiesvibe/source'],
  banner: { js: "import { createRequire as __stackCreateRequire } from 'node:module'; const require = __stackCreateRequire(import.meta.url);" },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [precompiledValidator],
  metafile: true,
});
// Which sources went into which file: tests check what each command loads.
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
