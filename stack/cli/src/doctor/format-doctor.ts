import { painter } from '../cli/terminal.js';
import type { DoctorCheck } from './doctor-check.js';

/** Checks under a heading: System, Project, Programs, Ports. */
export interface DoctorSection {
  title: string;
  checks: DoctorCheck[];
}

const MARKS = { ok: '✔', warn: '⚠', error: '✖' } as const;

/** One line per check, `✔|⚠|✖ what was found → what to do`, and a summary line. */
export function formatDoctorText(heading: string, sections: readonly DoctorSection[], color: boolean): string {
  const paint = painter(color);
  const tint = { ok: paint.green, warn: paint.yellow, error: paint.red } as const;
  const lines = [paint.bold(heading)];
  for (const section of sections) {
    if (section.checks.length === 0) continue;
    lines.push('', paint.bold(section.title));
    for (const check of section.checks) {
      lines.push(`  ${tint[check.status](MARKS[check.status])} ${check.message}${check.fix ? paint.dim(` → ${check.fix}`) : ''}`);
    }
  }
  const all = sections.flatMap((section) => section.checks);
  const errors = all.filter((check) => check.status === 'error').length;
  const warnings = all.filter((check) => check.status === 'warn').length;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const summary =
    errors > 0
      ? tint.error(`✖ ${plural(errors, 'blocker')}, ${plural(warnings, 'warning')}`)
      : warnings > 0
        ? tint.warn(`⚠ ready, with ${plural(warnings, 'warning')}`)
        : tint.ok('✔ ready');
  lines.push('', summary);
  return `${lines.join('\n')}\n`;
}

/** The same checks as JSON, for scripts. */
export function formatDoctorJson(sections: readonly DoctorSection[]): string {
  const all = sections.flatMap((section) => section.checks);
  return `${JSON.stringify(
    {
      ok: all.every((check) => check.status !== 'error'),
      sections: sections.map((section) => ({ title: section.title, checks: section.checks })),
    },
    null,
    2,
  )}\n`;
}
