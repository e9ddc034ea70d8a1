import type {
  Tool,
  ToolFacets,
  ToolFilters,
  ToolInput,
  ToolPage,
  ToolPatch,
} from '@codiesvibe/shared/domain';
import type {
  Submission,
  SubmissionInput,
  SubmissionList,
  SubmissionReceipt,
  SubmissionStatus,
} from '@codiesvibe/shared/tools-api';
import { toolsApiPaths, type ToolPageRequest } from '@codiesvibe/shared/tools-api/query';
import { ApiError, CLIENT_ERROR_CODES, isAbortError } from './api-error.js';
import { TRACEPARENT_HEADER, newTraceParent } from './trace-parent.js';

export interface ListToolsOptions extends ToolPageRequest {
  signal?: AbortSignal;
}

/** The directory API (nestjs-api behind the gateway) as the app uses it. */
export interface ToolsApi {
  listTools(filters: ToolFilters, options?: ListToolsOptions): Promise<ToolPage>;
  getFacets(filters: ToolFilters, options?: { signal?: AbortSignal }): Promise<ToolFacets>;
  getTool(slug: string, options?: { signal?: AbortSignal }): Promise<Tool>;
  createTool(input: ToolInput, apiKey: string): Promise<Tool>;
  updateTool(slug: string, patch: ToolPatch, apiKey: string): Promise<Tool>;
  /** Public: suggests a tool, which waits for an admin. */
  submitTool(input: SubmissionInput): Promise<SubmissionReceipt>;
  listSubmissions(status: SubmissionStatus, apiKey: string, options?: { signal?: AbortSignal }): Promise<SubmissionList>;
  getSubmission(id: string, apiKey: string, options?: { signal?: AbortSignal }): Promise<Submission>;
  editSubmission(id: string, tool: ToolInput, apiKey: string): Promise<Submission>;
  approveSubmission(id: string, tool: ToolInput | undefined, apiKey: string): Promise<{ submission: Submission; tool: Tool }>;
  rejectSubmission(id: string, reason: string, apiKey: string): Promise<Submission>;
}

// The submission routes (`SUBMISSION_ROUTES` of the shared contract); the schemas stay on the
// server side of the bundle, only their types come here.
const submissionPaths = {
  all: '/api/submissions',
  one: (id: string) => `/api/submissions/${encodeURIComponent(id)}`,
};

export interface ToolsClientOptions {
  /** '' for same origin, or an absolute http(s) URL without a trailing slash. */
  baseUrl: string;
  fetch?: typeof fetch;
}

/**
 * Creates the typed client of the directory API. Every failure becomes an {@link ApiError} with
 * the server's code; aborts are rethrown untouched so callers can ignore them.
 */
export function createToolsClient(options: ToolsClientOptions): ToolsApi {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl;

  async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        ...init,
        // Each call is a trace of its own, which the gateway and the services continue.
        headers: { accept: 'application/json', [TRACEPARENT_HEADER]: newTraceParent(), ...init.headers },
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new ApiError(
        0,
        CLIENT_ERROR_CODES.network,
        'Cannot reach the server. Check your connection and try again.',
      );
    }
    if (response.status === 204) return undefined as T;
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw ApiError.fromBody(response.status, body);
    if (body === undefined) {
      throw new ApiError(
        response.status,
        CLIENT_ERROR_CODES.badResponse,
        'The server sent an unreadable answer.',
      );
    }
    return body as T;
  }

  function write<T>(method: 'POST' | 'PATCH', path: string, body: unknown, apiKey: string | null): Promise<T> {
    return request<T>(path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(apiKey !== null && { authorization: `Bearer ${apiKey}` }),
      },
      body: JSON.stringify(body),
    });
  }

  const adminRead = <T>(path: string, apiKey: string, signal?: AbortSignal) =>
    request<T>(path, { signal, headers: { authorization: `Bearer ${apiKey}` } });

  return {
    listTools: (filters, { signal, ...page } = {}) =>
      request<ToolPage>(toolsApiPaths.list(filters, page), { signal }),
    getFacets: (filters, { signal } = {}) => request<ToolFacets>(toolsApiPaths.facets(filters), { signal }),
    getTool: (slug, { signal } = {}) => request<Tool>(toolsApiPaths.tool(slug), { signal }),
    createTool: (input, apiKey) => write<Tool>('POST', toolsApiPaths.list(), input, apiKey),
    updateTool: (slug, patch, apiKey) => write<Tool>('PATCH', toolsApiPaths.tool(slug), patch, apiKey),
    submitTool: (input) => write<SubmissionReceipt>('POST', submissionPaths.all, input, null),
    listSubmissions: (status, apiKey, { signal } = {}) =>
      adminRead<SubmissionList>(`${submissionPaths.all}?status=${status}`, apiKey, signal),
    getSubmission: (id, apiKey, { signal } = {}) => adminRead<Submission>(submissionPaths.one(id), apiKey, signal),
    editSubmission: (id, tool, apiKey) => write<Submission>('PATCH', submissionPaths.one(id), tool, apiKey),
    approveSubmission: (id, tool, apiKey) =>
      write<{ submission: Submission; tool: Tool }>(
        'POST',
        `${submissionPaths.one(id)}/approve`,
        tool === undefined ? {} : { tool },
        apiKey,
      ),
    rejectSubmission: (id, reason, apiKey) =>
      write<Submission>('POST', `${submissionPaths.one(id)}/reject`, { reason }, apiKey),
  };
}
