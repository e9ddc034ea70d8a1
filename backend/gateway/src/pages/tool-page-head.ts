import type { Tool } from '@codiesvibe/shared/domain';
import { escapeHtml, jsonForScript } from './html-escape.js';

export const SITE_NAME = 'CodiesVibe';

/** Where the app finds the tool a server-rendered page embeds, so it need not fetch it again. */
export const EMBEDDED_TOOL_ID = 'codiesvibe-tool';

/** The public address of a tool's page. */
export function toolPageUrl(origin: string, slug: string): string {
  return `${origin}/tools/${slug}`;
}

/** One line for search results and link previews: the tagline, completed by the description when short. */
function describe(tool: Tool): string {
  const text = tool.tagline.endsWith('.') ? tool.tagline : `${tool.tagline}.`;
  const more = tool.description.replace(/\s+/g, ' ').trim();
  const combined = more && text.length < 110 ? `${text} ${more}` : text;
  return combined.length > 160 ? `${combined.slice(0, 157).replace(/\s+\S*$/, '')}…` : combined;
}

/** schema.org SoftwareApplication of a tool, as search engines read it from JSON-LD. */
export function softwareApplication(tool: Tool, origin: string): Record<string, unknown> {
  const url = toolPageUrl(origin, tool.slug);
  return {
    '@context': 'https://schema.org',
    '@type': 'SoftwareApplication',
    '@id': url,
    name: tool.name,
    description: tool.tagline,
    url,
    sameAs: [tool.website, ...(tool.repository ? [tool.repository] : [])],
    applicationCategory: 'DeveloperApplication',
    applicationSubCategory: tool.categories.join(', '),
    operatingSystem: tool.platforms.join(', '),
    keywords: tool.tags.join(', '),
    isAccessibleForFree: tool.pricing.model !== 'paid',
    offers: {
      '@type': 'Offer',
      price: String(tool.pricing.monthlyPriceFrom ?? 0),
      priceCurrency: 'USD',
      ...(tool.pricing.monthlyPriceFrom ? { priceSpecification: { '@type': 'UnitPriceSpecification', price: String(tool.pricing.monthlyPriceFrom), priceCurrency: 'USD', unitText: 'MONTH' } } : {}),
    },
    ...(tool.license ? { license: tool.license } : {}),
    ...(tool.repository ? { codeRepository: tool.repository } : {}),
    dateModified: tool.updatedAt,
    datePublished: tool.createdAt,
  };
}

/** The `<head>` tags of a tool's page: description, canonical, OpenGraph, Twitter card, JSON-LD, the tool itself. */
export function toolPageHead(tool: Tool, origin: string): { title: string; description: string; tags: string } {
  const title = `${tool.name}: ${tool.tagline} · ${SITE_NAME}`;
  const description = describe(tool);
  const url = toolPageUrl(origin, tool.slug);
  const meta = (attribute: 'name' | 'property', key: string, content: string) =>
    `<meta ${attribute}="${key}" content="${escapeHtml(content)}" />`;
  const tags = [
    `<link rel="canonical" href="${escapeHtml(url)}" />`,
    meta('property', 'og:type', 'website'),
    meta('property', 'og:site_name', SITE_NAME),
    meta('property', 'og:title', `${tool.name} · ${SITE_NAME}`),
    meta('property', 'og:description', description),
    meta('property', 'og:url', url),
    meta('name', 'twitter:card', 'summary'),
    meta('name', 'twitter:title', `${tool.name} · ${SITE_NAME}`),
    meta('name', 'twitter:description', description),
    `<script type="application/ld+json">${jsonForScript(softwareApplication(tool, origin))}</script>`,
    `<script id="${EMBEDDED_TOOL_ID}" type="application/json">${jsonForScript(tool)}</script>`,
  ];
  return { title, description, tags: tags.join('\n    ') };
}

/** What a visitor without JavaScript (and any crawler) reads in the body: the tool's facts and links. */
export function toolPageNoscript(tool: Tool): string {
  const paragraphs = tool.description
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
    .join('');
  const repository = tool.repository ? ` · <a href="${escapeHtml(tool.repository)}">Source code</a>` : '';
  return `<noscript><article><h1>${escapeHtml(tool.name)}</h1><p>${escapeHtml(tool.tagline)}</p>${paragraphs}<p><a href="${escapeHtml(tool.website)}">Website</a>${repository}</p></article></noscript>`;
}
