import type { MatrixDependency, MatrixRow } from './compute-matrix.js';

function dependencyText(dependency: MatrixDependency): string {
  return dependency.condition === 'service_healthy'
    ? dependency.service
    : `${dependency.service} (${dependency.condition.replace(/^service_/, '')})`;
}

function dependsOnCell(row: MatrixRow): string {
  const required = row.dependsOn.filter((dependency) => dependency.required).map(dependencyText);
  const optional = row.dependsOn.filter((dependency) => !dependency.required).map(dependencyText);
  const parts = [required.join(', ')];
  if (optional.length > 0) parts.push(`(${optional.join(', ')} optional: \`required: false\`)`);
  const text = parts.filter(Boolean).join(' ');
  return text === '' ? '-' : text;
}

function serviceCell(row: MatrixRow): string {
  return row.edge ? `${row.service} (edge)` : row.service;
}

/**
 * The matrix as a Markdown table, like ARCHITECTURE.md's: services without dependencies share
 * their tier's row; every other service has its own.
 */
export function formatMatrixTable(rows: readonly MatrixRow[]): string {
  const lines = ['| service | depends on (healthy) | tier |', '|---|---|---|'];
  const roots = rows.filter((row) => row.dependsOn.length === 0);
  const rootTiers = new Set(roots.map((row) => row.tier));
  for (const tier of [...rootTiers].sort((a, b) => a - b)) {
    const group = roots.filter((row) => row.tier === tier).map(serviceCell);
    lines.push(`| ${group.join(', ')} | - | ${tier} |`);
  }
  for (const row of rows) {
    if (row.dependsOn.length === 0) continue;
    lines.push(`| ${serviceCell(row)} | ${dependsOnCell(row)} | ${row.tier} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** A Mermaid flowchart: one subgraph per tier, arrows from a dependency to its dependants. */
export function formatMatrixMermaid(rows: readonly MatrixRow[]): string {
  const id = (service: string): string => service.replace(/[^A-Za-z0-9_]/g, '_');
  const lines = ['flowchart LR'];
  const tiers = [...new Set(rows.map((row) => row.tier))].sort((a, b) => a - b);
  for (const tier of tiers) {
    lines.push(`  subgraph tier${tier}["tier ${tier}"]`);
    for (const row of rows.filter((candidate) => candidate.tier === tier)) {
      const label = row.profiles.length > 0 ? `${serviceCell(row)}<br/>profile ${row.profiles.join(', ')}` : serviceCell(row);
      lines.push(`    ${id(row.service)}["${label}"]`);
    }
    lines.push('  end');
  }
  for (const row of rows) {
    for (const dependency of row.dependsOn) {
      const arrow = dependency.required ? '-->' : '-.->';
      const label = dependency.condition === 'service_healthy' ? 'healthy' : dependency.condition.replace(/^service_/, '');
      lines.push(`  ${id(dependency.service)} ${arrow}|${label}| ${id(row.service)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** JSON: the environment and one object per service. */
export function formatMatrixJson(environment: string, rows: readonly MatrixRow[]): string {
  return `${JSON.stringify({ environment, services: rows }, null, 2)}\n`;
}
