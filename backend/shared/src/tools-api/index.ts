export * from './query.js';
export * from './request-bodies.js';
export * from './response-schemas.js';
export * from './routes.js';
export * from './submissions.js';
export * from './openapi.js';
