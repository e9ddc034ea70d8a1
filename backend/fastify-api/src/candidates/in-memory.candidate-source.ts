import type { SearchIntent, Tool } from '@codiesvibe/shared/domain';
import type { CandidateSource } from './candidate-source.js';
import { retrieveInMemory } from './in-memory.retrieval.js';

/**
 * A candidate source over a fixed list of tools, with the same retrieval plan as the MCP source.
 * Used by the benchmark and by tests of everything above retrieval.
 */
export class InMemoryCandidateSource implements CandidateSource {
  constructor(private readonly tools: readonly Tool[]) {}

  findCandidates(intent: SearchIntent, limit: number): Promise<Tool[]> {
    return Promise.resolve(retrieveInMemory(this.tools, intent, limit));
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
