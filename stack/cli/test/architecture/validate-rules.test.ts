import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentLoader } from '../../src/validate/load-environment.js';
import { runValidation, type ValidationReport } from '../../src/validate/run-validation.js';
import { RULES } from '../../src/validate/rules/index.js';
import { globalOptions, recordingIo } from './repo-tree.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'validate');
const workspace = mkdtempSync(join(tmpdir(), 'stack-validate-'));

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** Copies `valid/`, lays `fail/<name>/` over it, and validates every environment. */
function validateCase(name: string | undefined): ValidationReport {
  const projectDir = join(workspace, name ?? 'valid');
  cpSync(join(FIXTURES, 'valid'), projectDir, { recursive: true });
  if (name) cpSync(join(FIXTURES, 'fail', name), projectDir, { recursive: true });
  const io = recordingIo(projectDir);
  return runValidation({
    projectDir,
    environments: ['development', 'production'],
    load: environmentLoader(globalOptions(), io),
  });
}

const failingCases = readdirSync(join(FIXTURES, 'fail')).sort();

describe('stack validate rules', () => {
  it('finds nothing in the valid fixture', () => {
    expect(validateCase(undefined).findings).toEqual([]);
  });

  it('has a breaking fixture for every rule', () => {
    const covered = new Set(failingCases.map((name) => name.split('--')[0]));
    expect(RULES.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(failingCases)('%s: the fixture breaks exactly this rule', (name) => {
    const ruleId = name.split('--')[0] as string;
    const report = validateCase(name);
    const ruleFindings = report.findings.filter((finding) => finding.ruleId === ruleId);
    expect(ruleFindings.length).toBeGreaterThan(0);
    // Besides the rule, only the engine itself may object (Compose refuses some of these changes).
    const others = report.findings.filter((finding) => finding.ruleId !== ruleId && !finding.ruleId.startsWith('STACK_ERR_'));
    expect(others).toEqual([]);
    for (const finding of ruleFindings) {
      expect(finding.severity).toBe('error');
      expect(finding.message).not.toBe('');
      expect(finding.hint).toBeTruthy();
      expect(finding.file.startsWith(join(workspace, name))).toBe(true);
    }
    expect(report.errorCount).toBeGreaterThan(0);
  });
});
