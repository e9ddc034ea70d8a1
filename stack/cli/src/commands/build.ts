import type { Command } from '../cli/command.js';
import { resolveProject } from '../cli/resolve-project.js';
import { runDockerCompose } from '../docker/docker-runner.js';
import { mergeBuildSteps, runBuildStep } from '../native/build-steps.js';
import { buildNativePlan, findNpmRoot } from '../native/native-plan-builder.js';
import { composeTargetOf } from '../run/compose-target.js';
import { chooseRunMode, RUN_MODE_OPTIONS } from '../run/run-mode.js';

/** `stack build`: build images with computed build args, or natively the services' build steps. */
export const buildCommand: Command = {
  name: 'build',
  summary: 'Build the images (BUILD_DATE, GIT_COMMIT, VERSION computed), or natively the build steps',
  usage: '[OPTIONS] [SERVICE...]',
  options: [
    ...RUN_MODE_OPTIONS,
    { name: 'no-cache', type: 'boolean', description: 'Docker: do not use the build cache' },
    { name: 'pull', type: 'boolean', description: 'Docker: always pull newer base images' },
  ],
  async run({ globals, options, args, io }) {
    const { project } = resolveProject(globals, io, { services: args });
    if (chooseRunMode(options, io.env) === 'docker') {
      const passthrough = [
        ...(options['no-cache'] === true ? ['--no-cache'] : []),
        ...(options.pull === true ? ['--pull'] : []),
        ...args,
      ];
      return runDockerCompose(
        io,
        findNpmRoot(project.workingDir),
        composeTargetOf(project, globals, project.workingDir),
        'build',
        passthrough,
      );
    }
    const plan = await buildNativePlan(project, { baseEnv: io.env });
    for (const step of mergeBuildSteps(plan.builds)) {
      const began = new Date();
      io.stderr(`stack | building ${step.service}: ${step.argv.join(' ')}\n`);
      await runBuildStep(plan.root, step, (line) => io.stdout(`${line}\n`));
      io.stderr(`stack | built ${step.service} in ${((Date.now() - began.getTime()) / 1000).toFixed(1)} s\n`);
    }
    return 0;
  },
};
