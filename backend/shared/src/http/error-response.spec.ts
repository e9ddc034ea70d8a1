import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES, HttpError } from '../errors.js';
import { toErrorResponse } from './error-response.js';

describe('toErrorResponse', () => {
  it('keeps status, code, message and field errors of an HttpError', () => {
    const error = new HttpError(409, ERROR_CODES.CONFLICT, 'A tool with slug "cursor" exists', [
      { field: 'slug', message: 'is taken' },
    ]);
    expect(toErrorResponse(error, 'r-1')).toEqual({
      statusCode: 409,
      serverFault: false,
      body: {
        statusCode: 409,
        error: 'Conflict',
        code: 'CV_ERR_CONFLICT',
        message: 'A tool with slug "cursor" exists',
        errors: [{ field: 'slug', message: 'is taken' }],
        requestId: 'r-1',
      },
    });
  });

  it('turns a zod error into 400 with dotted field paths', () => {
    const result = z
      .object({ pricing: z.object({ model: z.enum(['free', 'paid']) }) })
      .safeParse({ pricing: { model: 'gratis' } });
    const response = toErrorResponse(result.error);
    expect(response.statusCode).toBe(400);
    expect(response.body.code).toBe('CV_ERR_VALIDATION');
    expect(response.body.errors).toEqual([
      { field: 'pricing.model', message: expect.stringContaining('free') as string },
    ]);
    expect(response.body).not.toHaveProperty('requestId');
  });

  it('turns a Fastify schema error into 400 with the missing property as field', () => {
    const error = Object.assign(new Error('body must have required property name'), {
      statusCode: 400,
      validationContext: 'body',
      validation: [
        {
          instancePath: '',
          message: "must have required property 'name'",
          params: { missingProperty: 'name' },
        },
      ],
    });
    expect(toErrorResponse(error).body.errors).toEqual([
      { field: 'name', message: "must have required property 'name'" },
    ]);
  });

  it('keeps the message of other 4xx errors and maps their code from the status', () => {
    const error = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(toErrorResponse(error).body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'CV_ERR_PAYLOAD_TOO_LARGE',
      message: 'Request body is too large',
    });
  });

  it('hides everything about an unexpected error', () => {
    for (const thrown of [
      new Error('ECONNREFUSED 10.0.0.7:27017'),
      'a string',
      undefined,
      { statusCode: 502 },
    ]) {
      const response = toErrorResponse(thrown);
      expect(response.serverFault).toBe(true);
      expect(response.body.message).toBe('Internal server error');
      expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|stack/);
    }
  });
});
