import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { requireProgram } from '@codiesvibe/shared/testing';
import { launchChromium } from './browser.js';
import { type E2eTarget, startE2eTarget } from './e2e-target.js';
import { ACTOR_MODES, actorFor } from './support/actor.js';

const chromiumPath = requireProgram('chromium');

/** The slugs of the columns of the comparison table, in order. */
async function comparedNames(page: Page): Promise<string[]> {
  return page.locator('.compare-table thead .compare-tool-name').allTextContents();
}

describe.skipIf(!chromiumPath)('compare in Chromium', () => {
  let target: E2eTarget;
  let browser: Browser;

  beforeAll(async () => {
    target = await startE2eTarget();
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await target?.stop();
  });

  it.each(ACTOR_MODES)(
    'picks tools from cards, a tool page and AI search, and shares the comparison by URL (%s)',
    async (mode) => {
      const context = await browser.newContext({
        baseURL: target.baseUrl,
        viewport: { width: 1280, height: 860 },
      });
      const page = await context.newPage();
      const act = actorFor(page, mode);
      try {
        await page.goto('/');
        const cards = page.locator('.tool-grid .tool-card');
        await cards.first().waitFor();
        const [first, second] = await cards.locator('.tool-card-title').allTextContents();
        await act.toggle(cards.nth(0).getByRole('checkbox', { name: `Compare ${first}` }), 'first card');
        await act.toggle(cards.nth(1).getByRole('checkbox', { name: `Compare ${second}` }), 'second card');
        const tray = page.getByRole('complementary', { name: 'Compare selection' });
        await act.press(tray.getByRole('link', { name: 'Compare 2 tools' }), 'the tray’s compare link');
        await expect.poll(() => comparedNames(page), { timeout: 15_000 }).toEqual([first, second]);
        const shared = new URL(page.url());
        expect(shared.pathname).toBe('/compare');
        const slugs = shared.searchParams.get('tools')!.split(',');
        expect(slugs).toHaveLength(2);
        expect(await page.getByRole('rowheader', { name: 'Pricing' }).isVisible()).toBe(true);

        // The URL alone reproduces the comparison, in a fresh browser with no selection stored.
        const other = await browser.newContext({ baseURL: target.baseUrl });
        const sharedPage = await other.newPage();
        await sharedPage.goto(shared.pathname + shared.search);
        await expect.poll(() => comparedNames(sharedPage), { timeout: 15_000 }).toEqual([first, second]);
        await other.close();

        // A third tool from its own page.
        await page.goto('/');
        const third = (await cards.nth(2).locator('.tool-card-title').textContent())!;
        await act.press(cards.nth(2).getByRole('link', { name: third }), 'third card’s title');
        await page.getByRole('heading', { level: 1, name: third }).waitFor({ timeout: 15_000 });
        await act.toggle(
          page.locator('.tool-hero').getByRole('checkbox', { name: `Compare ${third}` }),
          'tool page',
        );

        // A fourth from AI search results.
        await page.goto('/ask?q=open+source+code+review');
        const result = page
          .locator('.ranked .tool-card')
          .filter({ hasNot: page.getByRole('checkbox', { checked: true }) })
          .first();
        await result.waitFor({ timeout: 30_000 });
        const fourth = (await result.locator('.tool-card-title').textContent())!;
        await act.toggle(result.getByRole('checkbox', { name: `Compare ${fourth}` }), 'AI search result');
        await act.press(tray.getByRole('link', { name: 'Compare 4 tools' }), 'the tray’s compare link');
        await expect
          .poll(() => comparedNames(page), { timeout: 15_000 })
          .toEqual([first, second, third, fourth]);

        // Removing a column rewrites the URL.
        await act.press(
          page.getByRole('button', { name: `Remove ${second} from the comparison` }),
          'remove button',
        );
        await expect.poll(() => comparedNames(page)).toEqual([first, third, fourth]);
        expect(new URL(page.url()).searchParams.get('tools')!.split(',')).not.toContain(slugs[1]);
      } finally {
        await context.close();
      }
    },
  );

  it('shows what a link with unknown and too many tools can, and says what it left out', async () => {
    const context = await browser.newContext({ baseURL: target.baseUrl });
    const page = await context.newPage();
    try {
      const listing = (await (await fetch(`${target.baseUrl}/api/tools?limit=5&sort=name`)).json()) as {
        items: { slug: string; name: string }[];
      };
      const known = listing.items.map((tool) => tool.slug);
      await page.goto(`/compare?tools=${known[0]},no-such-tool,${known.slice(1).join(',')}`);
      // The unknown slug makes room: the first four tools that exist are shown.
      await expect
        .poll(() => comparedNames(page), { timeout: 15_000 })
        .toEqual(listing.items.slice(0, 4).map((tool) => tool.name));
      const dropped = (await page.getByTestId('compare-dropped').textContent()) ?? '';
      expect(dropped).toContain('Not in the directory, so left out: no-such-tool.');
      expect(dropped).toContain(`these were left out: ${known[4]}.`);
    } finally {
      await context.close();
    }
  });
});
