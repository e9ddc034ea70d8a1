import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { freePort } from '@codiesvibe/shared/testing';
import type { ToolFilters } from '@codiesvibe/shared/domain';
import { createToolsClient } from '../api/tools-client.js';
import { renderApp } from '../testing/render-app.js';
import { sharedToolsApiUrl } from '../testing/tools-api.js';

describe('home page against the real nestjs-api', () => {
  const url = () => sharedToolsApiUrl();
  /** How many tools the API finds for these filters: what the page must say. */
  const totalFor = async (filters: ToolFilters) =>
    (await createToolsClient({ baseUrl: url() }).listTools(filters, { limit: 1 })).total;

  const resultsHeading = () =>
    screen.getByRole('heading', { level: 2, name: /tools?$|No tools found|Searching/ });

  it('shows the first page, the total in a live region, and loads more with the cursor', async () => {
    const total = await totalFor({});
    expect(total).toBeGreaterThan(40);
    renderApp('/', url());
    expect((await screen.findByText(`${total} tools`)).getAttribute('aria-live')).toBe('polite');
    expect(screen.getAllByRole('article')).toHaveLength(20);
    await userEvent.click(screen.getByRole('button', { name: `Load more (20 of ${total})` }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(40));
    expect(screen.getByRole('button', { name: `Load more (40 of ${total})` })).toBeTruthy();
    const names = screen.getAllByRole('article').map((article) => article.textContent);
    expect(new Set(names).size).toBe(40);
  });

  it('narrows results as you type and writes the query into the URL', async () => {
    const [total, expected] = await Promise.all([totalFor({}), totalFor({ q: 'terminal' })]);
    expect(expected).toBeGreaterThan(1);
    expect(expected).toBeLessThan(total);
    renderApp('/', url());
    await screen.findByText(`${total} tools`);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search tools' }), 'terminal');
    await waitFor(() => expect(window.location.search).toBe('?q=terminal'));
    await waitFor(() => expect(resultsHeading().textContent).toBe(`${expected} tools`));
  });

  it('applies a filter from the panel, shows its chip and new counts, and removes it again', async () => {
    const [total, security] = await Promise.all([totalFor({}), totalFor({ category: ['security'] })]);
    renderApp('/', url());
    await screen.findByText(`${total} tools`);
    const cliCountBefore = screen.getByTestId('count-platform-cli').textContent;
    const category = within(screen.getByRole('group', { name: 'Category' }));
    await userEvent.click(category.getByRole('checkbox', { name: /Security/ }));
    await waitFor(() => expect(resultsHeading().textContent).toBe(`${security} tools`));
    expect(window.location.search).toBe('?category=security');
    expect(screen.getByTestId('count-platform-cli').textContent).not.toBe(cliCountBefore);
    await userEvent.click(screen.getByRole('button', { name: 'Remove filter Security' }));
    await waitFor(() => expect(resultsHeading().textContent).toBe(`${total} tools`));
    expect(window.location.search).toBe('');
  });

  it('focuses the search field on "/" and clears it with Escape', async () => {
    renderApp('/?q=agent', url());
    const field = screen.getByRole('searchbox', { name: 'Search tools' });
    expect(document.activeElement).not.toBe(field);
    await userEvent.keyboard('/');
    expect(document.activeElement).toBe(field);
    expect((field as HTMLInputElement).value).toBe('agent');
    await userEvent.keyboard('{Escape}');
    expect((field as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(window.location.search).toBe(''));
  });

  it('reads a shared link and offers a reset when nothing matches', async () => {
    const total = await totalFor({});
    renderApp('/?q=zzzz-nothing&pricing=paid', url());
    expect(await screen.findByRole('heading', { name: 'No tools match' })).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>('searchbox', { name: 'Search tools' }).value).toBe(
      'zzzz-nothing',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Reset search' }));
    await screen.findByText(`${total} tools`);
  });

  // happy-dom prints the refused connection (ECONNREFUSED) to the console: that output is expected.
  it('says which query it shows when the typed one matched nothing because of a typo', async () => {
    const expected = await totalFor({ q: 'terminal' });
    expect(expected).toBeGreaterThan(1);
    renderApp('/?q=terminl', url());
    const notice = await screen.findByText((_, element) => element?.classList.contains('results-corrected') ?? false);
    expect(notice.getAttribute('role')).toBe('status');
    expect(notice.textContent).toBe('No tools match “terminl”. Showing results for “terminal”.');
    expect(resultsHeading().textContent).toBe(`${expected} tools`);
    // The query stays as typed: the user sees what they wrote, and the link they share keeps it.
    expect(screen.getByRole<HTMLInputElement>('searchbox', { name: 'Search tools' }).value).toBe('terminl');
  });

  it('shows an error with a retry when the API is unreachable', async () => {
    renderApp('/', `http://127.0.0.1:${await freePort()}`);
    expect((await screen.findByRole('alert')).textContent).toContain('Cannot reach the server');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
