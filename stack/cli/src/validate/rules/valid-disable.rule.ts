import { allLayoutFiles } from '../compose-layout.js';
import { servicesOf } from '../compose-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';
import { allDirectives } from '../rule-switches.js';

/**
 * A switch that names no known rule, gives no reason or stands outside any service switches
 * nothing off, silently: the finding it was meant for comes back, or worse, a typo hides nothing
 * while the author believes it does.
 */
export const validDisableRule: Rule = {
  id: 'valid-disable',
  severity: 'error',
  description: 'every stack-disable comment and x-stack disable entry names a known rule and a service, and gives a reason',
  why: 'a switch with a typo or without a reason hides nothing, or hides a problem nobody can judge later',
  fix: 'write `# stack-disable <rule-id> -- <reason>` inside or right above the service, or `x-stack: { disable: { <rule-id>: <reason> } }` in it',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    const known = new Set(context.ruleIds);
    const services = new Set(context.environments.flatMap((environment) => (environment.model ? servicesOf(environment.model).map((service) => service.name) : [])));
    const seen = new Set<string>();
    for (const directive of allDirectives(context, allLayoutFiles(context.layout))) {
      const where = { file: directive.file, line: directive.line, column: directive.column };
      const problems: string[] = [];
      if (directive.rules.length === 0) problems.push('names no rule');
      const unknown = directive.rules.filter((rule) => !known.has(rule));
      if (unknown.length > 0) problems.push(`names ${unknown.length === 1 ? 'an unknown rule' : 'unknown rules'}: ${unknown.join(', ')}`);
      if (directive.reason === '') problems.push('gives no reason (`-- <reason>`)');
      if (directive.service === undefined) problems.push('stands outside any service definition');
      else if (directive.origin === 'root x-stack' && !services.has(directive.service)) problems.push(`names service ${directive.service}, which no environment defines`);
      if (problems.length === 0) continue;
      const key = `${directive.file}:${directive.line}:${directive.column}:${problems.join()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(
        findingAt(
          validDisableRule,
          where,
          `${directive.origin === 'comment' ? 'stack-disable comment' : `${directive.origin} disable entry`}${directive.service ? ` for ${directive.service}` : ''} ${problems.join('; ')}`,
          unknown.length > 0 ? `rule ids are listed by \`stack validate --rules\`` : 'write `# stack-disable <rule-id> -- <reason>` inside or right above the service definition',
        ),
      );
    }
    return findings;
  },
};
