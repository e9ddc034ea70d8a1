import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { requireProgram } from '@codiesvibe/shared/testing';
import { launchChromium } from './browser.js';
import { type E2eTarget, startE2eTarget } from './e2e-target.js';
import { ACTOR_MODES, type Actor, actorFor } from './support/actor.js';

const RESULTS_DIR = fileURLToPath(new URL('../test-results', import.meta.url));
const chromiumPath = requireProgram('chromium');

/** The number in the results heading ("24 tools", "1 tool", "No tools found" → 0). */
async function resultCount(page: Page): Promise<number> {
  const heading = page.locator('.results-count');
  await expect
    .poll(async () => (await heading.textContent()) ?? '', { timeout: 10_000 })
    .toMatch(/^(\d+ tools?|No tools found)$/);
  const text = (await heading.textContent()) ?? '';
  return Number(/^(\d+)/.exec(text)?.[1] ?? 0);
}

async function facetCounts(page: Page): Promise<string> {
  return (await page.locator('.filter-count').allTextContents()).join(',');
}

describe.skipIf(!chromiumPath)('CodiesVibe in Chromium', () => {
  let target: E2eTarget;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Operates `page`: each flow runs once with the pointer and once with the keyboard only. */
  const actor = (mode: Actor['mode']) => actorFor(page, mode);

  beforeAll(async () => {
    mkdirSync(RESULTS_DIR, { recursive: true });
    target = await startE2eTarget();
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await target?.stop();
  });
  beforeEach(async () => {
    context = await browser.newContext({ baseURL: target.baseUrl, viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  it.each(ACTOR_MODES)(
    'search narrows the results as you type, and the URL keeps the query (%s)',
    async (mode) => {
      const act = actor(mode);
      await page.goto('/');
      const all = await resultCount(page);
      expect(all).toBeGreaterThan(1);
      await page.screenshot({ path: `${RESULTS_DIR}/home.png`, fullPage: false });

      await act.type(page.getByRole('searchbox', { name: 'Search tools' }), 'review', 'the search field');
      await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('q=review');
      await expect.poll(() => resultCount(page), { timeout: 10_000 }).toBeLessThan(all);
      expect(await resultCount(page)).toBeGreaterThan(0);

      // The browser's own Back (a shortcut of the browser, not a control of the page).
      await page.goBack();
      await expect.poll(() => resultCount(page), { timeout: 10_000 }).toBe(all);
    },
  );

  it.each(ACTOR_MODES)('a filter changes the counts and shows a removable chip (%s)', async (mode) => {
    const act = actor(mode);
    await page.goto('/');
    await resultCount(page);
    const before = await facetCounts(page);
    const all = await resultCount(page);

    await act.toggle(
      page.getByRole('group', { name: 'Pricing' }).getByRole('checkbox', { name: /^Open source/ }),
      'the Open source filter',
    );
    await expect.poll(() => page.url()).toContain('pricing=open-source');
    await expect.poll(() => facetCounts(page), { timeout: 10_000 }).not.toBe(before);
    expect(await resultCount(page)).toBeLessThan(all);
    await act.press(page.getByRole('button', { name: 'Remove filter Open source' }), 'the filter chip');
    await expect.poll(() => resultCount(page), { timeout: 10_000 }).toBe(all);
  });

  it.each(ACTOR_MODES)(
    'a tool page opens from a result with its facts and similar tools (%s)',
    async (mode) => {
      const act = actor(mode);
      await page.goto('/');
      await resultCount(page);
      const firstLink = page.locator('.tool-card-title a').first();
      const name = (await firstLink.textContent()) ?? '';
      await act.press(firstLink, 'the first result');
      await expect.poll(() => page.url()).toMatch(/\/tools\/[a-z0-9-]+$/);
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe(name);
      expect(await page.getByRole('heading', { name: 'Facts' }).isVisible()).toBe(true);
      expect(await page.getByRole('link', { name: /Visit website/ }).getAttribute('href')).toMatch(
        /^https?:\/\//,
      );
      await page.getByRole('heading', { name: 'Similar tools' }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: `${RESULTS_DIR}/tool-page.png`, fullPage: true });
    },
  );

  it.each(ACTOR_MODES)(
    'AI search streams the intent, ranked results and explanation, and says who answered (%s)',
    async (mode) => {
      const act = actor(mode);
      await page.goto('/ask');
      await act.type(
        page.getByLabel('Describe what you are looking for'),
        'open source code review agent for github',
        'the question field',
      );
      await act.press(page.getByRole('button', { name: 'Ask' }), 'Ask');
      await page.getByTestId('ai-mode').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('ai-mode').textContent()).toMatch(/Ollama|built-in ranker/);
      await page.locator('.ranked .tool-card').first().waitFor({ timeout: 20_000 });
      await expect
        .poll(() => page.getByTestId('ai-explanation').textContent(), { timeout: 20_000 })
        .toMatch(/\w{3,}/);
      await expect
        .poll(() => page.getByRole('button', { name: 'Ask' }).isEnabled(), { timeout: 30_000 })
        .toBe(true);
      await page.screenshot({ path: `${RESULTS_DIR}/ai-search.png`, fullPage: false });
    },
  );

  it.each(ACTOR_MODES)(
    'admin edit shows the API validation error next to the field, then saves (%s)',
    async (mode) => {
      const act = actor(mode);
      await page.goto('/admin');
      await act.type(page.getByLabel('Admin API key'), target.adminApiKey, 'the admin key field');
      await act.press(page.getByRole('button', { name: 'Use key' }), 'Use key');
      const edit = page.getByRole('link', { name: /^Edit / }).first();
      await edit.waitFor({ timeout: 10_000 });
      await act.press(edit, 'the first Edit link');

      const tagline = page.getByLabel('Tagline');
      await tagline.waitFor({ timeout: 10_000 });
      const slug = /\/admin\/tools\/([a-z0-9-]+)\/edit$/.exec(page.url())?.[1] ?? '';
      const originalTagline = await tagline.inputValue();
      await act.type(tagline, '', 'the tagline field');
      await act.press(page.getByRole('button', { name: 'Save changes' }), 'Save changes');
      const fieldError = page.locator('[data-field-error="tagline"]');
      await fieldError.waitFor({ timeout: 10_000 });
      expect(await tagline.getAttribute('aria-invalid')).toBe('true');
      // The first field in error gets the focus, so a keyboard user lands on the problem.
      expect(await tagline.evaluate((element) => element === document.activeElement)).toBe(true);
      await page.screenshot({ path: `${RESULTS_DIR}/admin-validation.png`, fullPage: false });

      const newTagline = `Edited in the browser test ${Date.now()}`;
      await act.type(tagline, newTagline, 'the tagline field');
      await act.press(page.getByRole('button', { name: 'Save changes' }), 'Save changes');
      await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/tools\/[a-z0-9-]+$/);
      await page.getByText(newTagline).waitFor({ timeout: 10_000 });

      // Leave the directory as it was: a shared dev stack keeps its data between runs.
      const restored = await fetch(`${target.baseUrl}/api/tools/${slug}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${target.adminApiKey}` },
        body: JSON.stringify({ tagline: originalTagline }),
      });
      expect(restored.status).toBe(200);
    },
  );

  it.each(ACTOR_MODES)(
    'a visitor suggests a tool (field errors first); it stays out of the directory until an admin approves it (%s)',
    async (mode) => {
      const act = actor(mode);
      const slug = `suggested-${mode}-${Date.now()}`;
      await page.goto('/');
      await act.press(page.getByRole('link', { name: 'Suggest a tool' }), 'the Suggest a tool link');
      await page.getByRole('heading', { name: 'Suggest a tool' }).waitFor();
      await act.type(page.getByLabel(/^Slug/), slug, 'the slug field');
      await act.type(page.getByLabel(/^Name/), `Suggested ${mode}`, 'the name field');
      await act.type(page.getByLabel(/^Website/), 'not a url', 'the website field');
      await act.type(page.getByLabel(/^Tagline/), 'Suggested by a browser test', 'the tagline field');
      await act.type(
        page.getByLabel(/^Description/),
        'A tool suggested by the browser test.',
        'the description field',
      );
      await act.toggle(page.getByRole('checkbox', { name: 'Testing' }), 'the Testing category');
      await act.toggle(page.getByRole('checkbox', { name: 'CLI' }), 'the CLI platform');
      await act.press(page.getByRole('button', { name: 'Send suggestion' }), 'Send suggestion');
      await page.locator('[data-field-error="website"]').waitFor({ timeout: 10_000 });
      const website = page.getByLabel(/^Website/);
      expect(await website.evaluate((element) => element === document.activeElement)).toBe(true);
      await act.type(website, `https://${slug}.example/`, 'the website field');
      await act.press(page.getByRole('button', { name: 'Send suggestion' }), 'Send suggestion');
      await page.getByText('is waiting for review').waitFor({ timeout: 10_000 });
      // Not in the directory: a search for its slug does not find it (the directory may answer a
      // query that matches nothing with its corrected spelling, so other tools can show up).
      const pending = (await (await fetch(`${target.baseUrl}/api/tools?q=${slug}`)).json()) as {
        items: { slug: string }[];
      };
      expect(pending.items.map((tool) => tool.slug)).not.toContain(slug);

      await page.goto('/admin/submissions');
      await act.type(page.getByLabel('Admin API key'), target.adminApiKey, 'the admin key field');
      await act.press(page.getByRole('button', { name: 'Use key' }), 'Use key');
      const review = page
        .getByRole('row')
        .filter({ hasText: slug })
        .getByRole('link', { name: /^Review / });
      await review.waitFor({ timeout: 10_000 });
      await act.press(review, 'the Review link');
      await act.press(page.getByRole('button', { name: 'Approve and publish' }), 'Approve and publish');
      await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(new RegExp(`/tools/${slug}$`));
      await page.getByRole('heading', { name: `Suggested ${mode}` }).waitFor({ timeout: 10_000 });

      // Leave the directory as it was: a shared dev stack keeps its data between runs.
      const removed = await fetch(`${target.baseUrl}/api/tools/${slug}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${target.adminApiKey}` },
      });
      expect(removed.status).toBe(204);
    },
  );

  it('renders on a phone and in dark mode', async () => {
    const phone = await browser.newContext({
      baseURL: target.baseUrl,
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      isMobile: true,
    });
    const phonePage = await phone.newPage();
    await phonePage.goto('/');
    await resultCount(phonePage);
    expect(await phonePage.getByRole('button', { name: /^Filters/ }).isVisible()).toBe(true);
    await phonePage.screenshot({ path: `${RESULTS_DIR}/home-phone-dark.png`, fullPage: false });
    await phone.close();
  });
});
