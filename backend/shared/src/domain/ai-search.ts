import type { Tool } from './tool.js';
import type { PricingModel, ToolCategory, ToolPlatform } from './vocabulary.js';

/** Who answered an AI search: a local LLM through Ollama, or the built-in ranker. */
export type AiSearchMode = 'ollama' | 'fallback';

/** What the AI search understood of a natural-language query. */
export interface SearchIntent {
  categories: ToolCategory[];
  pricing: PricingModel[];
  platforms: ToolPlatform[];
  openSource?: boolean;
  /** The words left once the structured parts are taken out. */
  text: string;
}

export interface AiSearchResult {
  tool: Tool;
  score: number;
  reasons: string[];
}

/** `POST /ai/search` answer. */
export interface AiSearchResponse {
  query: string;
  intent: SearchIntent;
  results: AiSearchResult[];
  mode: AiSearchMode;
  explanation: string;
  tookMs: number;
  /** Present when words of the query were misspelt: the query as the results read it. */
  correctedQuery?: string;
}

/**
 * Server-sent events of `GET /ai/search/stream`, in this order: one `intent`, one `results`,
 * any number of `explanation` chunks, then one `done` (or one `error`).
 */
export type AiSearchStreamEvent =
  | { event: 'intent'; data: { intent: SearchIntent; mode: AiSearchMode } }
  | { event: 'results'; data: { results: AiSearchResult[]; correctedQuery?: string } }
  | { event: 'explanation'; data: { text: string } }
  | { event: 'done'; data: { mode: AiSearchMode; tookMs: number } }
  | { event: 'error'; data: { message: string } };
