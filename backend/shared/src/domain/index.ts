export * from './vocabulary.js';
export * from './tool.js';
export * from './ai-search.js';
export * from './tool-text.js';
export * from './spelling.js';
