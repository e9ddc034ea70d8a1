import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerfileInstruction {
  /** Upper-case keyword: FROM, RUN, COPY ... */
  keyword: string;
  /** Everything after the keyword, as written. */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

/** A build stage: `FROM <from> [AS <name>]` and the instructions up to the next FROM. */
export interface DockerfileStage {
  /** Stage name (lower-cased like BuildKit does), or undefined for an unnamed stage. */
  name: string | undefined;
  /** The base as written, with `${ARG}` references to global ARGs expanded. */
  from: string;
  line: number;
  instructions: DockerfileInstruction[];
}

export interface Dockerfile {
  stages: DockerfileStage[];
  /** Global ARGs (before the first FROM) with their defaults. */
  globalArgs: Map<string, string>;
}

const FROM_PATTERN = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i;

/** Parses a Dockerfile into stages. Only the structure stack needs: no shell or JSON evaluation. */
export function parseDockerfile(text: string): Dockerfile {
  const instructions = splitInstructions(text);
  const globalArgs = new Map<string, string>();
  const stages: DockerfileStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = FROM_PATTERN.exec(instruction.args);
      const from = expandArgs(match?.[1] ?? instruction.args, globalArgs);
      stages.push({ name: match?.[2]?.toLowerCase(), from, line: instruction.line, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword === 'ARG') {
        const [name, ...rest] = instruction.args.split('=');
        if (name) globalArgs.set(name.trim(), unquote(rest.join('=').trim()));
      }
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { stages, globalArgs };
}

/** Reads and parses a Dockerfile from disk. */
export function readDockerfile(path: string): Dockerfile {
  return parseDockerfile(readFileSync(path, 'utf8'));
}

/** The stage a build with `target` produces: the named one, or the last stage without a target. */
export function targetStage(dockerfile: Dockerfile, target: string | undefined): DockerfileStage | undefined {
  if (target === undefined) return dockerfile.stages.at(-1);
  return dockerfile.stages.find((stage) => stage.name === target.toLowerCase());
}

/**
 * Follows `FROM <stage>` links down to the external image a stage is built on (e.g.
 * `node:24-alpine`), so checks can ask what that image contains.
 */
export function baseImageOf(dockerfile: Dockerfile, stage: DockerfileStage): string {
  const seen = new Set<DockerfileStage>();
  let current = stage;
  for (;;) {
    seen.add(current);
    const parent = dockerfile.stages.find((candidate) => candidate.name !== undefined && candidate.name === current.from.toLowerCase());
    if (!parent || seen.has(parent)) return current.from;
    current = parent;
  }
}

/** The user a stage runs as: its last USER, inherited through `FROM <stage>`; undefined means root. */
export function userOf(dockerfile: Dockerfile, stage: DockerfileStage): string | undefined {
  const seen = new Set<DockerfileStage>();
  let current: DockerfileStage | undefined = stage;
  while (current && !seen.has(current)) {
    seen.add(current);
    const user = current.instructions.filter((instruction) => instruction.keyword === 'USER').at(-1);
    if (user) return user.args.trim();
    const parentName = current.from.toLowerCase();
    current = dockerfile.stages.find((candidate) => candidate.name === parentName);
  }
  return undefined;
}

function splitInstructions(text: string): DockerfileInstruction[] {
  const result: DockerfileInstruction[] = [];
  const lines = text.split(/\r?\n/);
  let pending: { parts: string[]; line: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const trimmed = raw.trim();
    if (!pending && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (pending && trimmed.startsWith('#')) continue;
    const continued = trimmed.endsWith('\\');
    const content = continued ? trimmed.slice(0, -1) : trimmed;
    if (pending) pending.parts.push(content);
    else pending = { parts: [content], line: index + 1 };
    if (continued) continue;
    const joined = pending.parts.join(' ').trim();
    const space = joined.search(/\s/);
    const keyword = (space === -1 ? joined : joined.slice(0, space)).toUpperCase();
    const args = space === -1 ? '' : joined.slice(space + 1).trim();
    result.push({ keyword, args, line: pending.line });
    pending = undefined;
  }
  return result;
}

function expandArgs(value: string, args: ReadonlyMap<string, string>): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (whole, braced?: string, fallback?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    return args.get(name) || fallback || whole;
  });
}

function unquote(value: string): string {
  return value.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
}

/**
 * Programs a stage (and the stages it is built FROM) copies in by name: the last path segment of
 * every COPY/ADD destination that is a file (`COPY --from=x /bin/busybox /usr/local/bin/wget`
 * adds `wget`), or of each source copied into a folder (`COPY tool /usr/local/bin/`).
 */
export function programsAddedBy(dockerfile: Dockerfile, stage: DockerfileStage): Set<string> {
  const added = new Set<string>();
  const seen = new Set<DockerfileStage>();
  let current: DockerfileStage | undefined = stage;
  while (current && !seen.has(current)) {
    seen.add(current);
    for (const instruction of current.instructions) {
      if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
      const words = instruction.args.startsWith('[')
        ? (JSON.parse(instruction.args) as unknown[]).map(String)
        : instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const destination = words.at(-1);
      if (!destination || words.length < 2) continue;
      const names = destination.endsWith('/') ? words.slice(0, -1) : [destination];
      for (const name of names) added.add(name.replace(/\/+$/, '').split('/').at(-1) ?? name);
    }
    const parentName = current.from.toLowerCase();
    current = dockerfile.stages.find((candidate) => candidate.name === parentName);
  }
  return added;
}
