/** Injection tokens. Every constructor dependency names one explicitly: no reflected types. */
export const TOOL_REPOSITORY = Symbol('ToolRepository');
export const RESPONSE_CACHE = Symbol('ResponseCache');
export const ADMIN_API_KEY = Symbol('AdminApiKey');
export const CACHE_METRICS = Symbol('CacheMetrics');
export const SUBMISSION_REPOSITORY = Symbol('SubmissionRepository');
