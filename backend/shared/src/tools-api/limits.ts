/**
 * The limits of the tools API, one set for every side of it: nestjs-api refuses what exceeds them,
 * the MCP tools and the web app stay within them, and the OpenAPI document states them.
 */
export const TOOLS_API_LIMITS = {
  /**
   * Characters of a search query. Long enough for a question pasted from a chat or asked by an
   * assistant through MCP (the AI search forwards its query too); relevance reads only its first
   * words, so a long query is cut there rather than refused here.
   */
  queryLength: 500,
  /** Tools per page: 20 unless asked; at most 100, a whole category of the directory in one page. */
  pageSize: { default: 20, max: 100 },
  /** Values of one repeatable filter (`category=a&category=b`). */
  valuesPerFilter: 20,
  tagLength: 40,
  slugLength: 80,
  cursorLength: 512,
  /** Bytes of a request body: a tool is a few KB, so 100 KB leaves room without inviting abuse. */
  bodyBytes: 100 * 1024,
} as const;
