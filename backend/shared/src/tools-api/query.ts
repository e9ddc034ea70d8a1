// The browser-safe half of the contract (no schema library): limits, parameters, the query codec
// and the error-body check. The web app imports `@codiesvibe/shared/tools-api/query`.
export * from './limits.js';
export * from './query-params.js';
export * from './query-codec.js';
export * from './api-error-body.js';
