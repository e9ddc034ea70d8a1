import type { EventSourceLike } from './ai-search-stream.js';
import { TRACEPARENT_HEADER, newTraceParent } from './trace-parent.js';

/*
 * The browser's EventSource cannot send headers, so the AI search stream's request could not
 * carry its `traceparent`. This reads the same `text/event-stream` over fetch: `event:` and
 * `data:` lines, a blank line ends an event. No reconnection: the stream closes itself after
 * `done` or `error` anyway, and a dropped connection is one plain `error` event, as EventSource
 * reports it.
 */

interface PendingEvent {
  type: string;
  data: string[];
}

/** Applies one line of the stream to `pending`; returns the event a blank line completes. */
function takeLine(line: string, pending: PendingEvent): MessageEvent<string> | undefined {
  if (line === '') {
    const complete =
      pending.data.length > 0 ? new MessageEvent(pending.type, { data: pending.data.join('\n') }) : undefined;
    pending.type = 'message';
    pending.data = [];
    return complete;
  }
  if (line.startsWith(':')) return undefined;
  const colon = line.indexOf(':');
  const field = colon === -1 ? line : line.slice(0, colon);
  const value = colon === -1 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
  if (field === 'event') pending.type = value;
  else if (field === 'data') pending.data.push(value);
  return undefined;
}

/** Opens `url` as a server-sent event stream, sending a new trace's `traceparent` with it. */
export function fetchEventSource(
  url: string,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
): EventSourceLike {
  const listeners = new Map<string, ((event: Event) => void)[]>();
  const aborted = new AbortController();
  const dispatch = (event: Event): void => {
    for (const listener of listeners.get(event.type) ?? []) listener(event);
  };

  const read = async (): Promise<void> => {
    const response = await fetchImpl(url, {
      headers: { accept: 'text/event-stream', [TRACEPARENT_HEADER]: newTraceParent() },
      signal: aborted.signal,
    });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const pending: PendingEvent = { type: 'message', data: [] };
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, buffer[end - 1] === '\r' ? end - 1 : end);
        buffer = buffer.slice(end + 1);
        const event = takeLine(line, pending);
        if (event) dispatch(event);
        if (aborted.signal.aborted) return;
      }
    }
  };
  // The end of the stream, a refused request or a network failure: one plain `error`, unless closed.
  const ended = (): void => {
    if (!aborted.signal.aborted) dispatch(new Event('error'));
  };
  void read().then(ended, ended);

  return {
    addEventListener(type, listener) {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
    close() {
      aborted.abort();
    },
  };
}
