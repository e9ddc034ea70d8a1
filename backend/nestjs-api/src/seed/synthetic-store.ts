import { syntheticTools } from '@codiesvibe/shared/synthetic-tools';
import { EmbeddedToolRepository } from '../storage/embedded-tool.repository.js';
import { loadSeedTools, SEED_VERSION } from './seed-data.js';

export interface SyntheticStoreOptions {
  /** DATA_DIR of the embedded store (its `tools.sqlite` is created when missing). */
  dataDir: string;
  /** How many synthetic tools to add beside the bundled seed. */
  count: number;
  /** Generator seed (same seed, same tools). */
  seed?: number;
}

export interface SyntheticStoreResult {
  /** Synthetic tools inserted now (those already present are kept as they are). */
  inserted: number;
  /** Tools in the store afterwards, bundled seed included. */
  total: number;
}

/**
 * Fills an embedded store with the bundled seed and `count` synthetic tools, for benches and
 * tests at scale. Run it before nestjs-api starts on the same DATA_DIR (or while it runs: the
 * replicas see the new rows, as after any write by another process). Running it twice adds
 * nothing the second time.
 */
export async function seedSyntheticStore(options: SyntheticStoreOptions): Promise<SyntheticStoreResult> {
  const tools = await EmbeddedToolRepository.open({ dataDir: options.dataDir });
  try {
    // The bundled seed first, as a start would: the service then finds its seed version applied.
    await tools.seed(loadSeedTools(), SEED_VERSION);
    const inserted = await tools.insertMany(
      syntheticTools({ count: options.count, ...(options.seed !== undefined && { seed: options.seed }) }),
    );
    const { total } = await tools.list({}, 'name', undefined, 1);
    return { inserted, total };
  } finally {
    await tools.close();
  }
}
