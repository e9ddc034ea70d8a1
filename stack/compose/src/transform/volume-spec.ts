import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';

/** A service volume in long syntax, as parsed from `source:target[:options]`. */
export interface VolumeMount {
  type: 'bind' | 'volume';
  source?: string;
  target?: string;
  read_only?: boolean;
  bind?: { propagation?: string; selinux?: string; create_host_path?: boolean };
  volume?: { nocopy?: boolean };
}

const PROPAGATIONS = new Set(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);
const SELINUX = new Set(['z', 'Z']);

/**
 * Parses the short volume syntax like Compose: `./src:/app:ro`, `data:/var/lib`, `/cache`,
 * `C:\dir:/dir`; colons inside `${...}` do not split.
 */
export function parseVolumeSpec(spec: string): VolumeMount {
  const mount: VolumeMount = { type: 'volume' };
  if (spec.length === 0) throw invalid(spec, 'invalid empty volume spec');
  // compose-go returns specs of one or two bytes (`/d`, `ab`) before it types the mount, so they
  // get no `volume: {}` block.
  if (Buffer.byteLength(spec) <= 2) return { type: 'volume', target: spec };
  let buffer = '';
  let depth = 0;
  const chars = [...spec];
  for (let i = 0; i <= chars.length; i++) {
    const char = i < chars.length ? chars[i] : undefined;
    if (char === '$' && chars[i + 1] === '{') {
      depth++;
      buffer += char;
      continue;
    }
    if (char === '}' && depth > 0) {
      depth--;
      buffer += char;
      continue;
    }
    if (char === ':' && buffer.length === 1 && /\p{L}/u.test(buffer)) {
      buffer += char; // a Windows drive letter
      continue;
    }
    if ((char === ':' || char === undefined) && depth === 0) {
      populate(mount, buffer, char === undefined, spec);
      buffer = '';
      continue;
    }
    buffer += char ?? '';
  }
  return withType(mount);
}

function populate(mount: VolumeMount, buffer: string, atEnd: boolean, spec: string): void {
  if (buffer.length === 0) throw invalid(spec, 'empty section between colons');
  if (mount.source === undefined && atEnd) {
    mount.target = buffer;
    return;
  }
  if (mount.source === undefined) {
    mount.source = buffer;
    return;
  }
  if (mount.target === undefined) {
    mount.target = buffer;
    return;
  }
  if (!atEnd) throw invalid(spec, 'too many colons');
  for (const option of buffer.split(',')) {
    if (option === 'ro') mount.read_only = true;
    else if (option === 'rw') mount.read_only = false;
    else if (option === 'nocopy') mount.volume = { nocopy: true };
    else if (PROPAGATIONS.has(option)) mount.bind = { ...mount.bind, propagation: option };
    else if (SELINUX.has(option)) mount.bind = { ...mount.bind, selinux: option };
  }
}

function withType(mount: VolumeMount): VolumeMount {
  if (isFilePath(mount.source ?? '')) {
    mount.type = 'bind';
    mount.bind = { ...mount.bind, create_host_path: true };
    delete mount.volume;
  } else {
    mount.type = 'volume';
    mount.volume = mount.volume ?? {};
  }
  if (mount.read_only === false) delete mount.read_only;
  return mount;
}

function isFilePath(source: string): boolean {
  if (source === '') return false;
  if ('./~'.includes(source[0] ?? '')) return true;
  if (source.startsWith('\\\\')) return true;
  return /^\p{L}:/u.test(source);
}

function invalid(spec: string, reason: string): ComposeError {
  return new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `invalid volume spec ${JSON.stringify(spec)}: ${reason}`);
}
