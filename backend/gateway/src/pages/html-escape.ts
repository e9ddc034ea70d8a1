const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/**
 * JSON for a `<script>` element: `<`, `>` and `&` become \u escapes (so `</script>` or `<!--` in a
 * tool's text cannot end the element), and so do U+2028/U+2029.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for an XML element or attribute (the sitemap). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => (char === "'" ? '&apos;' : HTML_ESCAPES[char]!));
}
