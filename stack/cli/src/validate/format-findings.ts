import { relative } from 'node:path';
import type { Finding, SuppressedFinding } from './finding.js';
import type { ValidationReport } from './run-validation.js';

/**
 * ESLint-style text: findings grouped by file, `line:col  severity  message  rule`, a fix line,
 * then the findings switched off with their reasons, then a summary.
 */
export function formatReportText(report: ValidationReport, projectDir: string): string {
  const lines: string[] = [];
  for (const [file, findings] of groupByFile(report.findings)) {
    lines.push(relative(projectDir, file) || file);
    const width = Math.max(...findings.map((finding) => `${finding.line}:${finding.column}`.length));
    for (const finding of findings) {
      const where = `${finding.line}:${finding.column}`.padEnd(width);
      const severity = finding.severity.padEnd(7);
      lines.push(`  ${where}  ${severity}  ${finding.message}  ${finding.ruleId}`);
      if (finding.hint) lines.push(`  ${' '.repeat(width)}  ${' '.repeat(7)}  fix: ${finding.hint}`);
    }
    lines.push('');
  }
  if (report.suppressed.length > 0) {
    lines.push(`Switched off (${report.suppressed.length}):`);
    for (const finding of report.suppressed) {
      const at = `${relative(projectDir, finding.suppressedAt.file) || finding.suppressedAt.file}:${finding.suppressedAt.line}`;
      lines.push(`  ${finding.ruleId}  ${finding.service ?? ''}${finding.env ? ` (${finding.env})` : ''}: ${finding.reason}  [${at}]`);
    }
    lines.push('');
  }
  const environments = report.environments.join(', ') || 'none';
  const total = report.errorCount + report.warningCount;
  if (total === 0) {
    lines.push(`✔ no problems (environments: ${environments})`);
  } else {
    lines.push(
      `✖ ${total} problem${total === 1 ? '' : 's'} (${report.errorCount} error${report.errorCount === 1 ? '' : 's'}, ${report.warningCount} warning${report.warningCount === 1 ? '' : 's'}) (environments: ${environments})`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Machine-readable form: paths relative to the project, the same fields as the text. */
export function formatReportJson(report: ValidationReport, projectDir: string): string {
  const relativeFile = (file: string) => relative(projectDir, file) || file;
  const document = {
    ...report,
    findings: report.findings.map((finding) => ({ ...finding, file: relativeFile(finding.file) })),
    suppressed: report.suppressed.map((finding) => ({
      ...finding,
      file: relativeFile(finding.file),
      suppressedAt: { ...finding.suppressedAt, file: relativeFile(finding.suppressedAt.file) },
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function groupByFile<T extends Finding | SuppressedFinding>(findings: readonly T[]): Map<string, T[]> {
  const byFile = new Map<string, T[]>();
  for (const finding of findings) {
    const list = byFile.get(finding.file) ?? [];
    list.push(finding);
    byFile.set(finding.file, list);
  }
  return byFile;
}
