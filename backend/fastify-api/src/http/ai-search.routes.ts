import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ERROR_CODES, HttpError } from '@codiesvibe/shared';
import { CandidatesUnavailableError, type AiSearchService } from '../search/ai-search.service.js';
import { aiSearchBodySchema, aiSearchQuerySchema, assertPercentEncodingValid } from './ai-search.schema.js';
import { openEventStream, writeEvent } from './sse.js';

const RETRIEVAL_DOWN_MESSAGE =
  'AI search cannot reach the tools directory right now (mcp-server); try again shortly';

/** Fires when the client goes away before the response is complete, so the stream stops (and Ollama with it). */
function clientGone(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** `POST /ai/search` and `GET /ai/search/stream`. */
export function registerAiSearchRoutes(app: FastifyInstance, search: AiSearchService): void {
  app.post('/ai/search', { bodyLimit: 16 * 1024 }, async (request) => {
    const { query, limit } = aiSearchBodySchema.parse(request.body ?? {});
    try {
      return await search.search(query, limit);
    } catch (error) {
      if (error instanceof CandidatesUnavailableError)
        throw new HttpError(503, ERROR_CODES.UNAVAILABLE, RETRIEVAL_DOWN_MESSAGE);
      throw error;
    }
  });

  app.get('/ai/search/stream', async (request, reply) => {
    // Validated before the stream opens, so bad input is a plain 400, not an event.
    assertPercentEncodingValid(request.raw.url ?? '');
    const { query, limit } = aiSearchQuerySchema.parse(request.query);
    const signal = clientGone(reply.raw);
    openEventStream(request, reply);
    try {
      for await (const event of search.stream(query, limit, signal)) writeEvent(reply, event);
    } catch (error) {
      if (error instanceof CandidatesUnavailableError) {
        writeEvent(reply, { event: 'error', data: { message: RETRIEVAL_DOWN_MESSAGE } });
      } else {
        request.log.error({ err: error }, 'AI search stream failed');
        writeEvent(reply, {
          event: 'error',
          data: { message: 'AI search failed unexpectedly; the error was logged' },
        });
      }
    } finally {
      reply.raw.end();
    }
  });
}
