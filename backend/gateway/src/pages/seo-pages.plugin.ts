import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@codiesvibe/shared';
import { renderPage } from './page-template.js';
import type { DirectoryReader, TemplateSource } from './page-sources.js';
import { SITEMAP_MAX_URLS, renderRobots, renderSitemapIndex, renderUrlSet, sitemapChunks, type SitemapTool } from './sitemap.js';
import { SITE_NAME, toolPageHead, toolPageNoscript } from './tool-page-head.js';

/** How long the list of published tools behind the sitemap is reused before it is read again. */
export const SITEMAP_TTL_MS = 5 * 60_000;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A host header worth echoing into a canonical URL: a name or address with an optional port. */
const SAFE_HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;
/** Rendered pages link hashed assets of the current build: revalidate, like index.html itself. */
const PAGE_CACHE = 'no-cache';

export interface SeoPagesOptions {
  template: TemplateSource;
  directory: DirectoryReader;
  /** PUBLIC_URL: the site's public origin for canonical URLs; else taken from the request. */
  publicUrl: URL | undefined;
  logger: Logger;
}

/** The origin canonical URLs use: PUBLIC_URL, else the request's (trusted-proxy aware) scheme and host. */
function originFor(request: FastifyRequest, publicUrl: URL | undefined): string {
  if (publicUrl) return publicUrl.origin;
  const host = SAFE_HOST.test(request.host) ? request.host : 'localhost';
  return `${request.protocol === 'https' ? 'https' : 'http'}://${host}`;
}

/** The published tools, read at most every SITEMAP_TTL_MS; a failed refresh keeps the last list. */
function cachedToolList(directory: DirectoryReader, logger: Logger): () => Promise<SitemapTool[]> {
  let cached: { at: number; tools: SitemapTool[] } | undefined;
  let refreshing: Promise<SitemapTool[]> | undefined;
  const refresh = () =>
    (refreshing ??= directory
      .allTools()
      .then((tools) => {
        cached = { at: Date.now(), tools };
        return tools;
      })
      .finally(() => {
        refreshing = undefined;
      }));
  return async () => {
    if (!cached) return refresh();
    if (Date.now() - cached.at > SITEMAP_TTL_MS) {
      // Stale: answer with what we have and refresh behind it.
      refresh().catch((error: Error) => logger.warn({ err: error }, 'sitemap: reading the tool list failed; serving the previous one'));
    }
    return cached.tools;
  };
}

/**
 * Pages the gateway renders on request so that what a crawler or a link preview reads before any
 * JavaScript is right: a tool page's title, description, canonical URL, OpenGraph and JSON-LD
 * (`/tools/:slug`, from the built app's index.html and the tool from nestjs-api), `/sitemap.xml`
 * listing every published tool, and `/robots.txt`.
 */
export function registerSeoPages(app: FastifyInstance, options: SeoPagesOptions): void {
  const { template, directory, publicUrl, logger } = options;
  const toolList = cachedToolList(directory, logger);

  const sendHtml = (reply: FastifyReply, status: number, html: string) =>
    reply.code(status).header('cache-control', PAGE_CACHE).type('text/html; charset=utf-8').send(html);

  app.get<{ Params: { slug: string } }>('/tools/:slug', async (request, reply) => {
    const html = await template();
    if (html === undefined) return reply.callNotFound();
    const { slug } = request.params;
    let tool;
    try {
      tool = SLUG.test(slug) ? await directory.tool(slug) : null;
    } catch (error) {
      // The API is away: the plain app still loads, and says so itself.
      request.log.warn({ err: error, slug }, 'tool page rendered without its metadata');
      return sendHtml(reply, 200, html);
    }
    if (!tool) {
      return sendHtml(
        reply,
        404,
        renderPage(html, { title: `Tool not found · ${SITE_NAME}`, headTags: '<meta name="robots" content="noindex" />' }),
      );
    }
    const head = toolPageHead(tool, originFor(request, publicUrl));
    return sendHtml(reply, 200, renderPage(html, { title: head.title, description: head.description, headTags: head.tags, bodyStart: toolPageNoscript(tool) }));
  });

  const sendXml = (reply: FastifyReply, xml: string) =>
    reply.header('cache-control', 'public, max-age=300').type('application/xml; charset=utf-8').send(xml);

  app.get('/sitemap.xml', async (request, reply) => {
    const tools = await toolList();
    const origin = originFor(request, publicUrl);
    const chunks = sitemapChunks(tools.length);
    return sendXml(reply, chunks === 1 ? renderUrlSet(tools, origin, true) : renderSitemapIndex(chunks, origin));
  });

  app.get<{ Params: { file: string } }>('/sitemaps/:file', async (request, reply) => {
    const chunk = Number(/^tools-(\d{1,4})\.xml$/.exec(request.params.file)?.[1] ?? 0);
    const tools = await toolList();
    if (chunk < 1 || chunk > sitemapChunks(tools.length)) return reply.callNotFound();
    // The first chunk also lists the home page, so it holds one tool fewer.
    const start = chunk === 1 ? 0 : chunk * SITEMAP_MAX_URLS - SITEMAP_MAX_URLS - 1;
    const end = chunk * SITEMAP_MAX_URLS - 1;
    return sendXml(reply, renderUrlSet(tools.slice(start, end), originFor(request, publicUrl), chunk === 1));
  });

  app.get('/robots.txt', (request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/plain; charset=utf-8').send(renderRobots(originFor(request, publicUrl))),
  );
}
