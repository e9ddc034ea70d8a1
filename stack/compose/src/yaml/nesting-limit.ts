import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';

/**
 * How deep the collections of a compose file may nest: block mappings and sequences and flow
 * collections together. go-yaml stops at 10,000 levels of either kind ("exceeded max depth of
 * 10000"), but the engine reads and walks a model by recursion, and somewhere between 800 and
 * 2,000 levels (the `yaml` package's reader first) that runs out of call stack: a crash with no
 * file or line. No compose file nests anywhere near this deep; a generated one that does is
 * refused with its line instead.
 */
export const MAX_YAML_NESTING = 500;

/** The refusal of a file nested deeper than {@link MAX_YAML_NESTING}, at `line` when it is known. */
export function nestingTooDeep(file: string, line?: number, column?: number): ComposeError {
  const where = line === undefined ? '' : `line ${line}: `;
  return new ComposeError(
    COMPOSE_ERROR_CODES.YAML_SYNTAX,
    `yaml: ${where}collections nested more than ${MAX_YAML_NESTING} levels deep, more than stack reads (Compose stops at 10000): flatten the nesting`,
    { file, line, column },
  );
}
