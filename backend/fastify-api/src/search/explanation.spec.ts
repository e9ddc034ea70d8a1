import { describe, expect, it } from 'vitest';
import { makeTool } from '../../test/support/tool.fixture.js';
import { describeIntent, templateExplanation, toolSummaryForModel } from './explanation.js';

const intent = {
  categories: ['testing' as const],
  platforms: ['vscode' as const],
  pricing: ['free' as const, 'open-source' as const],
  text: 'java',
};
const results = [
  {
    tool: makeTool({ slug: 'keploy', name: 'Keploy', tagline: 'Tests from traffic.' }),
    score: 2,
    reasons: ['mentions test', 'category: testing', 'works in VS Code'],
  },
  { tool: makeTool({ slug: 'qodo', name: 'Qodo' }), score: 1, reasons: [] },
  { tool: makeTool({ slug: 'mabl', name: 'mabl' }), score: 0.5, reasons: [] },
];

describe('templateExplanation', () => {
  it('says what was understood, why the first tool leads and what else to look at', () => {
    const text = templateExplanation('free vscode tests for java', intent, results).join('');
    expect(text).toBe(
      'I read "free vscode tests for java" as: testing tools, for VS Code, free or open source, about "java". ' +
        'Keploy fits best: Tests from traffic. It matches on category: testing and works in VS Code. Also worth a look: Qodo and mabl.',
    );
  });

  it('comes in sentence chunks that join without double spaces', () => {
    const chunks = templateExplanation('q', intent, results);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).not.toMatch(/ {2}/);
  });

  it('suggests loosening the query when nothing fits', () => {
    expect(
      templateExplanation('zzz', { categories: [], platforms: [], pricing: [], text: 'zzz' }, []).join(''),
    ).toMatch(/No tool in the directory fits/);
  });
});

describe('describeIntent and toolSummaryForModel', () => {
  it('reads an empty intent as nothing', () => {
    expect(describeIntent({ categories: [], platforms: [], pricing: [], text: '' })).toBe('');
  });

  it('numbers the tools with the facts the model may use', () => {
    const summary = toolSummaryForModel(results, 2);
    expect(summary).toMatch(/^1\. Keploy — Tests from traffic\./);
    expect(summary).toContain('2. Qodo');
    expect(summary).not.toContain('mabl');
  });
});
