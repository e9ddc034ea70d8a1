import { TOOLS_API_LIMITS } from './limits.js';
import { TOOL_FILTER_PARAMS, TOOL_LIST_PARAMS, type QueryParam } from './query-params.js';
import { SUBMISSION_ROUTES, type SubmissionSchemaName } from './submissions.js';

/** The named schemas of the API (`#/components/schemas/<name>` in the OpenAPI document). */
export type ToolsApiSchemaName =
  | 'Tool'
  | 'ToolInput'
  | 'ToolPatch'
  | 'ToolPage'
  | 'ToolFacets'
  | 'ApiError'
  | SubmissionSchemaName;

export interface ToolsApiResponse {
  description: string;
  /** A JSON body of this schema. */
  schema?: ToolsApiSchemaName;
  /** A body that is not JSON (the docs page, the metrics). */
  contentType?: string;
}

/** One operation of the API: what the OpenAPI document says and what the route test checks. */
export interface ToolsApiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI form: `/api/tools/{slug}`. */
  path: string;
  operationId: string;
  tag: 'tools' | 'submissions' | 'health' | 'docs';
  summary: string;
  description?: string;
  query?: readonly QueryParam[];
  /** The route takes the `{slug}` path parameter. */
  slug?: boolean;
  /** The route takes the `{id}` path parameter (a submission's id). */
  pathParam?: 'id';
  body?: ToolsApiSchemaName;
  /** Needs the admin API key as a Bearer token. */
  admin?: boolean;
  responses: Record<string, ToolsApiResponse>;
}

const error = (description: string): ToolsApiResponse => ({ description, schema: 'ApiError' });
const invalidQuery = error('Invalid or unknown query parameters (`CV_ERR_VALIDATION`, with `errors`)');
const invalidBody = error('Invalid body or slug (`CV_ERR_VALIDATION`, with `errors`)');
const unauthorized = error('Missing or wrong admin API key (`CV_ERR_UNAUTHORIZED`)');
const noSuchTool = error('No tool with this slug (`CV_ERR_NOT_FOUND`)');

/** Every route nestjs-api serves, the service kit's included. */
export const TOOLS_API_ROUTES: readonly ToolsApiRoute[] = [
  {
    method: 'GET',
    path: '/api/tools',
    operationId: 'listTools',
    tag: 'tools',
    summary: 'List tools',
    description:
      'Filters AND across parameters and OR within one. Pages follow `nextCursor`; the order is stable ' +
      '(sort key, then slug), so no item is skipped or repeated while tools are added. Unknown parameters are refused.',
    query: TOOL_LIST_PARAMS,
    responses: { '200': { description: 'One page', schema: 'ToolPage' }, '400': invalidQuery },
  },
  {
    method: 'POST',
    path: '/api/tools',
    operationId: 'createTool',
    tag: 'tools',
    summary: 'Create a tool',
    body: 'ToolInput',
    admin: true,
    responses: {
      '201': { description: 'Created', schema: 'Tool' },
      '400': invalidBody,
      '401': unauthorized,
      '409': error('Slug already taken (`CV_ERR_CONFLICT`)'),
      '413': error(`Body over ${TOOLS_API_LIMITS.bodyBytes / 1024} KB (\`CV_ERR_PAYLOAD_TOO_LARGE\`)`),
    },
  },
  {
    method: 'GET',
    path: '/api/tools/facets',
    operationId: 'getToolFacets',
    tag: 'tools',
    summary: 'Counts per category, pricing model and platform for the filters',
    query: TOOL_FILTER_PARAMS,
    responses: { '200': { description: 'Facet counts', schema: 'ToolFacets' }, '400': invalidQuery },
  },
  {
    method: 'GET',
    path: '/api/tools/{slug}',
    operationId: 'getTool',
    tag: 'tools',
    summary: 'One tool',
    slug: true,
    responses: { '200': { description: 'The tool', schema: 'Tool' }, '400': invalidBody, '404': noSuchTool },
  },
  {
    method: 'PATCH',
    path: '/api/tools/{slug}',
    operationId: 'updateTool',
    tag: 'tools',
    summary: 'Change some fields of a tool',
    slug: true,
    body: 'ToolPatch',
    admin: true,
    responses: {
      '200': { description: 'The updated tool', schema: 'Tool' },
      '400': invalidBody,
      '401': unauthorized,
      '404': noSuchTool,
    },
  },
  {
    method: 'DELETE',
    path: '/api/tools/{slug}',
    operationId: 'deleteTool',
    tag: 'tools',
    summary: 'Delete a tool',
    slug: true,
    admin: true,
    responses: {
      '204': { description: 'Deleted' },
      '400': invalidBody,
      '401': unauthorized,
      '404': noSuchTool,
    },
  },
  ...SUBMISSION_ROUTES,
  {
    method: 'GET',
    path: '/health/live',
    operationId: 'live',
    tag: 'health',
    summary: 'The process is up',
    responses: { '200': { description: 'Up' } },
  },
  {
    method: 'GET',
    path: '/health/ready',
    operationId: 'ready',
    tag: 'health',
    summary: 'Dependencies reachable (store: critical; cache: degraded only)',
    responses: {
      '200': { description: 'ok or degraded' },
      '503': { description: 'A critical dependency is down, or the service is shutting down' },
    },
  },
  {
    method: 'GET',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'health',
    summary: 'Prometheus metrics',
    responses: { '200': { description: 'Text exposition format', contentType: 'text/plain' } },
  },
  {
    method: 'GET',
    path: '/api/docs',
    operationId: 'docsPage',
    tag: 'docs',
    summary: 'This document as a web page',
    responses: { '200': { description: 'HTML', contentType: 'text/html' } },
  },
  {
    method: 'GET',
    path: '/api/docs/openapi.json',
    operationId: 'openApiDocument',
    tag: 'docs',
    summary: 'This document',
    responses: { '200': { description: 'OpenAPI 3.1', contentType: 'application/json' } },
  },
];
