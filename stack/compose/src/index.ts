/**
 * @codiesvibe/compose: a Compose model engine whose `config` equals Docker Compose v2.40's.
 * See README.md for the API.
 */
export { COMPOSE_ERROR_CODES, ComposeError, isComposeError, type ComposeErrorCode, type SourceLocation } from './errors.js';
export { loadModelSync, loadProject, loadProjectSync, type LoadProjectOptions, type LoadedProject } from './load-project.js';
export type { Project, ServiceConfig, ResourceConfig } from './model/project.js';
export { toComposeJson, toComposeYaml, projectDocument, formatRawModel } from './output/print.js';
export { parseDotenv } from './dotenv/parse-dotenv.js';
export { splitShellWordsAt } from './model/units.js';
export { composeSchema } from './schema/compose-schema.js';
export { precompiledValidatorSources, strippedComposeSchema } from './schema/validate-schema.js';
export { compileSchemaCheck, type SchemaCheck } from './schema/schema-check.js';
export { bindVariables, substitute, type VariableLookup } from './interpolation/template.js';
export { includeEnvFiles } from './loader/include-env.js';
export { includeFolders, type IncludeFolders, type IncludingFolders } from './loader/include-folders.js';
export { parseDotenvFiles } from './dotenv/env-files.js';
export { parseComposeYaml, type ParsedYamlDocument } from './yaml/parse-yaml.js';
export { decodeYamlBytes, readYamlText } from './compose-file-text.js';
export { normalizeProjectName, discoverComposeFiles, DEFAULT_FILE_NAMES, DEFAULT_OVERRIDE_FILE_NAMES, type ProjectSource } from './loader/project-options.js';
export { hasProfile } from './loader/to-project.js';
export { serviceScale } from './loader/consistency.js';
// Compose's merge rules on raw (uninterpolated) models, for tools that rewrite compose files
// (`stack migrate`): the same rules the loader applies to -f files, extends and !reset.
export { mergeModels, mergeExtendedService } from './merge/merge.js';
export { enforceUnicity } from './merge/unicity.js';
export { applyResets } from './loader/reset.js';
