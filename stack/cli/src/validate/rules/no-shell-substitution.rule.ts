import type { Finding } from '../finding.js';
import { allLayoutFiles } from '../compose-layout.js';
import { asRecord, servicesOf } from '../compose-model.js';
import { locateService, serviceDefinitions, type EnvironmentModel } from '../environment-model.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

const HINT =
  'Compose does not run shell: compute the value outside (stack passes BUILD_DATE, GIT_COMMIT and VERSION), or escape it as $$( inside a command that runs a shell';

/** True when `value` holds `$(` that is not the escaped form `$$(`. */
export function hasShellSubstitution(value: string): boolean {
  return value.replaceAll('$$', '').includes('$(');
}

/**
 * `$(...)` is shell syntax; Compose interpolation only knows `${VAR}` forms, so such a value either
 * fails to load or reaches the container as literal text.
 */
export const noShellSubstitutionRule: Rule = {
  id: 'no-shell-substitution',
  severity: 'error',
  description: 'no $(...) command substitution in compose values',
  why: 'Compose runs no shell: the value fails to load or reaches the container as literal text',
  fix: 'compute the value outside Compose and pass it as a variable, or escape it as $$( inside a command that runs a shell',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    const flagged = new Set<string>();
    const at = (position: { file: string; line: number }) => `${position.file}:${position.line}`;
    for (const file of allLayoutFiles(context.layout)) {
      const source = context.sources.get(file);
      walk(source.value, [], (keys, value) => {
        if (!hasShellSubstitution(value)) return;
        const position = context.sources.deepestKey(file, keys) ?? { file, line: 0, column: 0 };
        flagged.add(at(position));
        findings.push(
          findingAt(noShellSubstitutionRule, position, `${keys.join('.')} uses shell command substitution: ${value}`, HINT),
        );
      });
    }
    // `$$(` escapes the check above, but outside a shell it still reaches the container verbatim.
    // A plain `$(` reaches the model too: the place is told once, by the check above. Only what a
    // compose file writes is read: a value from an env_file, or from a variable, is data that
    // Compose passes as it is (netbox-docker's random SECRET_KEY holds `$(`), and no shell was meant.
    for (const environment of context.environments) {
      if (!environment.model) continue;
      for (const service of servicesOf(environment.model)) {
        const values: Array<[string, Record<string, string | null>]> = [
          ['environment', service.environment],
          ['build.args', service.buildArgs],
          ['labels', service.labels],
        ];
        for (const [section, entries] of values) {
          for (const [key, value] of Object.entries(entries)) {
            if (value === null || !value.includes('$(')) continue;
            if (!writtenValue(context, environment, service.name, section, key)?.includes('$$(')) continue;
            const position = locateService(context.sources, environment, service.name, [...section.split('.'), key]);
            if (flagged.has(at(position))) continue;
            flagged.add(at(position));
            findings.push(
              findingAt(
                noShellSubstitutionRule,
                position,
                `service ${service.name}: ${section}.${key} passes "${value}" verbatim, no shell evaluates it`,
                HINT,
                environment.name,
                service.name,
              ),
            );
          }
        }
      }
    }
    return findings;
  },
};

/**
 * The value `services.<service>.<section>.<key>` has where a compose file writes it (a mapping
 * entry, or a `KEY=value` list item), from the most specific definition of the service on; undefined
 * when no file writes it (it comes from an env_file).
 */
function writtenValue(context: RuleContext, environment: EnvironmentModel, service: string, section: string, key: string): string | undefined {
  for (const definition of serviceDefinitions(context.sources, environment, service)) {
    let entries: unknown = asRecord(asRecord(context.sources.get(definition.file).value?.services)?.[definition.service]);
    for (const part of section.split('.')) entries = asRecord(entries)?.[part];
    if (Array.isArray(entries)) {
      const item = entries.find((entry): entry is string => typeof entry === 'string' && entry.split('=')[0] === key);
      if (item !== undefined) return item.slice(key.length + 1);
    } else if (entries && typeof entries === 'object' && Object.hasOwn(entries, key)) {
      const value = (entries as Record<string, unknown>)[key];
      return typeof value === 'string' ? value : String(value);
    }
  }
  return undefined;
}

function walk(value: unknown, keys: string[], visit: (keys: string[], value: string) => void): void {
  if (typeof value === 'string') visit(keys, value);
  else if (Array.isArray(value)) value.forEach((item) => walk(item, keys, visit));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) walk(child, [...keys, key], visit);
  }
}
