import { ERROR_CODES, HttpError } from '@codiesvibe/shared';
import type { FastifyInstance } from 'fastify';

/**
 * Replaces Fastify's JSON body parser so malformed bodies answer 400 `CV_ERR_INVALID_JSON`:
 * Nest would otherwise turn the parser's SyntaxError into a generic Bad Request. Prototype
 * pollution is no concern here: every body is validated by a strict schema before use.
 */
export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(new HttpError(400, ERROR_CODES.INVALID_JSON, 'Request body is empty but content-type is application/json'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new HttpError(400, ERROR_CODES.INVALID_JSON, 'Request body is not valid JSON'), undefined);
    }
  });
}
