import type { ComposeLayout } from './compose-layout.js';
import type { EnvironmentModel } from './environment-model.js';
import type { Finding, Severity } from './finding.js';
import type { SourcePosition, SourceSet } from './source-set.js';

/** What every rule gets: the files as written, and each environment as the engine resolved it. */
export interface RuleContext {
  layout: ComposeLayout;
  sources: SourceSet;
  /** Environments that loaded; an environment the engine refused is reported once, as `schema`. */
  environments: EnvironmentModel[];
}

/** One standard of the architecture, checked like a lint rule. */
export interface Rule {
  /** Stable id shown in reports and used in tests: kebab-case. */
  id: string;
  severity: Severity;
  /** One line: what the rule requires. */
  description: string;
  check(context: RuleContext): Finding[];
}

/** Builds a finding of `rule` at `position`. */
export function findingAt(
  rule: Pick<Rule, 'id' | 'severity'>,
  position: SourcePosition,
  message: string,
  hint: string,
  env?: string,
): Finding {
  return { ruleId: rule.id, severity: rule.severity, ...position, message, hint, env };
}
