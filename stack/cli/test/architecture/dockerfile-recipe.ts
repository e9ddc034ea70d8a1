import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, join, posix, relative } from 'node:path';
import { readDockerfile, type Dockerfile, type DockerfileStage } from '../../src/validate/dockerfile.js';

/**
 * Runs the stages of a Dockerfile natively, so a broken recipe (a missing COPY, a wrong npm
 * script, a runtime stage without its files) fails without a Docker engine. Each stage gets a
 * directory standing for its root filesystem; COPY honours .dockerignore; RUN runs with sh; ARGs
 * (scoped to their stage, as in Docker) are expanded in ENV, WORKDIR, COPY and LABEL.
 */

/** What a stage leaves behind: its root directory and the image settings it ends with. */
export interface StageResult {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[] | undefined;
  healthcheck: string[] | undefined;
  labels: Record<string, string>;
}

export interface RecipeOptions {
  dockerfile: string;
  context: string;
  target: string;
  /** Empty directory where stage roots are created. */
  workDir: string;
  /** Extra environment for RUN steps (e.g. npm_config_prefer_offline). */
  runEnv?: Record<string, string>;
  /** Build arguments (ARG values). */
  buildArgs?: Record<string, string>;
  /** Called with each RUN command before it runs. */
  onRun?: (stage: string, command: string) => void;
}

/** Builds `target` natively and returns its result. */
export function runRecipe(options: RecipeOptions): StageResult {
  const dockerfile = readDockerfile(options.dockerfile);
  const ignore = readDockerignore(options.context);
  const consumers = countConsumers(dockerfile, options.target);
  const done = new Map<string, StageResult>();

  const build = (stage: DockerfileStage): StageResult => {
    const name = stage.name ?? `stage-${dockerfile.stages.indexOf(stage)}`;
    const known = done.get(name);
    if (known) return known;
    const parent = findStage(dockerfile, stage.from);
    let state: StageResult;
    const root = join(options.workDir, name);
    if (parent) {
      const base = build(parent);
      // A parent used once is moved (cheap); one used by several stages is copied.
      if ((consumers.get(parent.name ?? '') ?? 0) <= 1) renameSync(base.root, root);
      else cpSync(base.root, root, { recursive: true, verbatimSymlinks: true });
      state = { ...base, env: { ...base.env }, labels: { ...base.labels }, root };
    } else {
      mkdirSync(root, { recursive: true });
      state = { root, workdir: '/', env: {}, user: undefined, cmd: undefined, healthcheck: undefined, labels: {} };
    }
    const args: Record<string, string> = {};
    for (const instruction of stage.instructions) {
      const text = instruction.args;
      switch (instruction.keyword) {
        case 'ARG': {
          const [key = '', ...rest] = text.split('=');
          args[key] = options.buildArgs?.[key] ?? unquote(rest.join('='));
          break;
        }
        case 'ENV':
          for (const [key, value] of Object.entries(parsePairs(text))) state.env[key] = expand(value, { ...args, ...state.env });
          break;
        case 'LABEL':
          Object.assign(state.labels, Object.fromEntries(Object.entries(parsePairs(text)).map(([k, v]) => [k, expand(v, args)])));
          break;
        case 'WORKDIR':
          state.workdir = posix.resolve(state.workdir, expand(text, { ...args, ...state.env }));
          mkdirSync(join(root, state.workdir), { recursive: true });
          break;
        case 'COPY':
          copy(expand(text, { ...args, ...state.env }), state, options.context, ignore, (from) => {
            const source = findStage(dockerfile, from);
            if (!source) throw new Error(`COPY --from=${from}: no such stage`);
            return build(source).root;
          });
          break;
        case 'RUN':
          options.onRun?.(name, text);
          // As in docker build, the stage's ARGs are environment variables of its RUN steps.
          runStep(text, join(root, state.workdir), { PATH: process.env.PATH, HOME: process.env.HOME, ...args, ...state.env, ...options.runEnv });
          break;
        case 'USER':
          state.user = text;
          break;
        case 'CMD':
          state.cmd = JSON.parse(text) as string[];
          break;
        case 'HEALTHCHECK': {
          const command = /CMD\s+(\[.*\])\s*$/.exec(text)?.[1];
          state.healthcheck = command ? (JSON.parse(command) as string[]) : undefined;
          break;
        }
        default:
          // EXPOSE and the like describe the image; nothing to run.
          break;
      }
    }
    done.set(name, state);
    return state;
  };

  const target = dockerfile.stages.find((stage) => stage.name === options.target);
  if (!target) throw new Error(`no stage ${options.target} in ${options.dockerfile}`);
  return build(target);
}

