import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { requireProgram } from '@codiesvibe/shared/testing';
import { launchChromium } from './browser.js';
import { type E2eTarget, startE2eTarget } from './e2e-target.js';
import { seriousViolations } from './support/axe.js';

const chromiumPath = requireProgram('chromium');

interface PageState {
  name: string;
  /** Opens the page and waits until the state to check is on screen. */
  open(page: Page, target: E2eTarget): Promise<void>;
}

async function firstSlugs(target: E2eTarget, count: number): Promise<string[]> {
  const response = await fetch(`${target.baseUrl}/api/tools?limit=${count}&sort=name`);
  return ((await response.json()) as { items: { slug: string }[] }).items.map((tool) => tool.slug);
}

/** Every page and state a visitor or an admin meets, each checked in both themes. */
const STATES: PageState[] = [
  {
    name: 'home',
    open: async (page) => {
      await page.goto('/');
      await page.locator('.tool-grid .tool-card').first().waitFor();
    },
  },
  {
    name: 'filtered home with chips',
    open: async (page) => {
      await page.goto('/?q=agent&category=coding-agent&pricing=open-source');
      await page
        .getByRole('button', { name: /^Remove filter/ })
        .first()
        .waitFor();
      await page
        .locator('.results-count')
        .filter({ hasText: /\d+ tools?|No tools found/ })
        .waitFor();
    },
  },
  {
    name: 'tool page',
    open: async (page, target) => {
      const [slug] = await firstSlugs(target, 1);
      await page.goto(`/tools/${slug}`);
      await page.getByRole('heading', { name: 'Facts' }).waitFor();
      await page.getByRole('heading', { name: 'Similar tools' }).waitFor();
    },
  },
  {
    name: 'compare with a dropped slug',
    open: async (page, target) => {
      const slugs = await firstSlugs(target, 3);
      await page.goto(`/compare?tools=${slugs.join(',')},not-a-tool`);
      await page.locator('.compare-table').waitFor();
      await page.getByTestId('compare-dropped').waitFor();
    },
  },
  {
    name: 'AI search with results',
    open: async (page) => {
      await page.goto('/ask?q=open+source+agent+for+the+terminal');
      await page.locator('.ranked .tool-card').first().waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Ask' }).waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'admin list',
    open: async (page, target) => {
      await page.goto('/admin');
      await page.evaluate((key) => sessionStorage.setItem('codiesvibe.adminApiKey', key), target.adminApiKey);
      await page.reload();
      await page.locator('.admin-table').waitFor();
    },
  },
  {
    name: 'admin form with field errors',
    open: async (page, target) => {
      await page.goto('/admin/tools/new');
      await page.evaluate((key) => sessionStorage.setItem('codiesvibe.adminApiKey', key), target.adminApiKey);
      await page.reload();
      await page.getByRole('button', { name: 'Add tool' }).click();
      await page.locator('[data-field-error]').first().waitFor();
    },
  },
  {
    name: 'suggest a tool with field errors',
    open: async (page) => {
      await page.goto('/submit');
      await page.getByRole('button', { name: 'Send suggestion' }).click();
      await page.locator('[data-field-error]').first().waitFor();
    },
  },
  {
    name: 'a suggestion under review',
    open: async (page, target) => {
      const suggested = await fetch(`${target.baseUrl}/api/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          slug: `axe-suggestion-${Date.now()}`,
          name: 'Axe suggestion',
          tagline: 'Suggested for the accessibility check',
          description: 'Waits in the moderation queue.',
          website: 'https://axe-suggestion.example/',
          categories: ['testing'],
          tags: [],
          pricing: { model: 'free' },
          platforms: ['cli'],
          openSource: false,
        }),
      });
      const { id } = (await suggested.json()) as { id: string };
      await page.goto('/admin/submissions');
      await page.evaluate((key) => sessionStorage.setItem('codiesvibe.adminApiKey', key), target.adminApiKey);
      await page.goto(`/admin/submissions/${id}`);
      await page.getByRole('button', { name: 'Approve and publish' }).waitFor();
    },
  },
  {
    name: 'not found',
    open: async (page) => {
      await page.goto('/no/such/page');
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    },
  },
];

describe.skipIf(!chromiumPath)('accessibility (axe-core) in Chromium', () => {
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

  it('reports a serious violation when there is one (the check can fail)', async () => {
    const context = await browser.newContext({ baseURL: target.baseUrl });
    const page = await context.newPage();
    try {
      await STATES.at(-1)!.open(page, target);
      await page.evaluate(() => document.querySelector('main')!.append(document.createElement('button')));
      expect(await seriousViolations(page)).toContain('button-name');
    } finally {
      await context.close();
    }
  });

  describe.each(['light', 'dark'] as const)('%s theme', (theme) => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await browser.newContext({ baseURL: target.baseUrl, colorScheme: theme });
      page = await context.newPage();
    });
    afterAll(async () => {
      await context?.close();
    });

    it.each(STATES.map((state) => [state.name, state] as const))(
      '%s: no serious or critical violation',
      async (_name, state) => {
        await state.open(page, target);
        expect(await seriousViolations(page)).toBe('');
      },
    );
  });
});
