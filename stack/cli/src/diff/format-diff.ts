import { painter } from '../cli/terminal.js';
import { formatPath, type ModelDifference } from './model-diff.js';

/** What one side of a comparison is, for the report's header. */
export interface DiffSide {
  /** `production`, or the files joined with commas. */
  label: string;
}

const SECTION_NOUNS: Readonly<Record<string, string>> = {
  services: 'service',
  networks: 'network',
  volumes: 'volume',
  secrets: 'secret',
  configs: 'config',
  models: 'model',
};

/**
 * The differences as people read them: grouped by service (or network, volume ...), one line per
 * key with `-` only on the left, `+` only on the right and `~` changed, coloured when asked.
 */
export function formatDiffText(left: DiffSide, right: DiffSide, differences: readonly ModelDifference[], color: boolean): string {
  const paint = painter(color);
  const lines = [paint.bold(`--- ${left.label}`), paint.bold(`+++ ${right.label}`)];
  if (differences.length === 0) return `${lines.join('\n')}\n\nno differences\n`;

  const groups = new Map<string, ModelDifference[]>();
  for (const difference of differences) {
    const [section = '', name] = difference.path;
    const grouped = SECTION_NOUNS[section] && name !== undefined;
    const heading = grouped ? `${SECTION_NOUNS[section]} ${name}` : formatPath(difference.path.slice(0, 1));
    groups.set(heading, [...(groups.get(heading) ?? []), difference]);
  }
  let onlyLeft = 0;
  let onlyRight = 0;
  for (const [heading, entries] of groups) {
    lines.push('');
    const whole = entries.length === 1 && entries[0] && entries[0].path.length === 2 && entries[0].kind !== 'changed' ? entries[0] : undefined;
    if (whole) {
      if (whole.kind === 'removed') onlyLeft++;
      else onlyRight++;
      const side = whole.kind === 'removed' ? left.label : right.label;
      lines.push(`${paint.bold(heading)}  ${(whole.kind === 'removed' ? paint.red : paint.green)(`only in ${side}`)}`);
      continue;
    }
    lines.push(paint.bold(heading));
    const depth = entries[0] && SECTION_NOUNS[entries[0].path[0] ?? ''] ? 2 : 1;
    const keys = entries.map((entry) => formatPath(entry.path.slice(depth)) || formatPath(entry.path));
    const width = Math.max(...keys.map((key) => key.length));
    entries.forEach((entry, index) => {
      const key = (keys[index] ?? '').padEnd(width);
      if (entry.kind === 'removed') lines.push(paint.red(`  - ${key}  ${show(entry.left)}`));
      else if (entry.kind === 'added') lines.push(paint.green(`  + ${key}  ${show(entry.right)}`));
      else lines.push(`${paint.yellow(`  ~ ${key}`)}  ${paint.red(show(entry.left))} → ${paint.green(show(entry.right))}`);
    });
  }
  const changed = groups.size - onlyLeft - onlyRight;
  const parts = [`${changed} differ`];
  if (onlyLeft) parts.push(`${onlyLeft} only in ${left.label}`);
  if (onlyRight) parts.push(`${onlyRight} only in ${right.label}`);
  lines.push('', `${differences.length} difference${differences.length === 1 ? '' : 's'} (${parts.join(', ')})`);
  return `${lines.join('\n')}\n`;
}

/** The differences as JSON: paths as dotted text and as key lists, values as they are. */
export function formatDiffJson(left: DiffSide, right: DiffSide, differences: readonly ModelDifference[]): string {
  const report = {
    left: left.label,
    right: right.label,
    equal: differences.length === 0,
    differences: differences.map((difference) => ({
      path: formatPath(difference.path),
      keys: difference.path,
      kind: difference.kind,
      ...(difference.kind !== 'added' ? { left: difference.left } : {}),
      ...(difference.kind !== 'removed' ? { right: difference.right } : {}),
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** A value on one line: strings quoted, everything else as compact JSON. */
function show(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
