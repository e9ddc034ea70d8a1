/** What stack resolved from its global options, handed to `docker compose` unchanged in meaning. */
export interface ComposeTarget {
  projectName: string;
  projectDirectory: string;
  files: string[];
  envFiles: string[];
  profiles: string[];
}

/**
 * The `docker compose` argument list for a subcommand, with every global made explicit so that
 * Docker resolves exactly the model stack resolved (same files, env files, name and profiles).
 */
export function composeArguments(target: ComposeTarget, subcommand: string, args: string[]): string[] {
  return [
    'compose',
    '--project-name',
    target.projectName,
    '--project-directory',
    target.projectDirectory,
    ...target.files.flatMap((file) => ['-f', file]),
    ...target.envFiles.flatMap((file) => ['--env-file', file]),
    ...target.profiles.flatMap((profile) => ['--profile', profile]),
    subcommand,
    ...args,
  ];
}
