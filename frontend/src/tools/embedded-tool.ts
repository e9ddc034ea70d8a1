import type { Tool } from '@codiesvibe/shared/domain';

/** The element a page rendered by the gateway carries the tool in (see backend/gateway/src/pages). */
export const EMBEDDED_TOOL_ID = 'codiesvibe-tool';

/**
 * The tool the server put in the page, when it is the one asked for. Read once: the element is
 * removed, so a later visit to the same page (after an edit, say) loads fresh data.
 */
export function takeEmbeddedTool(slug: string): Tool | undefined {
  const element = document.getElementById(EMBEDDED_TOOL_ID);
  if (!element) return undefined;
  element.remove();
  try {
    const tool = JSON.parse(element.textContent ?? '') as Tool;
    return tool.slug === slug ? tool : undefined;
  } catch {
    return undefined;
  }
}
