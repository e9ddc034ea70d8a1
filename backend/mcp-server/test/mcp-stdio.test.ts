import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { callTool, firstText } from './support/mcp-clients.js';
import { startRecordingProxy, type RecordingProxy } from '@codiesvibe/shared/testing';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * The SDK's real stdio client, spawning the stdio entry from source (tsx, `@codiesvibe/source` condition), as
 * a desktop assistant spawns `node dist/stdio.js`. Collects stderr to check where logs go.
 */
async function spawnStdioClient(toolsApiUrl: string): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      '--conditions=@codiesvibe/source',
      'src/stdio.ts',
      '--tools-api-url',
      toolsApiUrl,
    ],
    cwd: PACKAGE_DIR,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', NODE_ENV: 'test' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'mcp-server-stdio-tests', version: '1.0.0' });
  // Any non-JSON-RPC byte on stdout would make the client report an error here.
  const protocolErrors: Error[] = [];
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  return {
    client,
    stderr: () => {
      if (protocolErrors.length > 0)
        throw new Error(`stdout carried non-protocol output: ${protocolErrors[0]?.message}`);
      return stderr;
    },
  };
}

describe('MCP over stdio against the real nestjs-api, with the SDK client', () => {
  let session: { client: Client; stderr: () => string };

  beforeAll(async () => {
    session = await spawnStdioClient(inject('nestjsApiUrl'));
  });
  afterAll(async () => {
    await session?.client.close();
  });

  it('serves the same tools and resources as over HTTP', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'compare_tools',
      'get_tool',
      'list_categories',
      'search_tools',
    ]);
    const search = await callTool(session.client, 'search_tools', {
      query: 'terminal',
      category: ['terminal'],
      limit: 5,
    });
    expect(search.isError).toBeFalsy();
    expect(
      (search.structuredContent as { tools: { categories: string[] }[] }).tools.every((tool) =>
        tool.categories.includes('terminal'),
      ),
    ).toBe(true);
    const compared = await callTool(session.client, 'compare_tools', { slugs: ['aider', 'claude-code'] });
    expect(firstText(compared).split('\n')[0]).toBe('| | Aider | Claude Code |');
    const { contents } = await session.client.readResource({ uri: 'tool://ollama' });
    expect(contents[0]).toMatchObject({ mimeType: 'text/markdown' });
  });

  it('names the wrong argument', async () => {
    const result = await callTool(session.client, 'search_tools', { openSource: 'yes' });
    expect(result.isError).toBe(true);
    expect(firstText(result)).toMatch(/Invalid arguments for tool search_tools: .* at openSource/);
  });

  it('logs JSON lines to stderr only', () => {
    const lines = session.stderr().trim().split('\n');
    const ready = lines
      .map((line) => JSON.parse(line) as { msg: string; service: string })
      .find((line) => line.msg.includes('ready on stdio'));
    expect(ready?.service).toBe('mcp-server-stdio');
  });
});

describe('MCP over stdio, seen through a recording proxy', () => {
  let directory: RecordingProxy;
  let session: { client: Client; stderr: () => string };

  // The proxy records request headers and can be stopped mid-session; the nestjs-api behind it is shared.
  beforeAll(async () => {
    directory = await startRecordingProxy(inject('nestjsApiUrl'));
    session = await spawnStdioClient(directory.url);
  });
  afterAll(async () => {
    await session?.client.close();
    await directory?.close();
  });

  it('gives each call its own request id towards nestjs-api', async () => {
    await callTool(session.client, 'get_tool', { slug: 'aider' });
    await callTool(session.client, 'get_tool', { slug: 'cursor' });
    const ids = directory.received
      .filter((request) => /^\/api\/tools\/(aider|cursor)$/.test(request.path))
      .map((request) => request.headers['x-request-id']);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers a tool error, not a crash, when nestjs-api goes down', async () => {
    await directory.close();
    const result = await callTool(session.client, 'get_tool', { slug: 'aider' });
    expect(result.isError).toBe(true);
    expect(firstText(result)).toContain('MCP_ERR_TOOLS_API_UNREACHABLE');
    expect((await session.client.listTools()).tools).toHaveLength(4);
  });
});
