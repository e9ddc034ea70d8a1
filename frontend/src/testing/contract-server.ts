import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  type ApiErrorBody,
  type SearchIntent,
  type Tool,
  type ToolFacets,
  type ToolFilters,
  TOOL_CATEGORIES,
  PRICING_MODELS,
  TOOL_PLATFORMS,
  toolInputSchema,
  toolPatchSchema,
} from '@codiesvibe/shared/domain';
import { fixtureTools } from './fixture-tools.js';

// A stand-in for the gateway that speaks the published contract (nestjs-api's /api/tools and
// fastify-api's /ai/search/stream) over real HTTP, for the API client tests and for the browser
// tests until the real services run. It is deliberately simple: substring search, offset cursors.

export interface ContractServerOptions {
  adminApiKey?: string;
  tools?: Tool[];
  /** Serve this folder (a Vite build) for every other GET, with index.html as the SPA fallback. */
  staticDir?: string;
  /** Pause between streamed AI events, so a browser can observe them arriving one by one. */
  streamDelayMs?: number;
  /** Milliseconds to hold an /api answer back, e.g. to make one search slower than the next. */
  apiDelayMs?: (url: URL) => number;
}

export interface ContractServer {
  url: string;
  tools: Tool[];
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function sendError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  errors?: ApiErrorBody['errors'],
): void {
  const error =
    { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 409: 'Conflict' }[status] ?? 'Error';
  sendJson(response, status, {
    statusCode: status,
    error,
    code,
    message,
    ...(errors ? { errors } : {}),
  } satisfies ApiErrorBody);
}

function listParam<T extends string>(
  params: URLSearchParams,
  name: string,
  allowed: readonly T[],
): T[] | undefined {
  const values = params
    .getAll(name)
    .flatMap((value) => value.split(','))
    .filter(Boolean);
  const known = values.filter((value): value is T => (allowed as readonly string[]).includes(value));
  return known.length ? known : undefined;
}

function parseFilters(params: URLSearchParams): ToolFilters {
  const openSource = params.get('openSource');
  return {
    q: params.get('q')?.trim() || undefined,
    category: listParam(params, 'category', TOOL_CATEGORIES),
    pricing: listParam(params, 'pricing', PRICING_MODELS),
    platform: listParam(params, 'platform', TOOL_PLATFORMS),
    tag: params
      .getAll('tag')
      .flatMap((value) => value.split(','))
      .filter(Boolean),
    openSource: openSource === 'true' ? true : openSource === 'false' ? false : undefined,
  };
}

function haystack(tool: Tool): string {
  return [tool.name, tool.tagline, tool.description, ...tool.tags, ...tool.categories]
    .join(' ')
    .toLowerCase();
}

function matches(tool: Tool, filters: ToolFilters): boolean {
  if (
    filters.q &&
    !filters.q
      .toLowerCase()
      .split(/\s+/)
      .every((word) => haystack(tool).includes(word))
  )
    return false;
  if (filters.category && !filters.category.some((value) => tool.categories.includes(value))) return false;
  if (filters.pricing && !filters.pricing.includes(tool.pricing.model)) return false;
  if (filters.platform && !filters.platform.some((value) => tool.platforms.includes(value))) return false;
  if (filters.tag?.length && !filters.tag.some((value) => tool.tags.includes(value))) return false;
  if (filters.openSource !== undefined && tool.openSource !== filters.openSource) return false;
  return true;
}

