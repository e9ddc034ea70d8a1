import { resolve } from 'node:path';
import { withoutVariable, type Logger } from '@codiesvibe/shared';
import type { Config } from '../config.js';
import { EmbeddedSearchStore } from './embedded.search-store.js';
import type { SearchStore } from './search.store.js';

/** MongoDB when MONGODB_URI is set, else the embedded store in DATA_DIR (shared by every replica). */
export async function openSearchStore(
  config: Pick<Config, 'MONGODB_URI' | 'DATA_DIR' | 'CODIESVIBE_EMBEDDED'>,
  logger?: Logger,
): Promise<SearchStore> {
  if (config.MONGODB_URI) {
    // Loaded only when used: the MongoDB driver costs about 7 MiB of heap in every process that imports it.
    const { MongoSearchStore } = await import('./mongo.search-store.js');
    return MongoSearchStore.connect(config.MONGODB_URI);
  }
  const dataDir = resolve(config.DATA_DIR);
  logger?.info({ dataDir }, `${withoutVariable(config, 'MONGODB_URI')}: using the embedded store`);
  return EmbeddedSearchStore.open(dataDir, logger ? { logger } : {});
}
