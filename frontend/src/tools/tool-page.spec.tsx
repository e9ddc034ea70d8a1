import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { type ContractServer, startContractServer } from '../testing/contract-server.js';
import { renderApp } from '../testing/render-app.js';

describe('tool page against the contract server', () => {
  let server: ContractServer;
  beforeAll(async () => {
    server = await startContractServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('shows the facts, the links and similar tools of the same category', async () => {
    renderApp('/tools/aider', server.url);
    expect(await screen.findByRole('heading', { level: 1, name: 'Aider' })).toBeTruthy();
    expect(screen.getByRole('link', { name: /Visit website/ }).getAttribute('href')).toBe(
      'https://example.com/aider',
    );
    expect(screen.getByRole('link', { name: /Source code/ }).getAttribute('href')).toBe(
      'https://github.com/example/aider',
    );
    const facts = within(screen.getByRole('complementary', { name: 'Facts' }));
    expect(facts.getByText('Open source (Apache-2.0)')).toBeTruthy();
    const similar = within(await screen.findByRole('region', { name: 'Similar tools' }));
    const names = similar.getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);
    expect(names.length).toBeGreaterThan(0);
    expect(names).not.toContain('Aider');
    await waitFor(() => expect(document.title).toMatch(/^Aider: .+ · CodiesVibe$/));
  });

  it('says when a tool does not exist', async () => {
    renderApp('/tools/not-a-real-tool', server.url);
    expect(await screen.findByRole('heading', { name: 'Tool not found' })).toBeTruthy();
  });
});
