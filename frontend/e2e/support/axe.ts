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
 * Waits until the page is at rest: nothing marked aria-busy (a grid showing stale results is dimmed
 * on purpose while the next page loads) and no finite transition or animation still running. A
 * contrast check taken mid-fade measures colours no reader sees for long, and fails at random.
 */
async function waitUntilSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('[aria-busy="true"]') === null &&
      document
        .getAnimations()
        .every(
          (animation) =>
            animation.playState !== 'running' || animation.effect?.getComputedTiming().iterations === Infinity,
        ),
    undefined,
    { timeout: 30_000 },
  );
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A and AA rules plus best practices) on the page as it is now and
 * returns, once the page is settled, the serious and critical violations as readable lines ('' when there are none).
 */
export async function seriousViolations(page: Page): Promise<string> {
  await waitUntilSettled(page);
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
