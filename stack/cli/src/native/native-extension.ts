import { z } from 'zod';

/** Images whose entrypoint the native runner knows how to do natively. */
export const EMULATED_IMAGES = ['nginx-image'] as const;

/**
 * The `x-native` block of a service: how stack runs it without Docker. Paths and argv are taken
 * from the npm project root (the nearest folder at or above the project directory with a
 * package.json).
 */
export const nativeExtensionSchema = z
  .object({
    /** Run once before starting, e.g. [npm, run, build, -w, backend/gateway]. */
    build: z.array(z.string()).min(1).optional(),
    /** The process to run for each replica. */
    command: z.array(z.string()).min(1).optional(),
    /** HTTP path polled on the replica's port until it answers 2xx. */
    health: z.string().startsWith('/').optional(),
    /** A system program that provides the service when it is on PATH (e.g. redis-server). */
    program: z.string().min(1).optional(),
    /**
     * Its arguments. `${PORT}` (or `$PORT`) becomes the port chosen for it, `${CONFIG_FILE}` the
     * path of the rendered `configFile`, `${DATA_DIR}` the absolute path of `dataDir`.
     */
    args: z.array(z.string()).optional(),
    /**
     * A private config file (mode 0600) the program reads instead of taking secrets on its command
     * line. `${NAME}` is replaced by the service's variable NAME, or by the content of the file
     * NAME_FILE names (a secret), as the image's own start script would read it.
     */
    configFile: z.string().min(1).optional(),
    /** A folder, from the project root, that the program keeps its data in; created when missing. */
    dataDir: z.string().min(1).optional(),
    /** The program runs without authentication on loopback: URLs naming it lose their credentials. */
    withoutCredentials: z.boolean().optional(),
    /** Do natively what this image's entrypoint does before the program starts. */
    emulate: z.enum(EMULATED_IMAGES).optional(),
    /** Environments (`--env NAME`) where the program runs natively; elsewhere it is embedded. */
    environments: z.array(z.string().min(1)).min(1).optional(),
    /** Another service that answers for this one natively: addresses naming it go there. */
    servedBy: z.string().min(1).optional(),
    /** Signal that asks the program to stop gracefully (nginx: SIGQUIT), when not `stop_signal`. */
    stopSignal: z.string().regex(/^SIG[A-Z0-9]+$/).optional(),
    /**
     * Signal a deploy sends the old process once traffic has moved to the new one, so it ends its
     * clients' keep-alive connections between requests (the gateway: SIGUSR2). Declared, because a
     * process that does not handle SIGUSR1/2 dies of it.
     */
    retireSignal: z.string().regex(/^SIG[A-Z0-9]+$/).optional(),
    /** What stands in for the service when it is not run: one line, shown to the user. */
    embedded: z.string().min(1).optional(),
    /** Extra variables in native mode; values naming a path are taken from the npm project root. */
    environment: z.record(z.string(), z.string()).optional(),
    /** Variables that accept a comma-separated list of replica URLs (a load balancer's upstreams). */
    replicaLists: z.array(z.string()).optional(),
    /** The URL `stack up` prints as the one to open; among several running, the last to start wins. */
    entrypoint: z.boolean().optional(),
  })
  .strict();

export type NativeExtension = z.infer<typeof nativeExtensionSchema>;

/** Parses a service's `x-native`, or explains in one line what is wrong with it. */
export function parseNativeExtension(service: string, raw: unknown): NativeExtension | undefined {
  if (raw === undefined || raw === null) return undefined;
  const parsed = nativeExtensionSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `x-native.${issue.path.join('.')}` : 'x-native';
  throw new Error(`service ${service}: ${where}: ${issue?.message ?? 'invalid'}`);
}
