/** How bad a finding is: errors fail `stack validate` (exit 1), warnings are reported only. */
export type Severity = 'error' | 'warning';

/** One problem found in a compose tree, located like a compiler or linter message. */
export interface Finding {
  /** Stable rule id (`base-healthcheck`, ...) or `schema` for errors of the engine itself. */
  ruleId: string;
  severity: Severity;
  /** Absolute path of the file at fault. */
  file: string;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  line: number;
  column: number;
  /** One line naming the service, key or value at fault. */
  message: string;
  /** What to change. */
  hint?: string;
  /** The environment whose model showed the problem; undefined for checks of the files alone. */
  env?: string;
  /** The service the finding is about, when it is about one: what `stack-disable` switches off. */
  service?: string;
}

/** A finding a `stack-disable` comment or an `x-stack` entry switched off, and why. */
export interface SuppressedFinding extends Finding {
  reason: string;
  /** Where the switch is written. */
  suppressedAt: { file: string; line: number; column: number };
}

/** Orders findings by file, then position, then rule, and drops exact duplicates. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique: Finding[] = [];
  for (const finding of findings) {
    const key = [finding.file, finding.line, finding.column, finding.ruleId, finding.message].join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(finding);
  }
  return unique.sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId),
  );
}
