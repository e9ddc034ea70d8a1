import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import { Script } from 'node:vm';

/**
 * Loads the Compose engine that the bundle carries as a CommonJS script (`engine.cjs`, see
 * scripts/bundle-cli.mjs), with V8's code cache: the bytecode of every engine function the last
 * run compiled, kept beside the script. Node 20 keeps no compiled code of ES modules between runs
 * (Node 22's module.enableCompileCache does), so without it every `stack config` parsed and
 * compiled the engine's 150 KB anew, a fifth of the process.
 *
 * The cache file is named after V8's version tag, which covers the Node version and V8's flags (a
 * short-run command turns TurboFan off first), so each kind of run finds its own. V8 checks that
 * a cache matches the script's source and refuses it otherwise; a run that found none, or a
 * refused one, writes a fresh one when the process exits (a directory it cannot write to only
 * costs speed). Only the `stack` binary loads the engine this way; tests and the library import
 * the engine's modules.
 */
export function loadEngineScript<T>(bundleDir: string): T {
  const file = join(bundleDir, 'engine.cjs');
  const cacheFile = join(bundleDir, `engine.${cachedDataVersionTag()}.cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run after a build (or for this Node and these flags)
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  // A module like require() makes, registered in its cache, so the script's own require and any
  // later require of the same file see this instance.
  const engine = new Module(file);
  engine.filename = file;
  engine.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(bundleDir);
  const require = Module.createRequire(file);
  const compiled = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  compiled.call(engine.exports, engine.exports, require, engine, file, dirname(file));
  engine.loaded = true;
  require.cache[file] = engine;
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // At exit the cache holds every function this run compiled, not only the script's top level.
    process.once('exit', () => {
      try {
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
      } catch {
        // an unwritable bundle directory: the next run compiles again
      }
    });
  }
  return engine.exports as T;
}
