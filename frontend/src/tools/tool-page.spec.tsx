import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { createToolsClient } from '../api/tools-client.js';
import { renderApp } from '../testing/render-app.js';
import { sharedToolsApiUrl } from '../testing/tools-api.js';

describe('tool page against the real nestjs-api', () => {
  it('shows the facts, the links and similar tools of the same category', async () => {
    const aider = await createToolsClient({ baseUrl: sharedToolsApiUrl() }).getTool('aider');
    renderApp('/tools/aider', sharedToolsApiUrl());
    expect(await screen.findByRole('heading', { level: 1, name: aider.name })).toBeTruthy();
    expect(screen.getByRole('link', { name: /Visit website/ }).getAttribute('href')).toBe(aider.website);
    expect(screen.getByRole('link', { name: /Source code/ }).getAttribute('href')).toBe(aider.repository);
    const facts = within(screen.getByRole('complementary', { name: 'Facts' }));
    expect(facts.getByText(`Open source (${aider.license})`)).toBeTruthy();
    const similar = within(await screen.findByRole('region', { name: 'Similar tools' }));
    const names = similar.getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);
    expect(names.length).toBeGreaterThan(0);
    expect(names).not.toContain(aider.name);
    await waitFor(() => expect(document.title).toBe(`${aider.name}: ${aider.tagline} · CodiesVibe`));
  });

  it('says when a tool does not exist', async () => {
    renderApp('/tools/not-a-real-tool', sharedToolsApiUrl());
    expect(await screen.findByRole('heading', { name: 'Tool not found' })).toBeTruthy();
  });
});
