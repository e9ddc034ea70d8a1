import type { AddressInfo } from 'node:net';
import { createLogger } from '@codiesvibe/shared';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createToolsApiClient } from '../src/tools-api/tools-api.factory.js';
import { connectHttpClient } from './support/mcp-clients.js';

interface LogLine {
  level: string;
  msg: string;
  route?: string;
  method?: string;
}

describe('the request log of /mcp', () => {
  const lines: LogLine[] = [];
  let app: FastifyInstance;
  let client: Client;
  const completed = () =>
    lines.filter(
      (line) => line.msg === 'request completed' && line.route === '/mcp' && line.method === 'POST',
    );

  beforeAll(async () => {
    const logger = createLogger({
      service: 'mcp-server',
      env: 'test',
      instanceId: 'test',
      level: 'debug',
      destination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
    });
    // list_tools never calls the tools API: an address nothing listens on is enough.
    app = buildApp({
      toolsApi: createToolsApiClient({ TOOLS_API_URL: 'http://127.0.0.1:9', TOOLS_API_TIMEOUT_MS: 500 }),
      logger,
      instanceId: 'test',
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    client = await connectHttpClient(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/mcp`);
  });
  afterAll(async () => {
    await client?.close();
    await app?.close();
  });

  it("logs a client's ping at debug, as health probes are, and real calls at info", async () => {
    // The client's `initialized` notification is posted after connect returns: its line first
    // (and its GET for a stream, which the stateless server refuses, is no POST).
    await expect.poll(() => completed().length).toBe(2);
    lines.length = 0;
    await client.ping();
    expect(completed().map((line) => line.level)).toEqual(['debug']);

    lines.length = 0;
    await client.listTools();
    expect(completed().map((line) => line.level)).toEqual(['info']);
  });
});
