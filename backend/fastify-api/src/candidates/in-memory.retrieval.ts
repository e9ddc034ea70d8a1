import { toolTextWords, type SearchIntent, type Tool } from '@codiesvibe/shared/domain';
import { mergeCandidates, retrievalPlan, type RetrievalStep } from './candidate-source.js';

function matches(tool: Tool, step: RetrievalStep): boolean {
  // Same semantics as the directory API: OR within a field, AND across fields, and every query
  // word a prefix of a word of the name, tagline, description or tags.
  if (step.text) {
    const words = toolTextWords([tool.name, tool.slug, tool.tagline, tool.description, ...tool.tags].join(' '));
    if (!toolTextWords(step.text).every((token) => words.some((word) => word.startsWith(token)))) return false;
  }
  if (step.categories && !step.categories.some((category) => tool.categories.includes(category))) return false;
  if (step.platforms && !step.platforms.some((platform) => tool.platforms.includes(platform))) return false;
  if (step.pricing && !step.pricing.includes(tool.pricing.model)) return false;
  if (step.openSource !== undefined && tool.openSource !== step.openSource) return false;
  return true;
}

/**
 * The retrieval plan run over tools held in memory: up to `limit` of them, those of the strictest
 * step first, each step's tools in the order given.
 */
export function retrieveInMemory(tools: readonly Tool[], intent: SearchIntent, limit: number): Tool[] {
  const candidates: Tool[] = [];
  const seen = new Set<string>();
  for (const step of retrievalPlan(intent)) {
    if (candidates.length >= limit) break;
    mergeCandidates(
      candidates,
      seen,
      tools.filter((tool) => matches(tool, step)),
      limit,
    );
  }
  return candidates;
}
