import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { gatewayErrorBody } from '../errors.js';

/** Vite names built assets `name-<hash>.ext`; such a file never changes, so caches may keep it. */
const HASHED_ASSET = /[.-][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** Cache policy of a served file: hashed assets forever, everything else revalidated. */
export function cacheControlFor(filePath: string): string {
  const name = basename(filePath);
  return name !== 'index.html' && HASHED_ASSET.test(name) ? IMMUTABLE : REVALIDATE;
}

/**
 * Serves the built frontend from `directory` (native mode, no nginx): files with caching headers,
 * and index.html for any other GET of a path without a file extension, so client-side routes
 * (`/tools/cursor`) load the app.
 */
export function registerStaticFrontend(app: FastifyInstance, directory: string): void {
  if (!existsSync(join(directory, 'index.html'))) {
    app.log.warn({ directory }, 'FRONTEND_DIR has no index.html yet; the frontend answers 404 until it is built');
  }
  void app.register(fastifyStatic, {
    root: directory,
    prefix: '/',
    wildcard: true,
    cacheControl: false,
    etag: true,
    lastModified: true,
    setHeaders: (res, filePath) => {
      res.setHeader('cache-control', cacheControlFor(filePath));
    },
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && extname(path) === '' && (request.headers.accept ?? '*/*').match(/text\/html|\*\/\*/) !== null;
    if (isPage && existsSync(join(directory, 'index.html'))) {
      return reply.header('cache-control', REVALIDATE).sendFile('index.html');
    }
    return reply.code(404).send(gatewayErrorBody('routeNotFound', request.id, `nothing is served at ${path}`));
  });
}
