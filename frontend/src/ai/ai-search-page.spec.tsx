import { describe, expect, it } from 'vitest';
import { act, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { EventSourceLike } from '../api/ai-search-stream.js';
import { fixtureTools } from '../testing/fixture-tools.js';
import { renderApp } from '../testing/render-app.js';
import { formatDuration } from './ai-search-page.js';

/** happy-dom has no EventSource; this one lets the test play the server's events one by one. */
class ScriptedEventSource implements EventSourceLike {
  static last: ScriptedEventSource | undefined;
  readonly listeners = new Map<string, ((event: Event) => void)[]>();
  closed = false;
  constructor(readonly url: string) {
    ScriptedEventSource.last = this;
  }
  addEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, data: unknown): void {
    act(() => {
      for (const listener of this.listeners.get(type) ?? [])
        listener(new MessageEvent(type, { data: JSON.stringify(data) }));
    });
  }
}

describe('AI search page', () => {
  it('renders intent, results and explanation as they stream, and who answered', async () => {
    renderApp('/ask', 'http://gateway.test', (url) => new ScriptedEventSource(url));
    await userEvent.type(await screen.findByLabelText('Describe what you are looking for'), 'terminal agent');
    await userEvent.click(screen.getByRole('button', { name: 'Ask' }));
    expect(window.location.search).toBe('?q=terminal+agent');
    const source = ScriptedEventSource.last!;
    expect(source.url).toBe('http://gateway.test/ai/search/stream?query=terminal+agent&limit=10');
    expect(screen.getByRole('button', { name: 'Searching…' })).toHaveProperty('disabled', true);

    source.emit('intent', {
      intent: { categories: ['terminal'], pricing: [], platforms: [], text: 'agent' },
      mode: 'ollama',
    });
    expect(screen.getByTestId('ai-mode').textContent).toBe('Answered by Ollama');
    expect(screen.getByTestId('ai-intent').textContent).toContain('Terminal');

    const aider = fixtureTools().find((tool) => tool.slug === 'aider')!;
    source.emit('results', { results: [{ tool: aider, score: 0.9, reasons: ['works in the terminal'] }] });
    expect(screen.getByRole('heading', { name: 'Top 1 matches' })).toBeTruthy();
    expect(screen.getByText('works in the terminal')).toBeTruthy();
    expect(screen.queryByTestId('ai-corrected')).toBeNull();

    source.emit('explanation', { text: 'Aider runs ' });
    source.emit('explanation', { text: 'in your terminal.' });
    expect(screen.getByTestId('ai-explanation').textContent).toBe('Aider runs in your terminal.');

    source.emit('done', { mode: 'ollama', tookMs: 420 });
    expect(source.closed).toBe(true);
    expect(screen.getByText('in 420 ms')).toBeTruthy();
    expect(formatDuration(5284.2)).toBe('5.3 s');
    expect(screen.getByRole('button', { name: 'Ask' })).toBeTruthy();
  });

  it('says which query the results read when the typed one was misspelt', () => {
    renderApp('/ask?q=terminl+agent', 'http://gateway.test', (url) => new ScriptedEventSource(url));
    const source = ScriptedEventSource.last!;
    source.emit('intent', { intent: { categories: [], pricing: [], platforms: [], text: 'terminl agent' }, mode: 'fallback' });
    const aider = fixtureTools().find((tool) => tool.slug === 'aider')!;
    source.emit('results', { results: [{ tool: aider, score: 0.9, reasons: [] }], correctedQuery: 'terminal agent' });
    expect(screen.getByTestId('ai-corrected').textContent).toBe('Showing results for “terminal agent”.');
  });

  it('shows the built-in ranker and a stream error with a retry', async () => {
    renderApp('/ask?q=anything', 'http://gateway.test', (url) => new ScriptedEventSource(url));
    // The page is loaded on first use: wait for it before reading the stream it opened.
    await screen.findByLabelText('Describe what you are looking for');
    const first = ScriptedEventSource.last!;
    first.emit('intent', {
      intent: { categories: [], pricing: [], platforms: [], text: 'anything' },
      mode: 'fallback',
    });
    expect(screen.getByTestId('ai-mode').textContent).toBe('Answered by the built-in ranker');
    first.emit('error', { message: 'The MCP server is unavailable' });
    expect(screen.getByRole('alert').textContent).toContain('The MCP server is unavailable');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(ScriptedEventSource.last).not.toBe(first);
  });
});
