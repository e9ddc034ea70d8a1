import type { StackSettings } from '../settings/stack-settings.js';
import type { ComposeLayout } from './compose-layout.js';
import type { EnvironmentModel } from './environment-model.js';
import type { Finding, Severity } from './finding.js';
import type { SourcePosition, SourceSet } from './source-set.js';

/** What every rule gets: the files as written, each environment as the engine resolved it, the settings. */
export interface RuleContext {
  layout: ComposeLayout;
  sources: SourceSet;
  /** Environments that loaded; an environment the engine refused is reported once, as `schema`. */
  environments: EnvironmentModel[];
  settings: StackSettings;
  /** The project's edge service (x-stack.edge or found in the model); undefined when none or unclear. */
  edge: string | undefined;
  /** Services publishing host ports when the edge could not be chosen among them. */
  edgeCandidates: string[];
  /** The ids of every rule run, for checking `stack-disable` directives. */
  ruleIds: readonly string[];
}

/** One standard of the architecture, checked like a lint rule. */
export interface Rule {
  /** Stable id shown in reports, used by `stack-disable` and in tests: kebab-case. */
  id: string;
  severity: Severity;
  /** One line: what the rule requires. */
  description: string;
  /** One line: why it matters. */
  why: string;
  /** One line: how to fix a finding, in general (each finding carries its own hint too). */
  fix: string;
  check(context: RuleContext): Finding[];
}

/** Builds a finding of `rule` at `position`, about `service` when it concerns one. */
export function findingAt(
  rule: Pick<Rule, 'id' | 'severity'>,
  position: SourcePosition,
  message: string,
  hint: string,
  env?: string,
  service?: string,
): Finding {
  return { ruleId: rule.id, severity: rule.severity, ...position, message, hint, env, service };
}

/** The loaded environments that run production's images and settings (x-stack.productionLike). */
export function productionLikeEnvironments(context: RuleContext): Array<EnvironmentModel & { model: Record<string, unknown> }> {
  return context.environments.filter(
    (environment): environment is EnvironmentModel & { model: Record<string, unknown> } =>
      environment.model !== undefined && context.settings.productionLike.includes(environment.name),
  );
}
