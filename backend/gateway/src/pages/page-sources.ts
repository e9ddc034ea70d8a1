import { stat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toolSchema, type Tool } from '@codiesvibe/shared/domain';
import { TOOLS_API_LIMITS, toolPageSchema, toolsApiPaths } from '@codiesvibe/shared/tools-api';
import type { Upstream } from '../upstream/upstream.js';
import type { SitemapTool } from './sitemap.js';

/** How long a fetched index.html of the frontend upstream is reused. */
const UPSTREAM_TEMPLATE_TTL_MS = 10_000;
/** The app's index.html, the page every rendered page starts from; undefined while it is not built. */
export type TemplateSource = () => Promise<string | undefined>;

/** index.html of a built frontend folder, read again only when the file changes. */
export function fileTemplate(directory: string): TemplateSource {
  const path = join(directory, 'index.html');
  let cached: { mtimeMs: number; html: string } | undefined;
  return async () => {
    const info = await stat(path).catch(() => undefined);
    if (!info) return undefined;
    if (cached?.mtimeMs !== info.mtimeMs) cached = { mtimeMs: info.mtimeMs, html: await readFile(path, 'utf8') };
    return cached.html;
  };
}

/** The first available replica's origin, or the configured address while none is known yet. */
function originOf(upstream: Upstream, fallback: URL | undefined): string | undefined {
  return upstream.pick(Date.now())?.origin ?? fallback?.origin;
}

/** index.html as the frontend upstream serves it (nginx or Vite), reused for a few seconds. */
export function upstreamTemplate(upstream: Upstream, fallback: URL | undefined, timeoutMs: number): TemplateSource {
  let cached: { at: number; html: string } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < UPSTREAM_TEMPLATE_TTL_MS) return cached.html;
    const origin = originOf(upstream, fallback);
    if (!origin) return cached?.html;
    try {
      const response = await fetch(`${origin}/`, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) return cached?.html;
      cached = { at: Date.now(), html: await response.text() };
      return cached.html;
    } catch {
      return cached?.html;
    }
  };
}

/** Reads published tools from nestjs-api through the gateway's own upstream (balanced, health-aware). */
export class DirectoryReader {
  constructor(
    private readonly upstream: Upstream,
    private readonly fallback: URL | undefined,
    private readonly timeoutMs: number,
  ) {}

  private async get(path: string): Promise<Response> {
    const origin = originOf(this.upstream, this.fallback);
    if (!origin) throw new Error('no nestjs-api replica is available');
    return fetch(`${origin}${path}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
  }

  /** The tool, or null when the directory has none of that slug; throws when the API fails. */
  async tool(slug: string): Promise<Tool | null> {
    const response = await this.get(toolsApiPaths.tool(slug));
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`nestjs-api answered ${response.status} for tool ${slug}`);
    }
    return toolSchema.parse(await response.json());
  }

  /** Every published tool's slug and last change, following the list's cursor. */
  async allTools(): Promise<SitemapTool[]> {
    const tools: SitemapTool[] = [];
    let cursor: string | null = null;
    do {
      // The largest page the tools API serves, in a stable order.
      const response = await this.get(toolsApiPaths.list({}, { sort: 'name', limit: TOOLS_API_LIMITS.pageSize.max, cursor }));
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`nestjs-api answered ${response.status} while listing tools`);
      }
      const page = toolPageSchema.parse(await response.json());
      for (const item of page.items) tools.push({ slug: item.slug, updatedAt: item.updatedAt });
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }
}
