import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

type YamlPackage = typeof Yaml;

let loaded: YamlPackage | undefined;

/**
 * The `yaml` package, loaded on first use. The fast reader (fast-yaml.ts) reads nearly every
 * compose file without it, and it is most of the engine's code: compiling it cost `stack config`
 * more than it used it. Loaded through `require` (its CommonJS build), since the loader is
 * synchronous.
 */
export function yamlPackage(): YamlPackage {
  loaded ??= createRequire(import.meta.url)('yaml') as YamlPackage;
  return loaded;
}
