#!/usr/bin/env node
// Bundles the `stack` command into dist/bundle/: one entry file plus chunks that are loaded only
// by the command that needs them (`stack --help` loads no YAML, schema or runner code). The
// Compose schema goes into the bundle as data for the engine's yes/no check, and ajv's standalone
// code for it (what explains a refusal) into a file of its own that only a refused compose file
// loads, so no run compiles the schema and a valid file never parses 400 KB of generated code. Sources are read through the `@codiesvibe/source` condition, so the bundle
// does not depend on the other workspaces' builds.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompiledValidatorSources } from '@codiesvibe/compose';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(cliDir, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });

const errorValidatorFile = 'compose-schema-errors.cjs';
const sources = precompiledValidatorSources(errorValidatorFile);

/** Puts the precompiled schema in place of the engine's empty `precompiled-validator` module. */
const precompiledValidator = {
  name: 'precompiled-compose-validator',
  setup(build) {
    build.onLoad({ filter: /[\\/]schema[\\/]precompiled-validator\.ts$/ }, () => ({ contents: sources.module, loader: 'js' }));
  },
};

// The engine, `@codiesvibe/compose`, goes into a CommonJS script of its own, engine.cjs, which the
// bundle loads through src/cli/engine-script.ts with V8's code cache (Node 20 caches no compiled
// code of ES modules). In the ES bundle the package is a small module that loads the script and
// re-exports its names, so commands that never touch the engine (`--help`, `ps`) still load none
// of it. The subpaths (`/identity`, `/print`) stay ES modules of the bundle.
const engineNames = Object.keys(await import('@codiesvibe/compose')).filter((name) => name !== 'default');
const engineScriptModule = join(cliDir, 'src', 'cli', 'engine-script.ts');
const engineAsScript = {
  name: 'compose-engine-as-script',
  setup(build) {
    build.onResolve({ filter: /^@codiesvibe\/compose$/ }, () => ({ path: 'compose-engine', namespace: 'engine-script' }));
    build.onLoad({ filter: /.*/, namespace: 'engine-script' }, () => ({
      contents: [
        "import { dirname } from 'node:path';",
        "import { fileURLToPath } from 'node:url';",
        `import { loadEngineScript } from ${JSON.stringify(engineScriptModule)};`,
        'const engine = loadEngineScript(dirname(fileURLToPath(import.meta.url)));',
        `export const { ${engineNames.join(', ')} } = engine;`,
        '',
      ].join('\n'),
      loader: 'js',
      resolveDir: cliDir,
    }));
  },
};
const engineResult = await build({
  stdin: { contents: "export * from '@codiesvibe/compose';", resolveDir: cliDir, loader: 'js', sourcefile: 'engine-entry.js' },
  outfile: join(outdir, 'engine.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  conditions: ['@codiesvibe/source'],
  define: { 'import.meta.url': '__engineScriptUrl' },
  banner: { js: 'var __engineScriptUrl = require("node:url").pathToFileURL(__filename).href;' },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [precompiledValidator],
  metafile: true,
});

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
  plugins: [precompiledValidator, engineAsScript],
  metafile: true,
});
// ajv's code for the errors, with its runtime helpers, resolved from the engine's folder (where its
// ajv is installed).
await build({
  stdin: { contents: sources.errorValidator, resolveDir: dirname(fileURLToPath(import.meta.resolve('@codiesvibe/compose'))), loader: 'js' },
  outfile: join(outdir, errorValidatorFile),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
});
// Which sources went into which file: tests check what each command loads.
writeFileSync(
  join(outdir, 'meta.json'),
  JSON.stringify({ ...result.metafile, outputs: { ...result.metafile.outputs, ...engineResult.metafile.outputs } }),
);
