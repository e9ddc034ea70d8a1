#!/usr/bin/env node
// Bundles the `stack` command into dist/bundle/: one entry file plus chunks that are loaded only
// by the command that needs them (`stack --help` loads no YAML, schema or runner code). The
// Compose schema goes into the bundle as data for the engine's yes/no check, and ajv's standalone
// code for it (what explains a refusal) into a file of its own that only a refused compose file
// loads, so no run compiles the schema and a valid file never parses 400 KB of generated code. Sources are read through the `@codiesvibe/source` condition, so the bundle
// does not depend on the other workspaces' builds.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
// bundle loads through src/cli/cached-script.ts with V8's code cache (Node 20 caches no compiled
// code of ES modules). Where a bundle imports the package, it gets a small module that loads the
// script and re-exports its names, so commands that never touch the engine (`--help`, `ps`) still
// load none of it. The subpaths (`/identity`, `/print`) are bundled from source.
const engineNames = Object.keys(await import('@codiesvibe/compose')).filter((name) => name !== 'default');
const cachedScriptModule = join(cliDir, 'src', 'cli', 'cached-script.ts');
const engineAsScript = (bundleDirExpression) => ({
  name: 'compose-engine-as-script',
  setup(build) {
    build.onResolve({ filter: /^@codiesvibe\/compose$/ }, () => ({ path: 'compose-engine', namespace: 'engine-script' }));
    build.onLoad({ filter: /.*/, namespace: 'engine-script' }, () => ({
      contents: [
        "import { dirname } from 'node:path';",
        "import { fileURLToPath } from 'node:url';",
        `import { loadCachedScript } from ${JSON.stringify(cachedScriptModule)};`,
        `const engine = loadCachedScript(${bundleDirExpression}, 'engine');`,
        `export const { ${engineNames.join(', ')} } = engine;`,
        '',
      ].join('\n'),
      loader: 'js',
      resolveDir: cliDir,
    }));
  },
});
const engineResult = await build({
  stdin: { contents: "export * from '@codiesvibe/compose';", resolveDir: cliDir, loader: 'js', sourcefile: 'engine-entry.js' },
  outfile: join(outdir, 'engine.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  conditions: ['@codiesvibe/source'],
  // The script's URL is worked out where a module asks for it, not at every load.
  define: { 'import.meta.url': '__engineScript.url' },
  banner: { js: 'var __engineScript = { get url() { return require("node:url").pathToFileURL(__filename).href; } };' },
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
  plugins: [precompiledValidator, engineAsScript('dirname(fileURLToPath(import.meta.url))')],
  metafile: true,
});
// The core script, core.cjs: what `stack --help`, `--version` and the commands of
// src/cli/core-commands.ts (CORE_COMMANDS: `config`, `ps`) run, as one CommonJS script that bin/stack.js
// loads with V8's code cache, so the run most scripts make compiles none of the CLI's code again
// and loads no ES module of the bundle. The other commands' modules are left out (an import of one
// fails, and bin/stack.js never lets the core run them: it hands their command lines to the ES
// bundle, which loads only the module of the command named). The engine stays engine.cjs, loaded
// when a command needs it.
const coreScriptSource = readFileSync(join(cliDir, 'src', 'cli', 'core-commands.ts'), 'utf8');
const coreList = /CORE_COMMANDS[^=]*=\s*\[([^\]]*)\]/.exec(coreScriptSource);
if (!coreList) throw new Error('bundle-cli: CORE_COMMANDS not found in src/cli/core-commands.ts');
const coreCommands = new Set([...coreList[1].matchAll(/'([^']+)'/g)].map((match) => match[1]));
const onlyCoreCommands = {
  name: 'only-core-commands',
  setup(build) {
    build.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) => {
      if (!/[\\/]commands[\\/]index\.ts$/.test(args.importer)) return undefined;
      const name = args.path.slice(2, -3);
      return coreCommands.has(name) ? undefined : { path: name, namespace: 'not-in-core' };
    });
    // The identity reads a file's `name:` with the whole loader only when it must: from the engine
    // script then, not from a second copy of the engine inside the core.
    build.onResolve({ filter: /^\.\/load-project\.js$/ }, (args) =>
      /[\\/]compose[\\/]src[\\/]project-identity\.ts$/.test(args.importer) ? { path: 'load-project', namespace: 'engine-load-project' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'engine-load-project' }, () => ({
      contents: "export { loadProjectSync } from '@codiesvibe/compose';",
      loader: 'js',
      resolveDir: cliDir,
    }));
    build.onLoad({ filter: /.*/, namespace: 'not-in-core' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`the core script does not carry \`stack ${args.path}\` (bin/stack.js runs it from the ES bundle)`)});`,
      loader: 'js',
    }));
  },
};
const scriptUrlBanner = 'var __script = { get url() { return require("node:url").pathToFileURL(__filename).href; } };';
const coreResult = await build({
  entryPoints: { core: join(cliDir, 'src', 'main.ts') },
  outdir,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  conditions: ['@codiesvibe/source'],
  define: { 'import.meta.url': '__script.url' },
  banner: { js: scriptUrlBanner },
  outExtension: { '.js': '.cjs' },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [onlyCoreCommands, engineAsScript('__dirname')],
  metafile: true,
});
// What bin/stack.js loads first: the scripts' loader and the test of which bundle runs the line.
// The two small helper scripts (start.cjs, the schema's error code): one CommonJS file each,
// whitespace-minified.
const smallScript = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
};
const startResult = await build({
  stdin: {
    contents: [
      `export { loadCachedScript } from ${JSON.stringify(cachedScriptModule)};`,
      `export { runsInCore } from ${JSON.stringify(join(cliDir, 'src', 'cli', 'core-commands.ts'))};`,
    ].join('\n'),
    resolveDir: cliDir,
    loader: 'ts',
    sourcefile: 'start-entry.ts',
  },
  outfile: join(outdir, 'start.cjs'),
  ...smallScript,
  metafile: true,
});
// ajv's code for the errors, with its runtime helpers, resolved from the engine's folder (where its
// ajv is installed).
await build({
  stdin: { contents: sources.errorValidator, resolveDir: dirname(fileURLToPath(import.meta.resolve('@codiesvibe/compose'))), loader: 'js' },
  outfile: join(outdir, errorValidatorFile),
  ...smallScript,
});
// Which sources went into which file: tests check what each command loads.
writeFileSync(
  join(outdir, 'meta.json'),
  JSON.stringify({
    ...result.metafile,
    outputs: { ...result.metafile.outputs, ...engineResult.metafile.outputs, ...coreResult.metafile.outputs, ...startResult.metafile.outputs },
  }),
);
