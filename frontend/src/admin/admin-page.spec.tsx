import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { renderApp } from '../testing/render-app.js';
import { writableToolsApi } from '../testing/tools-api.js';
import { ADMIN_KEY_STORAGE_KEY } from './admin-key.js';

describe('admin pages against the real nestjs-api that tests write to', () => {
  const server = writableToolsApi();
  const KEY = server.adminApiKey;

  it('keeps the API key in session storage only', async () => {
    renderApp('/admin', server.url);
    await userEvent.type(await screen.findByLabelText('Admin API key'), KEY);
    await userEvent.click(screen.getByRole('button', { name: 'Use key' }));
    expect(window.sessionStorage.getItem(ADMIN_KEY_STORAGE_KEY)).toBe(KEY);
    expect(window.localStorage.getItem(ADMIN_KEY_STORAGE_KEY)).toBeNull();
    expect(await screen.findByRole('link', { name: 'Edit Aider' })).toBeTruthy();
  });

  it('shows the API field error next to the field and focuses it, then saves', async () => {
    window.sessionStorage.setItem(ADMIN_KEY_STORAGE_KEY, KEY);
    renderApp('/admin/tools/cursor/edit', server.url);
    const tagline = await screen.findByLabelText(/^Tagline/);
    await userEvent.clear(tagline);
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(tagline.getAttribute('aria-invalid')).toBe('true'));
    const errorId = tagline
      .getAttribute('aria-describedby')
      ?.split(' ')
      .find((id) => id.endsWith('-error'));
    expect(document.getElementById(errorId ?? '')?.textContent).toMatch(/\w/);
    expect(document.activeElement).toBe(tagline);

    await userEvent.type(tagline, 'The editor of the future');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(window.location.pathname).toBe('/tools/cursor'));
    expect(await screen.findByText('The editor of the future')).toBeTruthy();
  });

  it('says so when the key is wrong', async () => {
    window.sessionStorage.setItem(ADMIN_KEY_STORAGE_KEY, 'wrong');
    renderApp('/admin/tools/new', server.url);
    await userEvent.type(await screen.findByLabelText(/^Slug/), 'new-tool');
    await userEvent.click(screen.getByRole('button', { name: 'Add tool' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The admin API key was rejected. Check it above.',
    );
  });
});
