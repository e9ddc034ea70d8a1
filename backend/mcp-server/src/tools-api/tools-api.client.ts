import type { Tool, ToolFacets, ToolFilters, ToolPage } from '@codiesvibe/shared/domain';
import {
  apiErrorBodySchema,
  toolFacetsSchema,
  toolPageSchema,
  toolSchema,
  toolsApiPaths,
  type ToolPageRequest,
} from '@codiesvibe/shared/tools-api';
import type { z } from 'zod';
import { MCP_ERROR_CODES, McpServiceError } from '../errors.js';

/** A page request to `GET /api/tools`: the directory filters plus sort and paging. */
export type ToolSearchQuery = ToolFilters & ToolPageRequest;

/** What the MCP tools need from the directory. Read-only by design. */
export interface ToolsApi {
  searchTools(query: ToolSearchQuery): Promise<ToolPage>;
  /** Throws McpServiceError MCP_ERR_TOOL_NOT_FOUND when no tool has this slug. */
  getTool(slug: string): Promise<Tool>;
  getFacets(filters?: ToolFilters): Promise<ToolFacets>;
  /** Resolves when nestjs-api answers its liveness probe; throws McpServiceError otherwise. */
  checkReachable(signal?: AbortSignal): Promise<void>;
}

export interface ToolsApiClientOptions {
  /** Base URL of nestjs-api, e.g. http://nestjs-api:4001. */
  baseUrl: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /**
   * Headers to forward on every call (request id, traceparent), read at call time so they come
   * from the request context of the MCP request being served.
   */
  contextHeaders?: () => Record<string, string>;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Typed HTTP client for nestjs-api's read endpoints, with timeouts and validated answers. */
export class ToolsApiClient implements ToolsApi {
  private readonly baseUrl: URL;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ToolsApiClientOptions) {
    // A trailing slash makes relative resolution keep any path prefix of the base URL.
    this.baseUrl = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.fetchImpl = options.fetch ?? fetch;
  }

  async searchTools(query: ToolSearchQuery): Promise<ToolPage> {
    const { sort, limit, cursor, ...filters } = query;
    return this.getJson(toolsApiPaths.list(filters, { sort, limit, cursor }), toolPageSchema);
  }

  async getTool(slug: string): Promise<Tool> {
    return this.getJson(toolsApiPaths.tool(slug), toolSchema, () => {
      throw new McpServiceError(MCP_ERROR_CODES.toolNotFound, `No tool with slug "${slug}" in the directory`);
    });
  }

  async getFacets(filters: ToolFilters = {}): Promise<ToolFacets> {
    return this.getJson(toolsApiPaths.facets(filters), toolFacetsSchema);
  }

  async checkReachable(signal?: AbortSignal): Promise<void> {
    // Liveness, not readiness: if nestjs-api is up but its own database is down, its readiness
    // says so, and failing ours too would only make the gateway eject every MCP replica at once.
    const response = await this.request('/health/live', signal);
    await response.body?.cancel();
    if (!response.ok) {
      throw new McpServiceError(
        MCP_ERROR_CODES.toolsApiBadResponse,
        `nestjs-api at ${this.baseUrl.origin} answered its liveness probe with ${response.status}`,
      );
    }
  }

  private async getJson<T>(path: string, schema: z.ZodType<T>, onNotFound?: () => never): Promise<T> {
    const response = await this.request(path);
    if (response.status === 404 && onNotFound) {
      await response.body?.cancel();
      onNotFound();
    }
    const body = await readJson(response);
    if (!response.ok) throw this.statusError(response.status, body);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw new McpServiceError(
        MCP_ERROR_CODES.toolsApiBadResponse,
        `nestjs-api answered GET ${path.split('?')[0]} with a body outside its contract${where}: ${issue?.message ?? 'invalid'}`,
      );
    }
    return parsed.data;
  }

  /** `path` is absolute in the API (`/api/tools`); it is resolved below the base URL's own path. */
  private async request(path: string, signal?: AbortSignal): Promise<Response> {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    try {
      return await this.fetchImpl(url, {
        headers: { accept: 'application/json', ...this.options.contextHeaders?.() },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new McpServiceError(
          MCP_ERROR_CODES.toolsApiTimeout,
          `nestjs-api at ${url.origin} did not answer within ${this.options.timeoutMs} ms`,
          { cause: error },
        );
      }
      throw new McpServiceError(
        MCP_ERROR_CODES.toolsApiUnreachable,
        `nestjs-api at ${url.origin} is unreachable (${describeNetworkError(error)}); check TOOLS_API_URL and that nestjs-api is running`,
        { cause: error },
      );
    }
  }

  private statusError(status: number, body: unknown): McpServiceError {
    const apiError = apiErrorBodySchema.safeParse(body);
    const detail = apiError.success ? `: ${apiError.data.message}` : '';
    if (status === 400) {
      return new McpServiceError(
        MCP_ERROR_CODES.toolsApiRejected,
        `The directory rejected the query${detail}`,
      );
    }
    return new McpServiceError(MCP_ERROR_CODES.toolsApiBadResponse, `nestjs-api answered ${status}${detail}`);
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Node's fetch says only "fetch failed": the socket error (ECONNREFUSED, ENOTFOUND) is in `cause`. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string')
    return cause.code;
  if (cause instanceof Error) return cause.message;
  return error.message;
}
