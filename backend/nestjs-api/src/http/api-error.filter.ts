import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ERROR_CODES, errorCodeForStatus, HttpError, runWithRequestContext, toErrorResponse } from '@codiesvibe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Nest's own exceptions (unknown route, ...) in the kit's terms, with our stable codes. */
function fromNestException(exception: HttpException, request: FastifyRequest): HttpError {
  const status = exception.getStatus();
  if (status === 404) {
    return new HttpError(404, ERROR_CODES.ROUTE_NOT_FOUND, `Route ${request.method} ${request.url.split('?')[0]} not found`);
  }
  return new HttpError(status, errorCodeForStatus(status), exception.message);
}

/**
 * Answers every exception, Nest's and Fastify's (body too large, bad JSON) included, with an
 * `ApiErrorBody`: the same mapping as the Fastify services, never a stack trace.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = exception instanceof HttpException ? fromNestException(exception, request) : exception;
    const { statusCode, body, serverFault } = toErrorResponse(error, request.requestContext?.requestId);
    const log = () => {
      if (serverFault) request.log.error({ err: exception, code: body.code }, 'request failed');
      else request.log.info({ code: body.code, statusCode }, body.message);
    };
    if (request.requestContext) runWithRequestContext(request.requestContext, log);
    else log();
    void reply.code(statusCode).type('application/json; charset=utf-8').send(body);
  }
}
