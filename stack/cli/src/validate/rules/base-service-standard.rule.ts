import { asRecord } from '../compose-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/**
 * The base definition of a service (docker-compose/services/) is the single source of truth every
 * environment extends, so the keys every environment needs must stand there.
 */
function baseKeyRule(id: string, key: string, description: string, why: string, hint: string): Rule {
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
          if (asRecord(definition)?.[key] !== undefined) continue;
          const position = context.sources.exactPositionOf(file, ['services', service]) ?? { file, line: 0, column: 0 };
          findings.push(findingAt(rule, position, `base service ${service} has no ${key}`, hint, undefined, service));
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
);
