/** A service as `config` prints it, plus its `x-*` extension fields (kept for tools like `stack`). */
export interface ServiceConfig {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string; args?: Record<string, string | null>; [key: string]: unknown };
  command?: string[] | null;
  entrypoint?: string[] | null;
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition?: string; required?: boolean; restart?: boolean }>;
  ports?: Array<{ mode?: string; host_ip?: string; target: number; published?: string; protocol?: string; name?: string; app_protocol?: string }>;
  volumes?: Array<{ type?: string; source?: string; target?: string; read_only?: boolean; [key: string]: unknown }>;
  networks?: Record<string, Record<string, unknown> | null>;
  profiles?: string[];
  healthcheck?: Record<string, unknown>;
  deploy?: Record<string, unknown>;
  labels?: Record<string, string>;
  container_name?: string;
  [key: string]: unknown;
}

/** A top-level network, volume, secret, config or model, plus its `x-*` fields. */
export type ResourceConfig = Record<string, unknown>;

/** The resolved Compose project: what `docker compose config` describes. */
export interface Project {
  /** Project name (normalized). */
  name: string;
  /** Absolute project directory: relative paths resolve against it. */
  workingDir: string;
  /** Absolute paths of the compose files, in merge order. */
  composeFiles: string[];
  /** Variables used for interpolation (shell environment, then env files). */
  environment: Record<string, string>;
  /** Enabled services (active profiles), by name. */
  services: Record<string, ServiceConfig>;
  /** Services disabled because none of their profiles is active. */
  disabledServices: Record<string, ServiceConfig>;
  networks: Record<string, ResourceConfig>;
  volumes: Record<string, ResourceConfig>;
  secrets: Record<string, ResourceConfig>;
  configs: Record<string, ResourceConfig>;
  models?: Record<string, ResourceConfig>;
  /** Top-level `x-*` fields. */
  extensions: Record<string, unknown>;
  /** Active profiles. */
  profiles: string[];
  /** Non-fatal findings (unset variables, obsolete `version` ...), one line each. */
  warnings: string[];
}
