import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { SearchIntent, Tool } from '@codiesvibe/shared/domain';
import { mergeCandidates, retrievalPlan, type CandidateSource } from './candidate-source.js';
import { toolSummarySchema } from '@codiesvibe/shared/domain';
import { mcpSearchResultSchema, parseMcpTool } from './mcp-tool.schema.js';

export interface McpCandidateSourceOptions {
  /** The Streamable HTTP endpoint, e.g. http://mcp-server:3001/mcp. */
  url: string;
  /** Budget of one MCP request. */
  requestTimeoutMs: number;
  /** How long a full tool fetched with get_tool is trusted before it is refreshed (in the background). */
  toolTtlMs: number;
  clientName?: string;
  clientVersion?: string;
}

/** mcp-server could not be reached or answered an error; AI search cannot retrieve candidates. */
export class McpUnavailableError extends Error {
  override readonly name = 'McpUnavailableError';
}

interface CachedTool {
  /** The search summary the tool was fetched for: a changed summary means a changed tool. */
  summaryKey: string;
  tool: Tool;
  fetchedAt: number;
}

/** search_tools returns at most this many tools per page. */
const MCP_PAGE_SIZE = 50;
/** get_tool calls in flight at once, so a cold cache does not flood mcp-server. */
const GET_TOOL_CONCURRENCY = 8;

function describe(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}

/**
 * The production candidate source: mcp-server as an MCP client over Streamable HTTP.
 * search_tools pages give the candidates (summaries); get_tool fills in the full text the
 * ranker needs, cached per slug and refetched when the summary changes or the entry is old.
 */
export class McpCandidateSource implements CandidateSource {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private readonly tools = new Map<string, CachedTool>();
  private refreshing: Promise<void> | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly options: McpCandidateSourceOptions) {}

  async findCandidates(intent: SearchIntent, limit: number): Promise<Tool[]> {
    const found: { slug: string; key: string }[] = [];
    const seen = new Set<string>();
    for (const filters of retrievalPlan(intent)) {
      if (found.length >= limit) break;
      mergeCandidates(found, seen, await this.searchAll(filters, limit), limit);
    }
    return this.fullTools(found);
  }

  async ping(): Promise<void> {
    const client = await this.connect();
    await this.guard('ping', () => client.ping({ timeout: this.options.requestTimeoutMs }));
  }

  async close(): Promise<void> {
    await this.refreshing;
    await this.disconnect();
  }

  /** Drops the connection; the next call connects again. */
  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    await client?.close().catch(() => undefined);
  }

  private async searchAll(
    filters: ReturnType<typeof retrievalPlan>[number],
    limit: number,
  ): Promise<{ slug: string; key: string }[]> {
    const found: { slug: string; key: string }[] = [];
    let cursor: string | undefined;
    do {
      const args: Record<string, unknown> = { limit: Math.min(MCP_PAGE_SIZE, limit - found.length) };
      if (filters.categories) args.category = filters.categories;
      if (filters.platforms) args.platform = filters.platforms;
      if (filters.pricing) args.pricing = filters.pricing;
      if (filters.openSource !== undefined) args.openSource = filters.openSource;
      if (cursor) args.cursor = cursor;
      const result = mcpSearchResultSchema.parse(await this.callTool('search_tools', args));
      for (const item of result.tools) {
        const summary = toolSummarySchema.safeParse(item);
        if (summary.success) found.push({ slug: summary.data.slug, key: JSON.stringify(summary.data) });
      }
      cursor = result.nextCursor ?? undefined;
    } while (cursor && found.length < limit);
    return found;
  }

  private async fullTools(found: { slug: string; key: string }[]): Promise<Tool[]> {
    const now = Date.now();
    const missing: { slug: string; key: string }[] = [];
    const old: { slug: string; key: string }[] = [];
    for (const entry of found) {
      const cached = this.tools.get(entry.slug);
      if (!cached || cached.summaryKey !== entry.key) missing.push(entry);
      else if (now - cached.fetchedAt > this.options.toolTtlMs) old.push(entry);
    }
    // Unknown or visibly changed tools are fetched before answering; tools that are merely old are
    // answered from the cache and refreshed behind the answer, so no query pays for a refresh.
    await this.fetchTools(missing);
    if (old.length > 0 && !this.refreshing) {
      this.refreshing = this.fetchTools(old)
        .catch(() => undefined)
        .finally(() => {
          this.refreshing = undefined;
        });
    }
    return found.flatMap(({ slug }) => {
      const cached = this.tools.get(slug);
      return cached ? [cached.tool] : [];
    });
  }

  /** get_tool for each entry, a few at a time. */
  private async fetchTools(entries: readonly { slug: string; key: string }[]): Promise<void> {
    for (let start = 0; start < entries.length; start += GET_TOOL_CONCURRENCY) {
      await Promise.all(
        entries
          .slice(start, start + GET_TOOL_CONCURRENCY)
          .map((entry) => this.fetchTool(entry.slug, entry.key)),
      );
    }
  }

  /** One get_tool per slug at a time, shared by concurrent queries; a tool that vanished is dropped. */
  private fetchTool(slug: string, key: string): Promise<void> {
    const running = this.inFlight.get(slug);
    if (running) return running;
    const task = (async () => {
      const tool = parseMcpTool(await this.callTool('get_tool', { slug }).catch(() => undefined));
      if (tool) this.tools.set(slug, { summaryKey: key, tool, fetchedAt: Date.now() });
      else this.tools.delete(slug);
    })().finally(() => this.inFlight.delete(slug));
    this.inFlight.set(slug, task);
    return task;
  }

  private async callTool(name: string, args: Record<string, unknown>): Promise<unknown> {
    const client = await this.connect();
    const result = await this.guard(name, () =>
      client.callTool({ name, arguments: args }, undefined, { timeout: this.options.requestTimeoutMs }),
    );
    if (result.isError) {
      const content = Array.isArray(result.content)
        ? (result.content as { type: string; text?: string }[])
        : [];
      const text = content.find((part) => part.type === 'text')?.text ?? 'tool error';
      throw new McpUnavailableError(`mcp-server ${name} failed: ${text}`);
    }
    return result.structuredContent;
  }

  /** Runs an MCP request; a transport failure drops the connection so the next call reconnects. */
  private async guard<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      await this.disconnect();
      throw new McpUnavailableError(`mcp-server ${what} failed: ${describe(error)}`, { cause: error });
    }
  }

  private async connect(): Promise<Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = new Client({
        name: this.options.clientName ?? 'codiesvibe-fastify-api',
        version: this.options.clientVersion ?? '0.1.0',
      });
      const transport = new StreamableHTTPClientTransport(new URL(this.options.url));
      try {
        await client.connect(transport, { timeout: this.options.requestTimeoutMs });
      } catch (error) {
        this.connecting = undefined;
        await client.close().catch(() => undefined);
        throw new McpUnavailableError(
          `mcp-server at ${this.options.url} is unreachable: ${describe(error)}`,
          { cause: error },
        );
      }
      this.client = client;
      return client;
    })();
    return this.connecting;
  }
}
