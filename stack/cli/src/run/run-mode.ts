import type { OptionSpec, ParsedOptions } from '../cli/arg-parser.js';
import { UsageError } from '../cli/arg-parser.js';
import { dockerEngineAnswers } from '../docker/docker-engine.js';

/** The options that choose between Docker and native mode, shared by every run command. */
export const RUN_MODE_OPTIONS: readonly OptionSpec[] = [
  { name: 'native', type: 'boolean', description: 'run the services as local processes, even when Docker answers' },
  { name: 'docker', type: 'boolean', description: 'run through docker compose, even when no engine answers' },
];

export type RunMode = 'docker' | 'native';

/**
 * `--native` or `--docker` when given (or STACK_MODE=native|docker); otherwise Docker when an
 * engine answers, native when none does.
 */
export function chooseRunMode(
  options: ParsedOptions,
  env: Record<string, string | undefined>,
  probe = () => dockerEngineAnswers(env.DOCKER_BINARY || 'docker'),
): RunMode {
  if (options.native === true && options.docker === true) throw new UsageError('--native and --docker exclude each other');
  if (options.native === true) return 'native';
  if (options.docker === true) return 'docker';
  const fromEnv = env.STACK_MODE;
  if (fromEnv === 'native' || fromEnv === 'docker') return fromEnv;
  if (fromEnv) throw new UsageError(`STACK_MODE must be native or docker (got ${JSON.stringify(fromEnv)})`);
  return probe() ? 'docker' : 'native';
}

/** Parses repeated `--scale SERVICE=N` values. */
export function parseScale(values: readonly string[]): Record<string, number> {
  const scale: Record<string, number> = {};
  for (const value of values) {
    const match = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*)=(\d+)$/.exec(value);
    if (!match) throw new UsageError(`--scale takes SERVICE=NUMBER (got ${JSON.stringify(value)})`);
    const count = Number(match[2]);
    if (count > 64) throw new UsageError(`--scale ${match[1]}=${count}: at most 64 replicas`);
    scale[match[1]!] = count;
  }
  return scale;
}

/** A whole number of seconds from an option, as milliseconds. */
export function secondsOption(value: unknown, name: string, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds * 1000;
  const seconds = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--${name} takes a number of seconds (got ${JSON.stringify(value)})`);
  }
  return seconds * 1000;
}
