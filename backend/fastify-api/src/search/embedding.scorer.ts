import { createHash } from 'node:crypto';
import type { Tool } from '@codiesvibe/shared/domain';
import type { Logger } from '@codiesvibe/shared';
import type { OllamaClient } from '../ollama/ollama.client.js';
import type { SearchStore, StoredEmbedding } from '../store/search.store.js';

/** The text a tool is embedded from: what it is and does, not its links or timestamps. */
export function embeddingText(tool: Tool): string {
  return [
    `${tool.name}: ${tool.tagline}`,
    tool.description,
    `Categories: ${tool.categories.join(', ')}`,
    tool.tags.length > 0 ? `Tags: ${tool.tags.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Changes exactly when the embedded text changes, so a stored embedding is reused until then. */
export function contentHash(tool: Tool): string {
  return createHash('sha256').update(embeddingText(tool)).digest('hex').slice(0, 32);
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** Ollama's /api/embed takes a list; batches keep one request within its time budget. */
const EMBED_BATCH_SIZE = 32;

/**
 * Semantic similarity between a query and candidate tools through Ollama embeddings. Tool
 * embeddings are computed once per (model, slug, content hash), kept in memory and stored, so a
 * restart or another replica reuses them and an edited tool is embedded again.
 */
export class EmbeddingScorer {
  private readonly memory = new Map<string, { hash: string; vector: number[] }>();

  constructor(
    private readonly ollama: OllamaClient,
    private readonly store: SearchStore,
    private readonly logger: Logger,
  ) {}

  /**
   * Similarity per slug scaled to [0, 1] across the candidates (best 1, worst 0). Throws
   * OllamaUnavailableError when Ollama fails; store failures only cost a recomputation.
   */
  async scores(query: string, tools: readonly Tool[]): Promise<Map<string, number>> {
    const [queryVector, toolVectors] = await Promise.all([
      this.ollama.embed([query]).then(([vector]) => vector ?? []),
      this.toolVectors(tools),
    ]);
    const similarities = tools.map(
      (tool) => [tool.slug, cosine(queryVector, toolVectors.get(tool.slug) ?? [])] as const,
    );
    const values = similarities.map(([, value]) => value);
    const min = Math.min(...values);
    const spread = Math.max(...values) - min;
    return new Map(similarities.map(([slug, value]) => [slug, spread > 0 ? (value - min) / spread : 0]));
  }

  private async toolVectors(tools: readonly Tool[]): Promise<Map<string, number[]>> {
    const model = this.ollama.settings.embedModel;
    const hashes = new Map(tools.map((tool) => [tool.slug, contentHash(tool)]));
    const vectors = new Map<string, number[]>();
    let missing = tools.filter((tool) => {
      const known = this.memory.get(tool.slug);
      if (!known || known.hash !== hashes.get(tool.slug)) return true;
      vectors.set(tool.slug, known.vector);
      return false;
    });

    if (missing.length > 0) {
      const stored = await this.store
        .findEmbeddings(
          model,
          missing.map((tool) => tool.slug),
        )
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'reading stored embeddings failed; recomputing them');
          return [] as StoredEmbedding[];
        });
      for (const entry of stored) {
        if (entry.contentHash !== hashes.get(entry.slug)) continue;
        vectors.set(entry.slug, entry.vector);
        this.memory.set(entry.slug, { hash: entry.contentHash, vector: entry.vector });
      }
      missing = missing.filter((tool) => !vectors.has(tool.slug));
    }

    const computed: StoredEmbedding[] = [];
    for (let start = 0; start < missing.length; start += EMBED_BATCH_SIZE) {
      const batch = missing.slice(start, start + EMBED_BATCH_SIZE);
      const batchVectors = await this.ollama.embed(batch.map(embeddingText));
      batch.forEach((tool, index) => {
        const vector = batchVectors[index]!;
        const hash = hashes.get(tool.slug)!;
        vectors.set(tool.slug, vector);
        this.memory.set(tool.slug, { hash, vector });
        computed.push({ slug: tool.slug, model, contentHash: hash, vector });
      });
    }
    if (computed.length > 0) {
      await this.store.saveEmbeddings(computed).catch((error: unknown) => {
        this.logger.warn(
          { err: error, count: computed.length },
          'storing embeddings failed; they stay in memory',
        );
      });
    }
    return vectors;
  }
}
