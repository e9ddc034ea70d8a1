import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeUtf8Text } from '../compose-file-text.js';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { parseDotenv } from './parse-dotenv.js';

/**
 * Reads env files in order (a later file overrides an earlier one). Variables referenced inside
 * a file resolve against `current` first, then against what the files defined so far, the lines
 * read before in this file included: compose-go parses every file into one map, so `A=1` in a
 * second file is what a later `${A}` there reads, whatever the first file said.
 */
export function parseDotenvFiles(files: readonly string[], current: Pick<ReadonlyMap<string, string>, 'get'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of files) {
    const file = resolve(name);
    let text: string;
    try {
      if (statSync(file).isDirectory()) {
        throw new ComposeError(COMPOSE_ERROR_CODES.FILE_NOT_FOUND, `${file} is a directory`, { file });
      }
      text = decodeUtf8Text(readFileSync(file), file);
    } catch (error) {
      if (error instanceof ComposeError) throw error;
      throw new ComposeError(COMPOSE_ERROR_CODES.FILE_NOT_FOUND, `couldn't find env file: ${file}`, { file });
    }
    parseDotenv(text, (key) => current.get(key), file, out);
  }
  return out;
}
