import type { ComposeModel } from './compose-model.js';
import type { Finding } from './finding.js';
import type { ServiceDefinition, SourcePosition, SourceSet } from './source-set.js';

/** One environment of the tree, resolved by the engine (with every profile enabled). */
export interface EnvironmentModel {
  name: string;
  /** docker-compose/environments/docker-compose.<name>.yml */
  environmentFile: string;
  /** The resolved model; undefined when the engine refused the environment (see loadError). */
  model: ComposeModel | undefined;
  /** The engine's error (schema, interpolation, include conflict ...) as a finding. */
  loadError?: Finding;
  /** The override file(s) Compose loads on top of every environment (see ComposeLayout). */
  overrideFiles?: readonly string[];
}

/**
 * The files an environment is written in: the environment file and everything it includes,
 * transitively (include paths as written, uninterpolated).
 */
export function environmentFiles(sources: SourceSet, environment: Pick<EnvironmentModel, 'environmentFile'>): string[] {
  const files: string[] = [];
  const pending = [environment.environmentFile];
  while (pending.length > 0) {
    const file = pending.shift() as string;
    if (files.includes(file)) continue;
    files.push(file);
    pending.push(...sources.includesOf(file));
  }
  return files;
}

/**
 * Where a service of an environment is written, most specific first: its definition in the
 * override file Compose loads on top (when there is one), in the environment file (or the
 * included file that defines it), and every definition its `extends` chain reaches.
 */
export function serviceDefinitions(sources: SourceSet, environment: Pick<EnvironmentModel, 'environmentFile' | 'overrideFiles'>, service: string): ServiceDefinition[] {
  // The override file is merged last: what it writes is the most specific definition.
  const overrides = (environment.overrideFiles ?? []).flatMap((file) => sources.definitionChain(file, service));
  for (const file of environmentFiles(sources, environment)) {
    const chain = sources.definitionChain(file, service);
    if (chain.length > 0) return [...overrides, ...chain];
  }
  return overrides;
}

/**
 * Where `services.<service>.<keys>` of an environment was written: the definition with the deepest
 * match along the service's definitions (environment file, the files it extends, included files),
 * the most specific one on a tie. Falls back to the environment file itself (line 0).
 */
export function locateService(
  sources: SourceSet,
  environment: Pick<EnvironmentModel, 'environmentFile' | 'overrideFiles'>,
  service: string,
  keys: readonly string[] = [],
): SourcePosition {
  let best: (SourcePosition & { depth: number }) | undefined;
  for (const definition of serviceDefinitions(sources, environment, service)) {
    const found = sources.deepestKey(definition.file, ['services', definition.service, ...keys]);
    if (found && (!best || found.depth > best.depth)) best = found;
  }
  if (!best) return { file: environment.environmentFile, line: 0, column: 0 };
  return { file: best.file, line: best.line, column: best.column };
}
