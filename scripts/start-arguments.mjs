// What `npm start` asks of stack: the development environment, `stack --env development up`, so
// the settings a developer edits in .env.development take effect. Plain `stack up`, like
// `docker compose up`, reads only `.env`; the environment is chosen here, not by stack, so that
// `stack config` with no options keeps equalling `docker compose config`.
import { ENVIRONMENT_NAMES } from '@codiesvibe/stack';

/**
 * The arguments of stack for `npm start -- ARGS`: `up ARGS`, with `--env development` in front
 * unless ARGS or STACK_ENV already choose an environment (`--env NAME`, or `--profile NAME` with
 * an environment's name), which then wins.
 */
export function startArguments(args, env) {
  return choosesEnvironment(args, env) ? ['up', ...args] : ['--env', 'development', 'up', ...args];
}

function choosesEnvironment(args, env) {
  if (env.STACK_ENV) return true;
  const isEnvironment = (name) => ENVIRONMENT_NAMES.includes(name);
  return args.some(
    (arg, index) =>
      arg === '--env' ||
      arg.startsWith('--env=') ||
      (arg === '--profile' && isEnvironment(args[index + 1])) ||
      (arg.startsWith('--profile=') && isEnvironment(arg.slice('--profile='.length))),
  );
}
