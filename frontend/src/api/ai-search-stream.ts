import type { AiSearchStreamEvent } from '@codiesvibe/shared/domain';
import { CLIENT_ERROR_CODES } from './api-error.js';
import { fetchEventSource } from './fetch-event-source.js';

type StreamEventName = AiSearchStreamEvent['event'];
const STREAM_EVENTS: readonly StreamEventName[] = ['intent', 'results', 'explanation', 'done', 'error'];

/** The part of the browser's EventSource the stream needs, so tests can hand in their own. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

export interface AiSearchStreamOptions {
  baseUrl: string;
  query: string;
  limit?: number;
  /** Called for every event in arrival order; `error` and `done` are the last call. */
  onEvent: (event: AiSearchStreamEvent) => void;
  createEventSource?: EventSourceFactory;
}

/** URL of the streaming AI search endpoint. */
export function aiSearchStreamUrl(baseUrl: string, query: string, limit?: number): string {
  const params = new URLSearchParams({ query });
  if (limit !== undefined) params.set('limit', String(limit));
  return `${baseUrl}/ai/search/stream?${params.toString()}`;
}

/**
 * Reads the event's JSON. Servers may send either the event's `data` alone or the whole
 * `{ event, data }` envelope; both are accepted so the UI does not depend on that detail.
 */
function parseEventData(name: StreamEventName, raw: string): AiSearchStreamEvent['data'] {
  const parsed = JSON.parse(raw) as unknown;
  if (typeof parsed === 'object' && parsed !== null && 'event' in parsed && 'data' in parsed) {
    const envelope = parsed;
    if (envelope.event === name) return envelope.data as AiSearchStreamEvent['data'];
  }
  return parsed as AiSearchStreamEvent['data'];
}

/**
 * Opens `GET /ai/search/stream` and forwards its events. Returns a function that closes the
 * stream; it also closes itself after `done` or `error` (an EventSource handed in would
 * otherwise reconnect and run the search again).
 */
export function openAiSearchStream(options: AiSearchStreamOptions): () => void {
  // Over fetch, not EventSource: the request carries the trace the services continue.
  const create = options.createEventSource ?? ((url: string) => fetchEventSource(url));
  const source = create(aiSearchStreamUrl(options.baseUrl, options.query, options.limit));
  let finished = false;

  const finish = (event: AiSearchStreamEvent): void => {
    if (finished) return;
    finished = true;
    source.close();
    options.onEvent(event);
  };

  for (const name of STREAM_EVENTS) {
    source.addEventListener(name, (event: Event) => {
      if (finished) return;
      const raw = (event as MessageEvent<unknown>).data;
      if (typeof raw !== 'string') {
        // A plain `error` Event without data is EventSource reporting a broken connection.
        finish({
          event: 'error',
          data: { message: 'The AI search connection was interrupted. Please try again.' },
        });
        return;
      }
      let data: AiSearchStreamEvent['data'];
      try {
        data = parseEventData(name, raw);
      } catch {
        finish({
          event: 'error',
          data: { message: `${CLIENT_ERROR_CODES.stream}: unreadable "${name}" event` },
        });
        return;
      }
      const streamEvent = { event: name, data } as AiSearchStreamEvent;
      if (name === 'done' || name === 'error') finish(streamEvent);
      else options.onEvent(streamEvent);
    });
  }

  return () => {
    finished = true;
    source.close();
  };
}
