import { ERROR_CODES } from '../errors.js';

/**
 * An embedded store that cannot be used: the file is unreadable or not a database, or its schema
 * is newer than this release knows. The message names the file and what to do.
 */
export class SqliteStoreError extends Error {
  override readonly name = 'SqliteStoreError';
  readonly code = ERROR_CODES.STORE_UNUSABLE;
}
