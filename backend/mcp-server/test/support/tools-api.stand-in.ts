import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tool, ToolFacets, ToolPage } from '@codiesvibe/shared/domain';
import { PRICING_MODELS, TOOL_CATEGORIES, TOOL_PLATFORMS } from '@codiesvibe/shared/domain';

/**
 * A real HTTP server speaking the read half of nestjs-api's contract over a fixed list of tools.
 * Used where the real nestjs-api cannot be: to play a failing or misbehaving dependency.
 */
export interface ToolsApiStandIn {
  url: string;
  /** Headers of every request received, in order. */
  received: { path: string; query: URLSearchParams; headers: IncomingHttpHeaders }[];
  /** When set, every request is answered with this status and an ApiErrorBody. */
  failWith: number | undefined;
  close(): Promise<void>;
}

/** Starts the stand-in on a free loopback port. */
export async function startToolsApiStandIn(tools: Tool[]): Promise<ToolsApiStandIn> {
  const standIn: ToolsApiStandIn = {
    url: '',
    received: [],
    failWith: undefined,
    close: () => Promise.resolve(),
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    standIn.received.push({ path: url.pathname, query: url.searchParams, headers: request.headers });
    if (standIn.failWith !== undefined) {
      send(response, standIn.failWith, {
        statusCode: standIn.failWith,
        error: 'Failure',
        code: 'STAND_IN_FAILURE',
        message: 'stand-in failure',
      });
      return;
    }
    route(request, url, tools, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = () => closeServer(server);
  return standIn;
}

function route(request: IncomingMessage, url: URL, tools: Tool[], response: ServerResponse): void {
  if (request.method !== 'GET')
    return send(response, 405, {
      statusCode: 405,
      error: 'Method Not Allowed',
      code: 'X',
      message: 'GET only',
    });
  if (url.pathname === '/health/live') return send(response, 200, { status: 'ok' });
  if (url.pathname === '/api/tools')
    return send(response, 200, page(filter(tools, url.searchParams), url.searchParams));
  if (url.pathname === '/api/tools/facets')
    return send(response, 200, facets(filter(tools, url.searchParams)));
  const slug = /^\/api\/tools\/([^/]+)$/.exec(url.pathname)?.[1];
  const tool = tools.find((candidate) => candidate.slug === decodeURIComponent(slug ?? ''));
  if (tool) return send(response, 200, tool);
  return send(response, 404, {
    statusCode: 404,
    error: 'Not Found',
    code: 'API_ERR_TOOL_NOT_FOUND',
    message: 'no such tool',
  });
}

function filter(tools: Tool[], params: URLSearchParams): Tool[] {
  const q = params.get('q')?.toLowerCase();
  const anyOf = (name: string, values: readonly string[]) => {
    const wanted = params.getAll(name).flatMap((value) => value.split(','));
    return wanted.length === 0 || values.some((value) => wanted.includes(value));
  };
  return tools.filter(
    (tool) =>
      (!q ||
        `${tool.name} ${tool.tagline} ${tool.description} ${tool.tags.join(' ')}`
          .toLowerCase()
          .includes(q)) &&
      anyOf('category', tool.categories) &&
      anyOf('tag', tool.tags) &&
      anyOf('pricing', [tool.pricing.model]) &&
      anyOf('platform', tool.platforms) &&
      (!params.has('openSource') || String(tool.openSource) === params.get('openSource')),
  );
}

/** Offset cursors are enough for a stand-in; nestjs-api's cursors are opaque to clients anyway. */
function page(matches: Tool[], params: URLSearchParams): ToolPage {
  const limit = Number(params.get('limit') ?? 20);
  const offset = Number(params.get('cursor') ?? 0);
  const items = matches.slice(offset, offset + limit);
  const next = offset + limit;
  return { items, total: matches.length, nextCursor: next < matches.length ? String(next) : null };
}

function facets(matches: Tool[]): ToolFacets {
  const count = <T extends string>(values: readonly T[], of: (tool: Tool) => readonly string[]) =>
    values
      .map((value) => ({ value, count: matches.filter((tool) => of(tool).includes(value)).length }))
      .filter((facet) => facet.count > 0);
  return {
    categories: count(TOOL_CATEGORIES, (tool) => tool.categories),
    pricing: count(PRICING_MODELS, (tool) => [tool.pricing.model]),
    platforms: count(TOOL_PLATFORMS, (tool) => tool.platforms),
    total: matches.length,
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
