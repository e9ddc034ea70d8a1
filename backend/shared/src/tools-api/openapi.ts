import { z } from 'zod';
import { toolInputSchema, toolPatchSchema } from '../domain/tool.js';
import { SLUG_PARAM, type QueryParam } from './query-params.js';
import { apiErrorBodySchema, toolFacetsSchema, toolPageSchema, toolSchema } from './response-schemas.js';
import {
  TOOLS_API_ROUTES,
  type ToolsApiResponse,
  type ToolsApiRoute,
  type ToolsApiSchemaName,
} from './routes.js';
import { SUBMISSION_SCHEMAS } from './submissions.js';

type JsonObject = Record<string, unknown>;

const SCHEMAS: Record<ToolsApiSchemaName, z.ZodType> = {
  Tool: toolSchema,
  ToolInput: toolInputSchema,
  ToolPatch: toolPatchSchema,
  ToolPage: toolPageSchema,
  ToolFacets: toolFacetsSchema,
  ApiError: apiErrorBodySchema,
  ...SUBMISSION_SCHEMAS,
};

/** The component schemas, with references between them (a page's items are `Tool`s). */
function componentSchemas(): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` }) as {
    schemas: Record<string, JsonObject>;
  };
  // OpenAPI 3.1 embeds JSON Schema without the `$schema` and `$id` members.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...rest }]) => [id, rest]),
  );
}

function schemaOfParam(param: QueryParam): JsonObject {
  switch (param.kind) {
    case 'text':
      return { type: 'string', maxLength: param.maxLength };
    case 'list': {
      const items: JsonObject = { type: 'string' };
      if (param.values) items.enum = [...param.values];
      if (param.pattern) items.pattern = param.pattern.source;
      if (param.maxLength !== undefined) items.maxLength = param.maxLength;
      return { type: 'array', items, maxItems: param.maxItems };
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'choice':
      return { type: 'string', enum: [...param.values], default: param.default };
    case 'integer':
      return { type: 'integer', minimum: param.minimum, maximum: param.maximum, default: param.default };
    case 'token':
      return { type: 'string', pattern: param.pattern.source, maxLength: param.maxLength };
  }
}

function queryParameter(param: QueryParam): JsonObject {
  const parameter: JsonObject = {
    name: param.name,
    in: 'query',
    description: param.description,
    schema: schemaOfParam(param),
  };
  if (param.kind === 'list') {
    parameter.description = `${param.description} Repeat the parameter or separate values with commas; values are ORed.`;
    Object.assign(parameter, { style: 'form', explode: true });
  }
  return parameter;
}

const slugParameter = {
  name: SLUG_PARAM.name,
  in: 'path',
  required: true,
  description: SLUG_PARAM.description,
  schema: { type: 'string', pattern: SLUG_PARAM.pattern.source, maxLength: SLUG_PARAM.maxLength },
};

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The submission’s id (a UUID).',
  schema: { type: 'string', format: 'uuid' },
};

function response({ description, schema, contentType }: ToolsApiResponse): JsonObject {
  if (schema)
    return {
      description,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
    };
  return contentType ? { description, content: { [contentType]: {} } } : { description };
}

function operation(route: ToolsApiRoute): JsonObject {
  const parameters = [
    ...(route.slug ? [slugParameter] : []),
    ...(route.pathParam === 'id' ? [idParameter] : []), ...(route.query ?? []).map(queryParameter)];
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description && { description: route.description }),
    ...(parameters.length > 0 && { parameters }),
    ...(route.admin && { security: [{ adminApiKey: [] }] }),
    ...(route.body && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } } },
      },
    }),
    responses: Object.fromEntries(
      Object.entries(route.responses).map(([status, answer]) => [status, response(answer)]),
    ),
  };
}

/**
 * The OpenAPI 3.1 document of the tools API, generated from the contract: routes, parameters
 * and their limits, request and response schemas, the error shape. nestjs-api serves it at
 * `/api/docs/openapi.json`.
 */
export function buildToolsApiOpenApi(options: { version?: string } = {}): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of TOOLS_API_ROUTES) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CodiesVibe tools directory API',
      version: options.version ?? '1.0.0',
      description:
        'The directory of AI developer tools: filtered, full-text searched and cursor-paginated reads (cached), and admin writes. ' +
        'Every error answers an `ApiError` with a stable `code`.',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'tools' }, { name: 'submissions' }, { name: 'health' }, { name: 'docs' }],
    paths,
    components: {
      securitySchemes: {
        adminApiKey: { type: 'http', scheme: 'bearer', description: 'The ADMIN_API_KEY secret' },
      },
      schemas: componentSchemas(),
    },
  };
}
