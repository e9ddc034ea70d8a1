export { findProgram } from './find-program.js';
