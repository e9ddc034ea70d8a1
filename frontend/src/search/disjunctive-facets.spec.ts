// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolsClient } from '../api/tools-client.js';
import { type ContractServer, startContractServer } from '../testing/contract-server.js';
import { fixtureTools } from '../testing/fixture-tools.js';
import { loadDisjunctiveFacets } from './disjunctive-facets.js';

describe('loadDisjunctiveFacets', () => {
  let server: ContractServer;
  beforeAll(async () => {
    server = await startContractServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('counts a field with a selection as if its own filter were off', async () => {
    const api = createToolsClient({ baseUrl: server.url });
    const facets = await loadDisjunctiveFacets(api, { category: ['security'] });
    const tools = fixtureTools();
    const terminalCount = tools.filter((tool) => tool.categories.includes('terminal')).length;
    expect(facets.categories.find((entry) => entry.value === 'terminal')?.count).toBe(terminalCount);
    // Fields without a selection are counted with every filter, so they narrow.
    const securityTools = tools.filter((tool) => tool.categories.includes('security'));
    const cliInSecurity = securityTools.filter((tool) => tool.platforms.includes('cli')).length;
    expect(facets.platforms.find((entry) => entry.value === 'cli')?.count ?? 0).toBe(cliInSecurity);
    expect(facets.total).toBe(securityTools.length);
  });

  it('is the plain answer when nothing is selected', async () => {
    const api = createToolsClient({ baseUrl: server.url });
    expect(await loadDisjunctiveFacets(api, { q: 'agent' })).toEqual(await api.getFacets({ q: 'agent' }));
  });
});
