import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { withSpan } from '@codiesvibe/shared';
import type { SearchIntent, Tool } from '@codiesvibe/shared/domain';
import { TOOLS_API_LIMITS } from '@codiesvibe/shared/tools-api';
import { mergeCandidates, retrievalPlan, type CandidateSource, type RetrievalStep } from './candidate-source.js';
import { retrieveInMemory } from './in-memory.retrieval.js';
import { sessionFetch } from './mcp-session.fetch.js';
import { mcpSearchResultSchema, parseMcpTool } from './mcp-tool.schema.js';

export interface McpCandidateSourceOptions {
  /** The Streamable HTTP endpoint, e.g. http://mcp-server:3001/mcp. */
  url: string;
  /** Budget of one MCP request. */
  requestTimeoutMs: number;
  clientName?: string;
  clientVersion?: string;
}

/** mcp-server could not be reached or answered an error; AI search cannot retrieve candidates. */
export class McpUnavailableError extends Error {
  override readonly name = 'McpUnavailableError';
}

/** search_tools returns at most this many tools per call (the tools API's page size). */
const MCP_PAGE_SIZE = TOOLS_API_LIMITS.pageSize.max;

function describe(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}

/** What the pages of one search_tools query gave: its tools, how many match in all, and whether none is left out. */
interface SearchAnswer {
  tools: Tool[];
  total: number;
  complete: boolean;
}

const isUnfiltered = (step: RetrievalStep) => Object.keys(step).length === 0;

/**
 * The production candidate source: mcp-server as an MCP client over Streamable HTTP.
 * `search_tools` takes the query's free words and the intent's filters and answers with the full
 * tool records the ranker needs, so a retrieval step is one MCP call, never one call per
 * candidate, and nothing is cached here that could go stale.
 *
 * A directory that fits within the limit is fetched whole, in one call. The plan ends with the
 * unfiltered step, so the staged steps would hand the ranker all of it whatever the filters, which
 * only order it; with a few tools every search ran every step (up to four calls) to get there.
 * The plan then runs in memory over the whole directory, with the directory API's matching. Within
 * the words' step that gives name order instead of the directory's relevance order (and a
 * misspelt word is not read as the directory would spell it): the same set, and the ranker
 * orders by its own score, then by name.
 *
 * Whether the directory fits is known from search_tools itself, at no extra cost: every answer
 * says how many tools match in all and whether a page follows. The size last seen only picks the
 * path to try first; a whole-directory answer is used only when it shows it left nothing out, so
 * tools added or deleted through nestjs-api between searches cannot make an answer wrong. A
 * directory grown past the limit costs the search that notices it one extra call, then the steps
 * run; one shrunk below it is noticed by the next search that reaches the unfiltered step, which
 * every search does while the directory is under the limit. A separate count would add a call to
 * every search to save calls on some.
 */
export class McpCandidateSource implements CandidateSource {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  /**
   * The directory's size as the last unfiltered search_tools call reported it. Unknown at first,
   * and then the whole directory is tried: with a large one that costs the first search (the
   * start-up warm-up) one call.
   */
  private directorySize: number | undefined;

  constructor(private readonly options: McpCandidateSourceOptions) {}

  async findCandidates(intent: SearchIntent, limit: number): Promise<Tool[]> {
    if (this.directorySize === undefined || this.directorySize <= limit) {
      const whole = await this.searchAll({}, limit);
      this.directorySize = whole.total;
      if (whole.complete) return retrieveInMemory(whole.tools, intent, limit);
    }
    return this.retrieveInSteps(intent, limit);
  }

  /** The plan step by step, a relaxed step only while the stricter ones left the limit unfilled. */
  private async retrieveInSteps(intent: SearchIntent, limit: number): Promise<Tool[]> {
    const found: Tool[] = [];
    const seen = new Set<string>();
    for (const step of retrievalPlan(intent)) {
      if (found.length >= limit) break;
      const answer = await this.searchAll(step, limit);
      if (isUnfiltered(step)) this.directorySize = answer.total;
      mergeCandidates(found, seen, answer.tools, limit);
    }
    return found;
  }

  async ping(): Promise<void> {
    const client = await this.connect();
    await this.guard('ping', () => client.ping({ timeout: this.options.requestTimeoutMs }));
  }

  async close(): Promise<void> {
    await this.disconnect();
  }

  /** Drops the connection; the next call connects again. */
  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    await client?.close().catch(() => undefined);
  }

  private async searchAll(filters: RetrievalStep, limit: number): Promise<SearchAnswer> {
    const found: Tool[] = [];
    let total: number;
    let cursor: string | undefined;
    do {
      const args: Record<string, unknown> = { limit: Math.min(MCP_PAGE_SIZE, limit - found.length) };
      if (filters.text) args.query = filters.text;
      if (filters.categories) args.category = filters.categories;
      if (filters.platforms) args.platform = filters.platforms;
      if (filters.pricing) args.pricing = filters.pricing;
      if (filters.openSource !== undefined) args.openSource = filters.openSource;
      if (cursor) args.cursor = cursor;
      const result = mcpSearchResultSchema.parse(await this.callTool('search_tools', args));
      // A record that is not a tool (an older mcp-server answering summaries) is left out.
      for (const item of result.tools) {
        const tool = parseMcpTool(item);
        if (tool) found.push(tool);
      }
      total = result.total;
      cursor = result.nextCursor ?? undefined;
    } while (cursor && found.length < limit);
    return { tools: found, total, complete: cursor === undefined };
  }

  private async callTool(name: string, args: Record<string, unknown>): Promise<unknown> {
    const client = await this.connect();
    // The client span of the MCP call, named by tool: its HTTP request to mcp-server hangs below it.
    const result = await withSpan(
      `tools/call ${name}`,
      { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': name },
      () => this.guard(name, () => client.callTool({ name, arguments: args }, undefined, { timeout: this.options.requestTimeoutMs })),
      'client',
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
      const transport = new StreamableHTTPClientTransport(new URL(this.options.url), { fetch: sessionFetch() });
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