function facetsOf(tools: Tool[]): ToolFacets {
  const count = <T extends string>(values: readonly T[], pick: (tool: Tool) => readonly T[]) =>
    values
      .map((value) => ({ value, count: tools.filter((tool) => pick(tool).includes(value)).length }))
      .filter((entry) => entry.count > 0);
  return {
    categories: count(TOOL_CATEGORIES, (tool) => tool.categories),
    pricing: count(PRICING_MODELS, (tool) => [tool.pricing.model]),
    platforms: count(TOOL_PLATFORMS, (tool) => tool.platforms),
    total: tools.length,
  };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

function zodErrors(issues: { path: PropertyKey[]; message: string }[]): ApiErrorBody['errors'] {
  return issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
}

/** A rough intent: vocabulary words found in the query. */
function intentOf(query: string): SearchIntent {
  const words = query.toLowerCase();
  const found = <T extends string>(values: readonly T[]) =>
    values.filter((value) => words.includes(value.replace(/-/g, ' ')) || words.includes(value));
  const categories = found(TOOL_CATEGORIES);
  const platforms = found(TOOL_PLATFORMS);
  const pricing = found(PRICING_MODELS).filter((value) => value !== 'open-source');
  return {
    categories,
    pricing,
    platforms,
    ...(words.includes('open source') ? { openSource: true } : {}),
    text: query,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts the stand-in on 127.0.0.1 and an ephemeral port. */
export async function startContractServer(options: ContractServerOptions = {}): Promise<ContractServer> {
  const tools = options.tools ?? fixtureTools();
  const adminKey = options.adminApiKey ?? 'test-admin-key';

  const isAdmin = (request: IncomingMessage) => request.headers.authorization === `Bearer ${adminKey}`;

  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const hold = options.apiDelayMs?.(url) ?? 0;
    if (hold > 0) await delay(hold);
    if (response.destroyed) return;
    const path = url.pathname.replace(/\/+$/, '');
    const filters = parseFilters(url.searchParams);
    if (request.method === 'GET' && path === '/api/tools') {
      const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 20) || 20));
      const offset =
        Number(url.searchParams.get('cursor') ? atob(url.searchParams.get('cursor') ?? '') : 0) || 0;
      const sort = url.searchParams.get('sort');
      const found = tools.filter((tool) => matches(tool, filters));
      if (sort === 'name') found.sort((a, b) => a.name.localeCompare(b.name));
      if (sort === 'newest') found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const items = found.slice(offset, offset + limit);
      const nextCursor = offset + limit < found.length ? btoa(String(offset + limit)) : null;
      return sendJson(response, 200, { items, total: found.length, nextCursor });
    }
    if (request.method === 'GET' && path === '/api/tools/facets') {
      return sendJson(response, 200, facetsOf(tools.filter((tool) => matches(tool, filters))));
    }
    const slug = /^\/api\/tools\/([^/]+)$/.exec(path)?.[1];
    const index = slug ? tools.findIndex((tool) => tool.slug === slug) : -1;
    if (request.method === 'GET' && slug) {
      const tool = tools[index];
      return tool
        ? sendJson(response, 200, tool)
        : sendError(response, 404, 'TOOL_NOT_FOUND', `No tool "${slug}"`);
    }
    if ((request.method === 'POST' && path === '/api/tools') || (request.method === 'PATCH' && slug)) {
      if (!isAdmin(request))
        return sendError(response, 401, 'AUTH_INVALID_API_KEY', 'A valid admin API key is required');
      const body = await readJson(request).catch(() => undefined);
      const now = new Date().toISOString();
      if (request.method === 'POST') {
        const parsed = toolInputSchema.safeParse(body);
        if (!parsed.success)
          return sendError(
            response,
            400,
            'VALIDATION_FAILED',
            'The tool is invalid',
            zodErrors(parsed.error.issues),
          );
        if (tools.some((tool) => tool.slug === parsed.data.slug)) {
          return sendError(response, 409, 'TOOL_SLUG_TAKEN', `A tool "${parsed.data.slug}" already exists`);
        }
        const tool: Tool = { ...parsed.data, createdAt: now, updatedAt: now };
        tools.push(tool);
        return sendJson(response, 201, tool);
      }
      const existing = tools[index];
      if (!existing) return sendError(response, 404, 'TOOL_NOT_FOUND', `No tool "${slug}"`);
      const parsed = toolPatchSchema.safeParse(body);
      if (!parsed.success)
        return sendError(
          response,
          400,
          'VALIDATION_FAILED',
          'The change is invalid',
          zodErrors(parsed.error.issues),
        );
      const updated: Tool = { ...existing, ...parsed.data, updatedAt: now };
      tools[index] = updated;
      return sendJson(response, 200, updated);
    }
    return sendError(response, 404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${path}`);
  }

  async function handleStream(response: ServerResponse, url: URL): Promise<void> {
    const query = url.searchParams.get('query')?.trim() ?? '';
    if (!query || query.length > 500)
      return sendError(response, 400, 'VALIDATION_FAILED', 'query must be 1 to 500 characters');
    const limit = Math.min(50, Math.max(1, Number(url.searchParams.get('limit') ?? 10) || 10));
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const send = (event: string, data: unknown) =>
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const pause = () => delay(options.streamDelayMs ?? 0);
    const intent = intentOf(query);
    send('intent', { intent, mode: 'fallback' });
    await pause();
    const words = query
      .toLowerCase()
      .split(/\W+/)
      .filter((word) => word.length > 2);
    const scored = tools
      .map((tool) => ({ tool, hits: words.filter((word) => haystack(tool).includes(word)) }))
      .filter((entry) => entry.hits.length > 0)
      .sort((a, b) => b.hits.length - a.hits.length)
      .slice(0, limit);
    const top = scored[0]?.hits.length ?? 1;
    send('results', {
      results: scored.map((entry) => ({
        tool: entry.tool,
        score: entry.hits.length / top,
        reasons: [`matches ${entry.hits.join(', ')}`],
      })),
    });
    for (const chunk of [
      'These tools match ',
      `the words of "${query}" `,
      'in their descriptions and tags.',
    ]) {
      await pause();
      send('explanation', { text: chunk });
    }
    send('done', { mode: 'fallback', tookMs: 3 });
    response.end();
  }

  async function handleStatic(response: ServerResponse, url: URL, root: string): Promise<void> {
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    const candidate = join(root, relative);
    const file = candidate.startsWith(root) && extname(candidate) ? candidate : join(root, 'index.html');
    try {
      const content = await readFile(file);
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(content);
    } catch {
      sendError(response, 404, 'STATIC_NOT_FOUND', `No file ${url.pathname}`);
    }
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    // Like the gateway with CORS_ORIGINS=*: component tests call from another origin.
    response.setHeader('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
        'access-control-allow-headers': 'authorization, content-type, accept',
      });
      response.end();
      return;
    }
    const handled = url.pathname.startsWith('/api/')
      ? handleApi(request, response, url)
      : url.pathname === '/ai/search/stream'
        ? handleStream(response, url)
        : options.staticDir && request.method === 'GET'
          ? handleStatic(response, url, options.staticDir)
          : Promise.resolve(sendError(response, 404, 'ROUTE_NOT_FOUND', `No route ${url.pathname}`));
    handled.catch(() => {
      if (!response.headersSent) sendError(response, 500, 'INTERNAL', 'The stand-in server failed');
      else response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tools,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
