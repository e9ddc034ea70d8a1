import type { ComposeModel } from './compose-model.js';
import type { Finding } from './finding.js';
import type { SourcePosition, SourceSet } from './source-set.js';

/** One environment of the tree, resolved by the engine (with every profile enabled). */
export interface EnvironmentModel {
  name: string;
  /** docker-compose/environments/docker-compose.<name>.yml */
  environmentFile: string;
  /** The resolved model; undefined when the engine refused the environment (see loadError). */
  model: ComposeModel | undefined;
  /** The engine's error (schema, interpolation, include conflict ...) as a finding. */
  loadError?: Finding;
}

/** Environments whose images and settings are production's: the production rules apply to them. */
export const PRODUCTION_LIKE_ENVIRONMENTS: readonly string[] = ['production', 'staging'];

/** Services allowed to publish host ports outside development: the edge. */
export const EDGE_SERVICES: readonly string[] = ['nginx'];

/** The network that faces the outside world. */
export const EDGE_NETWORK = 'edge';

/**
 * Where `services.<service>.<keys>` of an environment was written: the environment file, the base
 * file the service extends, or an included infrastructure file, whichever has the deepest match.
 * Falls back to the environment file itself (line 0).
 */
export function locateService(
  sources: SourceSet,
  environment: EnvironmentModel,
  service: string,
  keys: readonly string[] = [],
): SourcePosition {
  const file = environment.environmentFile;
  const baseFiles = sources
    .extendsOf(file)
    .filter((entry) => entry.service === service)
    .map((entry) => entry.baseFile);
  const candidates = [file, ...baseFiles, ...sources.includesOf(file)];
  let best: (SourcePosition & { depth: number }) | undefined;
  for (const candidate of candidates) {
    const found = sources.deepestKey(candidate, ['services', service, ...keys]);
    if (found && (!best || found.depth > best.depth)) best = found;
  }
  if (!best) return { file, line: 0, column: 0 };
  return { file: best.file, line: best.line, column: best.column };
}
