import type { Project } from '@codiesvibe/compose';
import { ENVIRONMENT_NAMES } from './global-options.js';

/**
 * Warning lines for the profiles asked for that no service of the project has, or undefined.
 * Compose ignores them without a word, so `--profile monitorng` starts the default services and
 * looks like a success; stack keeps Compose's result and says so. `*` and the environment names
 * (which select an environment) are never reported as unknown. `requested` are the `--profile`
 * options; the other active profiles of `project` came from COMPOSE_PROFILES (the shell or
 * `.env`), where an environment name selects nothing: that is said too.
 */
export function unknownProfilesWarning(requested: readonly string[], project: Project, environment?: string): string | undefined {
  const services = Object.values({ ...project.services, ...project.disabledServices });
  const known = [...new Set(services.flatMap((service) => service.profiles ?? []))].sort();
  const ignored = new Set<string>(['*', '', ...ENVIRONMENT_NAMES, ...known]);
  const fromVariable = [...new Set(project.profiles)].filter((profile) => !requested.includes(profile));
  const lines: string[] = [];
  const unknown = (profiles: readonly string[], source: string) => {
    const names = [...new Set(profiles)].filter((profile) => !ignored.has(profile));
    if (names.length)
      lines.push(`warning: profile ${names.join(', ')}${source}: no service has it, so it enables nothing (profiles here: ${known.join(', ') || 'none'})\n`);
  };
  unknown(requested, '');
  unknown(fromVariable, ' (from COMPOSE_PROFILES)');
  for (const name of fromVariable.filter((profile) => (ENVIRONMENT_NAMES as readonly string[]).includes(profile) && profile !== environment))
    lines.push(`warning: COMPOSE_PROFILES names ${name}, which enables that profile but does not select the environment (${environment ?? 'the default one'} runs): use --env ${name} or --profile ${name}\n`);
  return lines.length ? lines.join('') : undefined;
}
