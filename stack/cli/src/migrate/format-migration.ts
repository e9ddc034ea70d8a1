import { basename, dirname, relative } from 'node:path';
import { DEFAULT_FILE_NAMES } from '@codiesvibe/compose';
import { painter } from '../cli/terminal.js';
import { formatPath } from '../diff/model-diff.js';
import { renderTable } from '../native/status-table.js';
import type { MigrateRequest } from './migrate-options.js';
import type { ValidationReport } from '../validate/run-validation.js';
import type { MigrationResult } from './run-migration.js';

/** How many differences to show per environment before saying how many more there are. */
const SHOWN_DIFFERENCES = 20;

/** Past this many findings, the next steps are counted by rule rather than listed one by one. */
const LISTED_FINDINGS = 30;

/** How many services a rule's line names before saying how many more there are. */
const NAMED_SERVICES = 4;

/** The plan (files and services), the proof as a table, validate's findings as next steps, the outcome. */
export function formatMigration(request: MigrateRequest, result: MigrationResult, color: boolean): string {
  const paint = painter(color);
  const show = (path: string) => relative(request.projectDir, path) || '.';
  const out: string[] = [];
  const groups = request.groups.map((group) => group.name);
  out.push(
    paint.bold(
      `stack migrate: ${request.environments.map((environment) => environment.name).join(', ')}${groups.length ? ` (optional: ${groups.join(', ')})` : ''} → ${relative(request.cwd, request.outDir) || '.'}`,
    ),
    '',
    paint.bold('Files'),
  );
  const width = Math.max(...result.files.map((file) => show(file.path).length));
  const marks = { create: '+', unchanged: '=', append: '>', overwrite: '!' } as const;
  for (const file of result.files) {
    const note = file.action === 'overwrite' ? paint.red(` (${overwriteNote(file.path, request)})`) : file.action === 'unchanged' ? paint.dim(' (unchanged)') : '';
    out.push(`  ${marks[file.action]} ${show(file.path).padEnd(width)}  ${file.describe}${note}`);
  }
  for (const file of result.readFromSetAside) {
    out.push(`  < ${show(file.to)}  read for ${show(file.from)}, which an earlier --write set aside`);
  }
  for (const file of result.inTheWay.setAside) {
    const why = basename(file.from) === 'compose.yaml' ? 'the entry file takes its name' : 'plain `docker compose` would load it on top of compose.yaml';
    out.push(`  ~ ${show(file.from)} → ${show(file.to)}  ${result.written ? 'set aside' : 'set aside by --write'}: ${why}; the new tree holds its settings`);
  }
  if (result.overrides.length > 0) {
    out.push('', paint.bold('Overrides between files, accepted (--accept-overrides)'));
    for (const line of result.overrides) out.push(`  ${line}`);
  }
  if (result.variablePaths.length > 0) {
    out.push('', `Host paths with a variable were rebased for their new folder, assuming the variable stays a relative path: ${result.variablePaths.join(', ')}`);
  }
  if (result.plan.droppedExtensions.length > 0) {
    const reasons = result.plan.droppedExtensions.map((dropped) => `${dropped.name} (${dropped.reason})`).join(', ');
    out.push('', `Left out: top-level ${reasons}; Compose ignores x- fields, and the services already hold what their anchors gave them`);
  }

  out.push('', paint.bold(`Proof: the engine's resolved model of the new tree against the original files'${result.written ? ' (as written)' : ''}`));
  const rows = result.proof.map((row) => [
    row.environment,
    row.profiles.length ? row.profiles.join(',') : '-',
    String(row.services),
    row.error ? 'does not load' : row.differences.length === 0 ? 'equal' : `${row.differences.length} difference${row.differences.length === 1 ? '' : 's'}`,
  ]);
  const table = renderTable(['ENVIRONMENT', 'PROFILES', 'SERVICES', 'RESULT'], rows).trimEnd().split('\n');
  out.push(...table.map((line, index) => (index === 0 ? line : colorResult(line, paint))));
  for (const row of result.proof) {
    if (row.error) out.push(`  ${row.environment}: ${row.error}`);
    for (const difference of row.differences.slice(0, SHOWN_DIFFERENCES)) {
      const before = difference.kind === 'added' ? '(absent)' : JSON.stringify(difference.left);
      const after = difference.kind === 'removed' ? '(absent)' : JSON.stringify(difference.right);
      out.push(`  ${row.environment}: ${formatPath(difference.path)}: ${paint.red(before)} → ${paint.green(after)}`);
    }
    if (row.differences.length > SHOWN_DIFFERENCES) out.push(`  ${row.environment}: … ${row.differences.length - SHOWN_DIFFERENCES} more`);
  }

  for (const line of result.explanations) out.push(`  why: ${line}`);

  out.push('', paint.bold('Next steps (stack validate on the new tree)'));
  if ('error' in result.validation) out.push(`  validate could not run: ${result.validation.error}`);
  else if (result.validation.report.findings.length > LISTED_FINDINGS) out.push(...findingsByRule(result.validation.report, request, result.written));
  else out.push(...result.validation.text.trimEnd().split('\n').map((line) => (line.trim() === '' ? '' : `  ${line}`)));

  out.push('');
  const equal = result.proof.every((row) => !row.error && row.differences.length === 0);
  if (result.written) {
    out.push(paint.green(`✔ written: ${result.files.filter((file) => file.action !== 'unchanged').length} files; every environment resolves as before`));
    const shadowed = originalsBesideEntry(request);
    if (shadowed.length > 0) {
      out.push(`  The originals stay: plain \`docker compose\` here reads compose.yaml now, and warns while ${shadowed.join(', ')} ${shadowed.length === 1 ? 'is' : 'are'} there too: remove ${shadowed.length === 1 ? 'it' : 'them'} once you have switched`);
    }
  }
  else if (!equal) out.push(paint.red('✖ nothing written: the new tree does not resolve like the originals (see the differences above)'));
  else if (request.write && result.blocked.length > 0) out.push(paint.red(`✖ nothing written: ${result.blocked.length} file(s) exist with other content (pass --force to overwrite them)`));
  else out.push(`✔ every environment resolves as before; nothing written: run again with --write to write these files`);
  return `${out.join('\n')}\n`;
}

