import { basename } from 'node:path';
import { asRecord } from '../compose-model.js';
import { composeFileToken } from '../compose-layout.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/**
 * File names carry the layout: docker-compose.<service>.yml in services/, docker-compose.<env>.yml
 * in environments/, docker-compose.<name>.yml in infrastructure/, kebab-case throughout; a base
 * file defines the service its name announces.
 */
export const fileNamingRule: Rule = {
  id: 'file-naming',
  severity: 'error',
  description: 'compose files are named docker-compose.<service|env|name>.yml and match their content',
  why: 'the layout is how stack and people find a service’s base file and an environment’s file',
  fix: 'rename the file to docker-compose.<name>.yml (kebab-case), one base file per service',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const file of context.layout.misnamedFiles) {
      findings.push(
        findingAt(
          fileNamingRule,
          { file, line: 0, column: 0 },
          `${basename(file)} does not follow docker-compose.<name>.yml (kebab-case)`,
          'rename it: docker-compose.<service>.yml for a base file, docker-compose.<environment>.yml for an environment',
        ),
      );
    }
    for (const file of context.layout.baseFiles) {
      const token = composeFileToken(file);
      const services = Object.keys(asRecord(context.sources.get(file).value?.services) ?? {});
      for (const service of services) {
        if (token && (service === token || service.startsWith(`${token}-`))) continue;
        findings.push(
          findingAt(
            fileNamingRule,
            context.sources.exactPositionOf(file, ['services', service]) ?? { file, line: 0, column: 0 },
            `${basename(file)} defines service ${service}, which its name does not announce`,
            `move ${service} to docker-compose.${service.replace(/-(api|server)$/, '')}.yml (one base file per service)`,
            undefined,
            service,
          ),
        );
      }
    }
    return findings;
  },
};
