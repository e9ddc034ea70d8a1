/**
 * A YAML document as the compose loader reads it: collections, typed scalars and aliases that
 * point at their anchored node, each with the 1-based line and column where it starts. Both the
 * fast reader (fast-yaml.ts) and the `yaml` package (yaml-package-nodes.ts) produce it.
 */
export type YamlNode = YamlMap | YamlSeq | YamlScalar | YamlAlias;

interface YamlNodeBase {
  /** `!reset`, `!override` or another tag as written; undefined when untagged. */
  tag?: string;
  line: number;
  column: number;
}

export interface YamlMap extends YamlNodeBase {
  kind: 'map';
  items: Array<[key: YamlNode, value: YamlNode | null]>;
}

export interface YamlSeq extends YamlNodeBase {
  kind: 'seq';
  items: Array<YamlNode | null>;
}

export interface YamlScalar extends YamlNodeBase {
  kind: 'scalar';
  /** The value typed like go-yaml v3 types it (see plain-scalar.ts). */
  value: unknown;
  /** Written without quotes or block indicator: only a plain `<<` is a merge key. */
  plain: boolean;
  /** The text as written, for messages. */
  source: string;
}

export interface YamlAlias extends YamlNodeBase {
  kind: 'alias';
  name: string;
  /** The last node before the alias anchored with its name; undefined when there is none. */
  target: YamlNode | undefined;
}
