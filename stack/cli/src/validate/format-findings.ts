import { relative } from 'node:path';
import type { ValidationReport } from './run-validation.js';

/** ESLint-style text: findings grouped by file, `line:col  severity  message  rule`, a fix line, a summary. */
export function formatReportText(report: ValidationReport, projectDir: string): string {
  const lines: string[] = [];
  const byFile = new Map<string, ValidationReport['findings']>();
  for (const finding of report.findings) {
    const list = byFile.get(finding.file) ?? [];
    list.push(finding);
    byFile.set(finding.file, list);
  }
  for (const [file, findings] of byFile) {
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
  const problems = report.findings.map((finding) => ({
    ...finding,
    file: relative(projectDir, finding.file) || finding.file,
  }));
  return `${JSON.stringify({ ...report, findings: problems }, null, 2)}\n`;
}
