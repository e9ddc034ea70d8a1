import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '@codiesvibe/shared/domain';
import { startApiServer, type ApiServer } from './support/api-server.js';

/*
 * The served OpenAPI document against the running API: every route the server answers is in the
 * document and every documented route is served; every documented query parameter is accepted
 * with a value of its documented schema, and a parameter the document does not name is refused.
 */

interface Parameter {
  name: string;
  in: 'query' | 'path';
  schema: { type: string; enum?: string[]; default?: unknown; items?: { enum?: string[]; pattern?: string } };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
}

/** `METHOD /path/:param` for every route Fastify registered (its route tree, HEAD left out). */
function servedRoutes(tree: string): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (prefixes[depth - 1] ?? '') + (match[2] ?? '');
    prefixes[depth] = path;
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD'))
      routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    .sort();
}

/** A value the parameter's documented schema accepts. */
function sampleOf(parameter: Parameter): string[] {
  const { schema } = parameter;
  if (schema.enum) return [schema.enum.at(-1) ?? ''];
  if (schema.type === 'array')
    return schema.items?.enum ? schema.items.enum.slice(0, 2) : ['python', 'agent'];
  if (schema.type === 'boolean') return ['true'];
  if (schema.type === 'integer') return [String(schema.default)];
  return ['agent'];
}

describe('the served OpenAPI document', () => {
  let api: ApiServer;
  let document: OpenApiDocument;

  beforeAll(async () => {
    api = await startApiServer();
    document = (await (await fetch(`${api.url}/api/docs/openapi.json`)).json()) as OpenApiDocument;
  });
  afterAll(() => api.close());

  it('documents every route the API serves, and only those', () => {
    const tree = api.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
    expect(documentedRoutes(document)).toEqual(servedRoutes(tree));
    expect(servedRoutes(tree)).toContain('PATCH /api/tools/:slug');
  });

  it('names every query parameter the API accepts, with schemas the API agrees with', async () => {
    const firstPage = (await (await fetch(`${api.url}/api/tools?limit=1`)).json()) as { nextCursor: string };
    for (const [path, item] of Object.entries(document.paths)) {
      const parameters = (item.get?.parameters ?? []).filter((parameter) => parameter.in === 'query');
      for (const parameter of parameters) {
        // A cursor is only valid as the API handed it out, for the same query.
        const values = parameter.name === 'cursor' ? [firstPage.nextCursor] : sampleOf(parameter);
        const query = new URLSearchParams(values.map((value): [string, string] => [parameter.name, value]));
        const answer = await fetch(`${api.url}${path}?${query.toString()}`);
        expect(answer.status, `${path}?${query.toString()}: ${await answer.clone().text()}`).toBe(200);
      }
      if (parameters.length === 0) continue;
      const unknown = await fetch(`${api.url}${path}?undocumented=1`);
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as ApiErrorBody).errors).toEqual([
        {
          field: 'undocumented',
          message: expect.stringContaining('is not a known query parameter') as unknown,
        },
      ]);
    }
  });
});
