import { asRecord } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/**
 * The restart policies Docker accepts. Compose's `config` takes any string here, so a misspelt
 * policy (`unless_stopped`, `on-failure:-1`, `sometimes`) passes every check until `up` fails
 * with "invalid restart policy" on the first container it creates, perhaps in production.
 */
export function isRestartPolicy(value: string): boolean {
  return /^(no|always|unless-stopped|on-failure(:[0-9]+)?)$/.test(value);
}

/** `deploy.restart_policy.condition`, as Swarm and Compose read it. */
const DEPLOY_CONDITIONS = new Set(['none', 'on-failure', 'any']);

export const restartPolicyRule: Rule = {
  id: 'restart-policy',
  severity: 'error',
  description: 'restart and deploy.restart_policy.condition hold a policy Docker accepts',
  why: '`docker compose config` accepts any word here; `up` then fails on the first container it creates',
  fix: 'restart: no | always | unless-stopped | on-failure[:N]; deploy.restart_policy.condition: none | on-failure | any',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const environment of context.environments) {
      const services = asRecord(environment.model?.services) ?? {};
      for (const [name, raw] of Object.entries(services)) {
        const service = asRecord(raw) ?? {};
        const restart = service.restart;
        const condition = asRecord(asRecord(asRecord(service.deploy)?.restart_policy))?.condition;
        const problems: { keys: string[]; message: string; fix: string }[] = [];
        if (typeof restart === 'string' && !isRestartPolicy(restart)) {
          problems.push({ keys: ['restart'], message: `service ${name} has restart: ${restart}, which Docker refuses`, fix: 'restart: no | always | unless-stopped | on-failure[:N]' });
        }
        if (typeof condition === 'string' && !DEPLOY_CONDITIONS.has(condition)) {
          problems.push({
            keys: ['deploy', 'restart_policy', 'condition'],
            message: `service ${name} has deploy.restart_policy.condition: ${condition}, which Docker refuses`,
            fix: 'condition: none | on-failure | any',
          });
        }
        for (const problem of problems) {
          const position = locateService(context.sources, environment, name, problem.keys);
          // The same base file breaks every environment: say it once per place.
          const key = `${position.file}:${position.line}:${problem.message}`;
          if (seen.has(key)) continue;
          seen.add(key);
          findings.push(findingAt(restartPolicyRule, position, problem.message, problem.fix, environment.name, name));
        }
      }
    }
    return findings;
  },
};