/**
 * Hundreds of findings listed one by one bury the proof above them: counted by rule instead, most
 * frequent first, with the services they concern, and the command that lists each with its line.
 */
function findingsByRule(report: ValidationReport, request: MigrateRequest, written: boolean): string[] {
  const rules = new Map<string, { severity: string; count: number; services: Set<string> }>();
  for (const finding of report.findings) {
    const rule = rules.get(finding.ruleId) ?? { severity: finding.severity, count: 0, services: new Set<string>() };
    rule.count += 1;
    if (finding.service) rule.services.add(finding.service);
    rules.set(finding.ruleId, rule);
  }
  const rows = [...rules.entries()]
    .sort(([leftId, left], [rightId, right]) => right.count - left.count || leftId.localeCompare(rightId))
    .map(([ruleId, rule]) => {
      const services = [...rule.services].sort();
      const named = services.slice(0, NAMED_SERVICES).join(', ') + (services.length > NAMED_SERVICES ? ` (+${services.length - NAMED_SERVICES})` : '');
      return [ruleId, rule.severity, String(rule.count), named || '-'];
    });
  const total = report.errorCount + report.warningCount;
  const where = relative(request.cwd, request.outDir);
  const command = `${where ? `cd ${where} && ` : ''}npx stack validate --env all`;
  return [
    ...renderTable(['RULE', 'SEVERITY', 'FINDINGS', 'SERVICES'], rows).trimEnd().split('\n').map((line) => `  ${line}`),
    `  ✖ ${total} problems (${report.errorCount} errors, ${report.warningCount} warnings) (environments: ${report.environments.join(', ')}); each with its file, line and fix: ${command}${written ? '' : ' (once written)'}`,
  ];
}

/**
 * Why a file in the way is not simply replaced. An `.env.<environment>` there is most likely the
 * variables that environment runs with (`--env-file`): replacing it would lose them, so say how to
 * keep them.
 */
function overwriteNote(path: string, request: MigrateRequest): string {
  const environment = request.environments.find((candidate) => basename(path) === `.env.${candidate.name}`);
  if (!environment) return 'exists, differs: --force overwrites it';
  const name = basename(path);
  return `exists, differs: if ${environment.name} runs with --env-file ${name}, pass --dotenv ${environment.name}=${name} to keep its variables; --force replaces it`;
}

/** Migrated files with a name Compose looks for by default, in the folder of the new compose.yaml. */
function originalsBesideEntry(request: MigrateRequest): string[] {
  const files = request.environments.flatMap((environment) => environment.files);
  const names = files.filter((file) => dirname(file) === request.outDir && DEFAULT_FILE_NAMES.includes(basename(file)) && basename(file) !== 'compose.yaml');
  return [...new Set(names.map((file) => basename(file)))];
}

function colorResult(line: string, paint: ReturnType<typeof painter>): string {
  if (line.endsWith('equal')) return line.replace(/equal$/, paint.green('equal'));
  return paint.red(line);
}
