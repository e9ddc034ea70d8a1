import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ERROR_CODES, HttpError } from '@codiesvibe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_API_KEY } from '../tokens.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * True when `presented` equals `expected`, in time independent of where they differ: both are
 * hashed first, so even their lengths do not leak through timing.
 */
export function keysMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Guards the write endpoints: `Authorization: Bearer <ADMIN_API_KEY>`, else 401. */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(@Inject(ADMIN_API_KEY) private readonly adminApiKey: string | null) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    void reply.header('www-authenticate', 'Bearer realm="codiesvibe-admin"');
    if (this.adminApiKey === null) {
      throw new HttpError(401, ERROR_CODES.UNAUTHORIZED, 'Writes are disabled: the server has no ADMIN_API_KEY configured');
    }
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1] || !keysMatch(match[1], this.adminApiKey)) {
      throw new HttpError(401, ERROR_CODES.UNAUTHORIZED, 'Missing or invalid admin API key (send Authorization: Bearer <key>)');
    }
    void reply.removeHeader('www-authenticate');
    return true;
  }
}
