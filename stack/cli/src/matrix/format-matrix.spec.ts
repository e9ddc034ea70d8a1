import { describe, expect, it } from 'vitest';
import { computeMatrix } from './compute-matrix.js';
import { formatMatrixJson, formatMatrixMermaid, formatMatrixTable } from './format-matrix.js';

const healthy = { condition: 'service_healthy', required: true };
const MODEL = {
  services: {
    db: { image: 'mongo:8.0.9' },
    cache: { image: 'redis:7.4.2-alpine' },
    llm: { image: 'ollama/ollama:0.6.5', profiles: ['ai'] },
    metrics: { image: 'prom/prometheus:v3.5.0', profiles: ['monitoring'] },
    api: { depends_on: { db: healthy, cache: { condition: 'service_started', required: true } } },
    search: { depends_on: { api: healthy, llm: { condition: 'service_healthy', required: false } } },
    nginx: { depends_on: { search: healthy, api: healthy } },
  },
};

describe('computeMatrix', () => {
  const rows = computeMatrix(MODEL);

  it('shows default services and what they depend on, not unrelated profiles', () => {
    expect(rows.map((row) => [row.service, row.tier])).toEqual([
      ['cache', 1],
      ['db', 1],
      ['llm', 1],
      ['api', 2],
      ['search', 3],
      ['nginx', 4],
    ]);
  });

  it('adds the services of the profiles asked for', () => {
    expect(computeMatrix(MODEL, { profiles: ['monitoring'] }).map((row) => row.service)).toContain('metrics');
  });

  it('lists dependencies by tier', () => {
    expect(rows.find((row) => row.service === 'nginx')?.dependsOn.map((dependency) => dependency.service)).toEqual(['api', 'search']);
  });
});

describe('matrix formats', () => {
  const rows = computeMatrix(MODEL);

  it('prints the Markdown table of ARCHITECTURE.md', () => {
    expect(formatMatrixTable(rows)).toBe(
      [
        '| service | depends on (healthy) | tier |',
        '|---|---|---|',
        '| cache, db, llm | - | 1 |',
        '| api | cache (started), db | 2 |',
        '| search | api (llm optional: `required: false`) | 3 |',
        '| nginx (edge) | api, search | 4 |',
        '',
      ].join('\n'),
    );
  });

  it('draws a mermaid flowchart with one subgraph per tier and dashed optional edges', () => {
    const mermaid = formatMatrixMermaid(rows);
    expect(mermaid.startsWith('flowchart LR\n  subgraph tier1["tier 1"]\n')).toBe(true);
    expect(mermaid).toContain('    llm["llm<br/>profile ai"]');
    expect(mermaid).toContain('  llm -.->|healthy| search');
    expect(mermaid).toContain('  cache -->|started| api');
  });

  it('gives JSON with every row', () => {
    const json = JSON.parse(formatMatrixJson('production', rows)) as { environment: string; services: unknown[] };
    expect(json.environment).toBe('production');
    expect(json.services).toHaveLength(6);
  });
});
