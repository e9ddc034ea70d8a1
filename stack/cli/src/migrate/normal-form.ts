/**
 * One spelling for what Compose reads the same: `environment: [A=1]` and `environment: {A: 1}`,
 * `networks: [a]` and `networks: {a: null}`, `build: ./api` and `build: {context: ./api}` ... so
 * definitions from different files and environments compare equal when they mean the same, and a
 * mapping can be split into what environments share and what each adds. Values stay as written
 * (`${VAR}` uninterpolated).
 */

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `[KEY=value, KEY]` as `{KEY: value, KEY: null}`; a mapping stays as it is. */
function listToMapping(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const out: Mapping = {};
  for (const entry of value) {
    const text = String(entry);
    const equals = text.indexOf('=');
    if (equals < 0) out[text] = null;
    else out[text.slice(0, equals)] = text.slice(equals + 1);
  }
  return out;
}

function namesToMapping(value: unknown, each: () => unknown): unknown {
  if (!Array.isArray(value)) return value;
  return Object.fromEntries(value.map((name) => [String(name), each()]));
}

/**
 * `{condition: service_started, required: true}` is what a bare name means, and what the merge of
 * two files' lists makes of each name; spelled the short way, it can go back to a list. That
 * matters beyond looks: Compose interpolates list items but not mapping keys, so
 * `- ${DB_HOST:-postgresql}` (appwrite) breaks as soon as it is written as a key.
 */
function dependencies(value: unknown): unknown {
  if (!isMapping(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, dependency]) => {
      if (!isMapping(dependency)) return [name, dependency];
      const { required, ...rest } = dependency;
      return [name, required === true ? rest : dependency];
    }),
  );
}

/** The normal form of a raw service definition. */
export function toNormalForm(service: Mapping): Mapping {
  const out: Mapping = {};
  for (const [key, value] of Object.entries(service)) {
    if (value === null || value === undefined) continue;
    out[key] = value;
  }
  if (typeof out.build === 'string') out.build = { context: out.build };
  if (isMapping(out.build)) {
    const build = { ...out.build };
    for (const key of ['args', 'labels']) if (build[key] !== undefined) build[key] = listToMapping(build[key]);
    out.build = build;
  }
  for (const key of ['environment', 'labels', 'annotations', 'sysctls']) if (out[key] !== undefined) out[key] = listToMapping(out[key]);
  if (isMapping(out.deploy) && out.deploy.labels !== undefined) out.deploy = { ...out.deploy, labels: listToMapping(out.deploy.labels) };
  if (out.networks !== undefined) out.networks = namesToMapping(out.networks, () => null);
  if (out.depends_on !== undefined) out.depends_on = dependencies(namesToMapping(out.depends_on, () => ({ condition: 'service_started' })));
  for (const key of ['env_file', 'label_file']) if (typeof out[key] === 'string') out[key] = [out[key]];
  return out;
}

/** The shortest spelling of a normal-form service, for the files written. */
export function toWrittenForm(service: Mapping): Mapping {
  const out: Mapping = { ...service };
  if (isMapping(out.build) && Object.keys(out.build).length === 1 && typeof out.build.context === 'string') out.build = out.build.context;
  if (isMapping(out.networks) && Object.values(out.networks).every((value) => value === null)) out.networks = Object.keys(out.networks);
  if (
    isMapping(out.depends_on) &&
    Object.values(out.depends_on).every((value) => isMapping(value) && Object.keys(value).length === 1 && value.condition === 'service_started')
  ) {
    out.depends_on = Object.keys(out.depends_on);
  }
  for (const key of ['env_file', 'label_file']) {
    const value = out[key];
    if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') out[key] = value[0];
  }
  return out;
}
