import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { isPlainObject, setEntry } from '../plain-object.js';
import { parseGoFloat, parseGoInt } from '../model/go-strconv.js';
import { nextPath, pathToString, PatternCursor, type TreePath } from '../tree-path.js';
import { InvalidTemplateError, MissingRequiredVariableError, substitute, type VariableLookup } from './template.js';

/** Converts an interpolated string to its field's type; `warn` reports what Compose warns about. */
type Cast = (value: string, warn: (message: string) => void) => unknown;

const toInt = (value: string): number => parseGoInt(value, 'Atoi');

/** Compose casts the int64 fields with strconv.ParseInt, whose error names it. */
const toInt64 = (value: string): number => parseGoInt(value, 'ParseInt');

const toFloat = (value: string): number => parseGoFloat(value);

/**
 * A string as compose-go reads it into a bool (its `toBoolean`, for interpolated fields and for
 * any string decoded into a Go bool): YAML 1.1 spellings too, anything else an error.
 */
export function toBoolean(value: string, warn?: (message: string) => void): boolean {
  switch (value.toLowerCase()) {
    case 'true':
      return true;
    case 'y':
    case 'yes':
    case 'on':
      warn?.(`${JSON.stringify(value)} for boolean is not supported by YAML 1.2, please use \`true\``);
      return true;
    case 'false':
      return false;
    case 'n':
    case 'no':
    case 'off':
      warn?.(`${JSON.stringify(value)} for boolean is not supported by YAML 1.2, please use \`false\``);
      return false;
    default:
      throw new Error(`invalid boolean: ${value}`);
  }
}

const service = (...parts: string[]): string => ['services', '*', ...parts].join('.');

/** Fields whose interpolated text is converted back to a number or boolean, as in Compose. */
const TYPE_CASTS: ReadonlyArray<readonly [TreePath, Cast]> = [
  [service('cpu_count'), toInt64],
  [service('cpu_percent'), toFloat],
  [service('cpu_period'), toInt64],
  [service('cpu_quota'), toInt64],
  [service('cpu_rt_period'), toInt64],
  [service('cpu_rt_runtime'), toInt64],
  [service('cpus'), toFloat],
  [service('cpu_shares'), toInt64],
  [service('init'), toBoolean],
  [service('deploy', 'replicas'), toInt],
  [service('deploy', 'update_config', 'parallelism'), toInt],
  [service('deploy', 'update_config', 'max_failure_ratio'), toFloat],
  [service('deploy', 'rollback_config', 'parallelism'), toInt],
  [service('deploy', 'rollback_config', 'max_failure_ratio'), toFloat],
  [service('deploy', 'restart_policy', 'max_attempts'), toInt],
  [service('deploy', 'placement', 'max_replicas_per_node'), toInt],
  [service('healthcheck', 'retries'), toInt],
  [service('healthcheck', 'disable'), toBoolean],
  [service('oom_kill_disable'), toBoolean],
  [service('oom_score_adj'), toInt64],
  [service('pids_limit'), toInt64],
  [service('ports', '[]', 'target'), toInt],
  [service('privileged'), toBoolean],
  [service('read_only'), toBoolean],
  [service('scale'), toInt],
  [service('stdin_open'), toBoolean],
  [service('tty'), toBoolean],
  [service('ulimits', '*'), toInt],
  [service('ulimits', '*', 'hard'), toInt],
  [service('ulimits', '*', 'soft'), toInt],
  [service('volumes', '[]', 'read_only'), toBoolean],
  [service('volumes', '[]', 'volume', 'nocopy'), toBoolean],
  ['networks.*.external', toBoolean],
  ['networks.*.internal', toBoolean],
  ['networks.*.attachable', toBoolean],
  ['networks.*.enable_ipv4', toBoolean],
  ['networks.*.enable_ipv6', toBoolean],
  ['volumes.*.external', toBoolean],
  ['secrets.*.external', toBoolean],
  ['configs.*.external', toBoolean],
];

export interface InterpolateOptions {
  lookup: VariableLookup;
  /** Called for each variable used without value nor default (Compose warns on stderr). */
  onUnset?: (name: string) => void;
  /** Called with what Compose warns about a value it converts (`yes` for a boolean). */
  onWarning?: (message: string) => void;
}

/**
 * Interpolates every string value of a compose document (never mapping keys), then converts the
 * fields Compose types (ports target, replicas, booleans ...) from text back to their type.
 */
export function interpolateModel(model: Record<string, unknown>, options: InterpolateOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const casts = PatternCursor.root(TYPE_CASTS);
  for (const [key, value] of Object.entries(model)) setEntry(out, key, interpolateValue(value, '', key, options, casts.child(key)));
  return out;
}

/**
 * Interpolates `value`, found at `key` below `parent`. The path is built only for collections and
 * errors: most values are strings, and building a path string for each was a good part of the walk.
 */
function interpolateValue(value: unknown, parent: TreePath, key: string, options: InterpolateOptions, casts: PatternCursor<Cast>): unknown {
  if (typeof value === 'string') {
    let substituted: string;
    try {
      substituted = substitute(value, options.lookup, { onUnset: options.onUnset });
    } catch (error) {
      throw interpolationError(error, nextPath(parent, key));
    }
    const cast = casts.value;
    if (!cast) return substituted;
    try {
      return cast(substituted, options.onWarning ?? ignoreWarning);
    } catch (error) {
      const path = nextPath(parent, key);
      throw new ComposeError(
        COMPOSE_ERROR_CODES.INTERPOLATION_TYPE,
        `error while interpolating ${pathToString(path)}: failed to cast to expected type: ${(error as Error).message}`,
        { modelPath: path },
      );
    }
  }
  if (Array.isArray(value)) {
    const path = nextPath(parent, key);
    const itemCasts = casts.child('[]');
    return value.map((item) => interpolateValue(item, path, '[]', options, itemCasts));
  }
  if (isPlainObject(value)) {
    const path = nextPath(parent, key);
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) setEntry(out, name, interpolateValue(item, path, name, options, casts.child(name)));
    return out;
  }
  return value;
}

const ignoreWarning = (): void => undefined;

function interpolationError(error: unknown, path: TreePath): ComposeError {
  if (error instanceof MissingRequiredVariableError) {
    return new ComposeError(COMPOSE_ERROR_CODES.INTERPOLATION_REQUIRED, `error while interpolating ${pathToString(path)}: ${error.message}`, {
      modelPath: path,
    });
  }
  if (error instanceof InvalidTemplateError) {
    return new ComposeError(
      COMPOSE_ERROR_CODES.INTERPOLATION_SYNTAX,
      `invalid interpolation format for ${pathToString(path)}: ${JSON.stringify(error.template)}; escape a literal $ as $$`,
      { modelPath: path },
    );
  }
  throw error;
}
