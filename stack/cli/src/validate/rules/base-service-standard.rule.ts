import { basename } from 'node:path';
import { asRecord, servicesOf } from '../compose-model.js';
import { serviceDefinitions } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/**
 * The base definition of a service (docker-compose/services/) is the single source of truth every
 * environment extends, so the keys every environment needs must stand there. The standard holds
 * for every service of every environment: one written straight into an environment or
 * infrastructure file, with no base file in its `extends` chain, must carry the key itself (or
 * switch the rule off for itself with its reason, which `stack validate` lists).
 */
function baseKeyRule(id: string, key: string, description: string, why: string, hint: string, alternatives: readonly string[] = []): Rule {
  const carries = (definition: unknown) => [key, ...alternatives].some((name) => asRecord(definition)?.[name] !== undefined);
  const rule: Rule = {
    id,
    severity: 'error',
    description,
    why,
    fix: hint,
    check(context: RuleContext): Finding[] {
      const findings: Finding[] = [];
      for (const file of context.layout.baseFiles) {
        const services = asRecord(context.sources.get(file).value?.services) ?? {};
        for (const [service, definition] of Object.entries(services)) {
          if (carries(definition)) continue;
          const position = context.sources.exactPositionOf(file, ['services', service]) ?? { file, line: 0, column: 0 };
          findings.push(findingAt(rule, position, `base service ${service} has no ${key}`, hint, undefined, service));
        }
      }
      const baseFiles = new Set(context.layout.baseFiles);
      const reported = new Set<string>();
      for (const environment of context.environments) {
        if (!environment.model) continue;
        for (const { name } of servicesOf(environment.model)) {
          const chain = serviceDefinitions(context.sources, environment, name);
          // A chain through a base file is told once, at the base file, above.
          if (chain.length === 0 || chain.some((definition) => baseFiles.has(definition.file))) continue;
          const written = chain.some((definition) => carries(asRecord(context.sources.get(definition.file).value?.services)?.[definition.service]));
          const [where] = chain;
          if (written || !where || reported.has(`${where.file}\0${where.service}`)) continue;
          reported.add(`${where.file}\0${where.service}`);
          const position = context.sources.exactPositionOf(where.file, ['services', where.service]) ?? { file: where.file, line: 0, column: 0 };
          findings.push(
            findingAt(rule, position, `service ${name} has no ${key} (written in ${basename(where.file)}, with no base file to take it from)`, hint, undefined, name),
          );
        }
      }
      return findings;
    },
  };
  return rule;
}

export const baseHealthcheckRule = baseKeyRule(
  'base-healthcheck',
  'healthcheck',
  'base service definitions carry a healthcheck',
  'without one, depends_on cannot wait for the service to be ready and nobody notices it hanging',
  'add a healthcheck that works inside the image, e.g. test: [CMD, node, dist/healthcheck.js]',
);

export const baseRestartRule = baseKeyRule(
  'base-restart',
  'restart',
  'base service definitions carry a restart policy',
  'without one, a crashed service stays down until someone restarts it by hand',
  'add `restart: unless-stopped`',
);

export const baseNetworksRule = baseKeyRule(
  'base-networks',
  'networks',
  'base service definitions name their networks',
  'on the default network every service reaches every other one: the tiers disappear',
  'add `networks:` with the networks of the service’s tier',
  // A service in another's network namespace has that one's networks (Compose refuses both keys).
  ['network_mode'],
);
