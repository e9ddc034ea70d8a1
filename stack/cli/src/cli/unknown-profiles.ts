import type { Project } from '@codiesvibe/compose';
import { ENVIRONMENT_NAMES } from './global-options.js';

/**
 * A warning line for the profiles asked for (`--profile`, COMPOSE_PROFILES) that no service of the
 * project has, or undefined. Compose ignores them without a word, so `--profile monitorng` starts
 * the default services and looks like a success; stack keeps Compose's result and says so. `*`
 * and the environment names (which select an environment) are never reported.
 */
export function unknownProfilesWarning(requested: readonly string[], project: Project): string | undefined {
  const services = Object.values({ ...project.services, ...project.disabledServices });
  const known = [...new Set(services.flatMap((service) => service.profiles ?? []))].sort();
  const ignored = new Set<string>(['*', ...ENVIRONMENT_NAMES, ...known]);
  const unknown = [...new Set(requested)].filter((profile) => !ignored.has(profile));
  if (unknown.length === 0) return undefined;
  return `warning: profile ${unknown.join(', ')}: no service has it, so it enables nothing (profiles here: ${known.join(', ') || 'none'})\n`;
}
