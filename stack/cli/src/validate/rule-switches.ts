import { asRecord, scalarText, servicesOf } from './compose-model.js';
import { locateService, serviceDefinitions, type EnvironmentModel } from './environment-model.js';
import type { Finding, SuppressedFinding } from './finding.js';
import type { RuleContext } from './rule.js';
import type { SourcePosition, SourceSet } from './source-set.js';

/**
 * Switching a rule off for one service, like ESLint's disable comments, always with a reason:
 *
 * - a comment inside a service's definition, or on the lines right above it:
 *   `# stack-disable production-read-only -- writes its models under /root`
 *   (several rules: `# stack-disable rule-a, rule-b -- reason`);
 * - the service's own `x-stack: { disable: { <rule>: <reason> } }`;
 * - the root file's `x-stack: { disable: { <rule>: { <service>: <reason> } } }`.
 *
 * A comment or a service's `x-stack` in a base file holds in every environment built on it; in an
 * environment file, in that environment and those that extend it.
 */
export interface RuleSwitchDirective extends SourcePosition {
  rules: string[];
  reason: string;
  /** The service it applies to (as named in its file); undefined when it stands outside any. */
  service: string | undefined;
  /** Where it comes from, for messages. */
  origin: 'comment' | 'service x-stack' | 'root x-stack';
}

const COMMENT = /(?:^|\s)#\s*stack-disable\b(.*)$/;

const parsedComments = new WeakMap<SourceSet, Map<string, RuleSwitchDirective[]>>();

/** The `# stack-disable` comments of a compose file, each attached to its service (parsed once per file). */
export function switchComments(sources: SourceSet, file: string): RuleSwitchDirective[] {
  let byFile = parsedComments.get(sources);
  if (!byFile) {
    byFile = new Map();
    parsedComments.set(sources, byFile);
  }
  const cached = byFile.get(file);
  if (cached) return cached;
  const parsed = parseSwitchComments(sources, file);
  byFile.set(file, parsed);
  return parsed;
}

function parseSwitchComments(sources: SourceSet, file: string): RuleSwitchDirective[] {
  const source = sources.get(file);
  const services = Object.keys(asRecord(source.value?.services) ?? {});
  const serviceLines = services
    .map((service) => ({ service, line: sources.exactPositionOf(file, ['services', service])?.line ?? 0 }))
    .filter((entry) => entry.line > 0)
    .sort((a, b) => a.line - b.line);
  const servicesLine = sources.exactPositionOf(file, ['services'])?.line ?? 0;
  const blockEnd = Object.keys(source.value ?? {})
    .map((key) => sources.exactPositionOf(file, [key])?.line ?? 0)
    .filter((line) => line > servicesLine)
    .sort((a, b) => a - b)[0] ?? Number.POSITIVE_INFINITY;

  const directives: RuleSwitchDirective[] = [];
  source.lines.forEach((text, index) => {
    const match = COMMENT.exec(text);
    if (!match) return;
    const line = index + 1;
    const [rulesPart = '', ...reasonParts] = (match[1] ?? '').split(/\s--\s?/);
    const rules = rulesPart.split(/[\s,]+/).filter(Boolean);
    const reason = reasonParts.join(' -- ').trim();
    directives.push({ file, line, column: text.indexOf('#') + 1, rules, reason, service: serviceAt(line, text), origin: 'comment' });
  });
  return directives;

  function serviceAt(line: number, text: string): string | undefined {
    if (servicesLine === 0 || line <= servicesLine || line >= blockEnd) return undefined;
    // A whole-line comment right above a service key (other comments between) belongs to it.
    if (text.trim().startsWith('#')) {
      for (let next = line; next < source.lines.length; next++) {
        const following = (source.lines[next] ?? '').trim();
        if (following === '' || following.startsWith('#')) continue;
        const below = serviceLines.find((entry) => entry.line === next + 1);
        if (below) return below.service;
        break;
      }
    }
    return serviceLines.filter((entry) => entry.line <= line).at(-1)?.service;
  }
}

/** The `x-stack.disable` of a service in a resolved model: rule → reason (non-strings kept for validation). */
export function serviceSwitches(model: Record<string, unknown>, service: string): Record<string, unknown> {
  const definition = asRecord(asRecord(model.services)?.[service]);
  return asRecord(asRecord(definition?.['x-stack'])?.disable) ?? {};
}

/** Every directive of the project, for checking them (valid-disable). */
export function allDirectives(context: RuleContext, files: readonly string[]): RuleSwitchDirective[] {
  const directives = files.flatMap((file) => switchComments(context.sources, file));
  for (const environment of context.environments) {
    if (!environment.model) continue;
    for (const service of servicesOf(environment.model)) {
      for (const [rule, reason] of Object.entries(serviceSwitches(environment.model, service.name))) {
        const position = locateService(context.sources, environment, service.name, ['x-stack', 'disable', rule]);
        directives.push({ ...position, rules: [rule], reason: scalarText(reason) ?? '', service: service.name, origin: 'service x-stack' });
      }
    }
  }
  for (const entry of context.settings.disable) {
    directives.push({ file: entry.file, line: entry.line, column: entry.column, rules: [entry.rule], reason: entry.reason, service: entry.service, origin: 'root x-stack' });
  }
  return directives;
}

/**
 * Splits findings into those that stand and those a directive switched off for their service.
 * Findings about no service (a file name, a cycle) cannot be switched off.
 */
export function applyRuleSwitches(
  findings: readonly Finding[],
  context: Pick<RuleContext, 'sources' | 'environments' | 'settings'>,
  unswitchable: ReadonlySet<string>,
): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const directive = unswitchable.has(finding.ruleId) ? undefined : switchFor(finding, context);
    if (!directive) kept.push(finding);
    else suppressed.push({ ...finding, reason: directive.reason, suppressedAt: { file: directive.file, line: directive.line, column: directive.column } });
  }
  return { findings: kept, suppressed };
}

function switchFor(finding: Finding, context: Pick<RuleContext, 'sources' | 'environments' | 'settings'>): RuleSwitchDirective | undefined {
  const service = finding.service;
  if (service === undefined) return undefined;
  const usable = (directive: RuleSwitchDirective) => directive.rules.includes(finding.ruleId) && directive.reason !== '';

  const environment: EnvironmentModel | undefined = context.environments.find((candidate) => candidate.name === finding.env);
  // Comments in the files the service is written in (for a finding on a base file: that file).
  const definitions = environment ? serviceDefinitions(context.sources, environment, service) : [{ file: finding.file, service }];
  for (const definition of definitions) {
    const directive = switchComments(context.sources, definition.file).find((candidate) => candidate.service === definition.service && usable(candidate));
    if (directive) return directive;
  }
  if (environment?.model) {
    const reason = scalarText(serviceSwitches(environment.model, service)[finding.ruleId]);
    if (reason) {
      const position = locateService(context.sources, environment, service, ['x-stack', 'disable', finding.ruleId]);
      return { ...position, rules: [finding.ruleId], reason, service, origin: 'service x-stack' };
    }
  }
  const entry = context.settings.disable.find((candidate) => candidate.rule === finding.ruleId && candidate.service === service);
  return entry ? { file: entry.file, line: entry.line, column: entry.column, rules: [entry.rule], reason: entry.reason, service, origin: 'root x-stack' } : undefined;
}
