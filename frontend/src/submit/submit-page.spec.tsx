import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { ADMIN_KEY_STORAGE_KEY } from '../admin/admin-key.js';
import { renderApp } from '../testing/render-app.js';
import { writableToolsApi } from '../testing/tools-api.js';

/** Puts text into a field as a paste (typing key by key takes seconds on a loaded machine). */
async function enter(field: HTMLElement, text: string) {
  await userEvent.click(field);
  await userEvent.paste(text);
}

/** Fills the required fields of the tool form (slug, name, website, tagline, description, one category and platform). */
async function fillTool(name: string, slug: string, website: string) {
  await enter(await screen.findByLabelText(/^Slug/), slug);
  await enter(screen.getByLabelText(/^Name/), name);
  await enter(screen.getByLabelText(/^Website/), website);
  await enter(screen.getByLabelText(/^Tagline/), 'Suggested in a test');
  await enter(screen.getByLabelText(/^Description/), 'A tool a visitor suggested.');
  await userEvent.click(screen.getByRole('checkbox', { name: 'Testing' }));
  await userEvent.click(screen.getByRole('checkbox', { name: 'CLI' }));
}

describe('suggest a tool, then moderate it, against the real nestjs-api that tests write to', () => {
  const server = writableToolsApi();

  it('shows field errors for a bad website, keeps script as text, and approval publishes the tool', async () => {
    const name = '<img src=x onerror="window.__pwned=1">Heron';
    renderApp('/submit', server.url);
    await fillTool(name, 'heron-suggested', 'javascript:alert(1)');
    await userEvent.click(screen.getByRole('button', { name: 'Send suggestion' }));
    const website = screen.getByLabelText(/^Website/);
    await waitFor(() => expect(website.getAttribute('aria-invalid')).toBe('true'));
    await waitFor(() => expect(document.activeElement).toBe(website));

    await userEvent.clear(website);
    await enter(website, 'https://heron.example/');
    await userEvent.click(screen.getByRole('button', { name: 'Send suggestion' }));
    expect((await screen.findByRole('status')).textContent).toContain(`${name} is waiting for review`);

    // Pending: not in the directory.
    const search = await fetch(`${server.url}/api/tools?q=heron`);
    expect(((await search.json()) as { total: number }).total).toBe(0);

    window.sessionStorage.setItem(ADMIN_KEY_STORAGE_KEY, server.adminApiKey);
    window.history.replaceState(null, '', '/admin/submissions');
    window.dispatchEvent(new PopStateEvent('popstate'));
    const row = (await screen.findByText('heron-suggested', undefined, { timeout: 10_000 })).closest('tr');
    expect(row).toBeTruthy();
    // The name is text on the page: the markup inside it never became an element.
    expect(within(row as HTMLElement).getByText(name)).toBeTruthy();
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();

    await userEvent.click(within(row as HTMLElement).getByRole('link', { name: `Review ${name}` }));
    await userEvent.click(await screen.findByRole('button', { name: 'Approve and publish' }));
    await waitFor(() => expect(window.location.pathname).toBe('/tools/heron-suggested'));
  }, 30_000);

  it('rejects with a reason; the suggestion then says it was already decided', async () => {
    window.sessionStorage.removeItem(ADMIN_KEY_STORAGE_KEY);
    renderApp('/submit', server.url);
    await fillTool('Ibis', 'ibis-suggested', 'https://ibis.example/');
    await userEvent.click(screen.getByRole('button', { name: 'Send suggestion' }));
    await screen.findByRole('status');

    const listed = await fetch(`${server.url}/api/submissions`, {
      headers: { authorization: `Bearer ${server.adminApiKey}` },
    });
    const id = ((await listed.json()) as { items: { id: string; tool: { slug: string } }[] }).items.find(
      (item) => item.tool.slug === 'ibis-suggested',
    )?.id;
    expect(id).toBeTruthy();

    window.sessionStorage.setItem(ADMIN_KEY_STORAGE_KEY, server.adminApiKey);
    window.history.replaceState(null, '', `/admin/submissions/${id}`);
    window.dispatchEvent(new PopStateEvent('popstate'));
    await userEvent.click(await screen.findByRole('button', { name: 'Reject suggestion' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Reason /);
    await enter(screen.getByLabelText(/^Reason/), 'Not a developer tool');
    await userEvent.click(screen.getByRole('button', { name: 'Reject suggestion' }));
    await waitFor(() => expect(window.location.pathname).toBe('/admin/submissions'));
    expect(await screen.findByText('Rejected "Ibis".')).toBeTruthy();

    window.history.replaceState(null, '', `/admin/submissions/${id}`);
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect((await screen.findByText(/This suggestion was already rejected/)).textContent).toContain(
      'Reason: Not a developer tool',
    );
  }, 30_000);
});
