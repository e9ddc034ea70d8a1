import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts that fail a test: a user of assistive technology is blocked or badly hindered. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

function describeViolation(violation: Result): string {
  const targets = violation.nodes
    .slice(0, 3)
    .map(
      (node) => `    ${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(1).join('; ') ?? ''}`,
    )
    .join('\n');
  return `  [${violation.impact}] ${violation.id}: ${violation.help} (${violation.nodes.length} element(s))\n${targets}`;
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A and AA rules plus best practices) on the page as it is now and
 * returns the serious and critical violations as readable lines ('' when there are none).
 */
export async function seriousViolations(page: Page): Promise<string> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(
      document,
      { resultTypes: ['violations'] },
    ),
  );
  const failing = results.violations.filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ''));
  return failing.map(describeViolation).join('\n');
}
