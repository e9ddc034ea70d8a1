import { resolve } from 'node:path';
import { withoutVariable, type Logger } from '@codiesvibe/shared';
import type { Config } from '../config.js';
import { EmbeddedToolRepository } from './embedded-tool.repository.js';
import type { ToolRepository } from './tool.repository.js';

/** MongoDB when MONGODB_URI is set (write concern majority in production), else the embedded store in DATA_DIR. */
export async function openToolRepository(config: Config, logger: Logger): Promise<ToolRepository> {
  if (!config.MONGODB_URI) {
    const dataDir = resolve(config.DATA_DIR);
    logger.info({ dataDir }, `${withoutVariable(config, 'MONGODB_URI')}: using the embedded store`);
    return EmbeddedToolRepository.open({ dataDir, logger });
  }
  // Loaded only when used: the MongoDB driver costs about 7 MiB of heap in every process that imports it.
  const { MongoToolRepository } = await import('./mongo-tool.repository.js');
  return MongoToolRepository.connect({
    uri: config.MONGODB_URI,
    writeConcern: config.NODE_ENV === 'production' ? { w: 'majority' } : undefined,
    onRetry: (attempt, delayMs, error) =>
      logger.warn(
        { attempt, delayMs, error: error instanceof Error ? error.message : String(error) },
        'mongodb not reachable yet; retrying',
      ),
  });
}
