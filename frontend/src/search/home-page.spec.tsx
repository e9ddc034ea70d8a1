import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { type ContractServer, startContractServer } from '../testing/contract-server.js';
import { fixtureTools } from '../testing/fixture-tools.js';
import { renderApp } from '../testing/render-app.js';

describe('home page against the contract server', () => {
  let server: ContractServer;
  beforeAll(async () => {
    server = await startContractServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const resultsHeading = () =>
    screen.getByRole('heading', { level: 2, name: /tools?$|No tools found|Searching/ });

  it('shows the first page, the total in a live region, and loads more with the cursor', async () => {
    renderApp('/', server.url);
    expect((await screen.findByText('24 tools')).getAttribute('aria-live')).toBe('polite');
    expect(screen.getAllByRole('article')).toHaveLength(20);
    await userEvent.click(screen.getByRole('button', { name: 'Load more (20 of 24)' }));
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(24));
    expect(screen.queryByRole('button', { name: /Load more/ })).toBeNull();
  });

  it('narrows results as you type and writes the query into the URL', async () => {
    renderApp('/', server.url);
    await screen.findByText('24 tools');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search tools' }), 'terminal');
    await waitFor(() => expect(window.location.search).toBe('?q=terminal'));
    const expected = fixtureTools().filter((tool) =>
      JSON.stringify(tool).toLowerCase().includes('terminal'),
    ).length;
    expect(expected).toBeGreaterThan(1);
    await waitFor(() => expect(resultsHeading().textContent).toBe(`${expected} tools`));
  });

  it('applies a filter from the panel, shows its chip and new counts, and removes it again', async () => {
    renderApp('/', server.url);
    await screen.findByText('24 tools');
    const cliCountBefore = screen.getByTestId('count-platform-cli').textContent;
    const category = within(screen.getByRole('group', { name: 'Category' }));
    await userEvent.click(category.getByRole('checkbox', { name: /Security/ }));
    await waitFor(() => expect(resultsHeading().textContent).toBe('2 tools'));
    expect(window.location.search).toBe('?category=security');
    expect(screen.getByTestId('count-platform-cli').textContent).not.toBe(cliCountBefore);
    await userEvent.click(screen.getByRole('button', { name: 'Remove filter Security' }));
    await waitFor(() => expect(resultsHeading().textContent).toBe('24 tools'));
    expect(window.location.search).toBe('');
  });

  it('focuses the search field on "/" and clears it with Escape', async () => {
    renderApp('/?q=agent', server.url);
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
    renderApp('/?q=zzzz-nothing&pricing=paid', server.url);
    expect(await screen.findByRole('heading', { name: 'No tools match' })).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>('searchbox', { name: 'Search tools' }).value).toBe(
      'zzzz-nothing',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Reset search' }));
    await screen.findByText('24 tools');
  });

  // happy-dom prints the refused connection (ECONNREFUSED) to the console: that output is expected.
  it('shows an error with a retry when the API is unreachable', async () => {
    const down = await startContractServer();
    await down.close();
    renderApp('/', down.url);
    expect((await screen.findByRole('alert')).textContent).toContain('Cannot reach the server');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
