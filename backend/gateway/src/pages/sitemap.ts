import { escapeXml } from './html-escape.js';
import { toolPageUrl } from './tool-page-head.js';

/** A published tool as the sitemap lists it. */
export interface SitemapTool {
  slug: string;
  updatedAt: string;
}

/** The sitemap protocol's limit of URLs in one file. */
export const SITEMAP_MAX_URLS = 50_000;

/** The paths of the sitemap files of `count` tools: one file, or an index and one file per chunk. */
export function sitemapChunks(count: number): number {
  // The home page takes one URL of the first file.
  return Math.max(1, Math.ceil((count + 1) / SITEMAP_MAX_URLS));
}

/** A `<urlset>` with the home page (first chunk only) and the tool pages of one chunk. */
export function renderUrlSet(tools: readonly SitemapTool[], origin: string, withHome: boolean): string {
  const urls = tools.map(
    (tool) => `  <url><loc>${escapeXml(toolPageUrl(origin, tool.slug))}</loc><lastmod>${escapeXml(tool.updatedAt)}</lastmod></url>`,
  );
  if (withHome) urls.unshift(`  <url><loc>${escapeXml(`${origin}/`)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/** A `<sitemapindex>` naming `chunks` files at `/sitemaps/tools-<n>.xml`. */
export function renderSitemapIndex(chunks: number, origin: string): string {
  const entries = Array.from({ length: chunks }, (_, index) => `  <sitemap><loc>${escapeXml(`${origin}/sitemaps/tools-${index + 1}.xml`)}</loc></sitemap>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</sitemapindex>\n`;
}

/**
 * robots.txt: everything public may be crawled but the admin pages, the APIs and the pages that
 * are views of a query (AI search answers, comparisons); the sitemap lists every tool.
 */
export function renderRobots(origin: string): string {
  return ['User-agent: *', 'Allow: /', 'Disallow: /admin', 'Disallow: /api/', 'Disallow: /ai/', 'Disallow: /mcp', 'Disallow: /ask', 'Disallow: /compare', '', `Sitemap: ${origin}/sitemap.xml`, ''].join('\n');
}
