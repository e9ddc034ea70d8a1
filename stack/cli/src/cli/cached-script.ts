import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { cachedDataVersionTag, setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/**
 * Loads a CommonJS script of the bundle (`core.cjs`, `engine.cjs`: see scripts/bundle-cli.mjs)
 * with V8's code cache: the bytecode of every function the last run compiled, kept beside the
 * script. Node 20 keeps no compiled code of ES modules between runs (Node 22's
 * module.enableCompileCache does), so without it every `stack config` parsed and compiled the
 * engine's 150 KB anew, a fifth of the process.
 *
 * The cache file is named after V8's version tag, which covers the Node version and V8's flags (a
 * short-run command turns TurboFan off first), so each kind of run finds its own. V8 checks that
 * a cache matches the script's source and the flags and refuses it otherwise; a run that found
 * none, or a refused one, writes a fresh one when the process exits. A directory it cannot write to only costs speed. Only the `stack`
 * binary loads scripts this way; tests and the library import the modules.
 */
export function loadCachedScript<T>(bundleDir: string, name: string): T {
  const file = join(bundleDir, `${name}.cjs`);
  const tag = cachedDataVersionTag();
  const cacheFile = join(bundleDir, `${name}.${tag}.cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run after a build (or for this Node and these flags)
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  // A module like require() makes, registered in its cache, so the script's own require and any
  // later require of the same file see this instance.
  const loaded = new Module(file);
  loaded.filename = file;
  loaded.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(bundleDir);
  const require = Module.createRequire(file);
  const compiled = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  compiled.call(loaded.exports, loaded.exports, require, loaded, file, dirname(file));
  loaded.loaded = true;
  require.cache[file] = loaded;
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // At exit the cache holds every function this run compiled, not only the script's top level.
    // Prepended: the scripts write in the reverse order of their loading, so the one loaded last
    // (the engine, after TurboFan went off) writes before an earlier one puts the flag back.
    process.prependOnceListener('exit', () => {
      // A short run turned TurboFan off after the script loaded (cli/short-run.ts). V8 stamps a
      // cache with the flags of the moment it is written and the next run, which loads the script
      // before it knows its command, would refuse it: the flag goes back first (the bytecode the
      // cache holds does not depend on it), and a run whose flags cannot be put back writes none.
      if (cachedDataVersionTag() !== tag) setFlagsFromString('--opt');
      // V8 12 (Node 22) turns OSR from Maglev off with TurboFan and `--opt` leaves it off; asked
      // only then, because V8 11 (Node 20) does not know the flag and would print an error.
      if (cachedDataVersionTag() !== tag) setFlagsFromString('--osr-from-maglev');
      if (cachedDataVersionTag() !== tag) return;
      try {
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
      } catch {
        // an unwritable bundle directory: the next run compiles again
      }
    });
  }
  return loaded.exports as T;
}
