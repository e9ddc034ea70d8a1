import { escapeHtml } from './html-escape.js';

/** What a rendered page changes in the app's index.html. */
export interface PageParts {
  title?: string;
  description?: string;
  /** Tags added at the end of `<head>`. */
  headTags?: string;
  /** Markup added at the start of `<body>` (a `<noscript>` block). */
  bodyStart?: string;
}

/**
 * Fills the built app's index.html for one page: replaces its `<title>` and description, adds
 * head tags and body markup. The document stays the same app (same scripts, same `#root`), so the
 * page hydrates nothing and behaves exactly as the static file would once JavaScript runs.
 */
export function renderPage(template: string, parts: PageParts): string {
  let html = template;
  if (parts.title !== undefined) html = html.replace(/<title>[\s\S]*?<\/title>/, `<title>${escapeHtml(parts.title)}</title>`);
  if (parts.description !== undefined) {
    html = html.replace(/<meta\s+name="description"[\s\S]*?\/?>/, `<meta name="description" content="${escapeHtml(parts.description)}" />`);
  }
  // Functions as replacements, so a `$&` in a tool's text is never read as a pattern.
  if (parts.headTags) html = html.replace('</head>', () => `    ${parts.headTags}\n  </head>`);
  if (parts.bodyStart) html = html.replace(/<body([^>]*)>/, (tag) => `${tag}\n    ${parts.bodyStart}`);
  return html;
}
