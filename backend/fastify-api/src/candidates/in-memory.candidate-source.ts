import { toolTextWords, type SearchIntent, type Tool } from '@codiesvibe/shared/domain';
import { mergeCandidates, retrievalPlan, type CandidateSource, type RetrievalStep } from './candidate-source.js';

function matches(tool: Tool, filters: RetrievalStep): boolean {
  // Same semantics as the directory API: OR within a field, AND across fields, and every query
  // word a prefix of a word of the name, tagline, description or tags.
  if (filters.text) {
    const words = toolTextWords([tool.name, tool.slug, tool.tagline, tool.description, ...tool.tags].join(' '));
    if (!toolTextWords(filters.text).every((token) => words.some((word) => word.startsWith(token)))) return false;
  }
  if (filters.categories && !filters.categories.some((category) => tool.categories.includes(category)))
    return false;
  if (filters.platforms && !filters.platforms.some((platform) => tool.platforms.includes(platform)))
    return false;
  if (filters.pricing && !filters.pricing.includes(tool.pricing.model)) return false;
  if (filters.openSource !== undefined && tool.openSource !== filters.openSource) return false;
  return true;
}

/**
 * A candidate source over a fixed list of tools, with the same retrieval plan as the MCP source.
 * Used by the benchmark and by tests of everything above retrieval.
 */
export class InMemoryCandidateSource implements CandidateSource {
  constructor(private readonly tools: readonly Tool[]) {}

  findCandidates(intent: SearchIntent, limit: number): Promise<Tool[]> {
    const candidates: Tool[] = [];
    const seen = new Set<string>();
    for (const filters of retrievalPlan(intent)) {
      mergeCandidates(
        candidates,
        seen,
        this.tools.filter((tool) => matches(tool, filters)),
        limit,
      );
    }
    return Promise.resolve(candidates);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