/** Runs one RUN step; a failure carries the end of its output (tsc and npm print errors on stdout). */
function runStep(command: string, cwd: string, env: NodeJS.ProcessEnv): void {
  try {
    execFileSync('sh', ['-c', command], { cwd, env, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    const output = `${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`RUN ${command} failed:\n${output}`, { cause: error });
  }
}

function findStage(dockerfile: Dockerfile, reference: string): DockerfileStage | undefined {
  return dockerfile.stages.find((stage) => stage.name !== undefined && stage.name === reference.toLowerCase());
}

/** How many stages of the target's closure build on (FROM) or copy from each stage. */
function countConsumers(dockerfile: Dockerfile, target: string): Map<string, number> {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  const visit = (stage: DockerfileStage | undefined): void => {
    if (!stage?.name || seen.has(stage.name)) return;
    seen.add(stage.name);
    const references = [stage.from, ...stage.instructions.flatMap((i) => (i.keyword === 'COPY' ? [/--from=(\S+)/.exec(i.args)?.[1] ?? ''] : []))];
    for (const reference of references) {
      const parent = findStage(dockerfile, reference);
      if (!parent?.name) continue;
      counts.set(parent.name, (counts.get(parent.name) ?? 0) + 1);
      visit(parent);
    }
  };
  visit(findStage(dockerfile, target));
  return counts;
}

function copy(
  text: string,
  state: StageResult,
  context: string,
  ignored: (path: string) => boolean,
  stageRoot: (from: string) => string,
): void {
  const words = text.split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  const destination = paths.pop() ?? '.';
  const sourceRoot = from ? stageRoot(from) : context;
  const target = posix.resolve(state.workdir, destination);
  for (const source of paths) {
    const sourcePath = join(sourceRoot, source);
    if (!existsSync(sourcePath)) throw new Error(`COPY ${source}: not found in ${from ? `stage ${from}` : 'the build context'}`);
    const isDirectory = statSync(sourcePath).isDirectory();
    const into = destination.endsWith('/') || paths.length > 1;
    const destinationPath = join(state.root, isDirectory || !into ? target : posix.join(target, basename(source)));
    cpSync(sourcePath, destinationPath, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => from !== undefined || !ignored(relative(context, path)),
    });
  }
}

/** A .dockerignore matcher (Docker's rules: last matching pattern wins, `!` re-includes). */
export function readDockerignore(context: string): (path: string) => boolean {
  const file = join(context, '.dockerignore');
  const patterns = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => ({ negate: line.startsWith('!'), regex: globToRegex(line.replace(/^!/, '')) }))
    : [];
  return (path) => {
    if (path === '') return false;
    let excluded = false;
    for (const pattern of patterns) if (pattern.regex.test(path)) excluded = !pattern.negate;
    return excluded;
  };
}

function globToRegex(glob: string): RegExp {
  let source = '';
  const clean = glob.replace(/^\//, '');
  for (let i = 0; i < clean.length; i++) {
    const char = clean[i] as string;
    if (clean.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (clean.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function parsePairs(text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const match of text.matchAll(/([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    pairs[match[1] as string] = unquote(match[2] ?? '');
  }
  return pairs;
}

function unquote(value: string): string {
  return value.replace(/^"(.*)"$/, '$1');
}

function expand(value: string, args: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}/g, (whole, name: string) => args[name] ?? whole);
}
