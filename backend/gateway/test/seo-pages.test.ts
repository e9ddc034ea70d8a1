import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startNestjsApi, type NestjsApiProcess } from '@codiesvibe/nestjs-api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from './support/gateway-under-test.js';

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="description" content="The app's own description." />
    <title>CodiesVibe · AI developer tools</title>
    <script type="module" src="/assets/index-BzX81qk2.js"></script>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`;

/** Everything between `<script type="application/ld+json">` and its end tag, parsed. */
function jsonLd(html: string): Record<string, unknown> {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no JSON-LD in the page');
  return JSON.parse(match[1]!) as Record<string, unknown>;
}

const metaContent = (html: string, attribute: string, key: string) =>
  new RegExp(`<meta ${attribute}="${key}" content="([^"]*)"`).exec(html)?.[1];

// The real nestjs-api (embedded store, seeded) behind the gateway, which renders the pages.
describe('pages rendered by the gateway for crawlers and link previews', () => {
  let directory: string;
  let api: NestjsApiProcess;
  let gateway: { app: FastifyInstance; url: string };
  let bare: { app: FastifyInstance; url: string };

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'gateway-pages-'));
    writeFileSync(join(directory, 'index.html'), INDEX_HTML);
    api = await startNestjsApi({ label: 'gateway-pages' });
    gateway = await startGateway({ FRONTEND_DIR: directory, API_UPSTREAM: api.url, PUBLIC_URL: 'https://codiesvibe.example' });
    bare = await startGateway({ FRONTEND_DIR: directory, API_UPSTREAM: api.url });
  }, 120_000);
  afterAll(async () => {
    await gateway?.app.close();
    await bare?.app.close();
    await api?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves a tool page with its title, description, canonical URL, OpenGraph and JSON-LD before any JavaScript', async () => {
    const tool = (await (await fetch(`${api.url}/api/tools/aider`)).json()) as { name: string; tagline: string; website: string; updatedAt: string };
    const response = await fetch(`${gateway.url}/tools/aider`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    expect(html).toContain(`<title>${tool.name}: ${tool.tagline} · CodiesVibe</title>`);
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html.match(/<meta name="description"/g)).toHaveLength(1);
    expect(metaContent(html, 'name', 'description')).toContain(tool.tagline);
    expect(html).toContain('<link rel="canonical" href="https://codiesvibe.example/tools/aider" />');
    expect(metaContent(html, 'property', 'og:url')).toBe('https://codiesvibe.example/tools/aider');
    expect(metaContent(html, 'property', 'og:title')).toBe(`${tool.name} · CodiesVibe`);
    expect(jsonLd(html)).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'SoftwareApplication',
      name: tool.name,
      url: 'https://codiesvibe.example/tools/aider',
      applicationCategory: 'DeveloperApplication',
      dateModified: tool.updatedAt,
    });
    expect(jsonLd(html).sameAs).toContain(tool.website);
    // The app itself is untouched: same module script, same root.
    expect(html).toContain('<script type="module" src="/assets/index-BzX81qk2.js"></script>');
    expect(html).toContain('<div id="root"></div>');
    expect(html).toMatch(/<noscript><article><h1>[^<]+<\/h1>/);
  });

  it('keeps script in a tool’s text inert in every place it appears', async () => {
    const hostile = '</script><script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const created = await fetch(`${api.url}/api/tools`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminApiKey}` },
      body: JSON.stringify({
        slug: 'hostile-text',
        name: `Hostile ${hostile}`,
        tagline: `Tagline ${hostile}`,
        description: `Description ${hostile} $& $1`,
        website: 'https://hostile.example/',
        categories: ['testing'],
        tags: [],
        pricing: { model: 'free' },
        platforms: ['web'],
        openSource: false,
      }),
    });
    expect(created.status).toBe(201);
    const html = await (await fetch(`${gateway.url}/tools/hostile-text`)).text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    // The page has the app's module, the JSON-LD and the embedded tool: no other script element.
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(jsonLd(html).name).toBe(`Hostile ${hostile}`);
    const embedded = /<script id="codiesvibe-tool" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect((JSON.parse(embedded!) as { description: string }).description).toBe(`Description ${hostile} $& $1`);
  });

  it('answers 404 with noindex for a tool that does not exist', async () => {
    for (const slug of ['no-such-tool', 'Not_A_Slug']) {
      const response = await fetch(`${gateway.url}/tools/${slug}`);
      expect(response.status).toBe(404);
      const html = await response.text();
      expect(html).toContain('<meta name="robots" content="noindex" />');
      expect(html).toContain('<div id="root"></div>');
    }
  });

  it('lists every published tool in sitemap.xml, and robots.txt points at it', async () => {
    const listing = (await (await fetch(`${api.url}/api/tools?limit=100&sort=name`)).json()) as { total: number; items: { slug: string }[] };
    const response = await fetch(`${gateway.url}/sitemap.xml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/xml');
    const xml = await response.text();
    const locations = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]);
    expect(locations).toContain('https://codiesvibe.example/');
    const toolUrls = locations.filter((loc) => loc!.includes('/tools/'));
    expect(toolUrls).toHaveLength(listing.total);
    for (const { slug } of listing.items) expect(toolUrls).toContain(`https://codiesvibe.example/tools/${slug}`);
    expect(xml.match(/<lastmod>/g)).toHaveLength(listing.total);

    const robots = await (await fetch(`${gateway.url}/robots.txt`)).text();
    expect(robots).toContain('Sitemap: https://codiesvibe.example/sitemap.xml');
    expect(robots).toContain('Disallow: /admin');
  });

  it('renders tool pages itself when the frontend is an upstream (nginx, Vite), and proxies the rest there', async () => {
    // A static file server standing in for the frontend image's nginx.
    const frontend: Server = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html', 'x-served-by': 'frontend' }).end(INDEX_HTML);
    });
    await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
    const frontendUrl = `http://127.0.0.1:${(frontend.address() as AddressInfo).port}`;
    const proxied = await startGateway({ FRONTEND_UPSTREAM: frontendUrl, API_UPSTREAM: api.url });
    try {
      const page = await fetch(`${proxied.url}/tools/aider`);
      expect(page.headers.get('x-served-by')).toBeNull();
      expect(jsonLd(await page.text())['@type']).toBe('SoftwareApplication');
      expect((await fetch(`${proxied.url}/sitemap.xml`)).headers.get('content-type')).toContain('application/xml');
      const home = await fetch(`${proxied.url}/compare?tools=aider`);
      expect(home.headers.get('x-served-by')).toBe('frontend');
      await home.body?.cancel();
    } finally {
      await proxied.app.close();
      await new Promise((resolve) => frontend.close(resolve));
    }
  });

  it('uses the request’s own host for canonical URLs without PUBLIC_URL, and never an unsafe one', async () => {
    const host = new URL(bare.url).host;
    const html = await (await fetch(`${bare.url}/tools/aider`)).text();
    expect(html).toContain(`<link rel="canonical" href="http://${host}/tools/aider" />`);
    const robots = await (await fetch(`${bare.url}/robots.txt`, { headers: { host: 'evil.example"><script>' } })).text();
    expect(robots).not.toContain('evil');
  });
});
