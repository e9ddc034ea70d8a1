import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { COMPOSE_ERROR_CODES, ComposeError, decodeYamlBytes, parseComposeYaml } from '@codiesvibe/compose';
import { asRecord } from './compose-model.js';

/** A position in a source file, 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** A service as written in one file (the key under `services:`). */
export interface ServiceDefinition {
  file: string;
  service: string;
}

/** One compose file as written (before interpolation), with where each key stands. */
export interface SourceFile {
  file: string;
  /** The first YAML document as plain values; undefined when the file cannot be parsed. */
  value: Record<string, unknown> | undefined;
  /** Model path (keys joined like the engine's tree paths) → position of the key. */
  positions: ReadonlyMap<string, { line: number; column: number }>;
  /** The file's lines as written (comments included); empty when it cannot be read. */
  lines: readonly string[];
  /** Why the file could not be read or parsed, with the engine's code. */
  error?: SourcePosition & { message: string; code: string };
}

// The engine escapes dots inside keys so `labels.com.example` never splits into three keys.
const ESCAPED_DOT = '\u0000';

/** The engine's tree path of a list of keys. */
export function treePath(keys: readonly string[]): string {
  return keys.map((key) => key.split('.').join(ESCAPED_DOT)).join('.');
}

/** Raw compose files, each parsed once, for rules that look at what was written and where. */
export class SourceSet {
  private readonly files = new Map<string, SourceFile>();

  /** The parsed file (cached). Parse errors are kept on the result, never thrown. */
  get(file: string): SourceFile {
    const cached = this.files.get(file);
    if (cached) return cached;
    const source = parseSource(file);
    this.files.set(file, source);
    return source;
  }

  /**
   * The deepest existing key along `keys` in `file` (e.g. `services.api.ports` falls back to
   * `services.api` when the file has no `ports` there), with how many keys matched.
   */
  deepestKey(file: string, keys: readonly string[]): (SourcePosition & { depth: number }) | undefined {
    const { positions } = this.get(file);
    for (let length = keys.length; length > 0; length--) {
      const position = positions.get(treePath(keys.slice(0, length)));
      if (position) return { file, line: position.line, column: position.column, depth: length };
    }
    return undefined;
  }

  /** Position of exactly `keys` in `file`, or undefined. */
  exactPositionOf(file: string, keys: readonly string[]): SourcePosition | undefined {
    const position = this.get(file).positions.get(treePath(keys));
    return position ? { file, line: position.line, column: position.column } : undefined;
  }

  /** Files named by `include` in `file` (string and long forms), as absolute paths, uninterpolated. */
  includesOf(file: string): string[] {
    const include = this.get(file).value?.include;
    if (!Array.isArray(include)) return [];
    return include.flatMap((entry: unknown) => {
      const paths = typeof entry === 'string' ? [entry] : asRecord(entry)?.path;
      const list = Array.isArray(paths) ? paths : typeof paths === 'string' ? [paths] : [];
      return list.filter((path): path is string => typeof path === 'string').map((path) => resolve(dirname(file), path));
    });
  }

  /**
   * Where `service` of `file` is written, most specific first: `file` itself, then each file its
   * `extends` reaches, transitively (`extends` without `file` stays in the same file). Stops at a
   * cycle or a missing file; the engine reports those.
   */
  definitionChain(file: string, service: string): ServiceDefinition[] {
    const chain: ServiceDefinition[] = [];
    const seen = new Set<string>();
    let current: ServiceDefinition | undefined = { file, service };
    while (current && !seen.has(`${current.file}\u0000${current.service}`)) {
      seen.add(`${current.file}\u0000${current.service}`);
      const definition = asRecord(asRecord(this.get(current.file).value?.services)?.[current.service]);
      if (!definition) break;
      chain.push(current);
      const extendsValue = definition.extends;
      if (typeof extendsValue === 'string') current = { file: current.file, service: extendsValue };
      else {
        const record = asRecord(extendsValue);
        if (typeof record?.service !== 'string') break;
        const nextFile: string = typeof record.file === 'string' ? resolve(dirname(current.file), record.file) : current.file;
        current = { file: nextFile, service: record.service };
      }
    }
    return chain;
  }

  /** Services of `file` with their `extends.file` (absolute) and `extends.service`, when they extend another file. */
  extendsOf(file: string): Array<{ service: string; baseFile: string; baseService: string }> {
    const services = asRecord(this.get(file).value?.services) ?? {};
    const result: Array<{ service: string; baseFile: string; baseService: string }> = [];
    for (const [service, definition] of Object.entries(services)) {
      const extendsValue = asRecord(asRecord(definition)?.extends);
      if (typeof extendsValue?.file !== 'string') continue;
      const baseService = typeof extendsValue.service === 'string' ? extendsValue.service : service;
      result.push({ service, baseFile: resolve(dirname(file), extendsValue.file), baseService });
    }
    return result;
  }
}

function parseSource(file: string): SourceFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const message = `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    return { file, value: undefined, positions: new Map(), lines: [], error: { file, line: 0, column: 0, message, code: COMPOSE_ERROR_CODES.FILE_NOT_FOUND } };
  }
  // Lines to quote in findings, even from a file Compose refuses to decode.
  let text = bytes.toString('utf8');
  try {
    // Decoded as Compose decodes it: bad bytes and control characters are the file's problem.
    text = decodeYamlBytes(bytes, file);
    const [document] = parseComposeYaml(text, file);
    return { file, value: asRecord(document?.value), positions: document?.positions ?? new Map(), lines: text.split(/\r?\n/) };
  } catch (error) {
    const located = error instanceof ComposeError ? error : undefined;
    return {
      file,
      value: undefined,
      positions: new Map(),
      lines: text.split(/\r?\n/),
      error: {
        file,
        line: located?.line ?? 0,
        column: located?.column ?? 0,
        message: error instanceof Error ? error.message : String(error),
        code: located?.code ?? COMPOSE_ERROR_CODES.YAML_SYNTAX,
      },
    };
  }
}
