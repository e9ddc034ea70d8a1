import { relative, sep } from 'node:path';
import type { Finding, SuppressedFinding } from './finding.js';
import type { Rule } from './rule.js';
import type { ValidationReport } from './run-validation.js';

/** The SARIF version code scanning (GitHub, GitLab, Azure DevOps) reads. */
const SARIF_VERSION = '2.1.0';
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * The report as SARIF 2.1.0, for CI annotations: one run of the `stack validate` tool, every rule
 * with its why (full description) and fix (help), one result per finding with its location
 * relative to the project (`%SRCROOT%`), and the findings switched off as suppressed results
 * carrying their reason.
 */
export function formatReportSarif(report: ValidationReport, projectDir: string, rules: readonly Rule[]): string {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const engineRules = [...new Set([...report.findings, ...report.suppressed].map((finding) => finding.ruleId).filter((id) => !ruleIndex.has(id)))];
  const descriptors = [
    ...rules.map((rule) => ({
      id: rule.id,
      name: rule.id,
      shortDescription: { text: rule.description },
      fullDescription: { text: rule.why },
      help: { text: `Fix: ${rule.fix}` },
      defaultConfiguration: { level: rule.severity },
    })),
    // The engine's own errors (schema, interpolation ...) carry STACK_ERR_* codes as rule ids.
    ...engineRules.map((id) => ({
      id,
      name: id,
      shortDescription: { text: 'the environment does not load in Compose' },
      defaultConfiguration: { level: 'error' },
    })),
  ];
  engineRules.forEach((id, index) => ruleIndex.set(id, rules.length + index));

  const uri = (file: string) => {
    const path = relative(projectDir, file);
    return (path.startsWith('..') || path === '' ? file : path).split(sep).join('/');
  };
  const result = (finding: Finding | SuppressedFinding) => ({
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId),
    level: finding.severity,
    message: { text: finding.hint ? `${finding.message}. Fix: ${finding.hint}` : finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uri(finding.file), uriBaseId: '%SRCROOT%' },
          // Line 0 means "the file as a whole": SARIF then has no region.
          ...(finding.line > 0 ? { region: { startLine: finding.line, ...(finding.column > 0 ? { startColumn: finding.column } : {}) } } : {}),
        },
      },
    ],
    ...(finding.env || finding.service ? { properties: { ...(finding.env ? { environment: finding.env } : {}), ...(finding.service ? { service: finding.service } : {}) } } : {}),
    ...('reason' in finding
      ? { suppressions: [{ kind: 'inSource', justification: finding.reason, location: { physicalLocation: { artifactLocation: { uri: uri(finding.suppressedAt.file), uriBaseId: '%SRCROOT%' }, region: { startLine: Math.max(finding.suppressedAt.line, 1) } } } }] }
      : {}),
  });

  const document = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'stack validate',
            rules: descriptors,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${projectDir.split(sep).join('/')}/` } },
        results: [...report.findings.map(result), ...report.suppressed.map(result)],
      },
    ],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
