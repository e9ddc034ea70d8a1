import { PRICING_MODELS, TOOL_CATEGORIES, TOOL_PLATFORMS, TOOL_SORTS, toolInputSchema, toolPatchSchema } from '@codiesvibe/shared/domain';
import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH } from '../tools/tool-params.js';

type JsonObject = Record<string, unknown>;

/** JSON Schema of a zod schema, as OpenAPI 3.1 embeds it (no `$schema` member). */
function jsonSchemaOf(schema: z.ZodType): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref('ApiError')) });

const repeatable = (name: string, description: string, items: JsonObject) => ({
  name,
  in: 'query',
  description: `${description} Repeat the parameter or separate values with commas; values are ORed.`,
  schema: { type: 'array', items },
  style: 'form',
  explode: true,
});

const filterParameters = [
  { name: 'q', in: 'query', description: 'Full-text query over name, tagline, description and tags; every word must match (prefixes count).', schema: { type: 'string', maxLength: MAX_QUERY_LENGTH } },
  repeatable('category', 'Categories.', { type: 'string', enum: [...TOOL_CATEGORIES] }),
  repeatable('tag', 'Tags (kebab-case).', { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' }),
  repeatable('pricing', 'Pricing models.', { type: 'string', enum: [...PRICING_MODELS] }),
  repeatable('platform', 'Platforms.', { type: 'string', enum: [...TOOL_PLATFORMS] }),
  { name: 'openSource', in: 'query', schema: { type: 'boolean' } },
];

const slugParameter = { name: 'slug', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 80 } };
const validationAndAuth = {
  '400': errorResponse('Invalid body or parameters (`CV_ERR_VALIDATION`, with `errors`)'),
  '401': errorResponse('Missing or wrong admin API key (`CV_ERR_UNAUTHORIZED`)'),
};

const facetCount = (values: readonly string[]) => ({
  type: 'array',
  items: { type: 'object', required: ['value', 'count'], properties: { value: { type: 'string', enum: [...values] }, count: { type: 'integer', minimum: 0 } } },
});

/** The OpenAPI 3.1 document of the API, served at `/api/docs/openapi.json`. */
export function buildOpenApiDocument(): JsonObject {
  const toolInput = jsonSchemaOf(toolInputSchema);
  const toolProperties = (toolInput.properties ?? {}) as JsonObject;
  const toolRequired = (toolInput.required ?? []) as string[];
  return {
    openapi: '3.1.0',
    info: {
      title: 'CodiesVibe tools directory API',
      version: '1.0.0',
      description:
        'The directory of AI developer tools: filtered, full-text searched and cursor-paginated reads (cached), and admin writes. ' +
        'Every error answers an `ApiError` with a stable `code`.',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'tools' }, { name: 'health' }],
    paths: {
      '/api/tools': {
        get: {
          tags: ['tools'],
          summary: 'List tools',
          description:
            'Filters AND across fields and OR within a field. `sort=relevance` needs `q` (without it the order is by name). ' +
            'Pages follow `nextCursor`; the order is stable (sort key, then slug), so no item is skipped or repeated while tools are added. ' +
            'Unknown parameters are refused with 400.',
          parameters: [
            ...filterParameters,
            { name: 'sort', in: 'query', schema: { type: 'string', enum: [...TOOL_SORTS], default: 'relevance' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
            { name: 'cursor', in: 'query', description: 'The `nextCursor` of the previous page of the same query.', schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'One page', content: json(ref('ToolPage')) }, '400': errorResponse('Invalid parameters') },
        },
        post: {
          tags: ['tools'],
          summary: 'Create a tool',
          security: [{ adminApiKey: [] }],
          requestBody: { required: true, content: json(ref('ToolInput')) },
          responses: {
            '201': { description: 'Created', content: json(ref('Tool')) },
            ...validationAndAuth,
            '409': errorResponse('Slug already taken (`CV_ERR_CONFLICT`)'),
            '413': errorResponse('Body over 100 KB'),
          },
        },
      },
      '/api/tools/facets': {
        get: {
          tags: ['tools'],
          summary: 'Counts per category, pricing model and platform for the filters',
          parameters: filterParameters,
          responses: { '200': { description: 'Facet counts', content: json(ref('ToolFacets')) }, '400': errorResponse('Invalid parameters') },
        },
      },
      '/api/tools/{slug}': {
        parameters: [slugParameter],
        get: {
          tags: ['tools'],
          summary: 'One tool',
          responses: { '200': { description: 'The tool', content: json(ref('Tool')) }, '404': errorResponse('No such tool (`CV_ERR_NOT_FOUND`)') },
        },
        patch: {
          tags: ['tools'],
          summary: 'Change some fields of a tool',
          security: [{ adminApiKey: [] }],
          requestBody: { required: true, content: json(ref('ToolPatch')) },
          responses: { '200': { description: 'The updated tool', content: json(ref('Tool')) }, ...validationAndAuth, '404': errorResponse('No such tool') },
        },
        delete: {
          tags: ['tools'],
          summary: 'Delete a tool',
          security: [{ adminApiKey: [] }],
          responses: { '204': { description: 'Deleted' }, '401': validationAndAuth['401'], '404': errorResponse('No such tool') },
        },
      },
      '/health/live': { get: { tags: ['health'], summary: 'Process is up', responses: { '200': { description: 'Up' } } } },
      '/health/ready': {
        get: {
          tags: ['health'],
          summary: 'Dependencies reachable (store: critical; cache: degraded only)',
          responses: { '200': { description: 'ok or degraded' }, '503': { description: 'A critical dependency is down, or shutting down' } },
        },
      },
      '/metrics': { get: { tags: ['health'], summary: 'Prometheus metrics', responses: { '200': { description: 'Text exposition format' } } } },
    },
    components: {
      securitySchemes: { adminApiKey: { type: 'http', scheme: 'bearer', description: 'The ADMIN_API_KEY secret' } },
      schemas: {
        ToolInput: toolInput,
        ToolPatch: jsonSchemaOf(toolPatchSchema),
        Tool: {
          type: 'object',
          required: [...toolRequired, 'createdAt', 'updatedAt'],
          properties: { ...toolProperties, createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' } },
        },
        ToolPage: {
          type: 'object',
          required: ['items', 'total', 'nextCursor'],
          properties: {
            items: { type: 'array', items: ref('Tool') },
            total: { type: 'integer', minimum: 0, description: 'Number of tools matching the query, over all pages' },
            nextCursor: { type: ['string', 'null'], description: 'null on the last page' },
          },
        },
        ToolFacets: {
          type: 'object',
          required: ['categories', 'pricing', 'platforms', 'total'],
          description: 'Every value of each vocabulary, in display order, zero counts included.',
          properties: {
            categories: facetCount(TOOL_CATEGORIES),
            pricing: facetCount(PRICING_MODELS),
            platforms: facetCount(TOOL_PLATFORMS),
            total: { type: 'integer', minimum: 0 },
          },
        },
        ApiError: {
          type: 'object',
          required: ['statusCode', 'error', 'code', 'message'],
          properties: {
            statusCode: { type: 'integer' },
            error: { type: 'string' },
            code: { type: 'string', examples: ['CV_ERR_VALIDATION', 'CV_ERR_NOT_FOUND'] },
            message: { type: 'string' },
            requestId: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
