import { describe, expect, it } from 'vitest';
import type { AiSearchStreamEvent } from '@codiesvibe/shared/domain';
import { type EventSourceLike, aiSearchStreamUrl, openAiSearchStream } from './ai-search-stream.js';

/** The browser's EventSource is not in Node; this stand-in lets a test push events by hand. */
class ScriptedEventSource implements EventSourceLike {
  readonly listeners = new Map<string, ((event: Event) => void)[]>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, data?: unknown): void {
    const event =
      data === undefined
        ? new Event(type)
        : new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

function open(query = 'agents for the terminal') {
  let source: ScriptedEventSource | undefined;
  const events: AiSearchStreamEvent[] = [];
  const close = openAiSearchStream({
    baseUrl: 'http://gateway.test',
    query,
    limit: 5,
    onEvent: (event) => events.push(event),
    createEventSource: (url) => (source = new ScriptedEventSource(url)),
  });
  return { source: source!, events, close };
}

describe('openAiSearchStream', () => {
  it('builds the stream URL with the encoded query and limit', () => {
    expect(aiSearchStreamUrl('', 'free & open', 5)).toBe('/ai/search/stream?query=free+%26+open&limit=5');
    expect(open().source.url).toBe(
      'http://gateway.test/ai/search/stream?query=agents+for+the+terminal&limit=5',
    );
  });

  it('forwards events in order and closes after done', () => {
    const { source, events } = open();
    source.emit('intent', {
      intent: { categories: ['terminal'], pricing: [], platforms: [], text: 'agents' },
      mode: 'fallback',
    });
    source.emit('results', { results: [] });
    source.emit('explanation', { text: 'Because ' });
    source.emit('explanation', { text: 'terminal.' });
    expect(source.closed).toBe(false);
    source.emit('done', { mode: 'fallback', tookMs: 12 });
    expect(events.map((event) => event.event)).toEqual([
      'intent',
      'results',
      'explanation',
      'explanation',
      'done',
    ]);
    expect(source.closed).toBe(true);
    source.emit('explanation', { text: 'late' });
    expect(events).toHaveLength(5);
  });

  it('accepts the whole { event, data } envelope as data', () => {
    const { source, events } = open();
    source.emit('explanation', { event: 'explanation', data: { text: 'wrapped' } });
    expect(events[0]).toEqual({ event: 'explanation', data: { text: 'wrapped' } });
  });

  it('passes a server error event on and stops', () => {
    const { source, events } = open();
    source.emit('error', { message: 'MCP server unavailable' });
    expect(events).toEqual([{ event: 'error', data: { message: 'MCP server unavailable' } }]);
    expect(source.closed).toBe(true);
  });

  it('turns a dropped connection into one error instead of reconnecting forever', () => {
    const { source, events } = open();
    source.emit('error');
    source.emit('error');
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toBe('error');
    expect(source.closed).toBe(true);
  });

  it('reports unreadable JSON as a stream error', () => {
    const { source, events } = open();
    source.emit('results', '{not json');
    expect(events[0]?.event).toBe('error');
    expect(events[0]?.data).toHaveProperty('message', 'FRONTEND_ERR_STREAM: unreadable "results" event');
  });

  it('closes on demand', () => {
    const { source, close } = open();
    close();
    expect(source.closed).toBe(true);
  });
});
