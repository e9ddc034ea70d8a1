import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ERROR_CODES, HttpError } from '@codiesvibe/shared';
import type { Tool, ToolFilters, ToolInput, ToolPatch } from '@codiesvibe/shared/domain';
import type { ResponseCache } from '../cache/response-cache.js';
import { correctedQuery } from '../search/spelling.js';
import { DuplicateSlugError, InvalidCursorError, type ToolRepository } from '../storage/tool.repository.js';
import { CACHE_METRICS, RESPONSE_CACHE, TOOL_REPOSITORY } from '../tokens.js';
import type { ListParams } from './tool-params.js';

/** How a read was answered, sent as the `x-cache` header. */
export type CacheOutcome = 'hit' | 'miss' | 'bypass';

/** A serialised response body; `null` when there is nothing (an unknown slug). */
export interface CachedJson {
  json: string | null;
  cache: CacheOutcome;
}

/** Counts cache outcomes; the app wires it to a Prometheus counter. */
export type CacheObserver = (kind: 'list' | 'facets' | 'detail', outcome: CacheOutcome) => void;

/** Longer keys are hashed, so a key stays short whatever the query. */
const MAX_PLAIN_KEY_LENGTH = 160;

function cacheKey(kind: string, value: unknown): string {
  // Params are canonical (sorted, deduplicated), so equal queries give equal keys.
  const plain = JSON.stringify(value);
  if (plain.length <= MAX_PLAIN_KEY_LENGTH) return `${kind}:${plain}`;
  return `${kind}:#${createHash('sha1').update(plain).digest('base64url')}`;
}

/**
 * The tools directory: reads go through the response cache (serialised JSON, so a hit costs no
 * serialisation), every write goes to the repository and then invalidates the whole cache.
 */
@Injectable()
export class ToolDirectoryService {
  constructor(
    @Inject(TOOL_REPOSITORY) private readonly tools: ToolRepository,
    @Inject(RESPONSE_CACHE) private readonly cache: ResponseCache,
    @Inject(CACHE_METRICS) private readonly observe: CacheObserver,
  ) {}

  /**
   * One page. A text query that matches nothing is read again as the directory spells it
   * (search/spelling.ts): the page then says `correctedQuery`. Its next pages come back with the
   * query as the user typed it and a cursor of the corrected one, and are answered the same way.
   */
  list(params: ListParams): Promise<CachedJson> {
    return this.#readThrough('list', cacheKey('list', params), async () => {
      const { filters, sort, cursor, limit } = params;
      try {
        const page = await this.tools.list(filters, sort, cursor, limit);
        if (page.total > 0 || cursor !== undefined) return page;
        const corrected = await this.#corrected(filters);
        if (!corrected) return page;
        const retried = await this.tools.list(corrected, sort, undefined, limit);
        return retried.total > 0 ? { ...retried, correctedQuery: corrected.q } : page;
      } catch (error) {
        if (!(error instanceof InvalidCursorError)) throw error;
        const corrected = await this.#corrected(filters);
        if (corrected) {
          const page = await this.tools.list(corrected, sort, cursor, limit).catch(() => undefined);
          if (page) return { ...page, correctedQuery: corrected.q };
        }
        throw new HttpError(400, ERROR_CODES.VALIDATION, `Invalid request: ${error.message}`, [{ field: 'cursor', message: error.message }]);
      }
    });
  }

  /** Facet counts; for a text query that matches nothing, those of the corrected query, as `list` answers it. */
  facets(filters: ToolFilters): Promise<CachedJson> {
    return this.#readThrough('facets', cacheKey('facets', filters), async () => {
      const facets = await this.tools.facets(filters);
      if (facets.total > 0) return facets;
      const corrected = await this.#corrected(filters);
      if (!corrected) return facets;
      const retried = await this.tools.facets(corrected);
      return retried.total > 0 ? retried : facets;
    });
  }

  /** `filters` with the query as the directory spells it, or undefined when there is nothing to correct. */
  async #corrected(filters: ToolFilters): Promise<ToolFilters | undefined> {
    if (!filters.q) return undefined;
    const q = correctedQuery(filters.q, await this.tools.vocabulary());
    return q === undefined ? undefined : { ...filters, q };
  }

  detail(slug: string): Promise<CachedJson> {
    return this.#readThrough('detail', `detail:${slug}`, () => this.tools.get(slug));
  }

  async create(input: ToolInput): Promise<Tool> {
    try {
      return await this.#thenInvalidate(this.tools.create(input));
    } catch (error) {
      if (error instanceof DuplicateSlugError) throw new HttpError(409, ERROR_CODES.CONFLICT, error.message);
      throw error;
    }
  }

  async update(slug: string, patch: ToolPatch): Promise<Tool> {
    const updated = await this.#thenInvalidate(this.tools.update(slug, patch));
    if (!updated) throw notFound(slug);
    return updated;
  }

  async delete(slug: string): Promise<void> {
    if (!(await this.#thenInvalidate(this.tools.delete(slug)))) throw notFound(slug);
  }

  async #thenInvalidate<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    await this.cache.invalidate();
    return result;
  }

  async #readThrough(kind: 'list' | 'facets' | 'detail', key: string, load: () => Promise<unknown>): Promise<CachedJson> {
    const cached = await this.cache.lookup(key);
    if (cached.value !== undefined) {
      this.observe(kind, 'hit');
      return { json: cached.value, cache: 'hit' };
    }
    const value = await load();
    const json = value === null ? null : JSON.stringify(value);
    // Absent tools are not cached: a create would have to evict them and they are cheap to look up.
    if (json !== null && cached.generation !== undefined) await this.cache.store(cached.generation, key, json);
    const outcome: CacheOutcome = cached.generation === undefined ? 'bypass' : 'miss';
    this.observe(kind, outcome);
    return { json, cache: outcome };
  }
}

export function notFound(slug: string): HttpError {
  return new HttpError(404, ERROR_CODES.NOT_FOUND, `No tool with slug "${slug}"`);
}
